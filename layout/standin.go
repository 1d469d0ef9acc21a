package layout

import (
	"github.com/threatmap/threatmap/graph"
)

// A stand-in is the component an importer creates for a container that an
// edge ends on (Attributes["represents"] = "boundary", its ID the
// boundary's): the container is drawn, the stand-in is not.

// StandInSize is the side of a stand-in's box in the generated layouts:
// a small point inside its container that routes aim at, never drawn.
const StandInSize = 24.0

// isStandIn reports whether c stands for the boundary with its own ID.
func isStandIn(c *graph.Component) bool {
	return c != nil && c.Attributes["represents"] == "boundary" && c.Boundary == c.ID
}

// attachStandIns makes the flows of stand-ins end on their container's
// border, as they do in the source layout: each stand-in takes its
// container's box, and a route to or from it is cut where it enters the
// container (from outside; a route from inside keeps its end), with its
// label moved to the middle of what is left. notes are the flows' notes
// (Options.EdgeNotes), to keep their room.
func attachStandIns(l *Layout, d *graph.Diagram, notes map[int]string) {
	rects := map[string]graph.Rect{}
	for _, c := range d.Components {
		if !isStandIn(c) {
			continue
		}
		n, ct := l.Node(c.ID), l.Container(c.ID)
		if n == nil || ct == nil || ct.Line != nil {
			continue
		}
		n.Rect = ct.Rect
		rects[c.ID] = ct.Rect
	}
	if len(rects) == 0 {
		return
	}
	for k := range l.Edges {
		e := &l.Edges[k]
		cut := false
		if r, ok := rects[e.Target]; ok {
			if pts, ok := cutAtEntry(e.Points, e.Curved, r); ok {
				e.Points, cut = pts, true
			}
		}
		if r, ok := rects[e.Source]; ok {
			if pts, ok := cutAtEntry(reversed(e.Points), e.Curved, r); ok {
				e.Points, cut = reversed(pts), true
			}
		}
		if cut && e.Index < len(d.Flows) {
			e.LabelLines, e.Label, e.Note = labelBoxes(midpoint(e.Polyline()), d.Flows[e.Index].Label, notes[e.Index])
		}
	}
}

func reversed(pts []graph.Point) []graph.Point {
	out := make([]graph.Point, len(pts))
	for i, p := range pts {
		out[len(pts)-1-i] = p
	}
	return out
}

// inside reports whether p lies strictly inside r.
func inside(r graph.Rect, p graph.Point) bool {
	return p.X > r.X && p.X < r.X+r.W && p.Y > r.Y && p.Y < r.Y+r.H
}

// cutAtEntry returns the route pts (a polyline, or when curved the
// control points of cubic Bézier pieces) up to where it first enters r,
// ending on r's border; ok is false when the route starts inside r or
// never enters it.
func cutAtEntry(pts []graph.Point, curved bool, r graph.Rect) ([]graph.Point, bool) {
	if len(pts) < 2 || inside(r, pts[0]) {
		return nil, false
	}
	if !curved || len(pts) < 4 || (len(pts)-1)%3 != 0 {
		for i := 1; i < len(pts); i++ {
			if !inside(r, pts[i]) {
				continue
			}
			t := entry(func(t float64) graph.Point { return lerp(pts[i-1], pts[i], t) }, r)
			out := append([]graph.Point(nil), pts[:i]...)
			if p := lerp(pts[i-1], pts[i], t); dist(p, pts[i-1]) > 0.01 || len(out) < 2 {
				out = append(out, p)
			}
			return out, true
		}
		return nil, false
	}
	const samples = 16
	for i := 0; i+3 < len(pts); i += 3 {
		p0, p1, p2, p3 := pts[i], pts[i+1], pts[i+2], pts[i+3]
		at := func(t float64) graph.Point { return bezier(p0, p1, p2, p3, t) }
		for s := 1; s <= samples; s++ {
			t1 := float64(s) / samples
			if !inside(r, at(t1)) {
				continue
			}
			t0 := float64(s-1) / samples
			t := t0 + (t1-t0)*entry(func(u float64) graph.Point { return at(t0 + (t1-t0)*u) }, r)
			if dist(at(t), p0) < 0.01 && i > 0 {
				// The previous piece ends on the border: stop there.
				return append([]graph.Point(nil), pts[:i+1]...), true
			}
			// The first part of the piece, split at t (de Casteljau).
			a, b, c := lerp(p0, p1, t), lerp(p1, p2, t), lerp(p2, p3, t)
			ab, bc := lerp(a, b, t), lerp(b, c, t)
			out := append(append([]graph.Point(nil), pts[:i+1]...), a, ab, lerp(ab, bc, t))
			return out, true
		}
	}
	return nil, false
}

// entry finds by bisection the parameter in [0, 1] where the curve f,
// outside r at 0 and inside at 1, crosses r's border.
func entry(f func(float64) graph.Point, r graph.Rect) float64 {
	lo, hi := 0.0, 1.0
	for k := 0; k < 40; k++ {
		mid := (lo + hi) / 2
		if inside(r, f(mid)) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo
}

func lerp(a, b graph.Point, t float64) graph.Point {
	return graph.Point{X: a.X + (b.X-a.X)*t, Y: a.Y + (b.Y-a.Y)*t}
}

func bezier(p0, p1, p2, p3 graph.Point, t float64) graph.Point {
	u := 1 - t
	return graph.Point{
		X: u*u*u*p0.X + 3*u*u*t*p1.X + 3*u*t*t*p2.X + t*t*t*p3.X,
		Y: u*u*u*p0.Y + 3*u*u*t*p1.Y + 3*u*t*t*p2.Y + t*t*t*p3.Y,
	}
}
