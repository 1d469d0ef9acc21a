package graph

import (
	"math"
	"testing"
)

func TestNearestRect(t *testing.T) {
	rects := []Rect{
		{X: 0, Y: 0, W: 100, H: 60},   // 0
		{X: 0, Y: 72, W: 40, H: 60},   // 1: 12 px below 0, smaller
		{X: 20, Y: 10, W: 20, H: 20},  // 2: inside 0
		{X: 300, Y: 0, W: 100, H: 60}, // 3
		{X: 300, Y: 0, W: 100, H: 60}, // 4: the same as 3, drawn above it
	}
	for _, tc := range []struct {
		p        Point
		tol      float64
		want     int
		wantDist float64
	}{
		{Point{50, 50}, EndTolerance, 0, 0},             // inside 0 only
		{Point{30, 20}, EndTolerance, 2, 0},             // inside 0 and 2: the smaller
		{Point{104, 30}, EndTolerance, 0, 4},            // 4 px right of 0
		{Point{107, 30}, EndTolerance, -1, math.Inf(1)}, // 7 px: beyond 6
		{Point{107, 30}, GridEndTolerance(10), 0, 7},    // within 11
		{Point{20, 66}, EndTolerance, 1, 6},             // 6 px from 0 and 1: the smaller
		{Point{350, 30}, EndTolerance, 4, 0},            // equal shapes: the later
		{Point{-300, -300}, 1e9, 0, math.Hypot(300, 300)},
	} {
		got, dist := NearestRect(tc.p, len(rects), func(i int) Rect { return rects[i] }, tc.tol)
		if got != tc.want || dist != tc.wantDist {
			t.Errorf("NearestRect(%v, tol %g) = %d, %g; want %d, %g", tc.p, tc.tol, got, dist, tc.want, tc.wantDist)
		}
	}
	for step, want := range map[float64]float64{10: 11, 0: EndTolerance, -5: EndTolerance, math.NaN(): EndTolerance, math.Inf(1): EndTolerance} {
		if got := GridEndTolerance(step); got != want {
			t.Errorf("GridEndTolerance(%g) = %g, want %g", step, got, want)
		}
	}
}
