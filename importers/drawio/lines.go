package drawio

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/labeltext"
)

// Zones drawn as lines: the classic DFD trust boundary is a dashed (often
// red) curve drawn across the flows that cross it, as Threat Dragon draws
// it too. In draw.io it is an edge with two free ends.
//
// How the model represents it: a graph.Boundary, Inferred, with
// Attributes["shape"] = "line" and Attributes["points"] holding the
// line's absolute polyline ("x1,y1 x2,y2 ..."), Geometry its bounding box.
// The line, extended straight past both ends, splits the page in two; the
// top-level components on the side with fewer components are its members,
// so graph.Crossings reports the boundary for every flow between the two
// sides, like any other boundary. Each flow whose drawn path actually
// crosses the line also lists the line's id in Attributes["crosses"]
// (comma-separated), for readers that want the drawn facts. A dashed or
// red free line that no flow crosses is decoration, dropped with a
// warning.

// lineCandidate reports whether edge e is a free dashed or red line: no
// source or target id, both end points given.
func (b *builder) lineCandidate(e *edge) bool {
	c := b.cells[e.cell]
	if c.source != "" || c.target != "" || c.geo.sp == nil || c.geo.tp == nil {
		return false
	}
	return c.st.dashed() || isRed(c.st.get("strokeColor"))
}

// isRed reports strong reds: #f00, #FF0000, #b85450, "red".
func isRed(color string) bool {
	color = strings.ToLower(strings.TrimSpace(color))
	if color == "red" {
		return true
	}
	if !strings.HasPrefix(color, "#") {
		return false
	}
	h := color[1:]
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		return false
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return false
	}
	r, g, bl := v>>16, (v>>8)&0xff, v&0xff
	return r >= 0xb0 && g <= 0x60 && bl <= 0x60
}

// takeLines sets aside the free dashed or red lines among edges, so they
// are not reported as unconnected edges; lineBoundaries decides them.
func (b *builder) takeLines(edges []edge) []int {
	var lines []int
	for x := range edges {
		e := &edges[x]
		if !e.skip && e.src < 0 && e.dst < 0 && b.lineCandidate(e) {
			e.skip = true
			lines = append(lines, e.cell)
		}
	}
	return lines
}

// edgePoints is the absolute polyline of a free edge.
func (b *builder) edgePoints(i int) []graph.Point {
	c := b.cells[i]
	var ox, oy float64
	if c.parent >= 0 {
		ox, oy = b.cells[c.parent].abs.X, b.cells[c.parent].abs.Y
	}
	pts := []graph.Point{{X: ox + c.geo.sp.x, Y: oy + c.geo.sp.y}}
	for _, p := range c.geo.points {
		pts = append(pts, graph.Point{X: ox + p.x, Y: oy + p.y})
	}
	return append(pts, graph.Point{X: ox + c.geo.tp.x, Y: oy + c.geo.tp.y})
}

// lineBoundaries turns each line that flows cross into a boundary (see
// the comment at the top of this file).
func (b *builder) lineBoundaries(lines []int) {
	if len(lines) == 0 {
		return
	}
	paths := make([][]graph.Point, len(b.d.Flows))
	segs := 0
	for k, f := range b.d.Flows {
		paths[k] = b.flowPath(f)
		segs += len(paths[k])
	}
	lineSegs := 0
	for _, i := range lines {
		lineSegs += len(b.cells[i].geo.points) + 1
	}
	if !b.spend(lineSegs*segs + len(lines)*len(b.d.Components)) {
		return
	}
	for _, i := range lines {
		c := b.cells[i]
		pts := b.edgePoints(i)
		var crossing []*graph.Flow
		for k, f := range b.d.Flows {
			if paths[k] != nil && graph.PolylinesCross(paths[k], pts) {
				crossing = append(crossing, f)
			}
		}
		if len(crossing) == 0 {
			b.warn(c.id, "dashed or red line crosses no flow: decoration, ignored")
			continue
		}
		b.addLineBoundary(c, pts, crossing)
	}
}

func (b *builder) addLineBoundary(c *cell, pts []graph.Point, crossing []*graph.Flow) {
	label, derived := c.label, false
	if label == "" {
		label, derived = "Trust boundary", true
	}
	var coords []string
	box := graph.Rect{X: pts[0].X, Y: pts[0].Y}
	for _, p := range pts {
		coords = append(coords, strconv.FormatFloat(p.X, 'g', -1, 64)+","+strconv.FormatFloat(p.Y, 'g', -1, 64))
		box = growRect(box, p)
	}
	bd := &graph.Boundary{
		ID: c.id, Label: label, LabelDerived: derived, Inferred: true, Pos: b.pos(c.id), Geometry: &box, Style: c.rawSty,
		Attributes: map[string]string{"shape": "line", "points": strings.Join(coords, " ")},
	}
	copyProps(bd.Attributes, c.props)
	if err := b.d.AddBoundary(bd); err != nil {
		return // ids are unique among cells
	}
	for _, f := range crossing {
		f.Attributes["crosses"] = joinComma(f.Attributes["crosses"], c.id)
	}
	inside := graph.SmallerSide(b.d.Components, pts, "")
	for _, comp := range inside {
		comp.Boundary = c.id
	}
	b.warn(c.id, "trust boundary %q inferred from a dashed or red line that %d flow(s) cross; %d component(s) on its smaller side are inside it", labeltext.OneLine(label), len(crossing), len(inside))
}

func joinComma(list, id string) string {
	if list == "" {
		return id
	}
	parts := append(strings.Split(list, ","), id)
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func growRect(r graph.Rect, p graph.Point) graph.Rect {
	x0, y0 := math.Min(r.X, p.X), math.Min(r.Y, p.Y)
	x1, y1 := math.Max(r.X+r.W, p.X), math.Max(r.Y+r.H, p.Y)
	return graph.Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

// flowPath is a flow's drawn path: its end points or its ends' centres,
// through its waypoints; nil when an end has no geometry.
func (b *builder) flowPath(f *graph.Flow) []graph.Point {
	end := func(p *graph.Point, id string) (graph.Point, bool) {
		if p != nil {
			return *p, true
		}
		c := b.d.Component(id)
		if c == nil || c.Geometry == nil {
			return graph.Point{}, false
		}
		g := c.Geometry
		return graph.Point{X: g.X + g.W/2, Y: g.Y + g.H/2}, true
	}
	s, ok1 := end(f.SourcePoint, f.Source)
	t, ok2 := end(f.TargetPoint, f.Target)
	if !ok1 || !ok2 {
		return nil
	}
	pts := append([]graph.Point{s}, f.Waypoints...)
	return append(pts, t)
}
