// Package otm writes a threat model as Open Threat Model 0.2.0 (the format
// of IriusRisk's StartLeft and other tools), in JSON or YAML: the trust
// boundaries as trust zones (nested through parent, trust rating from the
// trust level), the components and data flows with their threats
// (instances with a state and the mitigations that apply), the threat and
// mitigation catalogues, the data-sensitivity classes as assets, and the
// picture's positions as a diagram representation. Output is
// deterministic and validates against the OTM 0.2.0 JSON schema;
// importers/otm reads it back to the same model.
package otm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/threatmap/threatmap/exporters/scene"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
)

// Version is the OTM version written.
const Version = "0.2.0"

// OutsideZone is the id of the trust zone that holds the components
// outside every trust boundary (OTM requires every component to have a
// parent). Its attributes carry threatmap=outside so that the importer
// does not turn it into a boundary.
const OutsideZone = "threatmap-outside"

// AssetsAttribute, a project attribute, says where the assets on
// components and data flows come from; AssetsDerived marks them as
// threatmap's conclusions (data spread along flows), which importers/otm
// then keeps without feeding them to the analysis again.
const (
	AssetsAttribute = "threatmap_assets"
	AssetsDerived   = "derived by the analysis"
)

// RepresentationID is the id of the diagram representation.
const RepresentationID = "threatmap-diagram"

// Document is an OTM document, the subset threatmap writes and reads.
type Document struct {
	OTMVersion      string           `json:"otmVersion" yaml:"otmVersion"`
	Project         Project          `json:"project" yaml:"project"`
	Representations []Representation `json:"representations,omitempty" yaml:"representations,omitempty"`
	Assets          []Asset          `json:"assets,omitempty" yaml:"assets,omitempty"`
	TrustZones      []TrustZone      `json:"trustZones" yaml:"trustZones"`
	Components      []Component      `json:"components" yaml:"components"`
	Dataflows       []Dataflow       `json:"dataflows" yaml:"dataflows"`
	Threats         []Threat         `json:"threats" yaml:"threats"`
	Mitigations     []Mitigation     `json:"mitigations" yaml:"mitigations"`
}

// Project describes the system.
type Project struct {
	Name        string            `json:"name" yaml:"name"`
	ID          string            `json:"id" yaml:"id"`
	Description string            `json:"description,omitempty" yaml:"description,omitempty"`
	Owner       string            `json:"owner,omitempty" yaml:"owner,omitempty"`
	Tags        []string          `json:"tags,omitempty" yaml:"tags,omitempty"`
	Attributes  map[string]string `json:"attributes,omitempty" yaml:"attributes,omitempty"`
}

// Representation is a view of the system (here: the diagram).
type Representation struct {
	Name        string `json:"name" yaml:"name"`
	ID          string `json:"id" yaml:"id"`
	Type        string `json:"type" yaml:"type"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	Size        *Size  `json:"size,omitempty" yaml:"size,omitempty"`
}

// Size is a width and height.
type Size struct {
	Width  float64 `json:"width" yaml:"width"`
	Height float64 `json:"height" yaml:"height"`
}

// Position is a top-left corner.
type Position struct {
	X float64 `json:"x" yaml:"x"`
	Y float64 `json:"y" yaml:"y"`
}

// RepresentationElement places an element in a representation.
type RepresentationElement struct {
	Representation string    `json:"representation" yaml:"representation"`
	Name           string    `json:"name,omitempty" yaml:"name,omitempty"`
	ID             string    `json:"id" yaml:"id"`
	Position       *Position `json:"position,omitempty" yaml:"position,omitempty"`
	Size           *Size     `json:"size,omitempty" yaml:"size,omitempty"`
}

// Asset is a class of data the system handles.
type Asset struct {
	Name        string    `json:"name" yaml:"name"`
	ID          string    `json:"id" yaml:"id"`
	Description string    `json:"description,omitempty" yaml:"description,omitempty"`
	Risk        AssetRisk `json:"risk" yaml:"risk"`
}

// AssetRisk rates an asset's confidentiality, integrity and availability
// (0..100).
type AssetRisk struct {
	Confidentiality float64 `json:"confidentiality" yaml:"confidentiality"`
	Integrity       float64 `json:"integrity" yaml:"integrity"`
	Availability    float64 `json:"availability" yaml:"availability"`
	Comment         string  `json:"comment,omitempty" yaml:"comment,omitempty"`
}

// Parent names a trust zone or a component.
type Parent struct {
	TrustZone string `json:"trustZone,omitempty" yaml:"trustZone,omitempty"`
	Component string `json:"component,omitempty" yaml:"component,omitempty"`
}

// TrustZone is a trust boundary.
type TrustZone struct {
	ID              string                  `json:"id" yaml:"id"`
	Name            string                  `json:"name" yaml:"name"`
	Type            string                  `json:"type,omitempty" yaml:"type,omitempty"`
	Description     string                  `json:"description,omitempty" yaml:"description,omitempty"`
	Risk            TrustRisk               `json:"risk" yaml:"risk"`
	Parent          *Parent                 `json:"parent,omitempty" yaml:"parent,omitempty"`
	Representations []RepresentationElement `json:"representations,omitempty" yaml:"representations,omitempty"`
	Attributes      map[string]string       `json:"attributes,omitempty" yaml:"attributes,omitempty"`
}

// TrustRisk is a zone's trust rating (0 untrusted .. 100 fully trusted).
type TrustRisk struct {
	TrustRating float64 `json:"trustRating" yaml:"trustRating"`
}

// AssetInstance lists the assets an element processes and stores.
type AssetInstance struct {
	Processed []string `json:"processed,omitempty" yaml:"processed,omitempty"`
	Stored    []string `json:"stored,omitempty" yaml:"stored,omitempty"`
}

// ThreatInstance is a threat on an element.
type ThreatInstance struct {
	Threat      string               `json:"threat" yaml:"threat"`
	State       string               `json:"state" yaml:"state"`
	Mitigations []MitigationInstance `json:"mitigations,omitempty" yaml:"mitigations,omitempty"`
}

// MitigationInstance is a mitigation of a threat instance.
type MitigationInstance struct {
	Mitigation string `json:"mitigation" yaml:"mitigation"`
	State      string `json:"state" yaml:"state"`
}

// Component is a component.
type Component struct {
	ID              string                  `json:"id" yaml:"id"`
	Name            string                  `json:"name" yaml:"name"`
	Type            string                  `json:"type" yaml:"type"`
	Description     string                  `json:"description,omitempty" yaml:"description,omitempty"`
	Parent          Parent                  `json:"parent" yaml:"parent"`
	Representations []RepresentationElement `json:"representations,omitempty" yaml:"representations,omitempty"`
	Assets          *AssetInstance          `json:"assets,omitempty" yaml:"assets,omitempty"`
	Threats         []ThreatInstance        `json:"threats,omitempty" yaml:"threats,omitempty"`
	Tags            []string                `json:"tags,omitempty" yaml:"tags,omitempty"`
	Attributes      map[string]string       `json:"attributes,omitempty" yaml:"attributes,omitempty"`
}

// Dataflow is a data flow.
type Dataflow struct {
	ID            string            `json:"id" yaml:"id"`
	Name          string            `json:"name" yaml:"name"`
	Description   string            `json:"description,omitempty" yaml:"description,omitempty"`
	Bidirectional bool              `json:"bidirectional" yaml:"bidirectional"`
	Source        string            `json:"source" yaml:"source"`
	Destination   string            `json:"destination" yaml:"destination"`
	Assets        []string          `json:"assets,omitempty" yaml:"assets,omitempty"`
	Threats       []ThreatInstance  `json:"threats,omitempty" yaml:"threats,omitempty"`
	Tags          []string          `json:"tags,omitempty" yaml:"tags,omitempty"`
	Attributes    map[string]string `json:"attributes,omitempty" yaml:"attributes,omitempty"`
}

// Threat is a threat in the catalogue.
type Threat struct {
	ID          string            `json:"id" yaml:"id"`
	Name        string            `json:"name" yaml:"name"`
	Description string            `json:"description,omitempty" yaml:"description,omitempty"`
	Categories  []string          `json:"categories,omitempty" yaml:"categories,omitempty"`
	Risk        ThreatRisk        `json:"risk" yaml:"risk"`
	Tags        []string          `json:"tags,omitempty" yaml:"tags,omitempty"`
	Attributes  map[string]string `json:"attributes,omitempty" yaml:"attributes,omitempty"`
}

// ThreatRisk rates a threat (0..100 each).
type ThreatRisk struct {
	Likelihood        float64 `json:"likelihood" yaml:"likelihood"`
	LikelihoodComment string  `json:"likelihoodComment,omitempty" yaml:"likelihoodComment,omitempty"`
	Impact            float64 `json:"impact" yaml:"impact"`
	ImpactComment     string  `json:"impactComment,omitempty" yaml:"impactComment,omitempty"`
}

// Mitigation is a control in the catalogue.
type Mitigation struct {
	ID            string            `json:"id" yaml:"id"`
	Name          string            `json:"name" yaml:"name"`
	Description   string            `json:"description,omitempty" yaml:"description,omitempty"`
	RiskReduction float64           `json:"riskReduction" yaml:"riskReduction"`
	Attributes    map[string]string `json:"attributes,omitempty" yaml:"attributes,omitempty"`
}

// Options choose the encoding.
type Options struct {
	// YAML writes YAML instead of JSON.
	YAML bool
	// Owner fills project.owner.
	Owner string
}

// Write writes report r as an OTM document; s gives positions (nil for
// none).
func Write(w io.Writer, r *stride.Report, s *scene.Scene, opts Options) error {
	if r == nil {
		return errors.New("otm: nil report")
	}
	doc := Build(r, s, opts)
	var buf bytes.Buffer
	if opts.YAML {
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(doc); err != nil {
			return fmt.Errorf("otm: %w", err)
		}
		if err := enc.Close(); err != nil {
			return fmt.Errorf("otm: %w", err)
		}
	} else {
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return fmt.Errorf("otm: %w", err)
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// State maps threatmap's status to an OTM threat state.
func State(status string) string {
	switch status {
	case "Unmitigated", "":
		return "exposed"
	case "Partial":
		return "partly-mitigated"
	case "Mitigated":
		return "mitigated"
	}
	return strings.ToLower(status)
}

// sensitivity classes as assets: confidentiality, integrity, availability.
var assetRisk = map[string]AssetRisk{
	"PHI":         {100, 100, 75, "health data: special category under GDPR, protected under HIPAA"},
	"PCI":         {100, 100, 75, "cardholder data in PCI DSS scope"},
	"PII":         {75, 75, 50, "personal data"},
	"credentials": {100, 100, 50, "secrets that grant access"},
	"financial":   {75, 100, 50, "financial records"},
}

// Build returns the document of r without writing it.
func Build(r *stride.Report, s *scene.Scene, opts Options) *Document {
	name := r.System
	if name == "" {
		name = "threat model"
	}
	doc := &Document{OTMVersion: Version,
		Project: Project{Name: name, ID: slug(name), Owner: opts.Owner,
			Description: "Generated by " + strings.TrimSpace(r.Generator) + " from " + r.Source.File,
			Attributes: map[string]string{"generator": r.Generator, "source_file": r.Source.File, "source_format": r.Source.Format,
				AssetsAttribute: AssetsDerived}},
		TrustZones: []TrustZone{}, Components: []Component{}, Dataflows: []Dataflow{}, Threats: []Threat{}, Mitigations: []Mitigation{}}
	if r.Source.SHA256 != "" {
		doc.Project.Attributes["source_sha256"] = r.Source.SHA256
	}
	if r.Source.Diagram != "" {
		doc.Project.Attributes["source_diagram"] = r.Source.Diagram
	}
	if len(r.Notes) > 0 {
		doc.Project.Description += "\n\n" + strings.Join(r.Notes, "\n")
	}
	rep := func(id, label string, rect graph.Rect, ok bool) []RepresentationElement {
		if !ok {
			return nil
		}
		return []RepresentationElement{{Representation: RepresentationID, Name: label, ID: id + "-shape",
			Position: &Position{round(rect.X), round(rect.Y)}, Size: &Size{round(rect.W), round(rect.H)}}}
	}
	if s != nil {
		doc.Representations = []Representation{{Name: name + " data-flow diagram", ID: RepresentationID, Type: "diagram",
			Description: "threatmap's picture of the diagram (" + s.Engine + " layout); positions are absolute",
			Size:        &Size{round(s.Bounds.X + s.Bounds.W), round(s.Bounds.Y + s.Bounds.H)}}}
	}
	// Assets: the sensitivity classes present.
	used := map[string]bool{}
	for _, c := range r.Components {
		for _, x := range c.Sensitivity {
			used[x] = true
		}
	}
	for _, f := range r.Flows {
		for _, x := range f.Sensitivity {
			used[x] = true
		}
	}
	for _, x := range sortedKeys(used) {
		ar, ok := assetRisk[x]
		if !ok {
			ar = AssetRisk{50, 50, 50, "data class " + x}
		}
		doc.Assets = append(doc.Assets, Asset{Name: x, ID: assetID(x), Description: ar.Comment, Risk: ar})
	}
	// Trust zones, outermost first.
	bounds := append([]stride.Boundary(nil), r.Boundaries...)
	sort.SliceStable(bounds, func(i, j int) bool { return depth(r, bounds[i].ID) < depth(r, bounds[j].ID) })
	for _, b := range bounds {
		if b.Implicit {
			continue // assumed by the analysis, not drawn: re-derived on import
		}
		tz := TrustZone{ID: b.ID, Name: b.Label, Type: b.TrustName, Description: b.TrustReason,
			Risk:       TrustRisk{TrustRating: float64(b.Trust * 25)},
			Attributes: map[string]string{"trust_level": strconv.Itoa(b.Trust)}}
		if b.Parent != "" {
			tz.Parent = &Parent{TrustZone: b.Parent}
		}
		if b.Inferred {
			tz.Attributes["inferred"] = "true"
		}
		if s != nil {
			sb := s.Boundary(b.ID)
			tz.Representations = rep(b.ID, b.Label, rectOrZero(sb), sb != nil)
		}
		doc.TrustZones = append(doc.TrustZones, tz)
	}
	outside := false
	for _, c := range r.Components {
		if c.Boundary == "" {
			outside = true
		}
	}
	if outside {
		doc.TrustZones = append(doc.TrustZones, TrustZone{ID: OutsideZone, Name: "Outside every trust boundary", Type: "internet",
			Description: "components the diagram draws outside every trust boundary: the public internet",
			Risk:        TrustRisk{TrustRating: 0}, Attributes: map[string]string{"threatmap": "outside", "trust_level": "0"}})
	}
	// Mitigation catalogue: recommended controls, then the existing
	// controls the diagram shows.
	mitID := map[string]string{}
	addMit := func(key string, m Mitigation) string {
		if id, ok := mitID[key]; ok {
			return id
		}
		m.ID = fmt.Sprintf("M-%03d", len(doc.Mitigations)+1)
		mitID[key] = m.ID
		doc.Mitigations = append(doc.Mitigations, m)
		return m.ID
	}
	instances := map[string][]ThreatInstance{} // "c:"/"f:" + element id
	for _, t := range r.Threats {
		l, im := t.Likelihood, t.Impact
		if l <= 0 {
			l = 3
		}
		if im <= 0 {
			im = 3
		}
		th := Threat{ID: t.ID, Name: t.Title, Description: t.Description, Categories: []string{string(t.Category)},
			Risk: ThreatRisk{Likelihood: float64(l * 20), Impact: float64(im * 20),
				LikelihoodComment: fmt.Sprintf("threatmap likelihood %d of 5; residual %d of 5 after existing controls", t.Likelihood, t.ResidualLikelihood),
				ImpactComment:     fmt.Sprintf("threatmap impact %d of 5", t.Impact)},
			Tags: []string{"STRIDE:" + t.Stride, string(t.ResidualRisk)},
			Attributes: map[string]string{"rule": t.Rule, "severity": string(t.Severity), "residual_risk": string(t.ResidualRisk),
				"status": t.Status, "score": strconv.Itoa(t.Score), "residual_score": strconv.Itoa(t.ResidualScore),
				"element": t.Element.Type + ":" + t.Element.ID}}
		if len(t.EntryPoints) > 0 {
			th.Attributes["entry_points"] = strings.Join(t.EntryPoints, ", ")
		}
		if t.Stride == "" {
			th.Tags = th.Tags[1:]
		}
		doc.Threats = append(doc.Threats, th)
		inst := ThreatInstance{Threat: t.ID, State: State(t.Status)}
		for _, m := range t.Mitigations {
			id := addMit("r:"+m.Control, Mitigation{Name: m.Control,
				Description:   strings.TrimSpace(fmt.Sprintf("%s control, effort %s, priority %s", m.Type, m.Effort, m.Priority)),
				RiskReduction: reduction(m.Priority), Attributes: map[string]string{"type": m.Type, "effort": m.Effort, "priority": m.Priority}})
			inst.Mitigations = append(inst.Mitigations, MitigationInstance{Mitigation: id, State: "required"})
		}
		for _, c := range t.ExistingControls {
			id := addMit("e:"+c, Mitigation{Name: "Existing control: " + c, Description: "a control the diagram already shows",
				RiskReduction: 50, Attributes: map[string]string{"existing_control": c}})
			inst.Mitigations = append(inst.Mitigations, MitigationInstance{Mitigation: id, State: "implemented"})
		}
		key := "c:"
		if t.Element.Type == "flow" {
			key = "f:"
		}
		instances[key+t.Element.ID] = append(instances[key+t.Element.ID], inst)
	}
	for _, c := range r.Components {
		comp := Component{ID: c.ID, Name: c.Label, Type: componentType(c.Kind), Description: c.KindReason,
			Parent: Parent{TrustZone: c.Boundary}, Threats: instances["c:"+c.ID], Attributes: copyAttrs(c.Attributes)}
		if c.Boundary == "" {
			comp.Parent.TrustZone = OutsideZone
		}
		comp.Attributes["kind"] = c.Kind
		if len(c.Controls) > 0 {
			comp.Attributes["controls"] = strings.Join(c.Controls, ", ")
		}
		if c.Shape != "" {
			comp.Attributes["shape"] = c.Shape
		}
		comp.Tags = append(comp.Tags, c.Kind)
		if c.MaxSeverity != "" {
			comp.Tags = append(comp.Tags, "max-severity:"+string(c.MaxSeverity))
		}
		if len(c.Sensitivity) > 0 {
			ai := &AssetInstance{}
			for _, x := range c.Sensitivity {
				if c.Kind == "datastore" {
					ai.Stored = append(ai.Stored, assetID(x))
				} else {
					ai.Processed = append(ai.Processed, assetID(x))
				}
			}
			comp.Assets = ai
		}
		if s != nil {
			sc := s.Component(c.ID)
			var rr graph.Rect
			if sc != nil {
				rr = sc.Rect
			}
			comp.Representations = rep(c.ID, c.Label, rr, sc != nil)
		}
		doc.Components = append(doc.Components, comp)
	}
	for _, f := range r.Flows {
		df := Dataflow{ID: f.ID, Name: f.Label, Bidirectional: f.Bidirectional, Source: f.Source, Destination: f.Target,
			Threats: instances["f:"+f.ID], Attributes: copyAttrs(f.Attributes)}
		if df.Name == "" {
			df.Name = name + " flow " + f.ID
			df.Attributes["unlabelled"] = "true"
		}
		df.Attributes["encrypted"] = f.Encrypted
		df.Attributes["authenticated"] = f.Authenticated
		if f.Protocol != "" {
			df.Attributes["protocol"] = f.Protocol
			df.Tags = append(df.Tags, f.Protocol)
		}
		if f.EntryPoint != "" {
			df.Attributes["entry_point"] = f.EntryPoint
			df.Attributes["direction"] = f.Direction
			df.Tags = append(df.Tags, "entry-point:"+f.EntryPoint)
		}
		for _, x := range f.Sensitivity {
			df.Assets = append(df.Assets, assetID(x))
		}
		doc.Dataflows = append(doc.Dataflows, df)
	}
	return doc
}

func rectOrZero(b *scene.Boundary) graph.Rect {
	if b == nil {
		return graph.Rect{}
	}
	return b.Rect
}

func componentType(kind string) string {
	switch kind {
	case "external":
		return "external-entity"
	case "datastore":
		return "data-store"
	case "process":
		return "process"
	}
	return "generic-component"
}

func reduction(priority string) float64 {
	switch priority {
	case "P1":
		return 80
	case "P2":
		return 60
	case "P3":
		return 40
	}
	return 20
}

func assetID(class string) string { return "data-" + slug(class) }

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return "threat-model"
	}
	return out
}

func copyAttrs(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+4)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func depth(r *stride.Report, id string) int {
	n := 0
	for id != "" && n < 1000 {
		found := false
		for _, b := range r.Boundaries {
			if b.ID == id {
				id, found = b.Parent, true
				break
			}
		}
		if !found {
			break
		}
		n++
	}
	return n
}

func round(v float64) float64 {
	if v != v || v > 1e9 || v < -1e9 {
		return 0
	}
	return float64(int64(v*100+copysign(0.5, v))) / 100
}

func copysign(a, v float64) float64 {
	if v < 0 {
		return -a
	}
	return a
}
