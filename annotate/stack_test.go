package annotate_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/annotate"
	"github.com/threatmap/threatmap/exporters/svg"
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
	// "small" is drawn inside the component "outer", which is drawn as a
	// container: the layers put big, then outer, then small, so that
	// outer's fill does not hide small (azure_1's unlabelled frame around
	// an availability set hid the set's box and title).
	layers := map[string]int{}
	for _, b := range p.Boundaries {
		layers["b:"+b.ID] = b.Layer
	}
	for _, c := range p.Components {
		if c.Encloses {
			layers["c:"+c.ID] = c.Layer
		}
	}
	if fmt.Sprint(layers) != "map[b:big:0 b:small:2 c:outer:1]" {
		t.Errorf("layers %v", layers)
	}
	var svgOut strings.Builder
	if err := svg.Write(&svgOut, p); err != nil {
		t.Fatal(err)
	}
	doc := svgOut.String()
	at := func(id string) int {
		i := strings.Index(doc, `id="`+id+`"`)
		if i < 0 {
			t.Fatalf("%s not drawn", id)
		}
		return i
	}
	big, outer, small := at(p.Boundaries[0].DOMID), at(p.Components[0].DOMID), at(p.Boundaries[1].DOMID)
	if !(big < outer && outer < small) {
		t.Errorf("drawn at %d (big), %d (outer), %d (small): want big, outer, small", big, outer, small)
	}
	if !strings.Contains(doc, `<g id="tm-boundaries-2">`) {
		t.Errorf("no second boundary group after the container")
	}
}

// BadgeConflicts names every piece of text a badge covers: a component's
// label and icon caption as drawn, and a boundary title.
func TestBadgeConflictsText(t *testing.T) {
	box := graph.Rect{X: 100, Y: 100, W: 55, H: 58}
	c := picture.Component{ID: "m4", Label: "M4", Rect: box, LabelRect: graph.Rect{X: 67.5, Y: 160, W: 120, H: 48},
		Caption: "M4 Instance", CaptionRect: graph.Rect{X: 103, Y: 137, W: 49, H: 17.5}}
	bd := picture.Boundary{ID: "az", Label: "Auto Scaling", Rect: graph.Rect{X: 0, Y: 0, W: 400, H: 300},
		LabelRect: graph.Rect{X: 6, Y: 2, W: 180, H: 22}}
	badge := func(x, y float64) picture.Badge {
		return picture.Badge{ID: "EP-1", Rect: graph.Rect{X: x, Y: y, W: 50, H: 16}}
	}
	tests := []struct {
		name string
		b    picture.Badge
		want string
	}{
		{"on the caption", badge(103, 137), "EP-1 overlaps the icon caption of m4"},
		{"on the label below", badge(103, 158), "EP-1 overlaps the label of component m4"},
		{"on the title", badge(60, 4), "EP-1 overlaps the title of boundary az"},
		{"on the box's empty top", badge(250, 100), ""},
		// The label box reaches far beyond "M4": only the text counts.
		{"beside the short label", badge(170, 162), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &picture.Picture{Components: []picture.Component{c}, Boundaries: []picture.Boundary{bd}, Badges: []picture.Badge{tc.b}}
			if got := strings.Join(annotate.BadgeConflicts(p), "; "); got != tc.want {
				t.Errorf("BadgeConflicts = %q, want %q", got, tc.want)
			}
		})
	}
}

// The source's label position (below an icon) holds only in the source
// layout: a generated layout sizes each box for its label inside it.
func TestLabelPositionFollowsTheLayout(t *testing.T) {
	d := graph.New("t.drawio", "drawio")
	d.HasLayout = true
	if err := d.AddComponent(&graph.Component{ID: "db", Label: "Primary", Geometry: &graph.Rect{X: 0, Y: 0, W: 60, H: 60},
		Style: "verticalLabelPosition=bottom;verticalAlign=top;shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.rds;"}); err != nil {
		t.Fatal(err)
	}
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	r := testsupport.Analyze(t, d)
	for _, tc := range []struct {
		l      *layout.Layout
		inside bool
	}{
		{layout.Source(d, layout.Options{}), false},
		{layout.Grid(d, layout.Options{}), true},
	} {
		p := annotate.Build(r, tc.l, annotate.Options{})
		c := p.Components[0]
		if got := c.Rect.Contains(c.LabelRect); got != tc.inside {
			t.Errorf("%s layout: label %+v inside box %+v = %v, want %v", tc.l.Engine, c.LabelRect, c.Rect, got, tc.inside)
		}
	}
}

// TestLeaderMissesTheFlowLabel is C4.drawio's "C4 Container" page: a short
// flow from an external system to a database, its label filling the gap,
// with an entry point that crosses no drawn boundary. The badge cannot sit
// on the flow; its leader and dot must not strike through the label (the
// dot sat on "[Influx REST ]", the leader through "Writes to").
func TestLeaderMissesTheFlowLabel(t *testing.T) {
	d := graph.New("c4.drawio", "drawio")
	d.HasLayout = true
	rect := func(x, y, w, h float64) *graph.Rect { return &graph.Rect{X: x, Y: y, W: w, H: h} }
	for _, c := range []*graph.Component{
		{ID: "dc", Label: "Data Collection System\n[Software System]", Kind: graph.KindExternal, Geometry: rect(0, 0, 160, 110)},
		{ID: "db", Label: "Database\n[Container: InfluxDB]", Kind: graph.KindDataStore, Shape: "cylinder", Geometry: rect(0, 170, 160, 140)},
	} {
		if err := d.AddComponent(c); err != nil {
			t.Fatal(err)
		}
	}
	d.Flows = append(d.Flows, &graph.Flow{ID: "w", Source: "dc", Target: "db", Label: "Writes to\n[Influx REST ]"})
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	r := testsupport.Analyze(t, d)
	l := layout.Source(d, layout.Options{EdgeNotes: annotate.Notes(r)})
	p := annotate.Build(r, l, annotate.Options{})
	if len(p.Badges) != 1 || len(p.Flows) != 1 {
		t.Fatalf("%d badges, %d flows", len(p.Badges), len(p.Flows))
	}
	b, lr := p.Badges[0], p.Flows[0].LabelRect
	if !b.HasLeader {
		t.Fatalf("badge on the flow at %+v: the case needs a leader", b.Rect)
	}
	if bad := annotate.BadgeConflicts(p); len(bad) > 0 {
		t.Errorf("conflicts %q", bad)
	}
	// Sample the leader, dot included (3 px disc).
	for i := 0; i <= 100; i++ {
		f := float64(i) / 100
		x, y := b.Leader.X+f*(b.Center.X-b.Leader.X), b.Leader.Y+f*(b.Center.Y-b.Leader.Y)
		pad := 0.0
		if i == 0 {
			pad = 3
		}
		if x+pad > lr.X && x-pad < lr.X+lr.W && y+pad > lr.Y && y-pad < lr.Y+lr.H {
			t.Fatalf("leader from %+v to %+v crosses the flow label %+v at (%.1f, %.1f)", b.Leader, b.Center, lr, x, y)
		}
	}
}
