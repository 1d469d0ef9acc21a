package expertbench

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// ThreatsFile is the name of the expert threat list in a system folder.
const ThreatsFile = "threats.yaml"

// System is one benchmark system: its diagram and the expert threats.
type System struct {
	// Name is the folder name under testdata/expert (a stable id).
	Name string `yaml:"-"`
	// Title is the system's name as its authors give it.
	Title string `yaml:"system"`
	// Domain is the broad domain (web, healthcare, fintech, IoT,
	// Kubernetes, serverless, CI/CD, ML) used to check the spread.
	Domain string `yaml:"domain"`
	// Diagram is the diagram file name inside the folder.
	Diagram string `yaml:"diagram"`
	// Threats are the experts' threats in source order.
	Threats []Expert `yaml:"threats"`
	// Dir is the folder the system was loaded from.
	Dir string `yaml:"-"`
}

// Expert is one threat as the source's authors wrote it.
type Expert struct {
	// ID is unique within the system (the source's own id where it has one).
	ID string `yaml:"id"`
	// Stride is one of S T R I D E.
	Stride string `yaml:"stride"`
	// Component is the id of the component the threat is on, or Flow the
	// flow as "source-id -> target-id" (exactly one of the two is set).
	Component string `yaml:"component"`
	Flow      string `yaml:"flow"`
	// Severity is Critical, High, Medium or Low when the source rates the
	// threat, "" otherwise.
	Severity string `yaml:"severity"`
	// Mitigated is set when the source says whether the system as drawn
	// already mitigates the threat; nil when it does not say.
	Mitigated *bool `yaml:"mitigated"`
	// Title is a short paraphrase and Where the place in the source.
	Title string `yaml:"title"`
	Where string `yaml:"where"`
}

// FlowEnds returns the two component ids of a flow element.
func (e Expert) FlowEnds() (from, to string, ok bool) {
	from, to, ok = strings.Cut(e.Flow, "->")
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	return from, to, ok && from != "" && to != ""
}

// ElementName is the element as written in threats.yaml.
func (e Expert) ElementName() string {
	if e.Flow != "" {
		return e.Flow
	}
	return e.Component
}

var severities = map[string]bool{"": true, "Critical": true, "High": true, "Medium": true, "Low": true}

func (e Expert) check() error {
	if e.ID == "" {
		return fmt.Errorf("threat without id")
	}
	if len(e.Stride) != 1 || !strings.Contains("STRIDE", e.Stride) {
		return fmt.Errorf("threat %s: stride %q, want one of S T R I D E", e.ID, e.Stride)
	}
	if (e.Component == "") == (e.Flow == "") {
		return fmt.Errorf("threat %s: set exactly one of component and flow", e.ID)
	}
	if e.Flow != "" {
		if _, _, ok := e.FlowEnds(); !ok {
			return fmt.Errorf("threat %s: flow %q, want \"source-id -> target-id\"", e.ID, e.Flow)
		}
	}
	if !severities[e.Severity] {
		return fmt.Errorf("threat %s: severity %q, want Critical, High, Medium or Low", e.ID, e.Severity)
	}
	if e.Title == "" || e.Where == "" {
		return fmt.Errorf("threat %s: title and where are required", e.ID)
	}
	return nil
}

// Load reads the system in dir (its threats.yaml). Unknown fields, a
// missing diagram and malformed threats are errors naming the file.
func Load(dir string) (*System, error) {
	file := filepath.Join(dir, ThreatsFile)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	s := &System{}
	if err := dec.Decode(s); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	s.Name, s.Dir = filepath.Base(dir), dir
	if s.Title == "" || s.Domain == "" || s.Diagram == "" {
		return nil, fmt.Errorf("%s: system, domain and diagram are required", file)
	}
	if _, err := os.Stat(filepath.Join(dir, s.Diagram)); err != nil {
		return nil, fmt.Errorf("%s: diagram: %w", file, err)
	}
	if len(s.Threats) == 0 {
		return nil, fmt.Errorf("%s: no threats", file)
	}
	seen := map[string]bool{}
	for _, e := range s.Threats {
		if err := e.check(); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if seen[e.ID] {
			return nil, fmt.Errorf("%s: threat id %s used twice", file, e.ID)
		}
		seen[e.ID] = true
	}
	return s, nil
}

// LoadAll loads every system folder under root, sorted by name.
func LoadAll(root string) ([]*System, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var out []*System
	for _, en := range entries {
		if !en.IsDir() {
			continue
		}
		s, err := Load(filepath.Join(root, en.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
