package layered

import (
	"github.com/threatmap/threatmap/graph"
)

// route gives every edge a polyline: from the source box's border through
// the waypoints of its lifted pair (offset when several edges share the
// pair, so that they run side by side) to the target box's border, and a
// label point between layers.
func (s *state) route() {
	for i, e := range s.g.Edges {
		nn := len(s.g.Nodes)
		if e.From < 0 || e.From >= nn || e.To < 0 || e.To >= nn {
			continue
		}
		src, dst := s.res.Nodes[e.From], s.res.Nodes[e.To]
		if e.From == e.To {
			s.res.Routes[i] = loop(src)
			s.res.Labels[i] = graph.Point{X: src.X + src.W + 30, Y: src.Y + src.H/2}
			continue
		}
		L := s.levels[s.edgeLevel[i]]
		p := L.pairs[[2]int{s.edgeA[i], s.edgeB[i]}]
		var wp []graph.Point
		if p != nil && len(p.waypoints) > 0 {
			k := s.edgeSlot[i]
			off := (float64(k) - float64(len(p.edges)-1)/2) * s.bundleSep(len(p.edges))
			wp = make([]graph.Point, len(p.waypoints))
			for j, q := range p.waypoints {
				if s.lr {
					q.Y += off
				} else {
					q.X += off
				}
				wp[j] = q
			}
		}
		pts := make([]graph.Point, 0, len(wp)+2)
		next, prev := center(dst), center(src)
		if len(wp) > 0 {
			next, prev = wp[0], wp[len(wp)-1]
		}
		pts = append(pts, src.Clip(next))
		pts = append(pts, wp...)
		pts = append(pts, dst.Clip(prev))
		s.res.Routes[i] = pts
		s.res.Labels[i] = labelPoint(pts, wp)
	}
}

// maxBundle bounds the width of a bundle of edges sharing waypoints, in
// edge separations: a large bundle packs its edges closer instead of
// spreading across the picture.
const maxBundle = 6

// bundleSep is the distance between neighbouring edges of a bundle of m.
func (s *state) bundleSep(m int) float64 {
	if m <= 1 {
		return 0
	}
	return s.g.EdgeSep * min(1, maxBundle/float64(m-1))
}

// labelPoint is the first waypoint when the route has some (they lie
// between boxes), else the middle of the route.
func labelPoint(pts, wp []graph.Point) graph.Point {
	if len(wp) >= 2 {
		return graph.Point{X: (wp[0].X + wp[1].X) / 2, Y: (wp[0].Y + wp[1].Y) / 2}
	}
	if len(wp) == 1 {
		return wp[0]
	}
	a, b := pts[0], pts[len(pts)-1]
	return graph.Point{X: (a.X + b.X) / 2, Y: (a.Y + b.Y) / 2}
}

func center(r graph.Rect) graph.Point { return r.Center() }

// loop is a small loop on the right side of r.
func loop(r graph.Rect) []graph.Point {
	x, y := r.X+r.W, r.Y+r.H/2
	return []graph.Point{{X: x, Y: y - 10}, {X: x + 30, Y: y - 10}, {X: x + 30, Y: y + 10}, {X: x, Y: y + 10}}
}
