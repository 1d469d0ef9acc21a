package graph

import (
	"math"
	"testing"
)

// EdgeLabel.At follows draw.io's placement: along the route's length,
// across the segment there (positive to the left of travel on screen),
// then the offset.
func TestEdgeLabelAt(t *testing.T) {
	right := []Point{{0, 0}, {200, 0}}
	elbow := []Point{{0, 0}, {100, 0}, {100, 100}} // right, then down
	tests := []struct {
		name string
		l    EdgeLabel
		pts  []Point
		want Point
	}{
		{"middle", EdgeLabel{}, right, Point{100, 0}},
		{"source end", EdgeLabel{Along: -1}, right, Point{0, 0}},
		{"target end", EdgeLabel{Along: 1}, right, Point{200, 0}},
		{"a quarter, above", EdgeLabel{Along: -0.5, Across: 10}, right, Point{50, -10}},
		{"offset", EdgeLabel{Offset: Point{5, -3}}, right, Point{105, -3}},
		{"out of range is clamped", EdgeLabel{Along: 7}, right, Point{200, 0}},
		{"second segment, left of travel is +x", EdgeLabel{Along: 0.5, Across: 10}, elbow, Point{110, 50}},
		{"first segment", EdgeLabel{Along: -0.5, Across: -4}, elbow, Point{50, 4}},
		{"one point", EdgeLabel{Along: 0.3, Offset: Point{1, 1}}, []Point{{7, 7}}, Point{8, 8}},
		{"no route", EdgeLabel{Along: 0.3}, nil, Point{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.l.At(tc.pts)
			if math.Abs(got.X-tc.want.X) > 1e-9 || math.Abs(got.Y-tc.want.Y) > 1e-9 {
				t.Errorf("At = %+v, want %+v", got, tc.want)
			}
		})
	}
	if r := (EdgeLabel{Along: 0.4, Across: 3, Offset: Point{1, 2}}).Reversed(); r != (EdgeLabel{Along: -0.4, Across: -3, Offset: Point{1, 2}}) {
		t.Errorf("Reversed = %+v", r)
	}
}
