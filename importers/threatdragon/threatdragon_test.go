package threatdragon_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/exporters/threatdragon"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	td "github.com/threatmap/threatmap/importers/threatdragon"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/stride/merge"
)

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The bookshop model was written by hand in Threat Dragon's v2 format
// (testdata/bookshop.json): nested boxes, a boundary curve, an
// out-of-scope actor, string and object edge labels, a dangling flow, a
// text block, threats on components and on a flow.
func TestHandWrittenModel(t *testing.T) {
	data := read(t, filepath.Join("testdata", "bookshop.json"))
	if !td.Sniff(data) {
		t.Fatal("Sniff does not recognise a Threat Dragon model")
	}
	ds, err := td.Import("bookshop.json", data, td.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	const (
		internet = "4b0c6f0e-52a1-4b6c-9a57-2b51c6f1a001"
		vpc      = "4b0c6f0e-52a1-4b6c-9a57-2b51c6f1a002"
		dataTier = "4b0c6f0e-52a1-4b6c-9a57-2b51c6f1a003"
	)
	if d.Title != "Online Bookshop" || d.Format != "threatdragon" || !d.HasLayout {
		t.Errorf("diagram %q format %q layout %v", d.Title, d.Format, d.HasLayout)
	}
	const pci = "b0c0b0c0-0000-4000-8000-000000000001" // a curve between the Internet and the VPC
	wantBounds := map[string][2]string{internet: {"Internet", ""}, vpc: {"Bookshop VPC", ""}, dataTier: {"Data tier", vpc}, pci: {"PCI scope", ""}}
	if len(d.Boundaries) != len(wantBounds) {
		t.Fatalf("%d boundaries, want %d", len(d.Boundaries), len(wantBounds))
	}
	for id, w := range wantBounds {
		if b := d.Boundary(id); b == nil || b.Label != w[0] || b.Parent != w[1] {
			t.Errorf("boundary %s = %+v, want %v", id, b, w)
		}
	}
	if b := d.Boundary(pci); b.Attributes["shape"] != "line" || b.Attributes["points"] != "250,300 250,520" || len(b.Members) != 0 {
		t.Errorf("PCI scope line %+v", b)
	}
	type want struct {
		label    string
		kind     graph.Kind
		boundary string
		threats  int
	}
	wantComps := map[string]want{
		"0c2d3f1a-0001-4e0a-8f6e-000000000001": {"Customer browser", graph.KindExternal, internet, 1},
		"0c2d3f1a-0001-4e0a-8f6e-000000000002": {"Card payment provider", graph.KindExternal, internet, 0},
		"0c2d3f1a-0001-4e0a-8f6e-000000000003": {"Storefront web app", graph.KindProcess, vpc, 2},
		"0c2d3f1a-0001-4e0a-8f6e-000000000004": {"Order service", graph.KindProcess, vpc, 0},
		"0c2d3f1a-0001-4e0a-8f6e-000000000005": {"Orders DB", graph.KindDataStore, dataTier, 0},
		"0c2d3f1a-0001-4e0a-8f6e-000000000006": {"Audit log", graph.KindDataStore, dataTier, 0},
	}
	if len(d.Components) != len(wantComps) {
		t.Fatalf("%d components, want %d", len(d.Components), len(wantComps))
	}
	for id, w := range wantComps {
		c := d.Component(id)
		if c == nil || c.Label != w.label || c.Kind != w.kind || c.Boundary != w.boundary || len(c.Threats) != w.threats {
			t.Errorf("component %s = %+v, want %+v", id, c, w)
		}
	}
	db := d.Component("0c2d3f1a-0001-4e0a-8f6e-000000000005")
	if db.Attributes["encrypted_at_rest"] != "true" || db.Attributes["sensitivity"] != "credentials" || db.Attributes["description"] != "PostgreSQL" {
		t.Errorf("Orders DB attributes %v", db.Attributes)
	}
	if a := d.Component("0c2d3f1a-0001-4e0a-8f6e-000000000002").Attributes; a["outOfScope"] != "true" || a["reasonOutOfScope"] != "Third party, assessed under PCI" {
		t.Errorf("payment provider attributes %v", a)
	}
	// outOfScope is read into the model, with the author's reason; no
	// other component is out of scope.
	for _, c := range d.Components {
		want := ""
		if c.ID == "0c2d3f1a-0001-4e0a-8f6e-000000000002" {
			want = `Third party, assessed under PCI (property outOfScope="true")`
		}
		if c.OutOfScopeReason != want || c.OutOfScope != (want != "") {
			t.Errorf("%s out of scope %v %q, want %q", c.Label, c.OutOfScope, c.OutOfScopeReason, want)
		}
	}
	var labels []string
	for _, f := range d.Flows {
		labels = append(labels, f.Label)
	}
	sort.Strings(labels)
	if got := strings.Join(labels, "|"); got != "HTTPS browse and checkout|SQL|audit events|card authorisation|place order" {
		t.Errorf("flows %s", got)
	}
	card := d.Flows[2]
	if card.Label != "card authorisation" || !card.Bidirectional || card.Attributes["encrypted"] != "true" || card.Attributes["protocol"] != "HTTPS" || len(card.Threats) != 1 || card.Attributes["crosses"] != pci {
		t.Errorf("card flow %+v", card)
	}
	if ct := card.Threats[0]; ct.Title != "Forged payment callbacks mark unpaid orders as paid" || ct.Category != "Spoofing" || ct.Severity != "Critical" || ct.Status != "Open" || ct.Score != "9.1" || ct.Source != "threatdragon" {
		t.Errorf("card threat %+v", ct)
	}
	if len(d.Flows[0].Waypoints) != 1 {
		t.Errorf("first flow waypoints %v", d.Flows[0].Waypoints)
	}
	if len(d.Notes) != 1 || d.Notes[0].Text != "Reviewed 2025-03 with the payments team" {
		t.Errorf("notes %+v", d.Notes)
	}
	var warns []string
	for _, w := range d.Warnings {
		warns = append(warns, w.String())
	}
	if len(warns) != 2 || !strings.Contains(warns[0], `flow "dangling" skipped`) || !strings.Contains(warns[1], `trust boundary "PCI scope" drawn as a line: 1 flow(s) cross it; 0 component(s)`) {
		t.Errorf("warnings %q", warns)
	}

	// Analysed and merged: every recorded threat is kept.
	r, err := stride.Analyze(d, stride.Options{})
	if err != nil {
		t.Fatal(err)
	}
	before := len(r.Threats)
	res := merge.Merge(r, d)
	if res.Added+res.Matched != 4 || len(r.Threats) != before+res.Added || r.Summary.Threats != len(r.Threats) {
		t.Fatalf("merge %+v: %d threats before, %d after", res, before, len(r.Threats))
	}
	byTitle := map[string]stride.Threat{}
	for _, th := range r.Threats {
		byTitle[th.Title] = th
	}
	xss := byTitle["Stored XSS in book reviews"]
	if xss.Status != "Mitigated" || xss.Category != "Tampering" || xss.Element.ID != "0c2d3f1a-0001-4e0a-8f6e-000000000003" || xss.Severity != "Medium" {
		t.Errorf("XSS threat %+v", xss)
	}
	flood := byTitle["Checkout flooded during sales"]
	if flood.Severity != "Medium" || flood.Status != "Unmitigated" || len(flood.Reasons) != 2 {
		t.Errorf("TBD-severity threat %+v", flood)
	}
	forged := byTitle["Forged payment callbacks mark unpaid orders as paid"]
	if forged.ResidualRisk != "Critical" || forged.Element.Type != "flow" || len(forged.EntryPoints) != 1 || len(forged.Mitigations) != 1 {
		t.Errorf("forged callback threat %+v", forged)
	}
}

// Export then import gives the same model: components, kinds,
// boundaries, flows and every threat with its fields; analysed again and
// merged, every recorded threat matches one of threatmap's.
func TestRoundTrip(t *testing.T) {
	inline := map[string]string{
		// No boundary drawn: the analysis assumes one (implicit), which is
		// not exported and is assumed again on import.
		"flat.mmd": "flowchart LR\n  user((Customer)) -->|HTTPS login| web[Web shop]\n  web -->|SQL| db[(Orders DB)]\n",
	}
	for _, name := range []string{"telehealth.drawio", "telehealth.dot", "flat.mmd"} {
		t.Run(name, func(t *testing.T) {
			src := []byte(inline[name])
			if len(src) == 0 {
				src = read(t, filepath.Join("..", "..", "examples", name))
			}
			ds, err := importers.Import(name, src, importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			d := ds[0]
			r, err := stride.Analyze(d, stride.Options{})
			if err != nil {
				t.Fatal(err)
			}
			r.Diagram = d
			s, _, err := testsupport.BuildScene(r)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := threatdragon.Write(&buf, r, s, threatdragon.Options{}); err != nil {
				t.Fatal(err)
			}
			back, err := td.Import("x.json", buf.Bytes(), td.Options{})
			if err != nil {
				t.Fatal(err)
			}
			g := back[0]
			if len(g.Warnings) != 0 {
				t.Errorf("warnings %v", g.Warnings)
			}
			drawn := 0
			for _, b := range r.Boundaries {
				if !b.Implicit {
					drawn++
				}
			}
			if len(g.Components) != len(r.Components) || len(g.Flows) != len(r.Flows) || len(g.Boundaries) != drawn {
				t.Fatalf("got %d/%d/%d components/flows/boundaries, want %d/%d/%d", len(g.Components), len(g.Flows), len(g.Boundaries),
					len(r.Components), len(r.Flows), drawn)
			}
			for _, c := range r.Components {
				gc := g.Component(c.ID)
				if gc == nil || gc.Label != c.Label || string(gc.Kind) != c.Kind || gc.Boundary != c.Boundary {
					t.Errorf("component %s: got %+v, want %q %s in %q", c.ID, gc, c.Label, c.Kind, c.Boundary)
				}
			}
			for _, b := range r.Boundaries {
				if b.Implicit {
					continue
				}
				if gb := g.Boundary(b.ID); gb == nil || gb.Label != b.Label || gb.Parent != b.Parent {
					t.Errorf("boundary %s: got %+v, want %q under %q", b.ID, gb, b.Label, b.Parent)
				}
			}
			for i, f := range r.Flows {
				gf := g.Flows[i]
				if gf.ID != f.ID || gf.Source != f.Source || gf.Target != f.Target || gf.Label != f.Label || gf.Bidirectional != f.Bidirectional {
					t.Errorf("flow %d: got %+v, want %+v", i, gf, f)
				}
			}
			m := threatdragon.Build(r, s, threatdragon.Options{})
			want := map[string]threatdragon.Threat{}
			for _, c := range m.Detail.Diagrams[0].Cells {
				for _, th := range c.Data.Threats {
					want[c.ID+"|"+th.Title] = th
				}
			}
			n := 0
			check := func(el string, ts []graph.Threat) {
				for _, th := range ts {
					n++
					w, ok := want[el+"|"+th.Title]
					if !ok || th.ID != w.ID || th.Category != w.Type || th.Status != w.Status || th.Severity != w.Severity ||
						th.Description != w.Description || th.Mitigation != w.Mitigation {
						t.Errorf("threat %q on %s: got %+v, want %+v", th.Title, el, th, w)
					}
				}
			}
			for _, c := range g.Components {
				check(c.ID, c.Threats)
			}
			for _, f := range g.Flows {
				check(f.ID, f.Threats)
			}
			// Threat Dragon keeps threats on cells only: threats on the
			// system as a whole are listed in the model's description and
			// come back from the re-analysis, not from the cells.
			onElements := 0
			for _, th := range r.Threats {
				if th.Element.Type == stride.AppliesSystem {
					if !strings.Contains(m.Summary.Description, th.ID+" "+th.Title) {
						t.Errorf("system threat %s is not in the model's description", th.ID)
					}
					continue
				}
				onElements++
			}
			if n != onElements {
				t.Errorf("%d threats read back, %d written on elements", n, onElements)
			}
			r2, err := stride.Analyze(g, stride.Options{})
			if err != nil {
				t.Fatal(err)
			}
			res := merge.Merge(r2, g)
			if res.Matched != onElements || res.Added != 0 || len(r2.Threats) != len(r.Threats) {
				t.Errorf("re-analysis merge %+v, %d threats; want all %d element threats matched and %d in all", res, len(r2.Threats), onElements, len(r.Threats))
			}
		})
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"syntax", "{\n  \"summary\": {},\n  \"detail\": {\"diagrams\": [}\n}", "x.json:3:"},
		{"no diagrams", `{"version":"2.0.0","summary":{"title":"a"},"detail":{"diagrams":[]}}`, "has no diagrams"},
		{"no detail", `{"version":"2.0.0","summary":{"title":"a"}}`, `no "detail"`},
		{"duplicate id", `{"version":"2.0.0","summary":{},"detail":{"diagrams":[{"cells":[{"id":"ab","shape":"process"},{"id":"ab","shape":"store"}]}]}}`, `cell "ab": duplicate cell id`},
		{"deep", `{"summary":{},"detail":{"diagrams":[` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + `]}}`, "nested deeper"},
	} {
		_, err := td.Import("x.json", []byte(tc.in), td.Options{})
		if err == nil || !graph.IsInputError(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want an input error containing %q", tc.name, err, tc.want)
		}
		if tc.name == "deep" && !errors.Is(err, graph.ErrLimit) {
			t.Errorf("deep: %v is not a limit error", err)
		}
	}
}

func TestSniff(t *testing.T) {
	for in, want := range map[string]bool{
		`{"summary":{"title":"x"},"detail":{"diagrams":[]}}`: true,
		`{"summary":{"title":"x"}}`:                          false,
		`{"otmVersion":"0.2.0","project":{}}`:                false,
		`digraph { a -> b }`:                                 false,
		`{"diagrams": [], "summary": 1`:                      false,
	} {
		if got := td.Sniff([]byte(in)); got != want {
			t.Errorf("Sniff(%s) = %v", in, got)
		}
	}
}

// TestTrustBoundaryCurves: a trust-boundary curve (Threat Dragon's line
// boundary) that flows cross is a trust boundary drawn as a line: the
// flows crossing it cross it and the components on its smaller side, among
// those around it, are inside it; one that crosses no flow is skipped.
func TestTrustBoundaryCurves(t *testing.T) {
	comp := func(id, shape string, x, y float64) string {
		return `{"shape":"` + shape + `","id":"` + id + `","position":{"x":` + strconv.FormatFloat(x, 'f', -1, 64) + `,"y":` + strconv.FormatFloat(y, 'f', -1, 64) +
			`},"size":{"width":100,"height":60},"data":{"name":"` + id + `"}}`
	}
	flow := func(id, src, dst string) string {
		return `{"shape":"flow","id":"` + id + `","source":{"cell":"` + src + `"},"target":{"cell":"` + dst + `"},"data":{"name":"` + id + `"}}`
	}
	curve := func(id, name string, x1, y1, vx, vy, x2, y2 float64) string {
		f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
		return `{"shape":"trust-boundary-curve","id":"` + id + `","source":{"x":` + f(x1) + `,"y":` + f(y1) + `},"target":{"x":` + f(x2) + `,"y":` + f(y2) +
			`},"vertices":[{"x":` + f(vx) + `,"y":` + f(vy) + `}],"data":{"name":"` + name + `"}}`
	}
	cells := strings.Join([]string{
		comp("user", "actor", 0, 100), comp("web", "process", 300, 100), comp("api", "process", 300, 300), comp("db", "store", 600, 300),
		flow("f1", "user", "web"), flow("f2", "web", "api"), flow("f3", "api", "db"),
		curve("dmz", "Internet edge", 200, 0, 180, 200, 200, 500), // between the user and the rest
		curve("deco", "", 900, 0, 900, 100, 900, 200),             // crosses nothing
		curve("anon", "", 450, 0, 450, 200, 450, 500),             // unnamed: between api and db
	}, ",")
	src := `{"version":"2.2.0","summary":{"title":"T"},"detail":{"diagrams":[{"title":"D","cells":[` + cells + `]}]}}`
	ds, err := td.Import("t.json", []byte(src), td.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	b := d.Boundary("dmz")
	if b == nil || b.Label != "Internet edge" || b.Attributes["shape"] != "line" || b.Attributes["points"] != "200,0 180,200 200,500" ||
		strings.Join(b.Members, ",") != "user" || *b.Geometry != (graph.Rect{X: 180, Y: 0, W: 20, H: 500}) {
		t.Fatalf("line boundary %+v", b)
	}
	// An unnamed line is named "Trust boundary" by the importer, marked
	// as derived so that its words are not read as the author's.
	if a := d.Boundary("anon"); a == nil || a.Label != "Trust boundary" || !a.LabelDerived || b.LabelDerived {
		t.Errorf("unnamed line boundary %+v", a)
	}
	for id, want := range map[string]string{"f1": "dmz", "f2": "", "f3": "anon"} {
		var f *graph.Flow
		for _, x := range d.Flows {
			if x.ID == id {
				f = x
			}
		}
		if f.Attributes["crosses"] != want || len(d.FlowCrossings(f)) != len(strings.Fields(want)) {
			t.Errorf("%s crosses %q (%v), want %q", id, f.Attributes["crosses"], d.FlowCrossings(f), want)
		}
	}
	if d.Boundary("deco") != nil || len(d.Warnings) != 3 || !strings.Contains(d.Warnings[1].Message, "crosses no flow") {
		t.Errorf("decoration line: %v", d.Warnings)
	}
	// Too many segments to test (5,000 flows by a 5,000-point curve): the
	// curve is skipped with a warning instead of taking quadratic time.
	many := []string{comp("a", "process", 0, 0), comp("b", "process", 400, 0)}
	for i := 0; i < 5000; i++ {
		many = append(many, flow("f"+strconv.Itoa(i), "a", "b"))
	}
	var pts []string
	for i := 0; i < 4998; i++ {
		pts = append(pts, `{"x":200,"y":`+strconv.Itoa(i)+`}`)
	}
	many = append(many, `{"shape":"trust-boundary-curve","id":"big","source":{"x":200,"y":-10},"target":{"x":200,"y":9000},"vertices":[`+strings.Join(pts, ",")+`],"data":{"name":"Big"}}`)
	src = `{"version":"2.2.0","summary":{"title":"T"},"detail":{"diagrams":[{"title":"D","cells":[` + strings.Join(many, ",") + `]}]}}`
	ds, err = td.Import("t.json", []byte(src), td.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := ds[0]; d.Boundary("big") != nil || len(d.Flows) != 5000 || !strings.Contains(d.Warnings[len(d.Warnings)-1].Message, "too many flow and line segments") {
		t.Errorf("budget: %d boundaries, %d flows, %v", len(d.Boundaries), len(d.Flows), d.Warnings)
	}
}

// TestOutOfScopeFlowAndWords: a flow marked outOfScope is out of scope
// with its reason, and a process whose description says "(already modelled)" is
// out of scope by the author's words.
func TestOutOfScopeFlowAndWords(t *testing.T) {
	src := `{"version":"2.2.0","summary":{"title":"T"},"detail":{"diagrams":[{"title":"D","cells":[` +
		`{"shape":"actor","id":"u","position":{"x":0,"y":0},"size":{"width":100,"height":60},"data":{"name":"Reviewer"}},` +
		`{"shape":"process","id":"p","position":{"x":300,"y":0},"size":{"width":100,"height":60},"data":{"name":"Rule server","description":"Licensing service (already modelled)"}},` +
		`{"shape":"flow","id":"f","source":{"cell":"u"},"target":{"cell":"p"},"data":{"name":"fetch","outOfScope":true,"reasonOutOfScope":"Vendor link, their model"}}` +
		`]}]}}`
	ds, err := td.Import("t.json", []byte(src), td.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	if c := d.Component("p"); !c.OutOfScope || c.OutOfScopeReason != `description says "(already modelled)"` {
		t.Errorf("process: %v %q", c.OutOfScope, c.OutOfScopeReason)
	}
	if c := d.Component("u"); c.OutOfScope {
		t.Errorf("actor out of scope: %q", c.OutOfScopeReason)
	}
	if f := d.Flows[0]; !f.OutOfScope || f.OutOfScopeReason != `Vendor link, their model (property outOfScope="true")` {
		t.Errorf("flow: %v %q", f.OutOfScope, f.OutOfScopeReason)
	}
}
