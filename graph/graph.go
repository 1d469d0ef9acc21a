package graph

import (
	"fmt"
	"math"
	"sort"
)

// Kind is the data-flow-diagram role of a component.
type Kind string

// The component kinds. KindUnknown means "not classified yet": importers
// leave it unless the source says so explicitly, and the STRIDE pass decides.
const (
	KindUnknown   Kind = ""
	KindExternal  Kind = "external"
	KindProcess   Kind = "process"
	KindDataStore Kind = "datastore"
)

// ParseKind maps the spellings people use in diagrams ("external entity",
// "data store", "db", "service", ...) to a Kind. ok is false when s names no
// kind.
func ParseKind(s string) (k Kind, ok bool) {
	switch normalizeWord(s) {
	case "external", "externalentity", "external_entity", "actor", "entity", "ee", "interactor", "user":
		return KindExternal, true
	case "process", "service", "proc", "app", "application", "server", "function":
		return KindProcess, true
	case "datastore", "data_store", "store", "database", "db", "ds", "storage":
		return KindDataStore, true
	}
	return KindUnknown, false
}

func normalizeWord(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c == ' ' || c == '-':
			// "data store", "data-store" -> "datastore"
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// Point is a position in diagram coordinates (x grows right, y grows down).
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Rect is an absolute rectangle in diagram coordinates.
type Rect struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Contains reports whether r fully encloses o.
func (r Rect) Contains(o Rect) bool {
	return o.X >= r.X && o.Y >= r.Y && o.X+o.W <= r.X+r.W && o.Y+o.H <= r.Y+r.H
}

// ContainsPoint reports whether p lies on or inside r.
func (r Rect) ContainsPoint(p Point) bool {
	return p.X >= r.X && p.Y >= r.Y && p.X <= r.X+r.W && p.Y <= r.Y+r.H
}

// Center returns the centre of r.
func (r Rect) Center() Point { return Point{X: r.X + r.W/2, Y: r.Y + r.H/2} }

// Clip returns where the segment from r's centre towards p leaves r; when
// p is inside r (or is its centre) it returns p.
func (r Rect) Clip(p Point) Point {
	c := r.Center()
	dx, dy := p.X-c.X, p.Y-c.Y
	if r.ContainsPoint(p) || (dx == 0 && dy == 0) {
		return p
	}
	t := math.Inf(1)
	if dx != 0 {
		t = min(t, (r.W/2)/math.Abs(dx))
	}
	if dy != 0 {
		t = min(t, (r.H/2)/math.Abs(dy))
	}
	return Point{X: c.X + dx*t, Y: c.Y + dy*t}
}

// Polyline returns a route as straight segments: points as given, or
// when curved, the piecewise cubic Bézier curve through the control points
// (1+3k points) flattened into eight segments per piece.
func Polyline(points []Point, curved bool) []Point {
	if !curved || len(points) < 4 {
		return points
	}
	const steps = 8
	out := []Point{points[0]}
	for i := 0; i+3 < len(points); i += 3 {
		p0, p1, p2, p3 := points[i], points[i+1], points[i+2], points[i+3]
		for s := 1; s <= steps; s++ {
			t := float64(s) / steps
			u := 1 - t
			out = append(out, Point{
				X: u*u*u*p0.X + 3*u*u*t*p1.X + 3*u*t*t*p2.X + t*t*t*p3.X,
				Y: u*u*u*p0.Y + 3*u*u*t*p1.Y + 3*u*t*t*p2.Y + t*t*t*p3.Y,
			})
		}
	}
	return out
}

// Component is a box on the diagram: an external entity, a process or a
// data store.
type Component struct {
	// ID is stable and taken from the source: draw.io cell id, Mermaid node
	// id, DOT node name.
	ID string
	// Label is plain text: HTML removed, entities decoded, line breaks as "\n".
	Label string
	// LabelDerived is set when the importer made the label up because the
	// author gave none (a frame named after what it holds, "Trust
	// boundary" for an unlabelled line): it names the element for readers,
	// but its words are not the author's, and context reading (roles, data
	// classes, technologies) must not read them. The name draw.io's
	// palette gives an unlabelled icon is the author's choice of glyph,
	// not derived (Attributes["label_from"] says where it came from).
	LabelDerived bool
	// Kind is KindUnknown unless the source states it; the STRIDE pass
	// classifies the rest.
	Kind Kind
	// KindEvidence says what in the source stated Kind when an importer
	// read it from the file's notation rather than a property (`shape
	// "square" in pytm's data-flow notation`); "" otherwise.
	KindEvidence string
	// Shape is the raw shape hint from the source (a draw.io style shape,
	// a Mermaid bracket form such as "cylinder", a DOT shape attribute).
	Shape string
	// Attributes are free-form properties: draw.io custom data, DOT
	// attributes, Mermaid classes ("class" key). Never nil after Add.
	Attributes map[string]string
	// Boundary is the ID of the innermost trust boundary that contains the
	// component, or "" when it sits outside every boundary.
	Boundary string
	// Pos is where the component is defined in the source.
	Pos Position
	// Geometry is the absolute position and size when the source has a
	// layout (draw.io); nil otherwise.
	Geometry *Rect
	// Style is the raw source style, kept for exporters that redraw the
	// user's layout (draw.io style string). Optional.
	Style string
	// Threats are the threats the input already records against the
	// component (threat-model formats only); nil otherwise.
	Threats []Threat
	// OutOfScope is set when the author marks the component out of scope:
	// a property (Threat Dragon's outOfScope, pytm's inScope=False), words
	// in its label or tooltip ("out of scope", "already threat modelled"), a legend that
	// names its style, or a frame around it marked so (Finalize). Its own
	// threats are not raised; OutOfScopeReason says why, in the author's
	// words when they give a reason, else what marked it.
	OutOfScope       bool
	OutOfScopeReason string
}

// Flow is a data flow (an edge) between two components.
type Flow struct {
	ID     string
	Source string
	Target string
	Label  string
	// Bidirectional is set for arrows with heads at both ends and for
	// undirected edges (DOT "graph", Mermaid "---").
	Bidirectional bool
	// Undirected marks edges drawn without any arrow head.
	Undirected bool
	Attributes map[string]string
	Pos        Position
	// Waypoints are the bend points of the edge in absolute diagram
	// coordinates, when the source has a layout.
	Waypoints []Point
	// SourcePoint and TargetPoint are the end points when the source gives
	// them explicitly (draw.io); nil otherwise.
	SourcePoint *Point
	TargetPoint *Point
	// LabelAt is where the source draws the label relative to the route
	// (draw.io's edge label geometry); nil to centre it on the route.
	LabelAt *EdgeLabel
	Style   string
	// Threats are the threats the input already records against the flow
	// (threat-model formats only); nil otherwise.
	Threats []Threat
	// OutOfScope is set when the author marks the flow itself out of
	// scope (Threat Dragon's outOfScope on a flow, an outOfScope property),
	// with the reason as on Component.
	OutOfScope       bool
	OutOfScopeReason string
}

// EdgeLabel places a flow's label along its route as draw.io does: the
// point at Along (-1 at the source end, 0 the middle, 1 at the target
// end) of the route's length, moved Across pixels perpendicular to the
// segment there (positive to the left of the direction of travel as
// seen on screen, y pointing down), then by Offset. The label is centred on that
// point.
type EdgeLabel struct {
	Along  float64
	Across float64
	Offset Point
}

// At returns the label's centre on the polyline route pts (the route's
// first point when it has one point, the zero point when none).
func (l EdgeLabel) At(pts []Point) Point {
	if len(pts) == 0 {
		return Point{}
	}
	total := 0.0
	for i := 1; i < len(pts); i++ {
		total += math.Hypot(pts[i].X-pts[i-1].X, pts[i].Y-pts[i-1].Y)
	}
	along := math.Max(-1, math.Min(1, l.Along))
	dist := (along/2 + 0.5) * total
	p := pts[0]
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		seg := math.Hypot(b.X-a.X, b.Y-a.Y)
		if dist <= seg || i == len(pts)-1 {
			f, nx, ny := 0.0, 0.0, 0.0
			if seg > 0 {
				f = math.Min(1, dist/seg)
				nx, ny = (b.Y-a.Y)/seg, -(b.X-a.X)/seg
			}
			p = Point{X: a.X + (b.X-a.X)*f + nx*l.Across, Y: a.Y + (b.Y-a.Y)*f + ny*l.Across}
			break
		}
		dist -= seg
	}
	return Point{X: p.X + l.Offset.X, Y: p.Y + l.Offset.Y}
}

// Reversed is the same place described from the other end of the route
// (for a flow whose direction is the reverse of the drawn edge's).
func (l EdgeLabel) Reversed() EdgeLabel {
	return EdgeLabel{Along: -l.Along, Across: -l.Across, Offset: l.Offset}
}

// Boundary is a trust boundary: a container that groups components.
// Boundaries nest through Parent.
type Boundary struct {
	ID    string
	Label string
	// LabelDerived is set when the importer made the label up (see
	// Component.LabelDerived).
	LabelDerived bool
	// Parent is the enclosing boundary's ID, "" for a top-level boundary.
	Parent string
	// Members are the IDs of the components whose innermost boundary this
	// is, sorted. Filled by Diagram.Finalize.
	Members    []string
	Attributes map[string]string
	// Inferred is set when the boundary was derived from geometry (a dashed
	// rectangle drawn behind shapes) rather than declared as a container.
	Inferred bool
	Pos      Position
	Geometry *Rect
	Style    string
	// OutOfScope is set when the author marks the boundary out of scope,
	// with the reason as on Component; Finalize marks every component
	// inside such a boundary out of scope.
	OutOfScope       bool
	OutOfScopeReason string
}

// Note is text on the diagram that is not a component: titles, legends,
// sticky notes, free text.
type Note struct {
	ID       string
	Text     string
	Pos      Position
	Geometry *Rect
	Style    string
}

// Warning records something the importer saw but could not represent.
type Warning struct {
	Pos     Position
	Message string
}

func (w Warning) String() string {
	if p := w.Pos.String(); p != "" {
		return p + ": " + w.Message
	}
	return w.Message
}

// Diagram is one imported diagram. A file may hold several (draw.io pages,
// Mermaid blocks in a Markdown file).
type Diagram struct {
	// Name identifies the diagram inside its file (page name, heading);
	// "" when the file holds a single unnamed diagram.
	Name string
	// Title is a human title when the source gives one.
	Title string
	// File is the input file name as given by the user ("-" for stdin).
	File string
	// Format is the importer that read the file ("dot", "drawio", "mermaid").
	Format string
	// Direction is the layout direction hint: "TB", "BT", "LR" or "RL".
	Direction string
	// HasLayout reports that components carry source geometry.
	HasLayout bool

	Components []*Component
	Flows      []*Flow
	Boundaries []*Boundary
	Notes      []*Note
	Warnings   []Warning

	comps  map[string]*Component
	bounds map[string]*Boundary
}

// New returns an empty diagram for file in the given format.
func New(file, format string) *Diagram {
	return &Diagram{File: file, Format: format}
}

func (d *Diagram) index() {
	if d.comps != nil && len(d.comps) == len(d.Components) && len(d.bounds) == len(d.Boundaries) {
		return
	}
	d.comps = make(map[string]*Component, len(d.Components))
	for _, c := range d.Components {
		d.comps[c.ID] = c
	}
	d.bounds = make(map[string]*Boundary, len(d.Boundaries))
	for _, b := range d.Boundaries {
		d.bounds[b.ID] = b
	}
}

// AddComponent appends c. It returns an error if the ID is empty or already
// used by a component.
func (d *Diagram) AddComponent(c *Component) error {
	d.index()
	if c.ID == "" {
		return fmt.Errorf("component with empty id")
	}
	if _, dup := d.comps[c.ID]; dup {
		return fmt.Errorf("duplicate component id %q", c.ID)
	}
	if c.Attributes == nil {
		c.Attributes = map[string]string{}
	}
	d.Components = append(d.Components, c)
	d.comps[c.ID] = c
	return nil
}

// AddBoundary appends b. It returns an error if the ID is empty or already
// used by a boundary.
func (d *Diagram) AddBoundary(b *Boundary) error {
	d.index()
	if b.ID == "" {
		return fmt.Errorf("boundary with empty id")
	}
	if _, dup := d.bounds[b.ID]; dup {
		return fmt.Errorf("duplicate boundary id %q", b.ID)
	}
	if b.Attributes == nil {
		b.Attributes = map[string]string{}
	}
	d.Boundaries = append(d.Boundaries, b)
	d.bounds[b.ID] = b
	return nil
}

// AddFlow appends f, giving it an empty attribute map if it has none.
func (d *Diagram) AddFlow(f *Flow) {
	if f.Attributes == nil {
		f.Attributes = map[string]string{}
	}
	d.Flows = append(d.Flows, f)
}

// Warn records a warning at pos.
func (d *Diagram) Warn(pos Position, format string, args ...any) {
	d.Warnings = append(d.Warnings, Warning{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// Component returns the component with the given ID, or nil.
func (d *Diagram) Component(id string) *Component {
	d.index()
	return d.comps[id]
}

// Boundary returns the boundary with the given ID, or nil.
func (d *Diagram) Boundary(id string) *Boundary {
	d.index()
	return d.bounds[id]
}

// BoundaryChain returns the IDs of boundary id and its ancestors, outermost
// first. It stops at a missing parent or a cycle (which Validate reports).
func (d *Diagram) BoundaryChain(id string) []string {
	d.index()
	var rev []string
	seen := map[string]bool{}
	for id != "" && !seen[id] {
		b := d.bounds[id]
		if b == nil {
			break
		}
		seen[id] = true
		rev = append(rev, id)
		id = b.Parent
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// BoundaryPath returns the boundaries that enclose component id, outermost
// first. It is empty for a component outside every boundary or an unknown id.
func (d *Diagram) BoundaryPath(id string) []string {
	c := d.Component(id)
	if c == nil {
		return nil
	}
	return d.BoundaryChain(c.Boundary)
}

// Crossings returns the boundaries a flow between components src and dst
// crosses: the boundaries it leaves, innermost first, then the boundaries it
// enters, outermost first. A flow between two components in the same
// innermost boundary crosses none.
func (d *Diagram) Crossings(src, dst string) []string {
	a, b := d.BoundaryPath(src), d.BoundaryPath(dst)
	k := 0
	for k < len(a) && k < len(b) && a[k] == b[k] {
		k++
	}
	var out []string
	for i := len(a) - 1; i >= k; i-- {
		out = append(out, a[i])
	}
	out = append(out, b[k:]...)
	return out
}

// FlowCrossings is Crossings for a flow.
func (d *Diagram) FlowCrossings(f *Flow) []string { return d.Crossings(f.Source, f.Target) }

// Finalize fills Boundary.Members from Component.Boundary, validates the
// diagram and reads what the author took out of scope (ReadScopes, then
// the components inside an out-of-scope boundary). Importers call it once
// they have built the model.
func (d *Diagram) Finalize() error {
	d.comps, d.bounds = nil, nil
	d.index()
	members := map[string][]string{}
	for _, c := range d.Components {
		if c.Boundary != "" {
			members[c.Boundary] = append(members[c.Boundary], c.ID)
		}
	}
	for _, b := range d.Boundaries {
		m := members[b.ID]
		sort.Strings(m)
		b.Members = m
	}
	if err := d.Validate(); err != nil {
		return err
	}
	d.ReadScopes()
	d.inheritScope()
	return nil
}

// Validate checks referential integrity: flows name existing components,
// components and boundaries name existing boundaries, and boundary parents
// form no cycle. It returns the first problem found.
func (d *Diagram) Validate() error {
	d.index()
	for _, c := range d.Components {
		if c.Boundary != "" && d.bounds[c.Boundary] == nil {
			return fmt.Errorf("component %q: unknown boundary %q", c.ID, c.Boundary)
		}
	}
	for _, f := range d.Flows {
		if d.comps[f.Source] == nil {
			return fmt.Errorf("flow %q: unknown source component %q", f.ID, f.Source)
		}
		if d.comps[f.Target] == nil {
			return fmt.Errorf("flow %q: unknown target component %q", f.ID, f.Target)
		}
	}
	for _, b := range d.Boundaries {
		seen := map[string]bool{}
		for id := b.ID; id != ""; {
			if seen[id] {
				return fmt.Errorf("boundary %q: parent cycle", b.ID)
			}
			seen[id] = true
			p := d.bounds[id]
			if p == nil {
				return fmt.Errorf("boundary %q: unknown parent %q", b.ID, id)
			}
			id = p.Parent
		}
	}
	return nil
}

// Depth returns the nesting depth of boundary id (1 for a top-level one).
func (d *Diagram) Depth(id string) int { return len(d.BoundaryChain(id)) }
