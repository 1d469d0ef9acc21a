package drawio

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/labeltext"
)

// edge is a resolved edge: its two ends and why an end failed.
type edge struct {
	cell     int
	src, dst int    // unit cells, -1 when unresolved
	srcWhy   string // reason an end did not resolve
	dstWhy   string
	skip     bool // inside a legend: covered by the legend warning
	// freeLabel is a free text drawn over the arrow (labelArrows).
	freeLabel string
}

// attachTolerance is how far (in diagram pixels) an edge's free end may lie
// outside a shape and still attach to it: the rule every importer of drawn
// formats shares (graph.EndTolerance, graph.NearestRect).
const attachTolerance = graph.EndTolerance

// resolveEdges finds the shape at each end of every visible edge: by the
// source/target attribute, else by where its end point lies.
func (b *builder) resolveEdges() []edge {
	var attachable, zones, frames []int
	for _, i := range b.topo {
		c := b.cells[i]
		switch {
		case !c.hasGeo:
		case c.role == roleComponent && !(c.label == "" && c.st.isRectLike() && !c.idRef):
			attachable = append(attachable, i)
		case c.role == roleCandidate && c.weak:
			zones = append(zones, i)
		case c.role == roleBoundary || c.role == roleCandidate:
			frames = append(frames, i)
		}
	}
	frames = append(zones, frames...)
	var edges []edge
	for _, i := range b.topo {
		c := b.cells[i]
		if c.kind != kindEdge || c.hidden {
			continue
		}
		e := edge{cell: i}
		if b.insideLegend(i) {
			e.skip = true
			edges = append(edges, e)
			continue
		}
		origin := point{}
		if c.parent >= 0 {
			origin = point{b.cells[c.parent].abs.X, b.cells[c.parent].abs.Y}
		}
		e.src, e.srcWhy = b.resolveEnd(c.source, c.geo.sp, origin, "source", attachable, frames)
		e.dst, e.dstWhy = b.resolveEnd(c.target, c.geo.tp, origin, "target", attachable, frames)
		for _, u := range []int{e.src, e.dst} {
			if u >= 0 {
				b.cells[u].referenced = true
			}
		}
		edges = append(edges, e)
	}
	return edges
}

func (b *builder) insideLegend(i int) bool {
	for x, n := b.cells[i].parent, 0; x >= 0 && n <= b.limits.MaxDepth; x, n = b.cells[x].parent, n+1 {
		c := b.cells[x]
		if c.legend || (c.role == roleAbsorbed && c.alias == -1) {
			return true
		}
	}
	return false
}

// resolveEnd finds the unit at one end of an edge: the cell named by id
// (walking up from text and parts to the unit they belong to), else the
// shape under or next to the free end point p.
func (b *builder) resolveEnd(id string, p *point, origin point, end string, attachable, frames []int) (int, string) {
	if id != "" {
		return b.resolveID(id, end)
	}
	if p == nil {
		return -1, fmt.Sprintf("its %s end is not connected to any shape", end)
	}
	at := graph.Point{X: origin.x + p.x, Y: origin.y + p.y}
	if !b.spend(len(attachable) + len(frames)) {
		return -1, fmt.Sprintf("its %s end is not connected to a shape (position not checked: page too complex)", end)
	}
	if k := b.nearestShape(at, attachable); k >= 0 {
		return k, ""
	}
	// A labelled rectangle that may yet turn out to be a zone: the end
	// lies on it (a card with an arrow into its middle). Not an area
	// titled by a text inside it: that was drawn as a zone, not a card.
	for _, k := range frames {
		if c := b.cells[k]; c.weak && !c.titled && c.abs.ContainsPoint(at) {
			return k, ""
		}
	}
	// An end on (or next to) a container's border attaches to the container.
	for _, k := range frames {
		if d := borderDistance(b.cells[k].abs, at); d <= attachTolerance {
			return k, ""
		}
	}
	return -1, fmt.Sprintf("its %s end (%g, %g) is not connected to a shape: it lies %s", end, at.X, at.Y, b.describeSpot(at))
}

// resolveID resolves an end named by cell id.
func (b *builder) resolveID(id, end string) (int, string) {
	k, ok := b.byID[id]
	if !ok {
		return -1, fmt.Sprintf("its %s %q does not exist", end, id)
	}
	if b.cells[k].hidden {
		return -1, fmt.Sprintf("its %s %q is hidden", end, id)
	}
	for x, n := k, 0; x >= 0 && n <= b.limits.MaxDepth+1; x, n = b.cells[x].parent, n+1 {
		c := b.cells[x]
		switch c.kind {
		case kindEdge:
			return -1, fmt.Sprintf("its %s %q is another edge", end, c.id)
		case kindRoot, kindLayer, kindOther:
			return -1, fmt.Sprintf("its %s %q is not a shape", end, id)
		}
		switch c.role {
		case roleComponent, roleCandidate, roleBoundary:
			return x, ""
		case roleAbsorbed:
			switch {
			case c.alias >= 0:
				return c.alias, ""
			case c.alias == -1:
				return -1, fmt.Sprintf("its %s %q is part of a legend", end, id)
			}
			return -1, fmt.Sprintf("its %s %q is a text cell, not a shape", end, id)
		case roleLabel:
			return -1, fmt.Sprintf("its %s %q is an edge label", end, id)
		}
		// A note: the edge belongs to whatever the note sits in.
	}
	return -1, fmt.Sprintf("its %s %q is a text cell, not a shape", end, id)
}

// nearestShape returns the shape the point at lies on (the smallest one
// when several overlap), else the nearest within attachTolerance, else -1:
// graph.NearestRect over the candidates.
func (b *builder) nearestShape(at graph.Point, cands []int) int {
	k, _ := graph.NearestRect(at, len(cands), func(i int) graph.Rect { return b.cells[cands[i]].abs }, attachTolerance)
	if k < 0 {
		return -1
	}
	return cands[k]
}

// describeSpot says where a point that attaches to nothing lies, for the
// warning: inside a boundary, on a shape that is not a component (a note,
// a decoration), or in empty space.
func (b *builder) describeSpot(at graph.Point) string {
	if !b.spend(len(b.topo)) {
		return "at a position not checked (page too complex)"
	}
	best := -1
	for _, i := range b.topo {
		c := b.cells[i]
		if !b.isShape(i) || !c.hasGeo || !c.abs.ContainsPoint(at) {
			continue
		}
		if best < 0 || area(c.abs) <= area(b.cells[best].abs) {
			best = i
		}
	}
	if best < 0 {
		return "in empty space"
	}
	c := b.cells[best]
	name := labeltext.OneLine(c.label)
	switch {
	case c.role == roleBoundary || c.role == roleCandidate:
		return fmt.Sprintf("inside boundary %q (%q) but on no shape", c.id, name)
	case c.role == roleNote:
		return fmt.Sprintf("on the text or note %q (%q)", c.id, name)
	case c.role == roleAbsorbed && c.alias == -1:
		return fmt.Sprintf("on the legend's shape %q", c.id)
	case name == "":
		return fmt.Sprintf("on decoration %q (an unlabelled %s)", c.id, shapeWord(c))
	}
	return fmt.Sprintf("on shape %q (%q)", c.id, name)
}

func shapeWord(c *cell) string {
	if h := c.st.shapeHint(); h != "" {
		return "shape " + h
	}
	return "rectangle"
}

// borderDistance is the distance from p to the outline of r.
func borderDistance(r graph.Rect, p graph.Point) float64 {
	if d := r.Distance(p); d > 0 {
		return d
	}
	return math.Min(math.Min(p.X-r.X, r.X+r.W-p.X), math.Min(p.Y-r.Y, r.Y+r.H-p.Y))
}

func area(r graph.Rect) float64 { return r.W * r.H }

// emitFlows adds a flow for every edge whose two ends are components or
// containers, in document order, and a warning for every other edge.
func (b *builder) emitFlows(edges []edge) {
	sort.SliceStable(edges, func(x, y int) bool { return b.cells[edges[x].cell].order < b.cells[edges[y].cell].order })
	for _, e := range edges {
		if e.skip {
			continue
		}
		c := b.cells[e.cell]
		if e.src < 0 || e.dst < 0 {
			why := e.srcWhy
			if why == "" {
				why = e.dstWhy
			} else if e.dstWhy != "" {
				why += ", and " + e.dstWhy
			}
			b.warn(c.id, "edge dropped: %s", why)
			continue
		}
		_, bad := b.endpoint(e.src, "source")
		if bad == "" {
			_, bad = b.endpoint(e.dst, "target")
		}
		if bad != "" {
			b.warn(c.id, "edge dropped: %s", bad)
			continue
		}
		b.d.AddFlow(b.flow(e))
	}
	b.joinThroughDots()
}

// endpoint makes sure unit u can be a flow's end: a component as it is, a
// container through the component that stands for it (see containerEnd).
// It returns why not otherwise.
func (b *builder) endpoint(u int, end string) (string, string) {
	c := b.cells[u]
	switch c.role {
	case roleComponent:
		return c.id, ""
	case roleBoundary:
		return b.containerEnd(u), ""
	case roleNote:
		return "", fmt.Sprintf("its %s %q is a note or title, not a component", end, c.id)
	default:
		return "", fmt.Sprintf("its %s %q is not a component", end, c.id)
	}
}

// containerEnd returns the component that stands for container u as a
// flow's end, creating it on first use. The convention, shared by every
// importer: its ID is the container's id, its Label the container's label,
// its Boundary the container's own boundary (so a flow into it crosses
// that boundary), Attributes["represents"] = "boundary", and one warning
// per container says edges were attached to it as a whole.
func (b *builder) containerEnd(u int) string {
	c := b.cells[u]
	if b.proxies[u] {
		return c.id
	}
	if b.proxies == nil {
		b.proxies = map[int]bool{}
	}
	b.proxies[u] = true
	comp := &graph.Component{
		ID:         c.id,
		Label:      c.label,
		Shape:      c.st.shapeHint(),
		Attributes: map[string]string{"represents": "boundary"},
		Boundary:   c.id,
		Pos:        b.pos(c.id),
		Geometry:   rectPtr(c),
		Style:      c.rawSty,
	}
	copyProps(comp.Attributes, c.props)
	comp.Attributes["represents"] = "boundary"
	b.d.AddComponent(comp) // ids are unique among cells: cannot fail
	b.warn(c.id, "edge attached to the container %q as a whole: it stands for everything inside it as one component", labeltext.OneLine(c.label))
	return c.id
}

func (b *builder) flow(e edge) *graph.Flow {
	c := b.cells[e.cell]
	parts := []string{c.label}
	for _, k := range c.children {
		if b.cells[k].role == roleLabel {
			parts = append(parts, b.cells[k].label)
		}
	}
	parts = append(parts, e.freeLabel)
	f := &graph.Flow{
		ID:         c.id,
		Source:     b.cells[e.src].id,
		Target:     b.cells[e.dst].id,
		Label:      joinNonEmpty(parts),
		Attributes: map[string]string{},
		Pos:        b.pos(c.id),
		Style:      c.rawSty,
	}
	copyProps(f.Attributes, c.props)
	if t := strings.TrimSpace(c.props["c4Technology"]); t != "" {
		f.Attributes["technology"] = t
	}
	var ox, oy float64
	if c.parent >= 0 {
		ox, oy = b.cells[c.parent].abs.X, b.cells[c.parent].abs.Y
	}
	abs := func(p point) graph.Point { return graph.Point{X: ox + p.x, Y: oy + p.y} }
	for _, p := range c.geo.points {
		f.Waypoints = append(f.Waypoints, abs(p))
	}
	// draw.io keeps a stale sourcePoint/targetPoint on an end that was
	// later attached to a shape; only a free end's point means anything.
	if c.geo.sp != nil && c.source == "" {
		p := abs(*c.geo.sp)
		f.SourcePoint = &p
	}
	if c.geo.tp != nil && c.target == "" {
		p := abs(*c.geo.tp)
		f.TargetPoint = &p
	}
	f.LabelAt = b.labelPlace(c)
	endArrow, hasEnd := c.st.kv["endArrow"]
	if !hasEnd {
		endArrow = "classic" // draw.io's default edge style
	}
	startArrow := c.st.get("startArrow")
	noEnd := endArrow == "" || endArrow == "none"
	noStart := startArrow == "" || startArrow == "none"
	switch {
	case noEnd && noStart:
		f.Undirected = true
		f.Bidirectional = true
	case !noEnd && !noStart:
		f.Bidirectional = true
	case noEnd:
		// Only a start arrow: the data flows towards the source.
		f.Source, f.Target = f.Target, f.Source
		f.SourcePoint, f.TargetPoint = f.TargetPoint, f.SourcePoint
		if f.LabelAt != nil {
			rev := f.LabelAt.Reversed()
			f.LabelAt = &rev
		}
		for l, r := 0, len(f.Waypoints)-1; l < r; l, r = l+1, r-1 {
			f.Waypoints[l], f.Waypoints[r] = f.Waypoints[r], f.Waypoints[l]
		}
	}
	return f
}

// labelPlace is where an edge's label sits along it, from draw.io's label
// geometry: the edge's own (x along the edge in [-1, 1], y across it, and
// the offset point) when the edge has text, else that of its first label
// cell with text (a relative child, centred on the point plus half its
// size). It returns nil for a label in the middle of the edge.
func (b *builder) labelPlace(c *cell) *graph.EdgeLabel {
	geo, ok := c.geo, c.label != ""
	if !ok {
		for _, k := range c.children {
			if l := b.cells[k]; l.role == roleLabel && l.label != "" && l.hasGeo && l.geo.relative {
				geo, ok = l.geo, true
				geo.offset = &point{x: offsetX(l.geo) + l.geo.w/2, y: offsetY(l.geo) + l.geo.h/2}
				break
			}
		}
	}
	if !ok {
		return nil
	}
	if !geo.relative {
		geo.x, geo.y = 0, 0 // not a place along the edge
	}
	at := graph.EdgeLabel{Along: math.Max(-1, math.Min(1, geo.x)), Across: geo.y,
		Offset: graph.Point{X: offsetX(geo), Y: offsetY(geo)}}
	if at == (graph.EdgeLabel{}) {
		return nil
	}
	return &at
}

func offsetX(g geometry) float64 {
	if g.offset == nil {
		return 0
	}
	return g.offset.x
}

func offsetY(g geometry) float64 {
	if g.offset == nil {
		return 0
	}
	return g.offset.y
}
