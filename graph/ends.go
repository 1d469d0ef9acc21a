package graph

import "math"

// EndTolerance is how far, in diagram pixels, the free end of a drawn
// arrow (an end the file does not connect to any shape, only places) may
// lie outside a shape and still attach to it: people drop ends on or just
// short of a border, and floating-point coordinates are never exact. The
// importers of drawn formats share it through NearestRect.
const EndTolerance = 6

// GridEndTolerance is EndTolerance for an editor that snaps a dropped end
// to a grid of the given step: the snap can move the end up to half a step
// further from the border the author aimed at.
func GridEndTolerance(step float64) float64 {
	if !(step > 0) || math.IsInf(step, 0) {
		return EndTolerance
	}
	return EndTolerance + step/2
}

// Distance is the distance from p to r, 0 when p lies on or inside r.
func (r Rect) Distance(p Point) float64 {
	dx := math.Max(0, math.Max(r.X-p.X, p.X-(r.X+r.W)))
	dy := math.Max(0, math.Max(r.Y-p.Y, p.Y-(r.Y+r.H)))
	return math.Hypot(dx, dy)
}

// NearestRect is the rule every importer of drawn formats uses to attach
// an arrow's free end at p to a shape: among the n candidate rectangles
// (rect(i) is the i-th), the one p lies on or in, else the nearest within
// tol; at equal distance the smaller one (of equal areas, the later one:
// drawn above). It returns the index and the distance, or -1 when no
// rectangle lies within tol.
func NearestRect(p Point, n int, rect func(i int) Rect, tol float64) (int, float64) {
	best, bestDist, bestArea := -1, math.Inf(1), 0.0
	for i := 0; i < n; i++ {
		r := rect(i)
		d := r.Distance(p)
		if !(d <= tol) {
			continue
		}
		a := r.W * r.H
		switch {
		case best < 0 || d < bestDist:
			best, bestDist, bestArea = i, d, a
		case d == bestDist && a <= bestArea:
			best, bestArea = i, a
		}
	}
	if best < 0 {
		return -1, math.Inf(1)
	}
	return best, bestDist
}
