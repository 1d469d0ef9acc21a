package layout

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// The geometry the layout reads back from Graphviz: the attributes of its
// json0 format that it uses (gvBuilt.read makes the same strings from
// Graphviz's layout records).
type gvGraph struct {
	BB      string     `json:"bb"`
	Objects []gvObject `json:"objects"`
	Edges   []gvEdge   `json:"edges"`
}

type gvObject struct {
	Name string `json:"name"`
	BB   string `json:"bb"`
	Pos  string `json:"pos"`
}

type gvEdge struct {
	Pos     string `json:"pos"`
	LP      string `json:"lp"`
	TMIndex string `json:"tmindex"`
}

// fromGraphviz turns the geometry read back from Graphviz into a Layout,
// flipping the y axis (Graphviz's points up).
func fromGraphviz(d *graph.Diagram, gj *gvGraph, notes map[int]string) (*Layout, error) {
	bb := floats(gj.BB)
	if len(bb) != 4 {
		return nil, fmt.Errorf("graphviz output has no bounding box")
	}
	height := bb[3]
	flip := func(x, y float64) graph.Point { return graph.Point{X: x, Y: height - y} }
	byName := map[string]gvObject{}
	for _, o := range gj.Objects {
		byName[o.Name] = o
	}
	l := &Layout{Engine: EngineGraphviz}
	for i, c := range d.Components {
		o, ok := byName["n"+strconv.Itoa(i)]
		p := floats(o.Pos)
		if !ok || len(p) != 2 {
			return nil, fmt.Errorf("graphviz did not place component %q", c.ID)
		}
		w, h := NodeSize(c)
		ctr := flip(p[0], p[1])
		l.Nodes = append(l.Nodes, Node{ID: c.ID, Rect: graph.Rect{X: ctr.X - w/2, Y: ctr.Y - h/2, W: w, H: h}})
	}
	for i, b := range d.Boundaries {
		o := byName["cluster_"+strconv.Itoa(i)]
		r := floats(o.BB)
		if len(r) != 4 {
			l.Warnings = append(l.Warnings, fmt.Sprintf("graphviz did not place boundary %q; not drawn", b.ID))
			continue
		}
		tl := flip(r[0], r[3])
		rect := graph.Rect{X: tl.X, Y: tl.Y, W: r[2] - r[0], H: r[3] - r[1]}
		l.Containers = append(l.Containers, Container{ID: b.ID, Rect: rect, Label: labelStrip(rect), Depth: d.Depth(b.ID)})
	}
	routed := make([]bool, len(d.Flows))
	for _, e := range gj.Edges {
		i, err := strconv.Atoi(e.TMIndex)
		if err != nil || i < 0 || i >= len(d.Flows) || routed[i] {
			continue
		}
		f := d.Flows[i]
		pts := splinePoints(e.Pos, flip)
		if len(pts) < 2 {
			continue
		}
		routed[i] = true
		edge := Edge{ID: f.ID, Index: i, Source: f.Source, Target: f.Target, Points: pts, Curved: len(pts) >= 4 && (len(pts)-1)%3 == 0}
		at := midpoint(edge.Polyline())
		if lp := floats(e.LP); len(lp) == 2 {
			at = flip(lp[0], lp[1])
		}
		edge.LabelLines, edge.Label, edge.Note = labelBoxes(at, f.Label, notes[i])
		l.Edges = append(l.Edges, edge)
	}
	unrouted(l, d, routed, notes)
	attachStandIns(l, d, notes)
	l.computeBounds()
	return l, nil
}

// unrouted gives every flow Graphviz left without a route (it gives up on
// some splines in large clustered graphs) a straight route between its
// boxes, with a warning, so that no flow goes undrawn. Edges stay in
// diagram order.
func unrouted(l *Layout, d *graph.Diagram, routed []bool, notes map[int]string) {
	var missing []string
	for i, f := range d.Flows {
		if routed[i] {
			continue
		}
		s, t := l.Node(f.Source), l.Node(f.Target)
		if s == nil || t == nil {
			continue
		}
		e := Edge{ID: f.ID, Index: i, Source: f.Source, Target: f.Target, Points: straightRoute(s.Rect, t.Rect, nil, nil, nil)}
		e.LabelLines, e.Label, e.Note = labelBoxes(midpoint(e.Points), f.Label, notes[i])
		l.Edges = append(l.Edges, e)
		missing = append(missing, fmt.Sprintf("%q", f.ID))
	}
	if len(missing) == 0 {
		return
	}
	sort.SliceStable(l.Edges, func(a, b int) bool { return l.Edges[a].Index < l.Edges[b].Index })
	n := len(missing)
	if n > 5 {
		missing = append(missing[:5:5], fmt.Sprintf("and %d more", n-5))
	}
	l.Warnings = append(l.Warnings, fmt.Sprintf("Graphviz gave no route to %d flow(s) (%s); drawn as straight lines", n, strings.Join(missing, ", ")))
}

// splinePoints parses an edge pos attribute ("s,x,y e,x,y x,y x,y ...");
// arrow end points are dropped since edges are laid out without heads.
func splinePoints(pos string, flip func(x, y float64) graph.Point) []graph.Point {
	// Multiple splines are separated by ';': keep the first.
	pos, _, _ = strings.Cut(pos, ";")
	var pts []graph.Point
	for _, f := range strings.Fields(pos) {
		if strings.HasPrefix(f, "s,") || strings.HasPrefix(f, "e,") {
			continue
		}
		if v := floats(f); len(v) == 2 {
			pts = append(pts, flip(v[0], v[1]))
		}
	}
	return pts
}

// floats parses a comma-separated list of numbers; nil on any error.
func floats(s string) []float64 {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]float64, 0, len(parts))
	for _, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil
		}
		out = append(out, v)
	}
	return out
}
