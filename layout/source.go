package layout

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// Source keeps the diagram's own layout: components and boundaries at
// the positions and sizes the source gives, flows through their waypoints,
// with room for opts.EdgeNotes under the flow labels. Components without
// geometry are lined up below the drawing and boundaries without geometry
// enclose their members, each with a warning. A diagram without any layout
// gets the grid layout with a warning.
func Source(d *graph.Diagram, opts Options) *Layout {
	notes := opts.EdgeNotes
	if !d.HasLayout {
		l := Grid(d, opts)
		l.Warnings = append(l.Warnings, "diagram has no source layout; used a grid layout")
		return l
	}
	l := &Layout{Engine: EngineSource}
	var missing []*graph.Component
	for _, c := range d.Components {
		if g := c.Geometry; g != nil && g.W > 0 && g.H > 0 && finite(g.X, g.Y, g.W, g.H) {
			l.Nodes = append(l.Nodes, Node{ID: c.ID, Rect: *g})
		} else {
			missing = append(missing, c)
		}
	}
	placeMissing(l, missing)
	sourceContainers(l, d)
	routeEdges(l, d, true, notes)
	l.computeBounds()
	return l
}

// placeMissing lines components without geometry up below what is placed.
func placeMissing(l *Layout, missing []*graph.Component) {
	if len(missing) == 0 {
		return
	}
	l.computeBounds()
	x, y := l.Bounds.X, l.Bounds.Y+l.Bounds.H+60
	rowH := 0.0
	for _, c := range missing {
		w, h := NodeSize(c)
		if x > l.Bounds.X && x+w > l.Bounds.X+max(l.Bounds.W, 1200) {
			x, y, rowH = l.Bounds.X, y+rowH+40, 0
		}
		l.Nodes = append(l.Nodes, Node{ID: c.ID, Rect: graph.Rect{X: x, Y: y, W: w, H: h}})
		x += w + 40
		rowH = max(rowH, h)
	}
	l.Warnings = append(l.Warnings, fmt.Sprintf("%d component(s) without source geometry placed below the drawing", len(missing)))
}

// sourceContainers places boundaries: their own geometry, or the box around
// their members and nested boundaries (deepest first).
func sourceContainers(l *Layout, d *graph.Diagram) {
	type item struct {
		b     *graph.Boundary
		depth int
		order int
	}
	items := make([]item, len(d.Boundaries))
	for i, b := range d.Boundaries {
		items[i] = item{b, d.Depth(b.ID), i}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].depth > items[j].depth })
	rects := map[string]graph.Rect{}
	children := map[string][]string{}
	for _, b := range d.Boundaries {
		if b.Parent != "" {
			children[b.Parent] = append(children[b.Parent], b.ID)
		}
	}
	derived := 0
	for _, it := range items {
		b := it.b
		if g := b.Geometry; g != nil && g.W > 0 && g.H > 0 && finite(g.X, g.Y, g.W, g.H) {
			rects[b.ID] = *g
			continue
		}
		bb := bbox{}
		for _, m := range b.Members {
			if n := l.Node(m); n != nil {
				bb.addRect(n.Rect)
			}
		}
		for _, ch := range children[b.ID] {
			if r, ok := rects[ch]; ok {
				bb.addRect(r)
			}
		}
		if !bb.ok {
			continue
		}
		r := bb.rect()
		rects[b.ID] = graph.Rect{X: r.X - 20, Y: r.Y - 20 - LabelStrip, W: r.W + 40, H: r.H + 40 + LabelStrip}
		derived++
	}
	for _, b := range d.Boundaries {
		r, ok := rects[b.ID]
		if !ok {
			l.Warnings = append(l.Warnings, fmt.Sprintf("boundary %q has no geometry and no placed members; not drawn", b.ID))
			continue
		}
		c := Container{ID: b.ID, Rect: r, Label: labelStrip(r), Depth: d.Depth(b.ID)}
		if line := boundaryLine(b); len(line) >= 2 {
			c.Line, c.Label = line, lineLabel(line)
		}
		l.Containers = append(l.Containers, c)
	}
	if derived > 0 {
		l.Warnings = append(l.Warnings, fmt.Sprintf("%d boundary(ies) without source geometry drawn around their members", derived))
	}
}

// boundaryLine is the polyline of a boundary drawn as a line (the draw.io
// importer's Attributes["shape"] = "line", Attributes["points"] =
// "x1,y1 x2,y2 ..."); nil for a boundary drawn as a box.
func boundaryLine(b *graph.Boundary) []graph.Point {
	if b.Attributes["shape"] != "line" {
		return nil
	}
	var pts []graph.Point
	for _, f := range strings.Fields(b.Attributes["points"]) {
		xs, ys, ok := strings.Cut(f, ",")
		x, err1 := strconv.ParseFloat(xs, 64)
		y, err2 := strconv.ParseFloat(ys, 64)
		if !ok || err1 != nil || err2 != nil || !finite(x, y) {
			return nil
		}
		pts = append(pts, graph.Point{X: x, Y: y})
	}
	return pts
}

// lineLabel is where a line boundary's title goes: beside the line's top
// end.
func lineLabel(line []graph.Point) graph.Rect {
	p := line[0]
	if q := line[len(line)-1]; q.Y < p.Y {
		p = q
	}
	return graph.Rect{X: p.X + 6, Y: p.Y + 2, W: 220, H: LabelStrip - 2}
}

// labelStrip is the title strip at the top of a container box.
func labelStrip(r graph.Rect) graph.Rect {
	return graph.Rect{X: r.X + 6, Y: r.Y + 2, W: max(r.W-12, 0), H: min(LabelStrip-2, r.H)}
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if v != v || v > 1e9 || v < -1e9 {
			return false
		}
	}
	return true
}
