package layout

import (
	"math"

	"github.com/threatmap/threatmap/graph"
)

// straightRoute routes a flow as a polyline from src to dst through
// waypoints. Explicit end points (draw.io) are used as given; otherwise the
// ends are where the first and last legs leave the boxes.
func straightRoute(src, dst graph.Rect, waypoints []graph.Point, sp, tp *graph.Point) []graph.Point {
	waypoints = finitePoints(waypoints)
	// draw.io keeps stale end points on edges that are connected to
	// shapes; an end point counts only where it touches its shape.
	if sp != nil && !nearRect(src, *sp) {
		sp = nil
	}
	if tp != nil && !nearRect(dst, *tp) {
		tp = nil
	}
	if src == dst && len(waypoints) == 0 && sp == nil && tp == nil {
		return selfLoop(src)
	}
	pts := make([]graph.Point, 0, len(waypoints)+2)
	next := center(dst)
	if len(waypoints) > 0 {
		next = waypoints[0]
	}
	if sp != nil {
		pts = append(pts, *sp)
	} else {
		pts = append(pts, ClipToRect(src, next))
	}
	pts = append(pts, waypoints...)
	prev := center(src)
	if len(waypoints) > 0 {
		prev = waypoints[len(waypoints)-1]
	}
	if tp != nil {
		pts = append(pts, *tp)
	} else {
		pts = append(pts, ClipToRect(dst, prev))
	}
	return pts
}

// endSlack is how far outside its shape an explicit end point may lie.
const endSlack = 12.0

// nearRect reports whether p is finite and within endSlack of r.
func nearRect(r graph.Rect, p graph.Point) bool {
	return finite(p.X, p.Y) && p.X >= r.X-endSlack && p.X <= r.X+r.W+endSlack &&
		p.Y >= r.Y-endSlack && p.Y <= r.Y+r.H+endSlack
}

// finitePoints drops points with NaN, infinite or absurd coordinates.
func finitePoints(pts []graph.Point) []graph.Point {
	for _, p := range pts {
		if !finite(p.X, p.Y) {
			out := make([]graph.Point, 0, len(pts))
			for _, q := range pts {
				if finite(q.X, q.Y) {
					out = append(out, q)
				}
			}
			return out
		}
	}
	return pts
}

// selfLoop is a small loop on the right side of r.
func selfLoop(r graph.Rect) []graph.Point {
	x, y := r.X+r.W, r.Y+r.H/2
	return []graph.Point{{X: x, Y: y - 10}, {X: x + 30, Y: y - 10}, {X: x + 30, Y: y + 10}, {X: x, Y: y + 10}}
}

// midpoint returns the point at half the length of polyline pts.
func midpoint(pts []graph.Point) graph.Point {
	if len(pts) == 0 {
		return graph.Point{}
	}
	total := 0.0
	for i := 1; i < len(pts); i++ {
		total += dist(pts[i-1], pts[i])
	}
	half := total / 2
	for i := 1; i < len(pts); i++ {
		d := dist(pts[i-1], pts[i])
		if d >= half && d > 0 {
			t := half / d
			return graph.Point{X: pts[i-1].X + t*(pts[i].X-pts[i-1].X), Y: pts[i-1].Y + t*(pts[i].Y-pts[i-1].Y)}
		}
		half -= d
	}
	return pts[len(pts)-1]
}

func dist(a, b graph.Point) float64 { return math.Hypot(b.X-a.X, b.Y-a.Y) }

// routeEdges gives every flow whose ends are placed a route and a label
// box at its middle: straight, or with useWaypoints (the source layout)
// through the flow's waypoints and orthogonal where its draw.io style
// says so, with the label where the source puts it (Flow.LabelAt).
func routeEdges(l *Layout, d *graph.Diagram, useWaypoints bool, notes map[int]string) {
	for i, f := range d.Flows {
		s, t := l.Node(f.Source), l.Node(f.Target)
		if s == nil || t == nil {
			continue
		}
		var wp []graph.Point
		var sp, tp *graph.Point
		if useWaypoints {
			wp, sp, tp = f.Waypoints, f.SourcePoint, f.TargetPoint
		}
		e := Edge{ID: f.ID, Index: i, Source: f.Source, Target: f.Target}
		if rt := parseRouting(f.Style); useWaypoints && rt.orthogonal {
			e.Points = orthoRoute(s.Rect, t.Rect, wp, rt)
		} else {
			if useWaypoints && rt.exit != nil {
				p := rt.exit.at(s.Rect)
				sp = &p
			}
			if useWaypoints && rt.entry != nil {
				p := rt.entry.at(t.Rect)
				tp = &p
			}
			e.Points = straightRoute(s.Rect, t.Rect, wp, sp, tp)
		}
		at := midpoint(e.Points)
		if useWaypoints && f.LabelAt != nil {
			// Where the source draws the label along the route.
			if p := f.LabelAt.At(e.Points); finite(p.X, p.Y) {
				at = p
			}
		}
		e.LabelLines, e.Label, e.Note = labelBoxes(at, f.Label, notes[i])
		l.Edges = append(l.Edges, e)
	}
}
