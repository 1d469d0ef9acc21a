package layout

import (
	"context"
	"math"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// standInDiagram is a diagram without a layout where flows end on a
// container as a whole (the Mermaid "A --> subgraph" case): the importer's
// stand-in component "grp" represents boundary "grp".
func standInDiagram(t *testing.T) *graph.Diagram {
	t.Helper()
	d := graph.New("t.mmd", "mermaid")
	d.Boundaries = append(d.Boundaries, &graph.Boundary{ID: "grp", Label: "Editing surfaces"})
	for _, c := range []*graph.Component{
		{ID: "a", Label: "Reading editor"},
		{ID: "b", Label: "Renderer"},
		{ID: "x", Label: "Scribe code editor", Boundary: "grp"},
		{ID: "y", Label: "TextMirror", Boundary: "grp"},
		{ID: "grp", Label: "Editing surfaces", Boundary: "grp", Attributes: map[string]string{"represents": "boundary"}},
	} {
		if err := d.AddComponent(c); err != nil {
			t.Fatal(err)
		}
	}
	d.Flows = append(d.Flows,
		&graph.Flow{ID: "in", Source: "a", Target: "grp", Label: "edits"},
		&graph.Flow{ID: "out", Source: "grp", Target: "b", Label: "renders"},
		&graph.Flow{ID: "inner", Source: "x", Target: "y"})
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	return d
}

// In every generated layout a flow to or from a stand-in ends on its
// container's border, never at an undrawn box inside it, and the stand-in
// takes the container's box.
func TestStandInsEndOnTheirContainer(t *testing.T) {
	engines := map[string]func(d *graph.Diagram) *Layout{
		"graphviz": func(d *graph.Diagram) *Layout {
			l, err := Auto(context.Background(), d, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if l.Engine != EngineGraphviz {
				t.Fatalf("engine %s", l.Engine)
			}
			return l
		},
		"layered": func(d *graph.Diagram) *Layout { l, _ := Layered(d, Options{}); return l },
		"grid":    func(d *graph.Diagram) *Layout { return Grid(d, Options{}) },
	}
	for _, name := range []string{"graphviz", "layered", "grid"} {
		t.Run(name, func(t *testing.T) {
			d := standInDiagram(t)
			l := engines[name](d)
			ct := l.Container("grp")
			if ct == nil || l.Node("grp") == nil {
				t.Fatal("container or stand-in not placed")
			}
			r := ct.Rect
			if l.Node("grp").Rect != r {
				t.Errorf("stand-in box %+v, want the container's %+v", l.Node("grp").Rect, r)
			}
			for _, e := range l.Edges {
				if e.ID == "inner" {
					continue
				}
				poly := e.Polyline()
				end := poly[len(poly)-1]
				if e.Source == "grp" {
					end = poly[0]
				}
				if d := borderDist(r, end); d > 0.5 {
					t.Errorf("flow %s ends at %+v, %.1f px from the container's border %+v", e.ID, end, d, r)
				}
				for _, p := range poly {
					if inside(graph.Rect{X: r.X + 1, Y: r.Y + 1, W: r.W - 2, H: r.H - 2}, p) {
						t.Errorf("flow %s runs inside the container at %+v", e.ID, p)
						break
					}
				}
			}
		})
	}
}

// borderDist is the distance from p to the border of r.
func borderDist(r graph.Rect, p graph.Point) float64 {
	dx := math.Max(math.Max(r.X-p.X, p.X-(r.X+r.W)), 0)
	dy := math.Max(math.Max(r.Y-p.Y, p.Y-(r.Y+r.H)), 0)
	if dx > 0 || dy > 0 {
		return math.Hypot(dx, dy)
	}
	return math.Min(math.Min(p.X-r.X, r.X+r.W-p.X), math.Min(p.Y-r.Y, r.Y+r.H-p.Y))
}

// Cutting a route where it enters a box: polylines and Bézier pieces end
// on the border; a route starting inside or never entering is kept.
func TestCutAtEntry(t *testing.T) {
	r := graph.Rect{X: 100, Y: 0, W: 100, H: 100}
	line := []graph.Point{{X: 0, Y: 50}, {X: 50, Y: 50}, {X: 150, Y: 50}}
	got, ok := cutAtEntry(line, false, r)
	if !ok || len(got) != 3 || math.Abs(got[2].X-100) > 1e-6 || got[2].Y != 50 {
		t.Errorf("polyline cut = %v, %v", got, ok)
	}
	curve := []graph.Point{{X: 0, Y: 50}, {X: 60, Y: 50}, {X: 90, Y: 50}, {X: 150, Y: 50}}
	got, ok = cutAtEntry(curve, true, r)
	if !ok || len(got) != 4 || math.Abs(got[3].X-100) > 1e-6 || math.Abs(got[3].Y-50) > 1e-6 {
		t.Errorf("curve cut = %v, %v", got, ok)
	}
	if _, ok := cutAtEntry([]graph.Point{{X: 150, Y: 50}, {X: 300, Y: 50}}, false, r); ok {
		t.Error("a route starting inside was cut")
	}
	if _, ok := cutAtEntry([]graph.Point{{X: 0, Y: 150}, {X: 300, Y: 150}}, false, r); ok {
		t.Error("a route passing by was cut")
	}
}
