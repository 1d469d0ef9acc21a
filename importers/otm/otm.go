// Package otm reads Open Threat Model documents (OTM 0.2.0, JSON or YAML):
// trust zones become trust boundaries (nested through their parent trust
// zone), components become components in their trust zone (a component
// whose parent is another component sits in that component's zone, the
// parent named in its parent_component attribute), data flows become
// flows, and the threats instantiated on components and data flows are
// kept on them as graph.Threat values with their catalogue entry (name,
// category, rating) and mitigations, to be merged with threatmap's.
//
// A trust zone's rating (0..100) becomes its trust level (0..4), kept in
// the trust attribute. Component types are kept as the type attribute and
// shape; the STRIDE pass classifies them. Positions are kept as geometry
// but not used for the picture (tools disagree on whether they are
// absolute), so the diagram is laid out automatically. Anything with no
// place in the model (dangling parents or flow ends, unknown threat
// references, representations of other kinds) becomes a warning.
package otm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/threatmap/threatmap/graph"
)

// Options control an import.
type Options struct {
	Limits graph.Limits
}

type document struct {
	OTMVersion any `json:"otmVersion" yaml:"otmVersion"`
	Project    struct {
		Name        string         `json:"name" yaml:"name"`
		ID          string         `json:"id" yaml:"id"`
		Description string         `json:"description" yaml:"description"`
		Attributes  map[string]any `json:"attributes" yaml:"attributes"`
	} `json:"project" yaml:"project"`
	TrustZones  []zone       `json:"trustZones" yaml:"trustZones"`
	Components  []component  `json:"components" yaml:"components"`
	Dataflows   []dataflow   `json:"dataflows" yaml:"dataflows"`
	DataFlows   []dataflow   `json:"dataFlows" yaml:"dataFlows"`
	Threats     []threat     `json:"threats" yaml:"threats"`
	Mitigations []mitigation `json:"mitigations" yaml:"mitigations"`
}

type parent struct {
	TrustZone string `json:"trustZone" yaml:"trustZone"`
	Component string `json:"component" yaml:"component"`
}

type rep struct {
	Representation string `json:"representation" yaml:"representation"`
	Position       *struct {
		X float64 `json:"x" yaml:"x"`
		Y float64 `json:"y" yaml:"y"`
	} `json:"position" yaml:"position"`
	Size *struct {
		Width  float64 `json:"width" yaml:"width"`
		Height float64 `json:"height" yaml:"height"`
	} `json:"size" yaml:"size"`
}

type zone struct {
	ID          string `json:"id" yaml:"id"`
	Name        string `json:"name" yaml:"name"`
	Type        string `json:"type" yaml:"type"`
	Description string `json:"description" yaml:"description"`
	Risk        struct {
		TrustRating *float64 `json:"trustRating" yaml:"trustRating"`
	} `json:"risk" yaml:"risk"`
	Parent          *parent        `json:"parent" yaml:"parent"`
	Representations []rep          `json:"representations" yaml:"representations"`
	Attributes      map[string]any `json:"attributes" yaml:"attributes"`
}

type instance struct {
	Threat      string `json:"threat" yaml:"threat"`
	State       string `json:"state" yaml:"state"`
	Mitigations []struct {
		Mitigation string `json:"mitigation" yaml:"mitigation"`
		State      string `json:"state" yaml:"state"`
	} `json:"mitigations" yaml:"mitigations"`
}

type component struct {
	ID              string         `json:"id" yaml:"id"`
	Name            string         `json:"name" yaml:"name"`
	Type            string         `json:"type" yaml:"type"`
	Description     string         `json:"description" yaml:"description"`
	Parent          *parent        `json:"parent" yaml:"parent"`
	Representations []rep          `json:"representations" yaml:"representations"`
	Threats         []instance     `json:"threats" yaml:"threats"`
	Tags            []any          `json:"tags" yaml:"tags"`
	Attributes      map[string]any `json:"attributes" yaml:"attributes"`
	Assets          *struct {
		Processed []string `json:"processed" yaml:"processed"`
		Stored    []string `json:"stored" yaml:"stored"`
	} `json:"assets" yaml:"assets"`
}

type dataflow struct {
	ID            string         `json:"id" yaml:"id"`
	Name          string         `json:"name" yaml:"name"`
	Description   string         `json:"description" yaml:"description"`
	Bidirectional bool           `json:"bidirectional" yaml:"bidirectional"`
	Source        string         `json:"source" yaml:"source"`
	Destination   string         `json:"destination" yaml:"destination"`
	Assets        []string       `json:"assets" yaml:"assets"`
	Threats       []instance     `json:"threats" yaml:"threats"`
	Tags          []any          `json:"tags" yaml:"tags"`
	Attributes    map[string]any `json:"attributes" yaml:"attributes"`
}

type threat struct {
	ID          string   `json:"id" yaml:"id"`
	Name        string   `json:"name" yaml:"name"`
	Description string   `json:"description" yaml:"description"`
	Categories  []string `json:"categories" yaml:"categories"`
	Risk        struct {
		Likelihood *float64 `json:"likelihood" yaml:"likelihood"`
		Impact     *float64 `json:"impact" yaml:"impact"`
	} `json:"risk" yaml:"risk"`
	Attributes map[string]any `json:"attributes" yaml:"attributes"`
}

type mitigation struct {
	ID          string `json:"id" yaml:"id"`
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description" yaml:"description"`
}

var yamlKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^otmVersion\s*:`) })

// Sniff reports whether data looks like an OTM document: a top-level
// otmVersion key, in JSON or YAML.
func Sniff(data []byte) bool {
	t := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(t) == 0 || !bytes.Contains(t, []byte("otmVersion")) {
		return false
	}
	if t[0] == '{' {
		var probe struct {
			V *json.RawMessage `json:"otmVersion"`
		}
		return json.Unmarshal(t, &probe) == nil && probe.V != nil
	}
	return yamlKey().Match(t)
}

// Import reads an OTM document (JSON or YAML) as one diagram. Problems
// with the input are *graph.InputError.
func Import(file string, data []byte, opts Options) ([]*graph.Diagram, error) {
	lim := opts.Limits.WithDefaults()
	if int64(len(data)) > lim.MaxInputBytes {
		return nil, graph.Wrap(file, graph.Position{}, fmt.Sprintf("input is %d bytes, over the limit of %d", len(data), lim.MaxInputBytes), graph.ErrLimit)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var doc document
	t := bytes.TrimSpace(data)
	if len(t) > 0 && t[0] == '{' {
		if err := graph.CheckJSONDepth(data, lim.MaxDepth); err != nil {
			return nil, graph.Wrap(file, graph.Position{}, "", err)
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, jsonError(file, data, err)
		}
	} else {
		if err := checkYAML(file, data, lim); err != nil {
			return nil, err
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, yamlError(file, err)
		}
	}
	if doc.OTMVersion == nil {
		return nil, graph.Errorf(file, graph.Position{}, "not an Open Threat Model document: no otmVersion")
	}
	if v := fmt.Sprint(doc.OTMVersion); !strings.HasPrefix(v, "0.") {
		return nil, graph.Errorf(file, graph.Position{}, "OTM version %q is not supported (want 0.1 or 0.2)", v)
	}
	flows := append(doc.Dataflows, doc.DataFlows...)
	if n := len(doc.Components) + len(flows); n > lim.MaxElements {
		return nil, graph.Wrap(file, graph.Position{}, fmt.Sprintf("%d components and flows, over the limit of %d", n, lim.MaxElements), graph.ErrLimit)
	}
	return []*graph.Diagram{build(file, &doc, flows, lim)}, nil
}

// builder holds the state shared by the steps that turn an OTM document
// into a diagram.
type builder struct {
	d       *graph.Diagram
	doc     *document
	lim     graph.Limits
	dataKey string
	threats map[string]*threat
	mits    map[string]*mitigation
	outside map[string]bool
	zones   map[string]*zone
	compIdx map[string]*component
}

// build turns a decoded OTM document into a finalized diagram.
func build(file string, doc *document, flows []dataflow, lim graph.Limits) *graph.Diagram {
	b := &builder{d: graph.New(file, "otm"), doc: doc, lim: lim}
	d := b.d
	// Assets name the data an element handles, which the analysis reads
	// from the data attribute. In a document threatmap wrote they are its
	// own conclusions (spread along flows), not statements of the model:
	// kept as the assets attribute so that they do not feed the analysis
	// twice.
	b.dataKey = "data"
	if stringAttrs(doc.Project.Attributes)["threatmap_assets"] == "derived by the analysis" { // exporters/otm.AssetsDerived
		b.dataKey = "assets"
	}
	d.Title = strings.TrimSpace(doc.Project.Name)
	if desc := strings.TrimSpace(doc.Project.Description); desc != "" {
		d.Notes = append(d.Notes, &graph.Note{ID: "project", Text: desc})
	}
	b.catalogue()
	b.trustZones()
	b.zoneParents()
	b.components()
	b.flows(flows)
	if err := d.Finalize(); err != nil {
		// Unreachable: every reference was checked above.
		d.Warn(graph.Position{}, "inconsistent model: %v", err)
	}
	return d
}

// pos names an element by its id, or by its index when it has none.
func pos(kind string, i int, id string) graph.Position {
	if id == "" {
		return graph.Position{Cell: kind + " " + strconv.Itoa(i+1)}
	}
	return graph.Position{Cell: kind + " " + id}
}

// label trims a label and truncates it to the limit, with a warning.
func (b *builder) label(s string, p graph.Position) string {
	s = strings.TrimSpace(s)
	if len(s) > b.lim.MaxLabelBytes {
		b.d.Warn(p, "label truncated to %d bytes", b.lim.MaxLabelBytes)
		s = s[:b.lim.MaxLabelBytes]
	}
	return s
}

// catalogue indexes the threats (first definition wins) and mitigations by id.
func (b *builder) catalogue() {
	doc := b.doc
	b.threats = map[string]*threat{}
	for i := range doc.Threats {
		if id := doc.Threats[i].ID; id != "" {
			if _, dup := b.threats[id]; !dup {
				b.threats[id] = &doc.Threats[i]
			}
		}
	}
	b.mits = map[string]*mitigation{}
	for i := range doc.Mitigations {
		b.mits[doc.Mitigations[i].ID] = &doc.Mitigations[i]
	}
}

// trustZones adds a boundary for each trust zone not marked outside.
func (b *builder) trustZones() {
	d := b.d
	b.outside = map[string]bool{}
	b.zones = map[string]*zone{}
	for i := range b.doc.TrustZones {
		z := &b.doc.TrustZones[i]
		p := pos("trust zone", i, z.ID)
		if z.ID == "" {
			d.Warn(graph.Position{Cell: fmt.Sprintf("trust zone %d", i+1)}, "trust zone without id skipped")
			continue
		}
		if _, dup := b.zones[z.ID]; dup {
			d.Warn(p, "duplicate trust zone id; later definition skipped")
			continue
		}
		b.zones[z.ID] = z
		attrs := stringAttrs(z.Attributes)
		if attrs["threatmap"] == "outside" {
			b.outside[z.ID] = true
			continue
		}
		gb := &graph.Boundary{ID: z.ID, Label: b.label(z.Name, p), Pos: p, Attributes: attrs, Geometry: geometry(z.Representations)}
		if z.Type != "" {
			gb.Attributes["type"] = z.Type
		}
		if z.Description != "" {
			gb.Attributes["description"] = z.Description
		}
		if r := z.Risk.TrustRating; r != nil && !math.IsNaN(*r) {
			gb.Attributes["trust_rating"] = num(*r)
			if _, set := gb.Attributes["trust_level"]; set {
				gb.Attributes["trust"] = gb.Attributes["trust_level"]
			} else {
				gb.Attributes["trust"] = strconv.Itoa(level(*r))
			}
		}
		if gb.Attributes["inferred"] == "true" {
			gb.Inferred = true
		}
		_ = d.AddBoundary(gb) // ids are unique here
	}
}

// zoneParents nests each boundary in its parent trust zone.
func (b *builder) zoneParents() {
	d := b.d
	for i := range b.doc.TrustZones {
		z := &b.doc.TrustZones[i]
		gb := d.Boundary(z.ID)
		if gb == nil || z.Parent == nil {
			continue
		}
		switch {
		case z.Parent.TrustZone != "" && d.Boundary(z.Parent.TrustZone) != nil && !ancestor(d, gb.ID, z.Parent.TrustZone):
			gb.Parent = z.Parent.TrustZone
		case z.Parent.TrustZone != "" && b.outside[z.Parent.TrustZone]:
		case z.Parent.TrustZone != "" || z.Parent.Component != "":
			d.Warn(gb.Pos, "parent %q of trust zone is not a trust zone (or would make a cycle); placed at the top level", z.Parent.TrustZone+z.Parent.Component)
		}
	}
}

// zoneOf resolves a component's trust zone through parent components.
func (b *builder) zoneOf(c *component, seen map[string]bool) string {
	if c.Parent == nil || seen[c.ID] {
		return ""
	}
	seen[c.ID] = true
	if c.Parent.TrustZone != "" {
		if b.d.Boundary(c.Parent.TrustZone) != nil {
			return c.Parent.TrustZone
		}
		return ""
	}
	if p := b.compIdx[c.Parent.Component]; p != nil {
		return b.zoneOf(p, seen)
	}
	return ""
}

// components indexes the components by id (first definition wins) and adds each.
func (b *builder) components() {
	doc := b.doc
	b.compIdx = map[string]*component{}
	for i := range doc.Components {
		if id := doc.Components[i].ID; id != "" {
			if _, dup := b.compIdx[id]; !dup {
				b.compIdx[id] = &doc.Components[i]
			}
		}
	}
	for i := range doc.Components {
		b.component(i, &doc.Components[i])
	}
}

// component adds one component, placed in its trust zone.
func (b *builder) component(i int, c *component) {
	d := b.d
	p := pos("component", i, c.ID)
	if c.ID == "" {
		d.Warn(graph.Position{Cell: fmt.Sprintf("component %d", i+1)}, "component without id skipped")
		return
	}
	if d.Component(c.ID) != nil {
		d.Warn(p, "duplicate component id; later definition skipped")
		return
	}
	attrs := stringAttrs(c.Attributes)
	gc := &graph.Component{ID: c.ID, Label: b.label(c.Name, p), Shape: c.Type, Pos: p, Attributes: attrs, Geometry: geometry(c.Representations)}
	if c.Type != "" {
		if _, set := attrs["type"]; !set {
			attrs["type"] = c.Type
		}
	}
	if k, ok := attrs["kind"]; ok {
		if kind, ok := graph.ParseKind(k); ok {
			gc.Kind = kind
		}
	} else if kind, ok := graph.ParseKind(c.Type); ok {
		gc.Kind = kind
	}
	if c.Description != "" {
		attrs["description"] = c.Description
	}
	if tags := stringList(c.Tags); len(tags) > 0 {
		attrs["tags"] = strings.Join(tags, ", ")
	}
	if c.Assets != nil {
		if s := append(append([]string(nil), c.Assets.Processed...), c.Assets.Stored...); len(s) > 0 {
			attrs[b.dataKey] = strings.Join(assetNames(s), ", ")
		}
	}
	switch {
	case c.Parent == nil:
		d.Warn(p, "component has no parent trust zone; placed outside every boundary")
	case c.Parent.Component != "":
		attrs["parent_component"] = c.Parent.Component
		if b.compIdx[c.Parent.Component] == nil {
			d.Warn(p, "parent component %q does not exist; placed outside every boundary", c.Parent.Component)
		}
		gc.Boundary = b.zoneOf(c, map[string]bool{})
	case c.Parent.TrustZone != "" && !b.outside[c.Parent.TrustZone] && d.Boundary(c.Parent.TrustZone) == nil:
		d.Warn(p, "parent trust zone %q does not exist; placed outside every boundary", c.Parent.TrustZone)
	default:
		gc.Boundary = b.zoneOf(c, map[string]bool{})
	}
	gc.Threats = instances(d, c.Threats, b.threats, b.mits, p)
	_ = d.AddComponent(gc) // ids are unique here
}

// flows adds each data flow whose ends are both components.
func (b *builder) flows(flows []dataflow) {
	d := b.d
	for i := range flows {
		f := &flows[i]
		p := pos("dataflow", i, f.ID)
		if d.Component(f.Source) == nil || d.Component(f.Destination) == nil {
			d.Warn(p, "data flow %q skipped: source %q or destination %q is not a component", f.Name, f.Source, f.Destination)
			continue
		}
		attrs := stringAttrs(f.Attributes)
		gf := &graph.Flow{ID: f.ID, Source: f.Source, Target: f.Destination, Label: b.label(f.Name, p), Bidirectional: f.Bidirectional, Pos: p, Attributes: attrs}
		if attrs["unlabelled"] == "true" {
			gf.Label = ""
			delete(attrs, "unlabelled")
		}
		if f.Description != "" {
			attrs["description"] = f.Description
		}
		if tags := stringList(f.Tags); len(tags) > 0 {
			attrs["tags"] = strings.Join(tags, ", ")
		}
		if len(f.Assets) > 0 {
			attrs[b.dataKey] = strings.Join(assetNames(f.Assets), ", ")
		}
		gf.Threats = instances(d, f.Threats, b.threats, b.mits, p)
		d.AddFlow(gf)
	}
}

// instances resolves threat instances against the catalogue.
func instances(d *graph.Diagram, in []instance, cat map[string]*threat, mits map[string]*mitigation, p graph.Position) []graph.Threat {
	var out []graph.Threat
	for _, ti := range in {
		t := cat[ti.Threat]
		if t == nil {
			d.Warn(p, "threat %q is not in the threats list; skipped", ti.Threat)
			continue
		}
		attrs := stringAttrs(t.Attributes)
		gt := graph.Threat{ID: t.ID, Title: strings.TrimSpace(t.Name), Status: ti.State, Description: t.Description, Source: "otm", Pos: p}
		if gt.Title == "" {
			gt.Title = t.ID
		}
		if len(t.Categories) > 0 {
			gt.Category = category(t.Categories[0])
		}
		if s := attrs["residual_risk"]; s != "" {
			gt.Severity = s
		} else if t.Risk.Likelihood != nil && t.Risk.Impact != nil {
			l := int(math.Ceil(*t.Risk.Likelihood / 20))
			im := int(math.Ceil(*t.Risk.Impact / 20))
			gt.Severity = band(min(max(l, 1), 5) * min(max(im, 1), 5))
			gt.Score = num(*t.Risk.Likelihood) + "×" + num(*t.Risk.Impact)
		}
		if s := attrs["score"]; s != "" {
			gt.Score = s
		}
		var ms []string
		for _, mi := range ti.Mitigations {
			m := mits[mi.Mitigation]
			if m == nil {
				d.Warn(p, "mitigation %q is not in the mitigations list; kept by id", mi.Mitigation)
				ms = append(ms, mi.Mitigation+" ("+mi.State+")")
				continue
			}
			ms = append(ms, m.Name+" ("+mi.State+")")
		}
		gt.Mitigation = strings.Join(ms, "\n")
		out = append(out, gt)
	}
	return out
}

func band(score int) string {
	switch {
	case score >= 20:
		return "Critical"
	case score >= 12:
		return "High"
	case score >= 6:
		return "Medium"
	}
	return "Low"
}

// level maps a trust rating (0..100) to a trust level (0..4).
func level(r float64) int {
	return int(math.Round(min(max(r, 0), 100) / 25))
}

func category(c string) string {
	k := strings.ToLower(strings.NewReplacer(" ", "", "-", "", "_", "").Replace(c))
	for _, n := range []string{"Spoofing", "Tampering", "Repudiation", "Information disclosure", "Denial of service", "Elevation of privilege"} {
		if k == strings.ToLower(strings.ReplaceAll(n, " ", "")) {
			return n
		}
	}
	return strings.TrimSpace(c)
}

func assetNames(ids []string) []string {
	var out []string
	for _, id := range ids {
		out = append(out, strings.TrimPrefix(id, "data-"))
	}
	return out
}

func ancestor(d *graph.Diagram, id, candidate string) bool {
	for _, a := range d.BoundaryChain(candidate) {
		if a == id {
			return true
		}
	}
	return false
}

func geometry(reps []rep) *graph.Rect {
	for _, r := range reps {
		if r.Position != nil && r.Size != nil && r.Size.Width > 0 && r.Size.Height > 0 {
			g := graph.Rect{X: r.Position.X, Y: r.Position.Y, W: r.Size.Width, H: r.Size.Height}
			for _, v := range []float64{g.X, g.Y, g.W, g.H} {
				if math.IsNaN(v) || math.IsInf(v, 0) || v > 1e9 || v < -1e9 {
					return nil
				}
			}
			return &g
		}
	}
	return nil
}

// stringAttrs flattens attributes to strings: scalars as written, lists
// joined with ", ", anything else as JSON.
func stringAttrs(m map[string]any) map[string]string {
	out := map[string]string{}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := m[k].(type) {
		case nil:
		case string:
			out[k] = v
		case []any:
			out[k] = strings.Join(stringList(v), ", ")
		case float64:
			out[k] = num(v)
		case int:
			out[k] = strconv.Itoa(v)
		case bool:
			out[k] = strconv.FormatBool(v)
		default:
			b, err := json.Marshal(v)
			if err == nil {
				out[k] = string(b)
			} else {
				out[k] = fmt.Sprint(v)
			}
		}
	}
	return out
}

func stringList(in []any) []string {
	var out []string
	for _, v := range in {
		if v != nil {
			out = append(out, fmt.Sprint(v))
		}
	}
	return out
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func jsonError(file string, data []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	pos := graph.Position{}
	if off >= 0 {
		off = min(max(off, 0), int64(len(data)))
		pos.Line = 1 + bytes.Count(data[:off], []byte("\n"))
		pos.Column = int(off) - bytes.LastIndexByte(data[:off], '\n')
	}
	return graph.Wrap(file, pos, "not a valid Open Threat Model document", err)
}

var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line (\d+)`) })

func yamlError(file string, err error) error {
	pos := graph.Position{}
	if m := yamlLine().FindStringSubmatch(err.Error()); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
	}
	return graph.Wrap(file, pos, "not a valid Open Threat Model document", err)
}

// checkYAML parses the YAML into nodes first to bound nesting and alias
// expansion before decoding.
func checkYAML(file string, data []byte, lim graph.Limits) error {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return yamlError(file, err)
	}
	budget := lim.MaxElements * 64
	var walk func(n *yaml.Node, depth int) error
	walk = func(n *yaml.Node, depth int) error {
		if depth > lim.MaxDepth {
			return graph.Wrap(file, graph.Position{Line: n.Line, Column: n.Column}, fmt.Sprintf("YAML nested deeper than %d levels", lim.MaxDepth), graph.ErrLimit)
		}
		budget--
		if budget < 0 {
			return graph.Wrap(file, graph.Position{Line: n.Line, Column: n.Column}, "YAML expands to too many nodes (aliases?)", graph.ErrLimit)
		}
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			return walk(n.Alias, depth+1)
		}
		for _, c := range n.Content {
			if err := walk(c, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(&n, 0)
}
