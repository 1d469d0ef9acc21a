package stride

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"gopkg.in/yaml.v3"
)

// Config overrides what the diagram says without editing it. Elements are
// keyed by ID or label (an ID match wins over a label match); flows may
// also be keyed "Source label -> Target label".
//
//	system: Telehealth Platform
//	components:
//	  Reminder Queue (SQS): {kind: datastore, sensitivity: [PII], controls: [encryption-at-rest]}
//	boundaries:
//	  DMZ: {trust: dmz}
//	flows:
//	  Notification Worker -> SendGrid Email: {protocol: SMTPS, auth: api-key}
//	threats:
//	  - {id: T-0042, status: Accepted, owner: Ana Lima, reason: Internal tool, retired in Q3}
type Config struct {
	System     string                     `yaml:"system"`
	Document   Document                   `yaml:"document"`
	Components map[string]ComponentConfig `yaml:"components"`
	Boundaries map[string]BoundaryConfig  `yaml:"boundaries"`
	Flows      map[string]FlowConfig      `yaml:"flows"`
	// Threats are decisions about threats: Accepted or Transferred, by
	// whom and why (see Decision).
	Threats []Decision `yaml:"threats"`

	// Path names the configuration in messages: the name given to
	// ParseConfig ("" when built in code).
	Path string `yaml:"-"`
}

// Document is what a threat-model document says about itself: version,
// owner and reviewers, data classification, an overview and the
// assumptions the team made (threatmap.yaml "document").
type Document struct {
	Version        string   `yaml:"version" json:"version,omitempty"`
	Owner          string   `yaml:"owner" json:"owner,omitempty"`
	Reviewers      []string `yaml:"reviewers" json:"reviewers,omitempty"`
	Classification string   `yaml:"classification" json:"classification,omitempty"`
	Overview       string   `yaml:"overview" json:"overview,omitempty"`
	Assumptions    []string `yaml:"assumptions" json:"assumptions,omitempty"`
}

// Empty reports whether nothing is set.
func (d *Document) Empty() bool {
	return d == nil || d.Version == "" && d.Owner == "" && len(d.Reviewers) == 0 && d.Classification == "" &&
		d.Overview == "" && len(d.Assumptions) == 0
}

// ComponentConfig overrides one component.
type ComponentConfig struct {
	Kind        KindValue       `yaml:"kind"`
	Trust       *TrustValue     `yaml:"trust"`
	Sensitivity SensitivityList `yaml:"sensitivity"`
	Controls    []string        `yaml:"controls"`
}

// BoundaryConfig overrides one trust boundary.
type BoundaryConfig struct {
	Trust *TrustValue `yaml:"trust"`
}

// FlowConfig overrides one flow.
type FlowConfig struct {
	Protocol    string          `yaml:"protocol"`
	Encrypted   EncValue        `yaml:"encrypted"`
	Auth        AuthValue       `yaml:"auth"`
	Sensitivity SensitivityList `yaml:"sensitivity"`
	Controls    []string        `yaml:"controls"`
}

// KindValue is a component kind spelt any way graph.ParseKind accepts.
type KindValue string

// UnmarshalYAML validates the kind, reporting the line of a bad value.
func (k *KindValue) UnmarshalYAML(n *yaml.Node) error {
	kd, ok := graph.ParseKind(n.Value)
	if !ok {
		return fmt.Errorf("line %d: unknown component kind %q (want external, process or datastore)", n.Line, n.Value)
	}
	*k = KindValue(kd)
	return nil
}

// TrustValue is a trust level 0-4 or its name.
type TrustValue int

// UnmarshalYAML validates the trust level.
func (t *TrustValue) UnmarshalYAML(n *yaml.Node) error {
	v, ok := ParseTrust(n.Value)
	if !ok {
		return fmt.Errorf("line %d: unknown trust level %q (want 0-4 or untrusted, dmz, internal, restricted, data)", n.Line, n.Value)
	}
	*t = TrustValue(v)
	return nil
}

// EncValue is "true", "false" or "unknown".
type EncValue string

// UnmarshalYAML validates the encryption state.
func (e *EncValue) UnmarshalYAML(n *yaml.Node) error {
	switch strings.ToLower(n.Value) {
	case "true", "yes":
		*e = EncTrue
	case "false", "no":
		*e = EncFalse
	case "unknown":
		*e = EncUnknown
	default:
		return fmt.Errorf("line %d: encrypted must be true, false or unknown, not %q", n.Line, n.Value)
	}
	return nil
}

// AuthValue is one of AuthValues.
type AuthValue string

// UnmarshalYAML validates the authentication method.
func (a *AuthValue) UnmarshalYAML(n *yaml.Node) error {
	v := normalizeAuth(n.Value)
	if v == "unknown" && strings.ToLower(n.Value) != "unknown" {
		return fmt.Errorf("line %d: unknown auth %q (want one of %s)", n.Line, n.Value, strings.Join(AuthValues, ", "))
	}
	*a = AuthValue(v)
	return nil
}

// SensitivityList is a list of data classes (PII, PHI, PCI, credentials,
// financial, confidential).
type SensitivityList []string

// UnmarshalYAML accepts a list or a single comma-separated string.
func (s *SensitivityList) UnmarshalYAML(n *yaml.Node) error {
	var raw []string
	switch n.Kind {
	case yaml.ScalarNode:
		raw = strings.Split(n.Value, ",")
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: sensitivity entries must be strings", c.Line)
			}
			raw = append(raw, c.Value)
		}
	default:
		return fmt.Errorf("line %d: sensitivity must be a list", n.Line)
	}
	out, bad := normalizeClasses(raw)
	if len(bad) > 0 {
		return fmt.Errorf("line %d: unknown data class %q (want PII, PHI, PCI, credentials, financial, confidential)", n.Line, bad[0])
	}
	*s = out
	return nil
}

// ParseConfig parses a configuration (threatmap.yaml); name, usually its
// path, is what errors name. Unknown keys and bad values are
// *graph.InputError values naming the file and line.
func ParseConfig(name string, data []byte) (*Config, error) {
	cfg := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlInputError(name, err)
	}
	cfg.Path = name
	return cfg, nil
}

// yamlInputError turns a yaml.v3 error ("yaml: line 3: field x not found
// in type ...") into an *graph.InputError with the line as position.
func yamlInputError(file string, err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	line := 0
	if strings.HasPrefix(msg, "line ") {
		rest := msg[len("line "):]
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			line = line*10 + int(rest[i]-'0')
			i++
		}
		if i < len(rest) && rest[i] == ':' {
			msg = strings.TrimSpace(rest[i+1:])
		}
	}
	msg = strings.ReplaceAll(msg, "\n  ", "; ")
	return &graph.InputError{File: file, Pos: graph.Position{Line: line}, Msg: msg, Err: err}
}

func (c *Config) component(comp *graph.Component) *ComponentConfig {
	if c == nil || len(c.Components) == 0 {
		return nil
	}
	if v, ok := c.Components[comp.ID]; ok {
		return &v
	}
	if v, ok := c.Components[oneLine(comp.Label)]; ok {
		return &v
	}
	return nil
}

func (c *Config) boundary(b *graph.Boundary) *BoundaryConfig {
	if c == nil || len(c.Boundaries) == 0 {
		return nil
	}
	if v, ok := c.Boundaries[b.ID]; ok {
		return &v
	}
	if v, ok := c.Boundaries[oneLine(b.Label)]; ok {
		return &v
	}
	return nil
}

func (c *Config) flow(f *graph.Flow, src, dst *graph.Component) *FlowConfig {
	if c == nil || len(c.Flows) == 0 {
		return nil
	}
	if v, ok := c.Flows[f.ID]; ok {
		return &v
	}
	if src != nil && dst != nil {
		for _, arrow := range []string{" -> ", " → "} {
			if v, ok := c.Flows[oneLine(src.Label)+arrow+oneLine(dst.Label)]; ok {
				return &v
			}
		}
	}
	if v, ok := c.Flows[oneLine(f.Label)]; ok && f.Label != "" {
		return &v
	}
	return nil
}

// unusedKeys lists config keys that matched no element, for warnings.
func (c *Config) unusedKeys(d *graph.Diagram) []string {
	if c == nil {
		return nil
	}
	seen := map[string]bool{}
	for _, comp := range d.Components {
		seen["c\x00"+comp.ID], seen["c\x00"+oneLine(comp.Label)] = true, true
	}
	for _, b := range d.Boundaries {
		seen["b\x00"+b.ID], seen["b\x00"+oneLine(b.Label)] = true, true
	}
	for _, f := range d.Flows {
		seen["f\x00"+f.ID] = true
		if f.Label != "" {
			seen["f\x00"+oneLine(f.Label)] = true
		}
		s, t := d.Component(f.Source), d.Component(f.Target)
		if s != nil && t != nil {
			seen["f\x00"+oneLine(s.Label)+" -> "+oneLine(t.Label)] = true
			seen["f\x00"+oneLine(s.Label)+" → "+oneLine(t.Label)] = true
		}
	}
	var out []string
	for k := range c.Components {
		if !seen["c\x00"+k] {
			out = append(out, "components: "+k)
		}
	}
	for k := range c.Boundaries {
		if !seen["b\x00"+k] {
			out = append(out, "boundaries: "+k)
		}
	}
	for k := range c.Flows {
		if !seen["f\x00"+k] {
			out = append(out, "flows: "+k)
		}
	}
	sort.Strings(out)
	return out
}
