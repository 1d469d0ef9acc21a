package graph

import "math"

// Trust boundaries drawn as lines (a dashed or red curve across a data
// flow diagram) are polylines: a flow crosses the boundary when its drawn
// path crosses the line, and the components on one side of it are inside.
// The importers that read such lines (draw.io, Threat Dragon) share these.

// PolylinesCross reports whether any segment of a properly crosses any
// segment of b (touching at an end point does not count).
func PolylinesCross(a, b []Point) bool {
	for i := 0; i+1 < len(a); i++ {
		for j := 0; j+1 < len(b); j++ {
			if segmentsCross(a[i], a[i+1], b[j], b[j+1]) {
				return true
			}
		}
	}
	return false
}

func cross(o, a, b Point) float64 { return (a.X-o.X)*(b.Y-o.Y) - (a.Y-o.Y)*(b.X-o.X) }

// segmentsCross reports a proper intersection of pq and rs.
func segmentsCross(p, q, r, s Point) bool {
	d1, d2 := cross(r, s, p), cross(r, s, q)
	d3, d4 := cross(p, q, r), cross(p, q, s)
	return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
}

// SideOf says on which side (0 or 1) of the polyline pts (two points or
// more), extended straight past both ends, the point p lies: the side of
// the nearest segment, the end segments counting as infinite rays.
func SideOf(pts []Point, p Point) int {
	best, bestD := 0, math.Inf(1)
	for i := 0; i+1 < len(pts); i++ {
		d := segDistance(pts[i], pts[i+1], p, i == 0, i+2 == len(pts))
		if d < bestD {
			best, bestD = i, d
		}
	}
	if cross(pts[best], pts[best+1], p) < 0 {
		return 1
	}
	return 0
}

// segDistance is the distance from p to segment ab, open at a or b when
// that end is extended to infinity.
func segDistance(a, b, p Point, openA, openB bool) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p.X-a.X, p.Y-a.Y)
	}
	t := ((p.X-a.X)*dx + (p.Y-a.Y)*dy) / l2
	if t < 0 && !openA {
		t = 0
	}
	if t > 1 && !openB {
		t = 1
	}
	return math.Hypot(p.X-(a.X+t*dx), p.Y-(a.Y+t*dy))
}

// SmallerSide splits the components drawn in the box around (those whose
// Boundary is around and that have a geometry) by the side of the
// polyline pts their centres lie on, and returns the smaller group: the
// components a trust boundary drawn as a line encloses. Ties go to side 0.
func SmallerSide(comps []*Component, pts []Point, around string) []*Component {
	var sides [2][]*Component
	for _, c := range comps {
		if c.Boundary != around || c.Geometry == nil {
			continue
		}
		g := c.Geometry
		s := SideOf(pts, Point{X: g.X + g.W/2, Y: g.Y + g.H/2})
		sides[s] = append(sides[s], c)
	}
	if len(sides[1]) < len(sides[0]) {
		return sides[1]
	}
	return sides[0]
}
