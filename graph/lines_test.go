package graph

import "testing"

func TestPolylinesCrossAndSideOf(t *testing.T) {
	line := []Point{{100, 0}, {80, 100}, {100, 200}} // a bent vertical line
	tests := []struct {
		name  string
		path  []Point
		cross bool
	}{
		{"straight across", []Point{{0, 60}, {200, 60}}, true},
		{"across the extension: no", []Point{{0, 300}, {200, 300}}, false},
		{"same side", []Point{{0, 50}, {50, 150}}, false},
		{"touching an end: no", []Point{{0, 0}, {100, 0}}, false},
		{"through a waypoint", []Point{{0, 150}, {150, 150}, {150, 20}}, true},
	}
	for _, tt := range tests {
		if got := PolylinesCross(tt.path, line); got != tt.cross {
			t.Errorf("%s: cross %v, want %v", tt.name, got, tt.cross)
		}
	}
	left, right := SideOf(line, Point{0, 100}), SideOf(line, Point{200, 100})
	if left == right || SideOf(line, Point{0, 500}) != left || SideOf(line, Point{300, -50}) != right {
		t.Errorf("sides: left %d right %d", left, right)
	}
}
