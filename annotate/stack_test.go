package annotate_test

import (
	"fmt"
	"testing"

	"github.com/threatmap/threatmap/annotate"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/picture"
)

// crowded is a draw.io-like diagram where n flows from one outside client
// converge on the same stretch of a boundary's border, so that their
// entry-point badges all want the same spot.
func crowded(t *testing.T, n int) *graph.Diagram {
	t.Helper()
	d := graph.New("crowded.drawio", "drawio")
	d.HasLayout = true
	rect := func(x, y, w, h float64) *graph.Rect { return &graph.Rect{X: x, Y: y, W: w, H: h} }
	d.Boundaries = append(d.Boundaries, &graph.Boundary{ID: "dc", Label: "Data centre", Geometry: rect(200, -20, 400, float64(n)*30+40)})
	if err := d.AddComponent(&graph.Component{ID: "client", Label: "Browser", Kind: graph.KindExternal, Geometry: rect(0, float64(n)*15-20, 80, 40)}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("s%d", i)
		if err := d.AddComponent(&graph.Component{ID: id, Label: "Service " + id, Boundary: "dc", Geometry: rect(420, float64(i)*30, 120, 24)}); err != nil {
			t.Fatal(err)
		}
		d.Flows = append(d.Flows, &graph.Flow{ID: "f" + id, Source: "client", Target: id, Label: "HTTPS",
			Waypoints: []graph.Point{{X: 190, Y: float64(n) * 15}, {X: 210, Y: float64(n) * 15}}})
	}
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestBadgesNeverOverlap(t *testing.T) {
	for _, n := range []int{1, 4, 12, 30} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			d := crowded(t, n)
			r := testsupport.Analyze(t, d)
			if len(r.EntryPoints) != n {
				t.Fatalf("%d entry points, want %d", len(r.EntryPoints), n)
			}
			l := layout.Source(d, layout.Options{EdgeNotes: annotate.Notes(r)})
			p := annotate.Build(r, l, annotate.Options{})
			if len(p.Badges) != n {
				t.Fatalf("%d badges", len(p.Badges))
			}
			if bad := annotate.BadgeConflicts(p); len(bad) > 0 {
				t.Errorf("badge conflicts: %q", bad)
			}
			for _, b := range p.Badges {
				// On the crossing, or joined to it by a leader.
				if !b.HasLeader && b.Boundary != "dc" {
					t.Errorf("badge %s neither on the crossing nor led to it: %+v", b.ID, b)
				}
				if b.HasLeader && (b.Leader.X < 199 || b.Leader.X > 201) {
					t.Errorf("badge %s leader at %+v, not on the border x=200", b.ID, b.Leader)
				}
			}
		})
	}
}

// A shape used as a container (a component whose box holds others) is
// drawn before what it holds and marked so that the writer puts it under
// the flows; boundaries stack by their drawn nesting.
func TestStacking(t *testing.T) {
	d := graph.New("nest.drawio", "drawio")
	d.HasLayout = true
	rect := func(x, y, w, h float64) *graph.Rect { return &graph.Rect{X: x, Y: y, W: w, H: h} }
	for _, c := range []*graph.Component{
		{ID: "inner", Label: "API", Geometry: rect(40, 40, 80, 40)},
		{ID: "outer", Label: "Cluster", Geometry: rect(0, 0, 300, 200)},
		{ID: "other", Label: "DB", Geometry: rect(400, 40, 80, 40)},
	} {
		if err := d.AddComponent(c); err != nil {
			t.Fatal(err)
		}
	}
	// Two unnested boundaries, the small one listed first but drawn inside
	// the big one.
	d.Boundaries = append(d.Boundaries, &graph.Boundary{ID: "small", Label: "Small", Geometry: rect(20, 20, 120, 80)},
		&graph.Boundary{ID: "big", Label: "Big", Geometry: rect(-20, -40, 560, 300)})
	d.Flows = append(d.Flows, &graph.Flow{ID: "f", Source: "inner", Target: "other"})
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	r := testsupport.Analyze(t, d)
	p := annotate.Build(r, layout.Source(d, layout.Options{}), annotate.Options{})
	order := func(cs []picture.Component) (ids []string, enc []bool) {
		for _, c := range cs {
			ids = append(ids, c.ID)
			enc = append(enc, c.Encloses)
		}
		return
	}
	ids, enc := order(p.Components)
	if fmt.Sprint(ids) != "[outer other inner]" || fmt.Sprint(enc) != "[true false false]" {
		t.Errorf("components %v encloses %v", ids, enc)
	}
	var bs []string
	for _, b := range p.Boundaries {
		bs = append(bs, b.ID)
	}
	if fmt.Sprint(bs) != "[big small]" {
		t.Errorf("boundaries drawn %v, want the enclosing one first", bs)
	}
}
