package annotate_test

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/annotate"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
)

func telehealth(t *testing.T) (*stride.Report, *picture.Picture) {
	t.Helper()
	d := testsupport.ExampleDiagram(t, "telehealth.dot")
	r := testsupport.Analyze(t, d)
	l, err := layout.Auto(context.Background(), d, layout.Options{EdgeNotes: annotate.Notes(r)})
	if err != nil {
		t.Fatal(err)
	}
	return r, annotate.Build(r, l, annotate.Options{Date: "2026-11-23"})
}

func overlap(a, b graph.Rect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

// onBorder reports whether p lies on the border of r.
func onBorder(p graph.Point, r graph.Rect) bool {
	const eps = 0.5
	inX := p.X >= r.X-eps && p.X <= r.X+r.W+eps
	inY := p.Y >= r.Y-eps && p.Y <= r.Y+r.H+eps
	return (inY && (math.Abs(p.X-r.X) < eps || math.Abs(p.X-r.X-r.W) < eps)) ||
		(inX && (math.Abs(p.Y-r.Y) < eps || math.Abs(p.Y-r.Y-r.H) < eps))
}

func TestBadges(t *testing.T) {
	r, p := telehealth(t)
	if len(p.Badges) != len(r.EntryPoints) {
		t.Fatalf("%d badges for %d entry points", len(p.Badges), len(r.EntryPoints))
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings: %q", p.Warnings)
	}
	bounds := map[string]graph.Rect{}
	for _, b := range p.Boundaries {
		bounds[b.ID] = b.Rect
	}
	var labels []graph.Rect
	for _, c := range p.Components {
		labels = append(labels, c.Rect, c.MarkerRect)
	}
	for _, f := range p.Flows {
		labels = append(labels, f.LabelRect, f.SensitivityRect)
	}
	for _, b := range p.Boundaries {
		labels = append(labels, b.LabelRect)
	}
	for i, b := range p.Badges {
		ep := r.EntryPoints[i]
		// The badge shows the entry point's stable id and its number.
		num, _ := strconv.Atoi(strings.TrimPrefix(ep.ID, "EP-"))
		if b.ID != ep.ID || b.Number != num || num == 0 || b.Flow != ep.Flow || b.Text != ep.ID {
			t.Errorf("badge %d = %s #%d on %s, want %s on %s", i, b.ID, b.Number, b.Flow, ep.ID, ep.Flow)
		}
		// On the line of one of the boundaries the flow crosses.
		if b.Boundary == "" || !contains(ep.Boundaries, b.Boundary) {
			t.Errorf("%s sits on boundary %q, not one of %v", b.ID, b.Boundary, ep.Boundaries)
			continue
		}
		anchor := b.Center
		if b.HasLeader {
			anchor = b.Leader
		}
		if !onBorder(anchor, bounds[b.Boundary]) && !b.HasLeader {
			// Slid along the flow: still within reach of the line.
			if d := distToBorder(b.Center, bounds[b.Boundary]); d > 40 {
				t.Errorf("%s is %.0fpx from boundary %s", b.ID, d, b.Boundary)
			}
		}
		if b.HasLeader && !onBorder(b.Center, bounds[b.Boundary]) {
			t.Errorf("%s slid off the boundary line", b.ID)
		}
		for _, l := range labels {
			if l.W > 0 && overlap(b.Rect, l) {
				t.Errorf("%s %+v covers %+v", b.ID, b.Rect, l)
			}
		}
		for _, o := range p.Badges[:i] {
			if overlap(b.Rect, o.Rect) {
				t.Errorf("%s overlaps %s", b.ID, o.ID)
			}
		}
		if !strings.Contains(b.Tooltip(), ep.ID) {
			t.Errorf("%s tooltip %q", b.ID, b.Tooltip())
		}
	}
}

func distToBorder(p graph.Point, r graph.Rect) float64 {
	dx := min(math.Abs(p.X-r.X), math.Abs(p.X-r.X-r.W))
	dy := min(math.Abs(p.Y-r.Y), math.Abs(p.Y-r.Y-r.H))
	return min(dx, dy)
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// component returns the picture's component id.
func component(p *picture.Picture, id string) *picture.Component {
	for i := range p.Components {
		if p.Components[i].ID == id {
			return &p.Components[i]
		}
	}
	return &picture.Component{}
}

func TestHighlightsAndTags(t *testing.T) {
	r, p := telehealth(t)
	for i, c := range p.Components {
		if c.Severity != string(r.Components[i].MaxSeverity) {
			t.Errorf("%s severity %q, want %q", c.ID, c.Severity, r.Components[i].MaxSeverity)
		}
		if c.Marker != picture.Marker(c.Severity) {
			t.Errorf("%s marker %q", c.ID, c.Marker)
		}
	}
	// The patient records database: a highlighted data store whose
	// tooltip lists its threats, highest residual risk first.
	db, rdb := component(p, "db"), r.Index().Component("db")
	if db.Severity == "" || db.Severity != string(rdb.MaxSeverity) || db.Kind != "datastore" || len(db.Threats) == 0 || len(db.Threats) != len(rdb.Threats) {
		t.Errorf("db = %+v", db)
	}
	for i, ref := range db.Threats {
		th := r.Index().Threat(ref.ID)
		if !strings.Contains(db.Tooltip(), th.ID+" ["+string(th.ResidualRisk)+"] "+th.Title) {
			t.Errorf("db tooltip %q lacks %s", db.Tooltip(), th.ID)
		}
		if i > 0 && stride.Severity(ref.Severity).Rank() > stride.Severity(db.Threats[i-1].Severity).Rank() {
			t.Errorf("db threats not highest first: %+v", db.Threats)
		}
	}
	tagged := map[string]string{}
	for _, f := range p.Flows {
		if f.SensitivityText != "" {
			tagged[f.ID] = f.SensitivityText
			if f.SensitivityRect.W == 0 {
				t.Errorf("flow %s tag not placed", f.ID)
			}
		}
	}
	sensitive := 0
	for _, f := range r.Flows {
		if len(f.Sensitivity) > 0 {
			sensitive++
		}
	}
	if tagged["appt->db"] != "PHI" || tagged["appt->stripe"] != "PCI" || len(tagged) != sensitive {
		t.Errorf("tags %v, want one per sensitive flow (%d)", tagged, sensitive)
	}
	lg := p.Legend
	critical, unrated := 0, 0
	for _, c := range r.Components {
		switch c.MaxSeverity {
		case stride.SeverityCritical:
			critical++
		case "":
			unrated++
		}
	}
	if lg.EntryPoints != 11 || lg.Threats != len(r.Threats) || lg.Severities[0].Components != critical ||
		lg.Severities[0].Threats != r.Summary.BySeverity[stride.SeverityCritical] || lg.Unrated != unrated || lg.SensitiveFlows != sensitive {
		t.Errorf("legend %+v", lg)
	}
	if p.Title.System != "Telehealth Platform" || p.Title.Date != "2026-11-23" || !strings.Contains(p.Title.Stats, "11 entry points") {
		t.Errorf("title %+v", p.Title)
	}
	for _, b := range p.Boundaries {
		if b.Trust == "" || b.LabelRect.W <= 0 || b.LabelRect.W > b.Rect.W {
			t.Errorf("boundary %+v", b)
		}
	}
	if p.Boundaries[0].Depth != 1 || p.Boundaries[len(p.Boundaries)-1].Depth != 3 {
		t.Error("boundaries not outermost first")
	}
}

func TestLabelsFit(t *testing.T) {
	_, p := telehealth(t)
	for _, c := range p.Components {
		if !c.Rect.Contains(c.LabelRect) {
			t.Errorf("%s label box outside its component", c.ID)
		}
		b, trunc := textfit.Fit(c.Label, picture.NodeFontSize, 8.5, c.LabelRect.W, c.LabelRect.H, true)
		if trunc || b.Size != picture.NodeFontSize {
			t.Errorf("%s label squeezed in a generated layout: %+v", c.ID, b)
		}
	}
	for _, f := range p.Flows {
		for _, l := range f.LabelLines {
			if w := textfit.Width(l, picture.EdgeFontSize, false); w > f.LabelRect.W {
				t.Errorf("flow %s label line %q wider than its box", f.ID, l)
			}
		}
	}
	// Picture bounds enclose everything.
	for _, b := range p.Badges {
		if !p.Bounds.Contains(b.Rect) {
			t.Errorf("badge %s outside bounds", b.ID)
		}
	}
}

func TestDOMIDs(t *testing.T) {
	d := graph.New("x.dot", "dot")
	for _, id := range []string{`a b"<>`, "a_20b_22_3c_3e", "ok-1", "é"} {
		if err := d.AddComponent(&graph.Component{ID: id, Label: id}); err != nil {
			t.Fatal(err)
		}
	}
	d.AddFlow(&graph.Flow{ID: "f", Source: "ok-1", Target: "é"})
	d.AddFlow(&graph.Flow{ID: "f", Source: "é", Target: "ok-1"})
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	r := testsupport.Analyze(t, d)
	p := annotate.Build(r, layout.Grid(d, layout.Options{}), annotate.Options{})
	got := []string{p.Components[0].DOMID, p.Components[1].DOMID, p.Components[2].DOMID, p.Components[3].DOMID, p.Flows[0].DOMID, p.Flows[1].DOMID}
	want := []string{"tm-c-a_20b_22_3c_3e", "tm-c-a_20b_22_3c_3e--2", "tm-c-ok-1", "tm-c-_c3_a9", "tm-f-f", "tm-f-f--2"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("id %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestIconsAndActors(t *testing.T) {
	d := testsupport.Shop()
	r := testsupport.Analyze(t, d)
	p := annotate.Build(r, layout.Source(d, layout.Options{}), annotate.Options{})
	if c := component(p, "4"); c.Icon != "Application Load Balancer" || c.Glyph != "network" || c.Caption != c.Icon ||
		!c.Rect.Contains(c.GlyphRect) || !c.Rect.Contains(c.CaptionRect) || c.GlyphRect.Y+c.GlyphRect.H > c.LabelRect.Y {
		t.Errorf("icon %+v", c)
	}
	if c := component(p, "2"); !c.Actor || c.LabelRect.Y < c.Rect.Y+c.Rect.H {
		t.Errorf("actor %+v: label should sit below the narrow glyph", c)
	}
	if c := component(p, "7"); c.Actor || c.Kind != "external" {
		t.Errorf("plain external %+v", c)
	}
}

func TestMissingGeometry(t *testing.T) {
	d := testsupport.ExampleDiagram(t, "telehealth.dot")
	r := testsupport.Analyze(t, d)
	l := layout.Grid(d, layout.Options{})
	l.Nodes = l.Nodes[1:] // "patient" not placed, nor its flow
	l.Edges = l.Edges[1:]
	p := annotate.Build(r, l, annotate.Options{})
	if len(p.Components) != 13 || len(p.Flows) != 14 || len(p.Warnings) < 2 {
		t.Errorf("%d components, %d flows, warnings %q", len(p.Components), len(p.Flows), p.Warnings)
	}
}

func TestNilInputs(t *testing.T) {
	p := annotate.Build(nil, nil, annotate.Options{Title: "X"})
	if p == nil || p.Title.System != "X" || len(p.Components) != 0 {
		t.Errorf("picture %+v", p)
	}
}

func TestIconFromStyle(t *testing.T) {
	d := graph.New("x.drawio", "drawio")
	d.HasLayout = true
	if err := d.AddComponent(&graph.Component{ID: "l", Label: "Fn", Shape: "mxgraph.aws4.resourceIcon",
		Style: "sketch=0;shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda;", Geometry: &graph.Rect{W: 78, H: 78}}); err != nil {
		t.Fatal(err)
	}
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	p := annotate.Build(testsupport.Analyze(t, d), layout.Source(d, layout.Options{}), annotate.Options{})
	c := p.Components[0]
	if c.Icon != "AWS Lambda" || c.Glyph != "function" || c.Caption != "AWS Lambda" {
		t.Errorf("icon %q glyph %q caption %q, want AWS Lambda, function", c.Icon, c.Glyph, c.Caption)
	}
	// A narrow icon: the glyph and caption inside, the label below.
	if !c.Rect.Contains(c.GlyphRect) || !c.Rect.Contains(c.CaptionRect) || c.CaptionRect.Y < c.GlyphRect.Y+c.GlyphRect.H ||
		c.LabelRect.Y < c.Rect.Y+c.Rect.H {
		t.Errorf("glyph %+v caption %+v label %+v in %+v", c.GlyphRect, c.CaptionRect, c.LabelRect, c.Rect)
	}
}
