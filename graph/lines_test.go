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

// TestSmallerSide: a vertical line at x=100 with two components left of it
// and one right; only components in the given box count.
func TestSmallerSide(t *testing.T) {
	box := func(id string, x float64, in string) *Component {
		return &Component{ID: id, Boundary: in, Geometry: &Rect{X: x, Y: 0, W: 20, H: 20}}
	}
	comps := []*Component{box("a", 0, ""), box("b", 40, ""), box("c", 150, ""), box("d", 160, "z"), {ID: "nogeo"}}
	line := []Point{{X: 100, Y: -100}, {X: 100, Y: 100}}
	got := SmallerSide(comps, line, "")
	if len(got) != 1 || got[0].ID != "c" {
		t.Fatalf("smaller side %v, want [c]", got)
	}
	if got := SmallerSide(comps, line, "z"); len(got) != 0 {
		t.Fatalf("box z: smaller side has %d components, want 0 (d alone is the larger side)", len(got))
	}
}
