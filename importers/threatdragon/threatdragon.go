// Package threatdragon reads OWASP Threat Dragon models (JSON, version 2
// and version 1). Every
// diagram of the model becomes a graph.Diagram: actors are external
// entities, processes processes, stores data stores, flows data flows and
// trust-boundary boxes trust boundaries, nested by geometry (a box inside
// another box is inside that boundary; a component belongs to the
// smallest box holding its centre). The threats already recorded on an
// element are kept on it as graph.Threat values, so that they can be
// merged with threatmap's. An element's outOfScope and reasonOutOfScope
// are kept as attributes, which graph's Finalize reads into
// OutOfScope and OutOfScopeReason. A flow end the file places but does not
// connect attaches to the component it lies on or near, by the rule the
// draw.io importer uses (graph.NearestRect), with a tolerance widened by
// half a step of the editor's grid, and a warning; a flow still missing an
// end is skipped with a warning naming the threats it records. A trust-boundary curve (a line, not a box) is a
// trust boundary when a flow crosses it: the flows it crosses cross it,
// and the components on its smaller side are inside it (as the draw.io
// importer reads dashed or red lines); one that crosses no flow, free text
// and anything else that has no place in the model become warnings or
// notes. Version 1 models (Threat Dragon 1.x: JointJS cells of type
// tm.Actor, tm.Process, tm.Store, tm.Flow and tm.Boundary under
// diagramJson, properties and threats on the cell itself) are read too:
// each version 1 diagram is rewritten into the version 2 cells it
// corresponds to and then read like one, so both versions give the same
// model (version 1 has no boundary boxes: its boundaries are curves).
package threatdragon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// Options control an import.
type Options struct {
	Limits graph.Limits
}

type model struct {
	Version *string `json:"version"`
	Summary struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	} `json:"summary"`
	Detail *struct {
		Diagrams []diagram `json:"diagrams"`
	} `json:"detail"`
}

type diagram struct {
	ID          json.RawMessage `json:"id"`
	Title       string          `json:"title"`
	DiagramType string          `json:"diagramType"`
	Description string          `json:"description"`
	Cells       []rawCell       `json:"cells"`
	// DiagramJSON is version 1's diagram.
	DiagramJSON json.RawMessage `json:"diagramJson"`
}

type point struct {
	X *float64 `json:"x"`
	Y *float64 `json:"y"`
}

// size is a cell's width and height, the same in both versions' files.
type size struct {
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

type rawCell struct {
	ID       string `json:"id"`
	Shape    string `json:"shape"`
	Position *point `json:"position"`
	Size     *size  `json:"size"`
	Attrs    struct {
		Text  *struct{ Text json.RawMessage } `json:"text"`
		Label *struct{ Text json.RawMessage } `json:"label"`
	} `json:"attrs"`
	Source   *end    `json:"source"`
	Target   *end    `json:"target"`
	Vertices []point `json:"vertices"`
	// Labels are edge labels: strings or {attrs: {label: {text}}}.
	Labels  []json.RawMessage          `json:"labels"`
	Visible *bool                      `json:"visible"`
	Data    map[string]json.RawMessage `json:"data"`
	// Threats at cell level, where the published schema puts them
	// (Threat Dragon itself writes data.threats).
	Threats []rawThreat `json:"threats"`
}

type end struct {
	Cell string   `json:"cell"`
	X    *float64 `json:"x"`
	Y    *float64 `json:"y"`
}

type rawThreat struct {
	ID          string          `json:"id"`
	ThreatID    string          `json:"threatId"`
	Title       string          `json:"title"`
	Status      string          `json:"status"`
	Severity    string          `json:"severity"`
	Type        string          `json:"type"`
	Description string          `json:"description"`
	Mitigation  string          `json:"mitigation"`
	Score       json.RawMessage `json:"score"`
}

// Sniff reports whether data looks like a Threat Dragon model: a JSON
// object with a summary and a detail holding diagrams.
func Sniff(data []byte) bool {
	t := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(t) == 0 || t[0] != '{' || !bytes.Contains(t, []byte(`"diagrams"`)) || !bytes.Contains(t, []byte(`"summary"`)) {
		return false
	}
	var probe struct {
		Summary *json.RawMessage `json:"summary"`
		Detail  *struct {
			Diagrams *json.RawMessage `json:"diagrams"`
		} `json:"detail"`
	}
	return json.Unmarshal(t, &probe) == nil && probe.Summary != nil && probe.Detail != nil && probe.Detail.Diagrams != nil
}

// Import reads a Threat Dragon model (version 2 or 1) and returns one diagram per
// Threat Dragon diagram. Problems with the input are *graph.InputError.
func Import(file string, data []byte, opts Options) ([]*graph.Diagram, error) {
	lim := opts.Limits.WithDefaults()
	if int64(len(data)) > lim.MaxInputBytes {
		return nil, graph.Wrap(file, graph.Position{}, fmt.Sprintf("input is %d bytes, over the limit of %d", len(data), lim.MaxInputBytes), graph.ErrLimit)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := graph.CheckJSONDepth(data, lim.MaxDepth); err != nil {
		return nil, graph.Wrap(file, graph.Position{}, "", err)
	}
	var m model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, jsonError(file, data, err)
	}
	if m.Detail == nil {
		return nil, graph.Errorf(file, graph.Position{}, "not a Threat Dragon model: no \"detail\" object")
	}
	for i := range m.Detail.Diagrams {
		if dg := &m.Detail.Diagrams[i]; isV1(dg) {
			if err := v1Cells(file, dg, i); err != nil {
				return nil, err
			}
		}
	}
	if len(m.Detail.Diagrams) == 0 {
		return nil, graph.Errorf(file, graph.Position{}, "Threat Dragon model has no diagrams")
	}
	var out []*graph.Diagram
	elements := 0
	for i, dg := range m.Detail.Diagrams {
		name := strings.TrimSpace(dg.Title)
		if name == "" {
			name = "Diagram " + strconv.Itoa(i+1)
		}
		if len(m.Detail.Diagrams) == 1 {
			name = ""
		}
		d, err := build(file, name, &m, &dg, lim)
		if err != nil {
			return nil, err
		}
		elements += len(d.Components) + len(d.Flows)
		if elements > lim.MaxElements {
			return nil, graph.Wrap(file, graph.Position{Page: name}, fmt.Sprintf("more than %d components and flows", lim.MaxElements), graph.ErrLimit)
		}
		out = append(out, d)
	}
	return out, nil
}

// jsonError names the line and column of a JSON syntax or type error.
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
		pos.Line, pos.Column = lineCol(data, int(off))
	}
	return graph.Wrap(file, pos, "not a valid Threat Dragon model", err)
}

func lineCol(data []byte, off int) (int, int) {
	off = min(max(off, 0), len(data))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}

func str(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.Trim(string(raw), `"`)
}

func boolean(raw json.RawMessage) (bool, bool) {
	var b bool
	if len(raw) == 0 || json.Unmarshal(raw, &b) != nil {
		return false, false
	}
	return b, true
}

// edgeLabel returns the first non-empty edge label text.
func edgeLabel(labels []json.RawMessage) string {
	for _, raw := range labels {
		var s string
		if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
			return s
		}
		var l struct {
			Attrs map[string]struct {
				Text json.RawMessage `json:"text"`
			} `json:"attrs"`
		}
		if json.Unmarshal(raw, &l) != nil {
			continue
		}
		for _, k := range []string{"label", "labelText", "text"} {
			if t := str(l.Attrs[k].Text); strings.TrimSpace(t) != "" {
				return t
			}
		}
	}
	return ""
}

type box struct {
	id   string
	rect graph.Rect
}

// pending is a component or flow cell held back until every boundary is known.
type pending struct {
	c   *rawCell
	idx int
}

// builder holds the state shared by the steps that turn one Threat Dragon
// diagram into a graph.Diagram.
type builder struct {
	file, name string
	d          *graph.Diagram
	lim        graph.Limits
	boxes      []box
	comps      []pending
	flows      []pending
	curves     []pending
	// shapes and hidden record every cell id's shape and which cells were
	// hidden, for the warnings about flow ends that name them.
	shapes map[string]string
	hidden map[string]bool
	// endBudget bounds the end-to-component distance tests of the free
	// flow ends, so that a hostile model (many free ends, many components)
	// cannot take quadratic time.
	endBudget int
}

// build turns one Threat Dragon diagram into a finalized diagram.
func build(file, name string, m *model, dg *diagram, lim graph.Limits) (*graph.Diagram, error) {
	d := graph.New(file, "threatdragon")
	d.Name = name
	d.Title = strings.TrimSpace(m.Summary.Title)
	if dg.Title != "" && name != "" {
		d.Title = strings.TrimSpace(dg.Title)
	}
	d.HasLayout = true
	b := &builder{file: file, name: name, d: d, lim: lim, endBudget: curveBudget}
	if err := b.cells(dg); err != nil {
		return nil, err
	}
	b.nestBoundaries()
	if err := b.components(); err != nil {
		return nil, err
	}
	b.addFlows()
	if err := b.addCurves(); err != nil {
		return nil, err
	}
	if err := d.Finalize(); err != nil {
		return nil, graph.Wrap(file, graph.Position{Page: name}, "inconsistent model", err)
	}
	return d, nil
}

// pos names a cell of this diagram.
func (b *builder) pos(id string) graph.Position { return graph.Position{Page: b.name, Cell: id} }

// label returns a cell's label, truncated to the limit with a warning.
func (b *builder) label(c *rawCell) string {
	s := str(c.Data["name"])
	if strings.TrimSpace(s) == "" && c.Attrs.Text != nil {
		s = str(c.Attrs.Text.Text)
	}
	if strings.TrimSpace(s) == "" && c.Attrs.Label != nil {
		s = str(c.Attrs.Label.Text)
	}
	if strings.TrimSpace(s) == "" {
		s = edgeLabel(c.Labels)
	}
	s = strings.TrimSpace(s)
	if len(s) > b.lim.MaxLabelBytes {
		b.d.Warn(b.pos(c.ID), "label truncated to %d bytes", b.lim.MaxLabelBytes)
		s = s[:b.lim.MaxLabelBytes]
	}
	return s
}

// cells sorts the cells: boundaries and notes are added, components and
// flows held back, everything else warned about.
func (b *builder) cells(dg *diagram) error {
	d, pos := b.d, b.pos
	seen := map[string]bool{}
	b.shapes, b.hidden = map[string]string{}, map[string]bool{}
	for i := range dg.Cells {
		c := &dg.Cells[i]
		if c.ID == "" {
			d.Warn(graph.Position{Page: b.name}, "cell %d (%s) has no id; skipped", i+1, c.Shape)
			continue
		}
		if seen[c.ID] {
			return graph.Errorf(b.file, pos(c.ID), "duplicate cell id %q", c.ID)
		}
		seen[c.ID] = true
		b.shapes[c.ID] = c.Shape
		if c.Visible != nil && !*c.Visible {
			b.hidden[c.ID] = true
			d.Warn(pos(c.ID), "hidden %s cell skipped", c.Shape)
			continue
		}
		switch c.Shape {
		case "actor", "process", "store":
			b.comps = append(b.comps, pending{c, i})
		case "flow":
			b.flows = append(b.flows, pending{c, i})
		case "trust-boundary-box", "trust-box":
			r, ok := rectOf(c)
			if !ok {
				d.Warn(pos(c.ID), "trust boundary box without position or size; skipped")
				continue
			}
			b.boxes = append(b.boxes, box{c.ID, r})
			gb := &graph.Boundary{ID: c.ID, Label: b.label(c), Pos: pos(c.ID), Geometry: &r, Attributes: dataAttrs(c)}
			if err := d.AddBoundary(gb); err != nil {
				return graph.Wrap(b.file, pos(c.ID), "", err)
			}
		case "trust-boundary-curve", "trust-broundary-curve", "trust-boundary":
			b.curves = append(b.curves, pending{c, i})
		case "td-text-block", "text":
			if t := b.label(c); t != "" {
				n := &graph.Note{ID: c.ID, Text: t, Pos: pos(c.ID)}
				if r, ok := rectOf(c); ok {
					n.Geometry = &r
				}
				d.Notes = append(d.Notes, n)
			}
		default:
			d.Warn(pos(c.ID), "cell of unknown shape %q skipped", c.Shape)
		}
	}
	return nil
}

// nestBoundaries nests boundaries by geometry: the smallest enclosing box
// is the parent.
func (b *builder) nestBoundaries() {
	for _, gb := range b.d.Boundaries {
		gb.Parent = smallest(b.boxes, *gb.Geometry, gb.ID, true)
	}
}

// components adds the held-back component cells.
func (b *builder) components() error {
	for _, p := range b.comps {
		if err := b.component(p.c); err != nil {
			return err
		}
	}
	return nil
}

// component adds one component, in the smallest box holding its centre.
func (b *builder) component(c *rawCell) error {
	d, pos := b.d, b.pos
	comp := &graph.Component{ID: c.ID, Label: b.label(c), Shape: c.Shape, Pos: pos(c.ID), Attributes: dataAttrs(c)}
	switch c.Shape {
	case "actor":
		comp.Kind = graph.KindExternal
	case "process":
		comp.Kind = graph.KindProcess
	case "store":
		comp.Kind = graph.KindDataStore
		if v, ok := boolean(c.Data["isEncrypted"]); ok && v {
			comp.Attributes["encrypted_at_rest"] = "true"
		}
		if v, ok := boolean(c.Data["storesCredentials"]); ok && v {
			comp.Attributes["sensitivity"] = "credentials"
		}
	}
	if r, ok := rectOf(c); ok {
		comp.Geometry = &r
		center := graph.Rect{X: r.X + r.W/2, Y: r.Y + r.H/2}
		comp.Boundary = smallest(b.boxes, center, "", false)
	} else {
		d.Warn(pos(c.ID), "%s %q has no position; placed outside every boundary", c.Shape, comp.Label)
	}
	comp.Threats = threats(d, c, b.name)
	if err := d.AddComponent(comp); err != nil {
		return graph.Wrap(b.file, pos(c.ID), "", err)
	}
	return nil
}

// endTolerance is how far (in diagram pixels) a flow's free end may lie
// outside a component and still attach to it: the rule every importer of
// drawn formats shares (graph.NearestRect), widened by half a step of
// Threat Dragon's 10-pixel editor grid, to which the editor snaps a
// dropped end.
var endTolerance = graph.GridEndTolerance(editorGrid)

// editorGrid is the grid step of Threat Dragon's diagram editor (its
// X6 graph's grid size, fixed; a model does not record it).
const editorGrid = 10

// addFlows adds the held-back flow cells connected to a component at both
// ends. An end the file places (x, y) but does not connect attaches, with a
// warning, to the component it lies on or within endTolerance of; a flow
// that still lacks an end is skipped with a warning that names the threats
// the file records on it.
func (b *builder) addFlows() {
	d, pos := b.d, b.pos
	var placed []*graph.Component
	for _, c := range d.Components {
		if c.Geometry != nil {
			placed = append(placed, c)
		}
	}
	for _, p := range b.flows {
		c := p.c
		lbl := b.label(c)
		name := lbl
		if name == "" {
			name = c.ID
		}
		src, srcAt, srcWhy := b.flowEnd(c.Source, "source", placed)
		dst, dstAt, dstWhy := b.flowEnd(c.Target, "target", placed)
		recorded := threats(d, c, b.name)
		if src == "" || dst == "" {
			why := srcWhy
			if why == "" {
				why = dstWhy
			} else if dstWhy != "" {
				why += ", and " + dstWhy
			}
			d.Warn(pos(c.ID), "flow %q skipped: %s%s", name, why, lostThreats(recorded))
			continue
		}
		for _, e := range []struct {
			at   *graph.Point
			end  string
			comp string
		}{{srcAt, "source", src}, {dstAt, "target", dst}} {
			if e.at == nil {
				continue
			}
			comp := d.Component(e.comp)
			where := "lies on"
			if dist := comp.Geometry.Distance(*e.at); dist > 0 {
				where = "lies " + strconv.FormatFloat(math.Round(dist*10)/10, 'g', -1, 64) + " px outside"
			}
			d.Warn(pos(c.ID), "flow %q: its %s end (%s) is not connected in the file but %s %s %q: attached to it",
				name, e.end, pointText(*e.at), where, comp.Shape, compName(comp))
		}
		f := &graph.Flow{ID: c.ID, Source: src, Target: dst, Label: lbl, Pos: pos(c.ID), Attributes: dataAttrs(c),
			SourcePoint: srcAt, TargetPoint: dstAt}
		if v, ok := boolean(c.Data["isBidirectional"]); ok && v {
			f.Bidirectional = true
		}
		if v, ok := boolean(c.Data["isEncrypted"]); ok && v {
			f.Attributes["encrypted"] = "true"
		}
		for _, v := range c.Vertices {
			if v.X != nil && v.Y != nil {
				f.Waypoints = append(f.Waypoints, graph.Point{X: *v.X, Y: *v.Y})
			}
		}
		f.Threats = recorded
		d.AddFlow(f)
	}
}

// flowEnd resolves one end of a flow: the component its cell names, else
// the component its point lies on or next to (returned with the point),
// while the diagram's endBudget lasts. When neither resolves, it says why.
func (b *builder) flowEnd(e *end, which string, placed []*graph.Component) (string, *graph.Point, string) {
	switch {
	case e == nil:
		return "", nil, fmt.Sprintf("its %s end is missing", which)
	case e.Cell != "":
		if b.d.Component(e.Cell) != nil {
			return e.Cell, nil, ""
		}
		return "", nil, fmt.Sprintf("its %s %q %s", which, e.Cell, b.notComponent(e.Cell))
	case e.X == nil || e.Y == nil || !finite(*e.X) || !finite(*e.Y):
		return "", nil, fmt.Sprintf("its %s end is not connected to any component", which)
	}
	at := graph.Point{X: *e.X, Y: *e.Y}
	if b.endBudget -= len(placed); b.endBudget < 0 {
		return "", nil, fmt.Sprintf("its %s end (%s) is not connected to a component (position not checked: the diagram has too many free flow ends and components)", which, pointText(at))
	}
	k, _ := graph.NearestRect(at, len(placed), func(i int) graph.Rect { return *placed[i].Geometry }, endTolerance)
	if k >= 0 {
		return placed[k].ID, &at, ""
	}
	why := fmt.Sprintf("its %s end (%s) is not connected to a component", which, pointText(at))
	near, dist := (*graph.Component)(nil), math.Inf(1)
	for _, c := range placed {
		if dd := c.Geometry.Distance(at); dd < dist {
			near, dist = c, dd
		}
	}
	if near != nil {
		why += fmt.Sprintf(" (the nearest, %s %q, is %s px away)", near.Shape, compName(near), strconv.FormatFloat(math.Round(dist), 'f', -1, 64))
	}
	return "", nil, why
}

// notComponent says what a cell a flow end names is, when it is not a
// component of the diagram.
func (b *builder) notComponent(id string) string {
	shape, ok := b.shapes[id]
	switch {
	case !ok:
		return "does not exist"
	case b.hidden[id]:
		return "is hidden"
	}
	switch shape {
	case "flow":
		return "is another flow"
	case "trust-boundary-box", "trust-box", "trust-boundary-curve", "trust-broundary-curve", "trust-boundary":
		return "is a trust boundary, not a component"
	case "td-text-block", "text":
		return "is a text block, not a component"
	}
	return fmt.Sprintf("is a %q cell, not a component", shape)
}

// lostThreats names the threats a file records on a flow that is skipped,
// so that none disappears unseen; "" when it records none.
func lostThreats(ts []graph.Threat) string {
	if len(ts) == 0 {
		return ""
	}
	names := make([]string, 0, len(ts))
	for _, t := range ts {
		n := t.Title
		if n == "" {
			n = t.ID
		}
		if r := []rune(n); len(r) > 80 {
			n = string(r[:79]) + "…"
		}
		q := strconv.Quote(n)
		if t.Category != "" {
			q += " (" + t.Category + ")"
		}
		names = append(names, q)
	}
	noun := "threat it records is"
	if len(ts) > 1 {
		noun = strconv.Itoa(len(ts)) + " threats it records are"
	}
	return "; the " + noun + " dropped with it: " + strings.Join(names, ", ")
}

// compName is a component's label, or its id when it has none.
func compName(c *graph.Component) string {
	if c.Label != "" {
		return strings.Join(strings.Fields(c.Label), " ")
	}
	return c.ID
}

func pointText(p graph.Point) string {
	return strconv.FormatFloat(p.X, 'g', -1, 64) + ", " + strconv.FormatFloat(p.Y, 'g', -1, 64)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// addCurves turns the held-back trust-boundary curves into boundaries
// drawn as lines: Attributes["shape"] = "line" and Attributes["points"] =
// "x1,y1 x2,y2 ...", the convention the draw.io importer and the layout
// share. A flow crosses the curve when its path (centre to centre through
// its vertices) crosses the curve's polyline, extended by nothing; the
// components of the curve's surroundings (the smallest box holding the
// whole curve, else outside every box) on the smaller side of it are
// inside it.
func (b *builder) addCurves() error {
	d, pos := b.d, b.pos
	if len(b.curves) == 0 {
		return nil
	}
	flowSegs := 0
	for _, f := range d.Flows {
		flowSegs += len(f.Waypoints) + 1
	}
	budget := curveBudget
	for _, p := range b.curves {
		c := p.c
		label := b.label(c)
		pts, ok := b.curvePoints(c)
		if !ok {
			d.Warn(pos(c.ID), "trust boundary line %q skipped: its ends have no position", label)
			continue
		}
		if budget -= len(pts) * flowSegs; budget < 0 {
			d.Warn(pos(c.ID), "trust boundary line %q skipped: the diagram has too many flow and line segments to test their crossings", label)
			continue
		}
		var crossing []*graph.Flow
		for _, f := range d.Flows {
			if path := flowPath(d, f); path != nil && graph.PolylinesCross(path, pts) {
				crossing = append(crossing, f)
			}
		}
		if len(crossing) == 0 {
			d.Warn(pos(c.ID), "trust boundary line %q crosses no flow: drawn for show, skipped", label)
			continue
		}
		derived := label == ""
		if derived {
			label = "Trust boundary"
		}
		box := graph.Rect{X: pts[0].X, Y: pts[0].Y}
		coords := make([]string, 0, len(pts))
		for _, q := range pts {
			coords = append(coords, strconv.FormatFloat(q.X, 'g', -1, 64)+","+strconv.FormatFloat(q.Y, 'g', -1, 64))
			box = grow(box, q)
		}
		around := smallest(b.boxes, box, "", false)
		attrs := dataAttrs(c)
		attrs["shape"], attrs["points"] = "line", strings.Join(coords, " ")
		gb := &graph.Boundary{ID: c.ID, Label: label, LabelDerived: derived, Parent: around, Pos: pos(c.ID), Geometry: &box, Attributes: attrs}
		if err := d.AddBoundary(gb); err != nil {
			return graph.Wrap(b.file, pos(c.ID), "", err)
		}
		for _, f := range crossing {
			if f.Attributes["crosses"] != "" {
				f.Attributes["crosses"] += ","
			}
			f.Attributes["crosses"] += c.ID
		}
		inside := graph.SmallerSide(d.Components, pts, around)
		for _, comp := range inside {
			comp.Boundary = c.ID
		}
		d.Warn(pos(c.ID), "trust boundary %q drawn as a line: %d flow(s) cross it; %d component(s) on its smaller side are inside it", label, len(crossing), len(inside))
	}
	return nil
}

// curveBudget bounds the segment-to-segment crossing tests of a diagram's
// curves, so that a hostile model (one curve with many vertices across many
// flows) cannot take quadratic time.
const curveBudget = 20_000_000

// curvePoints is a curve's polyline: source, vertices, target. An end
// attached to a component (Threat Dragon lets a boundary line's end snap
// to a shape) is the centre of that component.
func (b *builder) curvePoints(c *rawCell) ([]graph.Point, bool) {
	endPoint := func(e *end) (graph.Point, bool) {
		switch {
		case e == nil:
			return graph.Point{}, false
		case e.X != nil && e.Y != nil:
			return graph.Point{X: *e.X, Y: *e.Y}, true
		case e.Cell != "":
			if comp := b.d.Component(e.Cell); comp != nil && comp.Geometry != nil {
				g := comp.Geometry
				return graph.Point{X: g.X + g.W/2, Y: g.Y + g.H/2}, true
			}
		}
		return graph.Point{}, false
	}
	src, ok1 := endPoint(c.Source)
	dst, ok2 := endPoint(c.Target)
	if !ok1 || !ok2 {
		return nil, false
	}
	pts := []graph.Point{src}
	for _, v := range c.Vertices {
		if v.X != nil && v.Y != nil {
			pts = append(pts, graph.Point{X: *v.X, Y: *v.Y})
		}
	}
	pts = append(pts, dst)
	for _, q := range pts {
		if math.IsNaN(q.X) || math.IsInf(q.X, 0) || math.IsNaN(q.Y) || math.IsInf(q.Y, 0) {
			return nil, false
		}
	}
	return pts, true
}

// flowPath is a flow's path from its source's centre through its
// vertices to its target's centre; nil when an end has no geometry.
func flowPath(d *graph.Diagram, f *graph.Flow) []graph.Point {
	center := func(id string) (graph.Point, bool) {
		c := d.Component(id)
		if c == nil || c.Geometry == nil {
			return graph.Point{}, false
		}
		g := c.Geometry
		return graph.Point{X: g.X + g.W/2, Y: g.Y + g.H/2}, true
	}
	s, ok1 := center(f.Source)
	t, ok2 := center(f.Target)
	if !ok1 || !ok2 {
		return nil
	}
	return append(append([]graph.Point{s}, f.Waypoints...), t)
}

func grow(r graph.Rect, p graph.Point) graph.Rect {
	x0, y0 := math.Min(r.X, p.X), math.Min(r.Y, p.Y)
	x1, y1 := math.Max(r.X+r.W, p.X), math.Max(r.Y+r.H, p.Y)
	return graph.Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

// dataAttrs keeps a cell's data fields (other than its name, type and
// threats) as attributes: strings as written, true flags as "true".
func dataAttrs(c *rawCell) map[string]string {
	out := map[string]string{}
	keys := make([]string, 0, len(c.Data))
	for k := range c.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch k {
		case "name", "type", "threats", "hasOpenThreats", "isTrustBoundary", "threatFrequency":
			continue
		}
		raw := c.Data[k]
		if b, ok := boolean(raw); ok {
			if b {
				out[k] = "true"
			}
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if strings.TrimSpace(s) != "" {
				out[k] = s
			}
			continue
		}
		if t := strings.TrimSpace(string(raw)); t != "null" && t != "" {
			out[k] = t
		}
	}
	return out
}

func threats(d *graph.Diagram, c *rawCell, page string) []graph.Threat {
	var raw []rawThreat
	if t, ok := c.Data["threats"]; ok && strings.TrimSpace(string(t)) != "null" {
		if err := json.Unmarshal(t, &raw); err != nil {
			d.Warn(graph.Position{Page: page, Cell: c.ID}, "threat list is not a list of threats (%v); its threats are skipped", err)
			raw = nil
		}
	}
	raw = append(raw, c.Threats...)
	var out []graph.Threat
	for _, t := range raw {
		id := t.ID
		if id == "" {
			id = t.ThreatID
		}
		out = append(out, graph.Threat{ID: id, Title: strings.TrimSpace(t.Title), Category: category(t.Type),
			Status: t.Status, Severity: t.Severity, Description: t.Description, Mitigation: t.Mitigation,
			Score: str(t.Score), Source: "threatdragon", Pos: graph.Position{Page: page, Cell: c.ID}})
	}
	return out
}

// category maps Threat Dragon's STRIDE type names (in any case or
// spacing) to threatmap's; other types are kept as written.
func category(t string) string {
	k := strings.ToLower(strings.NewReplacer(" ", "", "-", "", "_", "").Replace(t))
	switch k {
	case "spoofing":
		return "Spoofing"
	case "tampering":
		return "Tampering"
	case "repudiation":
		return "Repudiation"
	case "informationdisclosure":
		return "Information disclosure"
	case "denialofservice":
		return "Denial of service"
	case "elevationofprivilege":
		return "Elevation of privilege"
	}
	return strings.TrimSpace(t)
}

func rectOf(c *rawCell) (graph.Rect, bool) {
	if c.Position == nil || c.Position.X == nil || c.Position.Y == nil || c.Size == nil {
		return graph.Rect{}, false
	}
	r := graph.Rect{X: *c.Position.X, Y: *c.Position.Y, W: c.Size.Width, H: c.Size.Height}
	for _, v := range []float64{r.X, r.Y, r.W, r.H} {
		if math.IsNaN(v) || math.IsInf(v, 0) || v > 1e9 || v < -1e9 {
			return graph.Rect{}, false
		}
	}
	return r, r.W > 0 && r.H > 0
}

// smallest returns the smallest box that contains r (strictly bigger when
// r is itself a box), "" when none.
func smallest(boxes []box, r graph.Rect, self string, strict bool) string {
	best, bestArea := "", math.Inf(1)
	for _, b := range boxes {
		if b.id == self || !b.rect.Contains(r) {
			continue
		}
		a := b.rect.W * b.rect.H
		if strict && a <= r.W*r.H {
			continue
		}
		if a < bestArea {
			best, bestArea = b.id, a
		}
	}
	return best
}
