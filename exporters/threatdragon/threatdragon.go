// Package threatdragon writes a threat model as an OWASP Threat Dragon v2
// model (JSON): one STRIDE diagram whose cells are the components (actor,
// process, store), the data flows and the trust boundaries (boxes) at the
// positions of the computed picture, each component and flow carrying its
// threats with title, STRIDE type, status, severity, description and
// mitigation. Output is deterministic: threat ids are name-based UUIDs,
// fields are written in a fixed order.
//
// The model validates against the schema Threat Dragon publishes
// (td.vue/src/assets/schema/threat-dragon-v2.schema.json), and
// importers/threatdragon reads it back to the same model.
package threatdragon

import (
	"bytes"
	"crypto/sha1"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/exporters/scene"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
)

// Version is the Threat Dragon model version written.
const Version = "2.3.0"

// Model is a Threat Dragon v2 model, the subset threatmap writes and
// reads.
type Model struct {
	Version string  `json:"version"`
	Summary Summary `json:"summary"`
	Detail  Detail  `json:"detail"`
}

// Summary is the model's project data.
type Summary struct {
	Title       string `json:"title"`
	Owner       string `json:"owner"`
	Description string `json:"description"`
	ID          int    `json:"id"`
}

// Detail holds the diagrams.
type Detail struct {
	Contributors []Contributor `json:"contributors"`
	Diagrams     []Diagram     `json:"diagrams"`
	DiagramTop   int           `json:"diagramTop"`
	Reviewer     string        `json:"reviewer"`
	ThreatTop    int           `json:"threatTop"`
}

// Contributor names a person.
type Contributor struct {
	Name string `json:"name"`
}

// Diagram is one data-flow diagram.
type Diagram struct {
	ID          int    `json:"id"`
	Title       string `json:"title"`
	DiagramType string `json:"diagramType"`
	Placeholder string `json:"placeholder"`
	Thumbnail   string `json:"thumbnail"`
	Version     string `json:"version"`
	Description string `json:"description"`
	Cells       []Cell `json:"cells"`
}

// Cell is a node (actor, process, store, trust-boundary-box) or an edge
// (flow, trust-boundary-curve).
type Cell struct {
	ID       string    `json:"id"`
	Shape    string    `json:"shape"`
	ZIndex   int       `json:"zIndex"`
	Position *Point    `json:"position,omitempty"`
	Size     *Size     `json:"size,omitempty"`
	Attrs    Attrs     `json:"attrs"`
	Source   *End      `json:"source,omitempty"`
	Target   *End      `json:"target,omitempty"`
	Vertices []Point   `json:"vertices,omitempty"`
	Labels   []Label   `json:"labels,omitempty"`
	Connect  string    `json:"connector,omitempty"`
	Visible  *bool     `json:"visible,omitempty"`
	Data     *CellData `json:"data"`
}

// Point is a position.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Size is a node's size.
type Size struct {
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// End is an edge end: a cell or a free point.
type End struct {
	Cell string   `json:"cell,omitempty"`
	X    *float64 `json:"x,omitempty"`
	Y    *float64 `json:"y,omitempty"`
}

// Attrs are display attributes: the label text of nodes and boxes, the
// line of edges.
type Attrs struct {
	Text  *Text `json:"text,omitempty"`
	Label *Text `json:"label,omitempty"`
	Line  *Line `json:"line,omitempty"`
}

// Text is a label.
type Text struct {
	Text string `json:"text"`
}

// Line styles an edge.
type Line struct {
	Stroke          string  `json:"stroke"`
	StrokeWidth     float64 `json:"strokeWidth"`
	StrokeDasharray string  `json:"strokeDasharray"`
	SourceMarker    Marker  `json:"sourceMarker"`
	TargetMarker    Marker  `json:"targetMarker"`
}

// Marker is an arrow head ("block" or "" for none).
type Marker struct {
	Name string `json:"name"`
}

// Label is an edge label.
type Label struct {
	Attrs LabelAttrs `json:"attrs"`
}

// LabelAttrs hold an edge label's text.
type LabelAttrs struct {
	Label Text `json:"label"`
}

// CellData is the threat-modelling data of a cell.
type CellData struct {
	Type             string   `json:"type"`
	Name             string   `json:"name"`
	Description      string   `json:"description"`
	OutOfScope       bool     `json:"outOfScope"`
	ReasonOutOfScope string   `json:"reasonOutOfScope"`
	HasOpenThreats   bool     `json:"hasOpenThreats"`
	IsTrustBoundary  bool     `json:"isTrustBoundary,omitempty"`
	Threats          []Threat `json:"threats,omitempty"`

	// process
	PrivilegeLevel     *string `json:"privilegeLevel,omitempty"`
	IsWebApplication   *bool   `json:"isWebApplication,omitempty"`
	HandlesCardPayment *bool   `json:"handlesCardPayment,omitempty"`
	// actor
	ProvidesAuthentication *bool `json:"providesAuthentication,omitempty"`
	// store
	IsALog            *bool `json:"isALog,omitempty"`
	StoresCredentials *bool `json:"storesCredentials,omitempty"`
	IsSigned          *bool `json:"isSigned,omitempty"`
	// store and flow
	IsEncrypted *bool `json:"isEncrypted,omitempty"`
	// flow
	Protocol        *string `json:"protocol,omitempty"`
	IsPublicNetwork *bool   `json:"isPublicNetwork,omitempty"`
	IsBidirectional *bool   `json:"isBidirectional,omitempty"`
}

// Threat is a threat on a cell.
type Threat struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Status      string `json:"status"`
	Severity    string `json:"severity"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Mitigation  string `json:"mitigation"`
	ModelType   string `json:"modelType"`
	New         bool   `json:"new"`
	Number      int    `json:"number"`
	Score       string `json:"score"`
}

// Options add what the report does not say.
type Options struct {
	// Owner and Reviewer fill the summary; "" leaves them empty.
	Owner, Reviewer string
}

// Write writes report r as a Threat Dragon v2 model. s gives the
// positions; nil places the elements on a simple grid.
func Write(w io.Writer, r *stride.Report, s *scene.Scene, opts Options) error {
	if r == nil {
		return errors.New("threatdragon: nil report")
	}
	m := Build(r, s, opts)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("threatdragon: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Status maps threatmap's status to Threat Dragon's: Mitigated stays,
// Unmitigated and Partial are Open. A status imported from a threat model
// that Threat Dragon knows is kept as it was.
func Status(s string) string {
	switch s {
	case "Mitigated":
		return "Mitigated"
	case "Unmitigated", "Partial", "":
		return "Open"
	}
	return s
}

// Build returns the model of r without writing it.
func Build(r *stride.Report, s *scene.Scene, opts Options) *Model {
	title := r.System
	if title == "" {
		title = "Threat model"
	}
	desc := "Generated by " + strings.TrimSpace(r.Generator) + " from " + r.Source.File
	if r.Source.Format != "" {
		desc += " (" + r.Source.Format + ")"
	}
	if len(r.Notes) > 0 {
		desc += ".\n\n" + strings.Join(r.Notes, "\n")
	}
	// Threat Dragon keeps threats on cells only: threats on the system as a
	// whole (model-level gaps) go into the model's description.
	var whole []string
	for _, t := range r.Threats {
		if t.Element.Type == stride.AppliesSystem {
			whole = append(whole, t.ID+" "+t.Title+" ("+string(t.ResidualRisk)+")")
		}
	}
	if len(whole) > 0 {
		desc += "\n\nThreats on the system as a whole:\n" + strings.Join(whole, "\n")
	}
	m := &Model{
		Version: Version,
		Summary: Summary{Title: title, Owner: opts.Owner, Description: desc},
		Detail: Detail{Contributors: []Contributor{}, DiagramTop: 1, Reviewer: opts.Reviewer,
			Diagrams: []Diagram{{ID: 0, Title: title, DiagramType: "STRIDE", Placeholder: "",
				Thumbnail: "./public/content/images/thumbnail.stride.jpg", Version: Version,
				Description: "Data-flow diagram of " + title + " with the threats threatmap found"}}},
	}
	ids := newIDs()
	threatsOf := map[string][]Threat{} // "c:"/"f:" + element id
	num := 0
	for _, t := range r.Threats {
		num++
		key := "c:"
		if t.Element.Type == "flow" {
			key = "f:"
		}
		threatsOf[key+t.Element.ID] = append(threatsOf[key+t.Element.ID], threat(r, t, num))
	}
	m.Detail.ThreatTop = num
	cells := &m.Detail.Diagrams[0].Cells
	*cells = []Cell{}
	pl := newPlacer(r, s)
	bounds := append([]stride.Boundary(nil), r.Boundaries...)
	sort.SliceStable(bounds, func(i, j int) bool { return depthOf(r, bounds[i].ID) < depthOf(r, bounds[j].ID) })
	for _, b := range bounds {
		if b.Implicit {
			continue // assumed by the analysis, not drawn: re-derived on import
		}
		rect := pl.rect("b:", b.ID)
		d := &CellData{Type: "tm.BoundaryBox", Name: b.Label, IsTrustBoundary: true,
			Description: fmt.Sprintf("Trust level %d (%s): %s", b.Trust, b.TrustName, b.TrustReason)}
		*cells = append(*cells, Cell{ID: ids.get("b:", b.ID), Shape: "trust-boundary-box", ZIndex: -50 + depthOf(r, b.ID),
			Position: &Point{round(rect.X), round(rect.Y)}, Size: size(rect), Attrs: Attrs{Label: &Text{b.Label}}, Data: d})
	}
	for i := range r.Components {
		rc := &r.Components[i]
		rect := pl.rect("c:", rc.ID)
		ts := threatsOf["c:"+rc.ID]
		d := &CellData{Name: rc.Label, Description: componentDescription(rc), Threats: ts, HasOpenThreats: anyOpen(ts)}
		shape := "process"
		switch rc.Kind {
		case "external":
			shape, d.Type = "actor", "tm.Actor"
			d.ProvidesAuthentication = boolp(has(rc.Controls, "authentication") || has(rc.Controls, "idp"))
		case "datastore":
			shape, d.Type = "store", "tm.Store"
			d.IsALog = boolp(strings.Contains(strings.ToLower(rc.Label), "log"))
			d.StoresCredentials = boolp(has(rc.Sensitivity, "credentials") || has(rc.Sensitivity, "PII"))
			d.IsEncrypted = boolp(has(rc.Controls, "encryption-at-rest"))
			d.IsSigned = boolp(false)
		default:
			d.Type = "tm.Process"
			d.PrivilegeLevel = strp("")
			lbl := strings.ToLower(rc.Label)
			d.IsWebApplication = boolp(strings.Contains(lbl, "web") || strings.Contains(lbl, "portal") || strings.Contains(lbl, "frontend"))
			d.HandlesCardPayment = boolp(has(rc.Sensitivity, "PCI"))
		}
		*cells = append(*cells, Cell{ID: ids.get("c:", rc.ID), Shape: shape, ZIndex: 1,
			Position: &Point{round(rect.X), round(rect.Y)}, Size: size(rect), Attrs: Attrs{Text: &Text{rc.Label}}, Data: d})
	}
	for i := range r.Flows {
		rf := &r.Flows[i]
		ts := threatsOf["f:"+rf.ID]
		src, dst := ids.lookup("c:", rf.Source), ids.lookup("c:", rf.Target)
		if src == "" || dst == "" {
			continue
		}
		d := &CellData{Type: "tm.Flow", Name: rf.Label, Description: flowDescription(rf), Threats: ts, HasOpenThreats: anyOpen(ts),
			Protocol: strp(rf.Protocol), IsEncrypted: boolp(rf.Encrypted == "true"),
			IsPublicNetwork: boolp(publicNetwork(r, rf)), IsBidirectional: boolp(rf.Bidirectional)}
		line := &Line{Stroke: "#333333", StrokeWidth: 1.5, TargetMarker: Marker{"block"}}
		if rf.Bidirectional {
			line.SourceMarker = Marker{"block"}
		}
		c := Cell{ID: ids.get("f:", rf.ID), Shape: "flow", ZIndex: 10, Attrs: Attrs{Line: line},
			Source: &End{Cell: src}, Target: &End{Cell: dst}, Connect: "smooth", Data: d}
		if f := pl.flow(rf.ID); f != nil && len(f.Points) > 2 {
			for _, p := range f.Points[1 : len(f.Points)-1] {
				c.Vertices = append(c.Vertices, Point{round(p.X), round(p.Y)})
			}
		}
		if rf.Label != "" {
			c.Labels = []Label{{Attrs: LabelAttrs{Label: Text{rf.Label}}}}
		}
		*cells = append(*cells, c)
	}
	return m
}

func threat(r *stride.Report, t stride.Threat, num int) Threat {
	desc := t.Description
	extra := fmt.Sprintf("threatmap %s (rule %s): likelihood %d × impact %d = %d, %s; residual %d, %s.",
		t.ID, t.Rule, t.Likelihood, t.Impact, t.Score, t.Severity, t.ResidualScore, t.ResidualRisk)
	if len(t.ExistingControls) > 0 {
		extra += " Existing controls: " + strings.Join(t.ExistingControls, ", ") + "."
	}
	if len(t.EntryPoints) > 0 {
		extra += " Entry points: " + strings.Join(t.EntryPoints, ", ") + "."
	}
	if t.Rule != "" && !strings.HasPrefix(t.Rule, "imported:") {
		desc = strings.TrimSpace(desc + "\n\n" + extra)
	}
	var mit []string
	for _, mt := range t.Mitigations {
		if mt.Priority == "" && mt.Type == "" && mt.Effort == "" {
			mit = append(mit, mt.Control)
			continue
		}
		mit = append(mit, fmt.Sprintf("[%s] %s (%s, effort %s)", mt.Priority, mt.Control, mt.Type, mt.Effort))
	}
	sev := t.ResidualRisk
	if sev == "" {
		sev = t.Severity
	}
	if sev == "" {
		sev = "TBD"
	}
	return Threat{ID: uuid(r.System + "\x00" + t.ID + "\x00" + t.Title), Title: t.Title, Status: Status(t.Status),
		Severity: string(sev), Type: string(t.Category), Description: desc, Mitigation: strings.Join(mit, "\n"),
		ModelType: "STRIDE", Number: num, Score: strconv.Itoa(t.ResidualScore)}
}

// uuid returns a name-based (version 5 style) UUID of s.
func uuid(s string) string {
	h := sha1.Sum([]byte("threatmap\x00" + s))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	x := fmt.Sprintf("%x", h[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

func anyOpen(ts []Threat) bool {
	for _, t := range ts {
		if t.Status == "Open" {
			return true
		}
	}
	return false
}

func componentDescription(c *stride.Component) string {
	parts := []string{fmt.Sprintf("%s (%s); zone %s, trust %d (%s)", c.Kind, c.KindReason, c.Zone, c.Trust, c.TrustName)}
	if len(c.Sensitivity) > 0 {
		parts = append(parts, "data: "+strings.Join(c.Sensitivity, ", "))
	}
	if len(c.Controls) > 0 {
		parts = append(parts, "controls: "+strings.Join(c.Controls, ", "))
	}
	return strings.Join(parts, "; ")
}

func flowDescription(f *stride.Flow) string {
	parts := []string{"encrypted: " + f.Encrypted, "authentication: " + f.Authenticated}
	if f.EntryPoint != "" {
		parts = append([]string{"entry point " + f.EntryPoint + " (" + f.Direction + ")"}, parts...)
	}
	if len(f.Sensitivity) > 0 {
		parts = append(parts, "data: "+strings.Join(f.Sensitivity, ", "))
	}
	return strings.Join(parts, "; ")
}

// publicNetwork reports a flow with an end in the untrusted zone.
func publicNetwork(r *stride.Report, f *stride.Flow) bool {
	for _, id := range []string{f.Source, f.Target} {
		if c := reportComponent(r, id); c != nil && c.Trust == 0 {
			return true
		}
	}
	return false
}

func reportComponent(r *stride.Report, id string) *stride.Component {
	for i := range r.Components {
		if r.Components[i].ID == id {
			return &r.Components[i]
		}
	}
	return nil
}

func reportBoundary(r *stride.Report, id string) *stride.Boundary {
	for i := range r.Boundaries {
		if r.Boundaries[i].ID == id {
			return &r.Boundaries[i]
		}
	}
	return nil
}

func has(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func boolp(b bool) *bool      { return &b }
func strp(s string) *string   { return &s }
func round(v float64) float64 { return float64(int64(v*100+0.5*sign(v))) / 100 }
func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

func size(r graph.Rect) *Size {
	return &Size{Width: max(round(r.W), 10), Height: max(round(r.H), 10)}
}

// ids hands out cell ids: the model's own id when it is at least two
// characters long and not taken, else a derived one.
type ids struct {
	taken map[string]bool
	of    map[string]string
}

func newIDs() *ids { return &ids{taken: map[string]bool{}, of: map[string]string{}} }

func (x *ids) get(kind, id string) string {
	c := id
	if len(c) < 2 {
		c = "tm-" + c
	}
	for n := 2; x.taken[c]; n++ {
		c = id + "-" + strconv.Itoa(n)
	}
	x.taken[c] = true
	x.of[kind+id] = c
	return c
}

func (x *ids) lookup(kind, id string) string { return x.of[kind+id] }

// gridScene places every boundary's members on a grid when no picture is
// given: boundaries as rows of boxes, nested boxes inside their parent.
func gridScene(r *stride.Report) *scene.Scene {
	s := &scene.Scene{Engine: "grid"}
	members := map[string][]string{}
	children := map[string][]string{}
	for _, c := range r.Components {
		members[c.Boundary] = append(members[c.Boundary], c.ID)
	}
	for _, b := range r.Boundaries {
		if !b.Implicit {
			children[b.Parent] = append(children[b.Parent], b.ID)
		}
	}
	rects := map[string]graph.Rect{}
	var place func(bid string, x, y float64) graph.Rect
	place = func(bid string, x, y float64) graph.Rect {
		const pad, w, h, gap = 30.0, 140.0, 70.0, 40.0
		cx, cy := x+pad, y+pad+20
		rowH := 0.0
		for _, cid := range members[bid] {
			rects["c:"+cid] = graph.Rect{X: cx, Y: cy, W: w, H: h}
			cx += w + gap
			rowH = h
		}
		maxX := cx
		if len(members[bid]) > 0 {
			cy += rowH + gap
		}
		kids := append([]string(nil), children[bid]...)
		sort.Strings(kids)
		for _, k := range kids {
			kr := place(k, x+pad, cy)
			cy = kr.Y + kr.H + gap
			maxX = max(maxX, kr.X+kr.W+gap)
		}
		out := graph.Rect{X: x, Y: y, W: max(maxX-x+pad-gap, 2*pad), H: cy - y + pad - gap}
		if bid != "" {
			rects["b:"+bid] = out
		}
		return out
	}
	place("", 0, 0)
	for _, b := range r.Boundaries {
		s.Boundaries = append(s.Boundaries, scene.Boundary{ID: b.ID, Label: b.Label, Parent: b.Parent, Level: b.Trust, Rect: rects["b:"+b.ID]})
	}
	// outermost first
	sort.SliceStable(s.Boundaries, func(i, j int) bool { return depthOf(r, s.Boundaries[i].ID) < depthOf(r, s.Boundaries[j].ID) })
	for _, c := range r.Components {
		s.Components = append(s.Components, scene.Component{ID: c.ID, Label: c.Label, Kind: c.Kind, Boundary: c.Boundary, Rect: rects["c:"+c.ID]})
	}
	for _, f := range r.Flows {
		s.Flows = append(s.Flows, scene.Flow{ID: f.ID, Source: f.Source, Target: f.Target, Label: f.Label})
	}
	return s
}

func depthOf(r *stride.Report, id string) int {
	n := 0
	for id != "" && n < 1000 {
		b := reportBoundary(r, id)
		if b == nil {
			break
		}
		id = b.Parent
		n++
	}
	return n
}

// placer finds each element's box in the scene, or for an element the
// scene did not place, on a grid below it.
type placer struct {
	s, grid *scene.Scene
	dy      float64
}

func newPlacer(r *stride.Report, s *scene.Scene) *placer {
	g := gridScene(r)
	if s == nil {
		return &placer{s: g, grid: g}
	}
	return &placer{s: s, grid: g, dy: s.Bounds.Y + s.Bounds.H + 80}
}

func (p *placer) rect(kind, id string) graph.Rect {
	switch kind {
	case "b:":
		if b := p.s.Boundary(id); b != nil && b.Rect.W > 0 {
			return b.Rect
		}
		if b := p.grid.Boundary(id); b != nil {
			return shift(b.Rect, p.dy)
		}
	default:
		if c := p.s.Component(id); c != nil && c.Rect.W > 0 {
			return c.Rect
		}
		if c := p.grid.Component(id); c != nil {
			return shift(c.Rect, p.dy)
		}
	}
	return graph.Rect{Y: p.dy, W: 140, H: 70}
}

func (p *placer) flow(id string) *scene.Flow { return p.s.Flow(id) }

func shift(r graph.Rect, dy float64) graph.Rect { r.Y += dy; return r }
