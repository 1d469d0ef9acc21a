package annotate

import (
	"math"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/picture"
)

func polyLength(pts []graph.Point) float64 {
	n := 0.0
	for i := 1; i < len(pts); i++ {
		n += math.Hypot(pts[i].X-pts[i-1].X, pts[i].Y-pts[i-1].Y)
	}
	return n
}

// pointAlong returns the point at arc length s along pts (clamped) and
// whether s was inside the polyline.
func pointAlong(pts []graph.Point, s float64) (graph.Point, bool) {
	if len(pts) == 0 {
		return graph.Point{}, false
	}
	if s < 0 {
		return pts[0], false
	}
	for i := 1; i < len(pts); i++ {
		d := math.Hypot(pts[i].X-pts[i-1].X, pts[i].Y-pts[i-1].Y)
		if s <= d && d > 0 {
			t := s / d
			return graph.Point{X: pts[i-1].X + t*(pts[i].X-pts[i-1].X), Y: pts[i-1].Y + t*(pts[i].Y-pts[i-1].Y)}, true
		}
		s -= d
	}
	return pts[len(pts)-1], false
}

// crossings returns the arc lengths along pts where the polyline crosses
// the border of r, in order along the polyline.
func crossings(pts []graph.Point, r graph.Rect) []float64 {
	corners := []graph.Point{{X: r.X, Y: r.Y}, {X: r.X + r.W, Y: r.Y}, {X: r.X + r.W, Y: r.Y + r.H}, {X: r.X, Y: r.Y + r.H}, {X: r.X, Y: r.Y}}
	return lineCrossings(pts, corners)
}

// boundaryCrossings is crossings for a picture boundary: its box, or the
// line it is drawn as.
func boundaryCrossings(pts []graph.Point, bd *picture.Boundary) []float64 {
	if len(bd.Line) >= 2 {
		return lineCrossings(pts, bd.Line)
	}
	return crossings(pts, bd.Rect)
}

// lineCrossings returns the arc lengths along pts where the polyline
// crosses the polyline border, in order along pts.
func lineCrossings(pts, border []graph.Point) []float64 {
	var out []float64
	acc := 0.0
	for i := 1; i < len(pts); i++ {
		p, q := pts[i-1], pts[i]
		seg := math.Hypot(q.X-p.X, q.Y-p.Y)
		var ts []float64
		for k := 1; k < len(border); k++ {
			if t, ok := segIntersect(p, q, border[k-1], border[k]); ok {
				ts = append(ts, t)
			}
		}
		// Order the hits on this segment.
		for a := 1; a < len(ts); a++ {
			for c := a; c > 0 && ts[c] < ts[c-1]; c-- {
				ts[c], ts[c-1] = ts[c-1], ts[c]
			}
		}
		for _, t := range ts {
			s := acc + t*seg
			if len(out) == 0 || s-out[len(out)-1] > 0.5 {
				out = append(out, s)
			}
		}
		acc += seg
	}
	return out
}

// segIntersect returns the parameter t along p→q where it meets a→b.
func segIntersect(p, q, a, b graph.Point) (float64, bool) {
	rx, ry := q.X-p.X, q.Y-p.Y
	sx, sy := b.X-a.X, b.Y-a.Y
	den := rx*sy - ry*sx
	if math.Abs(den) < 1e-12 {
		return 0, false // parallel: running along a border is not a crossing
	}
	t := ((a.X-p.X)*sy - (a.Y-p.Y)*sx) / den
	u := ((a.X-p.X)*ry - (a.Y-p.Y)*rx) / den
	if t < 0 || t > 1 || u < 0 || u > 1 {
		return 0, false
	}
	return t, true
}

func overlapArea(a, b graph.Rect) float64 {
	w := min(a.X+a.W, b.X+b.W) - max(a.X, b.X)
	h := min(a.Y+a.H, b.Y+b.H) - max(a.Y, b.Y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// spatial is a uniform grid of rectangles for fast overlap queries.
// Identical rectangles are stored once with a weight (many parallel flows
// put their labels on the same spot), so that a crowded spot costs one
// look per query, not one per label.
type spatial struct {
	cell   float64
	cells  map[[2]int][]int
	rects  []graph.Rect
	weight []float64
	index  map[graph.Rect]int // rectangle -> its id, to merge identical ones
	mark   []uint32           // mark[id] == gen: id already counted by the current query
	gen    uint32
}

func newSpatial(cell float64) *spatial {
	return &spatial{cell: cell, cells: map[[2]int][]int{}, index: map[graph.Rect]int{}}
}

func (s *spatial) span(r graph.Rect) (x0, y0, x1, y1 int) {
	return int(math.Floor(r.X / s.cell)), int(math.Floor(r.Y / s.cell)),
		int(math.Floor((r.X + r.W) / s.cell)), int(math.Floor((r.Y + r.H) / s.cell))
}

func (s *spatial) add(r graph.Rect) {
	if r.W <= 0 || r.H <= 0 || r.W > 1e6 || r.H > 1e6 {
		return
	}
	if id, ok := s.index[r]; ok {
		s.weight[id]++
		return
	}
	id := len(s.rects)
	s.index[r] = id
	s.rects = append(s.rects, r)
	s.weight = append(s.weight, 1)
	s.mark = append(s.mark, 0)
	x0, y0, x1, y1 := s.span(r)
	for x := x0; x <= x1; x++ {
		for y := y0; y <= y1; y++ {
			s.cells[[2]int{x, y}] = append(s.cells[[2]int{x, y}], id)
		}
	}
}

// cost is the total area of r covered by stored rectangles (0 = free).
func (s *spatial) cost(r graph.Rect) float64 {
	return s.sum(r, math.Inf(1))
}

// blocked reports whether stored rectangles cover at least 1 unit of r's
// area (cost(r) >= 1), stopping at the first evidence.
func (s *spatial) blocked(r graph.Rect) bool {
	return s.sum(r, 1) >= 1
}

// sum adds up the covered area of r, stopping once it reaches limit.
func (s *spatial) sum(r graph.Rect, limit float64) float64 {
	if r.W > 1e6 || r.H > 1e6 {
		return 0
	}
	s.gen++
	if s.gen == 0 { // wrapped: forget every old mark
		clear(s.mark)
		s.gen = 1
	}
	x0, y0, x1, y1 := s.span(r)
	c := 0.0
	for x := x0; x <= x1; x++ {
		for y := y0; y <= y1; y++ {
			for _, id := range s.cells[[2]int{x, y}] {
				if s.mark[id] != s.gen {
					s.mark[id] = s.gen
					c += overlapArea(r, s.rects[id]) * s.weight[id]
					if c >= limit {
						return c
					}
				}
			}
		}
	}
	return c
}
