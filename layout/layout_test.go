package layout_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"runtime"
	"strings"
	"sync"
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

// TestAutoEngineChoice checks the deterministic cost model: the engine
// follows from the diagram's size alone, and past the limits the layered
// engine draws every component, boundary and flow without a warning.
func TestAutoEngineChoice(t *testing.T) {
	tests := []struct {
		name   string
		d      *graph.Diagram
		opts   layout.Options
		engine string
	}{
		{"telehealth", testsupport.ExampleDiagram(t, "telehealth.dot"), layout.Options{}, layout.EngineGraphviz},
		{"over --layout-max", testsupport.Generated(60, false), layout.Options{MaxComponents: 50}, layout.EngineLayered},
		{"over the work limit", testsupport.Generated(60, false), layout.Options{MaxWork: 100}, layout.EngineLayered},
		{"1,000 components", testsupport.Generated(1000, false), layout.Options{}, layout.EngineLayered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := layout.UsesGraphviz(tt.d, tt.opts); got != (tt.engine == layout.EngineGraphviz) {
				t.Fatalf("UsesGraphviz = %v (work %d)", got, layout.GraphvizWork(tt.d))
			}
			l, err := layout.Auto(context.Background(), tt.d, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if l.Engine != tt.engine || len(l.Warnings) != 0 {
				t.Fatalf("engine %s, warnings %q", l.Engine, l.Warnings)
			}
			checkLayout(t, tt.d, l)
		})
	}
}

// TestGraphvizWork pins the cost model on diagrams whose counts are known.
func TestGraphvizWork(t *testing.T) {
	d := graph.New("w.dot", "dot")
	must2(t, d.AddBoundary(&graph.Boundary{ID: "outer"}))
	must2(t, d.AddBoundary(&graph.Boundary{ID: "inner", Parent: "outer"}))
	must2(t, d.AddComponent(&graph.Component{ID: "a", Boundary: "inner"}))
	must2(t, d.AddComponent(&graph.Component{ID: "b"}))
	d.AddFlow(&graph.Flow{ID: "f1", Source: "a", Target: "b", Label: "HTTPS"})
	d.AddFlow(&graph.Flow{ID: "f2", Source: "b", Target: "a"})
	must2(t, d.Finalize())
	// 2 components + 2 flows + 1 label + boundaries (3+1) + (3+2).
	if got := layout.GraphvizWork(d); got != 14 {
		t.Errorf("work %d, want 14", got)
	}
	// Generated(150) is drawn by Graphviz by default, Generated(200) not.
	if !layout.UsesGraphviz(testsupport.Generated(150, false), layout.Options{}) || layout.UsesGraphviz(testsupport.Generated(200, false), layout.Options{}) {
		t.Errorf("default limits: work 150 → %d, 200 → %d", layout.GraphvizWork(testsupport.Generated(150, false)), layout.GraphvizWork(testsupport.Generated(200, false)))
	}
}

func must2(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestAutoSafetyNet: the time limit never changes the picture; past it
// Auto fails with ErrTimeout, and a cancelled context is an error too.
func TestAutoSafetyNet(t *testing.T) {
	d := testsupport.Generated(60, false)
	_, err := layout.Auto(context.Background(), d, layout.Options{Timeout: time.Nanosecond})
	if !errors.Is(err, layout.ErrTimeout) || !strings.Contains(err.Error(), "60 components") {
		t.Fatalf("err %v, want ErrTimeout naming the size", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := layout.Auto(ctx, d, layout.Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: err %v", err)
	}
	// The layered engine has no time limit at all.
	if l, err := layout.Auto(context.Background(), d, layout.Options{MaxComponents: 10, Timeout: time.Nanosecond}); err != nil || l.Engine != layout.EngineLayered {
		t.Fatalf("layered: %v", err)
	}
}

// TestAutoDeterministicUnderLoad lays the same 1,000-component diagram out
// on an idle machine and with CPU hogs on every core: the layouts must be
// identical (the engine choice reads no clock).
func TestAutoDeterministicUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	layoutOf := func() *layout.Layout {
		l, err := layout.Auto(context.Background(), testsupport.Generated(1000, false), layout.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	idle := layoutOf()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 2*runtime.NumCPU(); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := 0
			for {
				select {
				case <-stop:
					return
				default:
					for k := 0; k < 1e5; k++ {
						x += k
					}
				}
			}
		}()
	}
	loaded := layoutOf()
	close(stop)
	wg.Wait()
	if !reflect.DeepEqual(idle.Nodes, loaded.Nodes) || !reflect.DeepEqual(idle.Edges, loaded.Edges) ||
		!reflect.DeepEqual(idle.Containers, loaded.Containers) || idle.Engine != loaded.Engine {
		t.Fatal("layout differs under load")
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

// TestLayered draws the example with the native engine in every
// direction: every component, boundary and flow placed, members inside
// their boundaries, no overlaps, the direction followed.
func TestLayered(t *testing.T) {
	for _, dir := range []string{"LR", "RL", "TB", "BT"} {
		t.Run(dir, func(t *testing.T) {
			d := testsupport.ExampleDiagram(t, "telehealth.dot")
			notes := map[int]string{6: "PHI"}
			l, err := layout.Layered(d, layout.Options{Direction: dir, EdgeNotes: notes})
			if err != nil {
				t.Fatal(err)
			}
			if l.Engine != layout.EngineLayered || len(l.Warnings) != 0 {
				t.Fatalf("engine %s warnings %q", l.Engine, l.Warnings)
			}
			checkLayout(t, d, l)
			noOverlap(t, l)
			p, db := l.Node("patient").Rect, l.Node("db").Rect
			ok := map[string]bool{"LR": p.X < db.X, "RL": p.X > db.X, "TB": p.Y < db.Y, "BT": p.Y > db.Y}[dir]
			if !ok {
				t.Errorf("patient %+v, db %+v", p, db)
			}
			if e := l.EdgeAt(6); e.Note.W == 0 || e.Label.W == 0 {
				t.Errorf("edge 6 has no label or note box: %+v", e)
			}
			for i := range l.Containers {
				for j := range l.Containers {
					a, b := l.Containers[i], l.Containers[j]
					if i != j && !a.Rect.Contains(b.Rect) && !b.Rect.Contains(a.Rect) &&
						a.Rect.X < b.Rect.X+b.Rect.W && b.Rect.X < a.Rect.X+a.Rect.W && a.Rect.Y < b.Rect.Y+b.Rect.H && b.Rect.Y < a.Rect.Y+a.Rect.H {
						t.Errorf("boundaries %s and %s overlap", a.ID, b.ID)
					}
				}
			}
		})
	}
}
