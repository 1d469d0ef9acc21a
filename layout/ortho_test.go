package layout

import (
	"reflect"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// orthogonal reports whether every segment of pts is horizontal or
// vertical.
func orthogonal(pts []graph.Point) bool {
	for i := 1; i < len(pts); i++ {
		if pts[i].X != pts[i-1].X && pts[i].Y != pts[i-1].Y {
			return false
		}
	}
	return true
}

func TestOrthoRoute(t *testing.T) {
	a := graph.Rect{X: 0, Y: 0, W: 100, H: 40}
	right := graph.Rect{X: 300, Y: 10, W: 100, H: 40} // level with a
	below := graph.Rect{X: 20, Y: 200, W: 100, H: 40} // under a
	diag := graph.Rect{X: 300, Y: 200, W: 100, H: 40} // right of and below a
	tests := []struct {
		name  string
		dst   graph.Rect
		wps   []graph.Point
		style string
		want  []graph.Point
	}{
		{"level boxes: one straight segment in the overlap", right, nil, "edgeStyle=orthogonalEdgeStyle;",
			[]graph.Point{{X: 100, Y: 25}, {X: 300, Y: 25}}},
		{"stacked boxes: one vertical segment in the overlap", below, nil, "edgeStyle=orthogonalEdgeStyle;",
			[]graph.Point{{X: 60, Y: 40}, {X: 60, Y: 200}}},
		{"far to the side: a horizontal Z through the middle", graph.Rect{X: 500, Y: 100, W: 100, H: 40}, nil, "edgeStyle=orthogonalEdgeStyle;",
			[]graph.Point{{X: 100, Y: 20}, {X: 300, Y: 20}, {X: 300, Y: 120}, {X: 500, Y: 120}}},
		{"further down than across: a vertical Z", diag, nil, "edgeStyle=orthogonalEdgeStyle;",
			[]graph.Point{{X: 50, Y: 40}, {X: 50, Y: 120}, {X: 350, Y: 120}, {X: 350, Y: 200}}},
		{"elbow=vertical leaves and enters vertically", diag, nil, "edgeStyle=elbowEdgeStyle;elbow=vertical;",
			[]graph.Point{{X: 50, Y: 40}, {X: 50, Y: 120}, {X: 350, Y: 120}, {X: 350, Y: 200}}},
		{"exit and entry ports", diag, nil, "edgeStyle=orthogonalEdgeStyle;exitX=0.5;exitY=1;entryX=0;entryY=0.5;",
			[]graph.Point{{X: 50, Y: 40}, {X: 50, Y: 220}, {X: 300, Y: 220}}},
		{"through a waypoint", diag, []graph.Point{{X: 150, Y: 100}}, "edgeStyle=orthogonalEdgeStyle;exitX=1;exitY=0.5;entryX=0.5;entryY=0;",
			[]graph.Point{{X: 100, Y: 20}, {X: 150, Y: 20}, {X: 150, Y: 100}, {X: 350, Y: 100}, {X: 350, Y: 200}}},
		{"reversed edge: the drawn exit is the flow's entry", diag, nil, "edgeStyle=orthogonalEdgeStyle;endArrow=none;startArrow=classic;exitX=0;exitY=0.5;",
			[]graph.Point{{X: 50, Y: 40}, {X: 50, Y: 220}, {X: 300, Y: 220}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rt := parseRouting(tc.style)
			if !rt.orthogonal {
				t.Fatalf("style %q not orthogonal", tc.style)
			}
			got := orthoRoute(a, tc.dst, tc.wps, rt)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("route %v, want %v", got, tc.want)
			}
			if !orthogonal(got) {
				t.Errorf("route %v has a diagonal", got)
			}
		})
	}
	if rt := parseRouting("edgeStyle=orthogonalEdgeStyle;noEdgeStyle=1;"); rt.orthogonal {
		t.Error("noEdgeStyle=1 kept the orthogonal style")
	}
	if rt := parseRouting("exitX=NaN;exitY=0;"); rt.exit != nil {
		t.Error("a NaN port was read")
	}
}

// A draw.io diagram's orthogonal edges come out of the source layout with
// no diagonal segment, and a line boundary keeps its polyline.
func TestSourceKeepsDrawioRouting(t *testing.T) {
	d := graph.New("t.drawio", "drawio")
	d.HasLayout = true
	add := func(id string, r graph.Rect) {
		if err := d.AddComponent(&graph.Component{ID: id, Label: id, Geometry: &r}); err != nil {
			t.Fatal(err)
		}
	}
	add("a", graph.Rect{X: 0, Y: 0, W: 100, H: 40})
	add("b", graph.Rect{X: 300, Y: 200, W: 100, H: 40})
	d.Flows = append(d.Flows, &graph.Flow{ID: "f", Source: "a", Target: "b", Style: "edgeStyle=orthogonalEdgeStyle;"},
		&graph.Flow{ID: "g", Source: "b", Target: "a"})
	box := graph.Rect{X: 150, Y: -10, W: 40, H: 300}
	d.Boundaries = append(d.Boundaries, &graph.Boundary{ID: "tb", Label: "TB", Inferred: true, Geometry: &box,
		Attributes: map[string]string{"shape": "line", "points": "180,290 150,100 190,-10"}})
	d.Finalize()
	l := Source(d, Options{})
	if e := l.EdgeAt(0); e == nil || !orthogonal(e.Points) || len(e.Points) != 4 {
		t.Errorf("orthogonal edge %+v", e)
	}
	if e := l.EdgeAt(1); e == nil || len(e.Points) != 2 || orthogonal(e.Points) {
		t.Errorf("straight edge %+v", e)
	}
	c := l.Container("tb")
	want := []graph.Point{{X: 180, Y: 290}, {X: 150, Y: 100}, {X: 190, Y: -10}}
	if c == nil || !reflect.DeepEqual(c.Line, want) {
		t.Fatalf("line boundary %+v", c)
	}
	if c.Label.X != 196 || c.Label.Y != -8 {
		t.Errorf("line title at %+v, want beside the top end", c.Label)
	}
}
