package layout_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/layout"
)

// checkLayout asserts that every component and flow is placed and every
// member lies inside its boundary box.
func checkLayout(t *testing.T, d *graph.Diagram, l *layout.Layout) {
	t.Helper()
	if len(l.Nodes) != len(d.Components) {
		t.Errorf("%d nodes for %d components", len(l.Nodes), len(d.Components))
	}
	if len(l.Containers) != len(d.Boundaries) {
		t.Errorf("%d containers for %d boundaries", len(l.Containers), len(d.Boundaries))
	}
	if len(l.Edges) != len(d.Flows) {
		t.Errorf("%d edges for %d flows", len(l.Edges), len(d.Flows))
	}
	for _, c := range d.Components {
		n := l.Node(c.ID)
		if n == nil {
			t.Errorf("component %s not placed", c.ID)
			continue
		}
		for _, b := range d.BoundaryPath(c.ID) {
			if cb := l.Container(b); cb != nil && !cb.Rect.Contains(n.Rect) {
				t.Errorf("component %s %+v outside boundary %s %+v", c.ID, n.Rect, b, cb.Rect)
			}
		}
	}
	for _, e := range l.Edges {
		if len(e.Points) < 2 {
			t.Errorf("edge %s has %d points", e.ID, len(e.Points))
		}
	}
	if !l.Bounds.Contains(l.Nodes[0].Rect) {
		t.Errorf("bounds %+v miss a node", l.Bounds)
	}
}

func noOverlap(t *testing.T, l *layout.Layout) {
	t.Helper()
	for i, a := range l.Nodes {
		for _, b := range l.Nodes[i+1:] {
			if a.Rect.X < b.Rect.X+b.Rect.W && b.Rect.X < a.Rect.X+a.Rect.W && a.Rect.Y < b.Rect.Y+b.Rect.H && b.Rect.Y < a.Rect.Y+a.Rect.H {
				t.Errorf("nodes %s and %s overlap", a.ID, b.ID)
			}
		}
	}
}

func TestAutoTelehealth(t *testing.T) {
	d := testsupport.ExampleDiagram(t, "telehealth.dot")
	l, err := layout.Auto(context.Background(), d, layout.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Engine != layout.EngineGraphviz || len(l.Warnings) != 0 {
		t.Fatalf("engine %s, warnings %q", l.Engine, l.Warnings)
	}
	checkLayout(t, d, l)
	noOverlap(t, l)
	// LR: the patient is left of the database.
	if l.Node("patient").Rect.X >= l.Node("db").Rect.X {
		t.Errorf("rankdir LR not applied: patient %+v, db %+v", l.Node("patient").Rect, l.Node("db").Rect)
	}
	for _, e := range l.Edges {
		if e.Label.W == 0 || len(e.LabelLines) == 0 {
			t.Errorf("edge %s has no label box", e.ID)
		}
		if !e.Curved {
			t.Errorf("edge %s not a spline", e.ID)
		}
	}
	// Deterministic.
	l2, _ := layout.Auto(context.Background(), testsupport.ExampleDiagram(t, "telehealth.dot"), layout.Options{})
	if l2.Bounds != l.Bounds || l2.Edges[3].Points[1] != l.Edges[3].Points[1] {
		t.Error("layout not deterministic")
	}
}

func TestAutoDirection(t *testing.T) {
	d := testsupport.ExampleDiagram(t, "telehealth.dot")
	d.Direction = "TB"
	l, _ := layout.Auto(context.Background(), d, layout.Options{})
	if l.Node("patient").Rect.Y >= l.Node("db").Rect.Y {
		t.Errorf("rankdir TB not applied")
	}
}

func TestAutoBudget(t *testing.T) {
	d := testsupport.Generated(60, false)
	l, err := layout.Auto(context.Background(), d, layout.Options{MaxComponents: 50})
	if err != nil {
		t.Fatal(err)
	}
	if l.Engine != layout.EngineGrid || len(l.Warnings) != 1 || !strings.Contains(l.Warnings[0], "too large") {
		t.Fatalf("engine %s warnings %q", l.Engine, l.Warnings)
	}
	checkLayout(t, d, l)
	noOverlap(t, l)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l, _ = layout.Auto(ctx, d, layout.Options{})
	if l.Engine != layout.EngineGrid || !strings.Contains(strings.Join(l.Warnings, " "), "context canceled") {
		t.Fatalf("cancelled: engine %s warnings %q", l.Engine, l.Warnings)
	}
	l, _ = layout.Auto(context.Background(), testsupport.Generated(400, false), layout.Options{Timeout: time.Nanosecond})
	if l.Engine != layout.EngineGrid {
		t.Fatalf("timeout: engine %s warnings %q", l.Engine, l.Warnings)
	}
}

func TestSourceLayout(t *testing.T) {
	d := testsupport.Shop()
	l := layout.Source(d, layout.Options{})
	if l.Engine != layout.EngineSource || len(l.Warnings) != 0 {
		t.Fatalf("engine %s warnings %q", l.Engine, l.Warnings)
	}
	checkLayout(t, d, l)
	if got := l.Node("5").Rect; got != *d.Component("5").Geometry {
		t.Errorf("geometry not kept: %+v", got)
	}
	if got := l.Container("zone-private").Rect; got != *d.Boundary("zone-private").Geometry {
		t.Errorf("boundary geometry not kept: %+v", got)
	}
	e := l.EdgeAt(1)
	if len(e.Points) != 4 || e.Points[1] != (graph.Point{X: 260, Y: 315}) || e.Points[2] != (graph.Point{X: 430, Y: 315}) {
		t.Errorf("waypoints not kept: %+v", e.Points)
	}
	// End points sit on the box borders.
	if p := e.Points[0]; p.X != 140 {
		t.Errorf("start %+v not on the admin's right edge", p)
	}
}

func TestSourceMissingGeometry(t *testing.T) {
	d := testsupport.Shop()
	d.Component("7").Geometry = nil
	d.Boundary("zone-private").Geometry = nil
	l := layout.Source(d, layout.Options{})
	checkLayout(t, d, l)
	if len(l.Warnings) != 2 {
		t.Errorf("warnings %q", l.Warnings)
	}
}

func TestGridNested(t *testing.T) {
	d := testsupport.ExampleDiagram(t, "telehealth.dot")
	l := layout.Grid(d, layout.Options{})
	checkLayout(t, d, l)
	noOverlap(t, l)
}

func TestEdgeNotes(t *testing.T) {
	d := testsupport.ExampleDiagram(t, "telehealth.dot")
	notes := map[int]string{6: "PHI", 8: "PHI", 12: "PCI"}
	for name, l := range map[string]*layout.Layout{
		"auto": must(layout.Auto(context.Background(), d, layout.Options{EdgeNotes: notes})),
		"grid": layout.Grid(d, layout.Options{EdgeNotes: notes}),
	} {
		for _, e := range l.Edges {
			note, ok := notes[e.Index]
			if !ok {
				if e.Note.W != 0 {
					t.Errorf("%s: edge %s has a note box", name, e.ID)
				}
				continue
			}
			if e.Note.W < layout.NoteWidth(note)-0.01 || e.Note.H != layout.NoteHeight {
				t.Errorf("%s: edge %s note box %+v", name, e.ID, e.Note)
			}
			if e.Note.Y < e.Label.Y+e.Label.H {
				t.Errorf("%s: edge %s note %+v not under label %+v", name, e.ID, e.Note, e.Label)
			}
		}
	}
}

func must(l *layout.Layout, err error) *layout.Layout {
	if err != nil {
		panic(err)
	}
	return l
}

func TestSourceHostileGeometry(t *testing.T) {
	d := testsupport.Shop()
	nan := math.NaN()
	d.Component("6").Geometry = &graph.Rect{X: nan, Y: 0, W: 10, H: 10}
	d.Flows[1].Waypoints = append(d.Flows[1].Waypoints, graph.Point{X: math.Inf(1), Y: 3})
	d.Flows[0].SourcePoint = &graph.Point{X: nan, Y: nan}
	l := layout.Source(d, layout.Options{})
	if len(l.Nodes) != 6 || len(l.Edges) != 5 || len(l.Warnings) != 1 {
		t.Errorf("%d nodes, %d edges, warnings %q", len(l.Nodes), len(l.Edges), l.Warnings)
	}
	for _, e := range l.Edges {
		for _, p := range e.Points {
			if math.IsNaN(p.X) || math.IsInf(p.X, 0) || math.IsNaN(p.Y) {
				t.Errorf("edge %s has point %+v", e.ID, p)
			}
		}
	}
	if b := l.Bounds; math.IsNaN(b.W) || b.W > 1e6 {
		t.Errorf("bounds %+v", b)
	}
}

func TestSourceStaleEndPoints(t *testing.T) {
	d := testsupport.Shop()
	// draw.io leaves sourcePoint/targetPoint on connected edges; far
	// from the shapes they are ignored, on the shape they are kept.
	d.Flows[2].SourcePoint = &graph.Point{X: 70, Y: 540}
	d.Flows[2].TargetPoint = &graph.Point{X: 600, Y: 150}
	e := layout.Source(d, layout.Options{}).EdgeAt(2)
	if p := e.Points[0]; p.X != 500 {
		t.Errorf("stale source point used: %+v", e.Points)
	}
	if p := e.Points[len(e.Points)-1]; p != (graph.Point{X: 600, Y: 150}) {
		t.Errorf("explicit target point dropped: %+v", e.Points)
	}
}
