package layout

import (
	"math"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// The source layout puts a flow's label where the source draws it
// (Flow.LabelAt) on the flow's route, and in the middle without one; the
// generated layouts ignore it (their routes are their own).
func TestSourceLabelAt(t *testing.T) {
	rect := func(x, y, w, h float64) *graph.Rect { return &graph.Rect{X: x, Y: y, W: w, H: h} }
	d := graph.New("t.drawio", "drawio")
	d.HasLayout = true
	for _, c := range []*graph.Component{
		{ID: "a", Label: "Web", Geometry: rect(0, 0, 80, 40)},
		{ID: "b", Label: "API", Geometry: rect(300, 0, 80, 40)},
	} {
		if err := d.AddComponent(c); err != nil {
			t.Fatal(err)
		}
	}
	d.Flows = append(d.Flows,
		&graph.Flow{ID: "placed", Source: "a", Target: "b", Label: "HTTPS",
			LabelAt: &graph.EdgeLabel{Along: -0.5, Across: 12, Offset: graph.Point{X: 5, Y: -3}}},
		&graph.Flow{ID: "middle", Source: "a", Target: "b", Label: "HTTPS"})
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	centre := func(r graph.Rect) graph.Point { return graph.Point{X: r.X + r.W/2, Y: r.Y + r.H/2} }
	near := func(p, q graph.Point) bool { return math.Abs(p.X-q.X) < 0.01 && math.Abs(p.Y-q.Y) < 0.01 }
	l := Source(d, Options{})
	// The route runs from (80, 20) to (300, 20): a quarter of its 220 px
	// is x = 135, 12 px to the left of travel is up, then the offset.
	if got, want := centre(l.Edges[0].Label), (graph.Point{X: 140, Y: 5}); !near(got, want) {
		t.Errorf("placed label centred at %+v, want %+v", got, want)
	}
	if got, want := centre(l.Edges[1].Label), (graph.Point{X: 190, Y: 20}); !near(got, want) {
		t.Errorf("unplaced label centred at %+v, want the middle %+v", got, want)
	}
	g := Grid(d, Options{})
	if got, want := centre(g.Edges[0].Label), midpoint(g.Edges[0].Points); !near(got, want) {
		t.Errorf("grid layout label at %+v, want the middle of its own route %+v", got, want)
	}
}
