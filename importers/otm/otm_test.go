package otm_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	exp "github.com/threatmap/threatmap/exporters/otm"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/importers/otm"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/stride/merge"
)

// ridehail.otm.yaml was written by hand in OTM 0.2.0 YAML.
func TestHandWrittenModel(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "ridehail.otm.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !otm.Sniff(data) {
		t.Fatal("Sniff does not recognise OTM YAML")
	}
	ds, err := otm.Import("ridehail.otm.yaml", data, otm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	if d.Title != "Ride Hailing" || d.Format != "otm" || len(d.Boundaries) != 3 || len(d.Components) != 4 || len(d.Flows) != 2 {
		t.Fatalf("%q: %d boundaries, %d components, %d flows", d.Title, len(d.Boundaries), len(d.Components), len(d.Flows))
	}
	for id, want := range map[string][2]string{"internet": {"", "0"}, "cloud": {"", "2"}, "secured": {"cloud", "4"}} {
		b := d.Boundary(id)
		if b == nil || b.Parent != want[0] || b.Attributes["trust"] != want[1] {
			t.Errorf("zone %s = %+v, want parent %q trust %s", id, b, want[0], want[1])
		}
	}
	for id, zone := range map[string]string{"rider-app": "internet", "trip-api": "cloud", "pricing": "cloud", "trips-db": "secured"} {
		if c := d.Component(id); c == nil || c.Boundary != zone {
			t.Errorf("component %s = %+v, want in %s", id, c, zone)
		}
	}
	if a := d.Component("pricing").Attributes; a["parent_component"] != "trip-api" || a["type"] != "code-class" {
		t.Errorf("pricing attributes %v", a)
	}
	if a := d.Component("trip-api").Attributes; a["framework"] != "spring" || a["data"] != "location" {
		t.Errorf("trip-api attributes %v", a)
	}
	book := d.Flows[0]
	if book.Label != "Book trip" || !book.Bidirectional || book.Attributes["tags"] != "https" || len(book.Threats) != 1 {
		t.Errorf("book flow %+v", book)
	}
	db := d.Component("trips-db")
	if len(db.Threats) != 1 {
		t.Fatalf("trips-db threats %+v", db.Threats)
	}
	if th := db.Threats[0]; th.Title != "SQL injection in trip search" || th.Category != "Tampering" || th.Status != "mitigated" ||
		th.Severity != "Medium" || th.Mitigation != "Parameterised queries through the ORM (implemented)" {
		t.Errorf("sqli %+v", th)
	}
	var warns []string
	for _, w := range d.Warnings {
		warns = append(warns, w.String())
	}
	if len(warns) != 2 || !strings.Contains(warns[0], `threat "no-such-threat" is not in the threats list`) || !strings.Contains(warns[1], `data flow "To nowhere" skipped`) {
		t.Errorf("warnings %q", warns)
	}
	r, err := stride.Analyze(d, stride.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := len(r.Threats)
	res := merge.Merge(r, d)
	if res.Matched+res.Added != 3 || len(r.Threats) != n+res.Added {
		t.Errorf("merge %+v", res)
	}
	for _, th := range r.Threats {
		if th.Title == "SQL injection in trip search" && th.Status != "Mitigated" {
			t.Errorf("sqli status %q", th.Status)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "telehealth.drawio"))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := importers.Import("telehealth.drawio", src, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := stride.Analyze(ds[0], stride.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.Diagram = ds[0]
	s, _, err := testsupport.BuildScene(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, yml := range []bool{false, true} {
		var buf bytes.Buffer
		if err := exp.Write(&buf, r, s, exp.Options{YAML: yml}); err != nil {
			t.Fatal(err)
		}
		if !otm.Sniff(buf.Bytes()) {
			t.Fatalf("yaml=%v: Sniff fails on the exporter's output", yml)
		}
		back, err := otm.Import("x.otm", buf.Bytes(), otm.Options{})
		if err != nil {
			t.Fatal(err)
		}
		g := back[0]
		if len(g.Warnings) != 0 || len(g.Components) != len(r.Components) || len(g.Flows) != len(r.Flows) || len(g.Boundaries) != len(r.Boundaries) {
			t.Fatalf("yaml=%v: %d/%d/%d, warnings %v", yml, len(g.Components), len(g.Flows), len(g.Boundaries), g.Warnings)
		}
		for _, c := range r.Components {
			gc := g.Component(c.ID)
			if gc == nil || gc.Label != c.Label || string(gc.Kind) != c.Kind || gc.Boundary != c.Boundary {
				t.Errorf("component %s: %+v", c.ID, gc)
			}
		}
		for _, b := range r.Boundaries {
			if gb := g.Boundary(b.ID); gb == nil || gb.Label != b.Label || gb.Parent != b.Parent {
				t.Errorf("boundary %s: %+v", b.ID, gb)
			}
		}
		for i, f := range r.Flows {
			gf := g.Flows[i]
			if gf.ID != f.ID || gf.Source != f.Source || gf.Target != f.Target || gf.Label != f.Label || gf.Bidirectional != f.Bidirectional {
				t.Errorf("flow %d: %+v", i, gf)
			}
		}
		byID := map[string]stride.Threat{}
		for _, th := range r.Threats {
			byID[th.ID] = th
		}
		n := 0
		check := func(typ, el string, ts []graph.Threat) {
			for _, th := range ts {
				n++
				w := byID[th.ID]
				if th.Title != w.Title || th.Category != string(w.Category) || th.Severity != string(w.ResidualRisk) || merge.Status(th.Status) != w.Status ||
					th.Description != w.Description || w.Element.Type != typ || w.Element.ID != el {
					t.Errorf("threat %s: %+v, want %+v", th.ID, th, w)
				}
			}
		}
		for _, c := range g.Components {
			check("component", c.ID, c.Threats)
		}
		for _, f := range g.Flows {
			check("flow", f.ID, f.Threats)
		}
		// OTM instances threats on elements only: a threat on the system
		// as a whole stays in the threat catalogue (attribute element
		// "system:") and comes back from the re-analysis.
		onElements := 0
		for _, th := range r.Threats {
			if th.Element.Type == stride.AppliesSystem {
				continue
			}
			onElements++
		}
		if n != onElements {
			t.Errorf("%d threats back, %d written on elements", n, onElements)
		}
		r2, err := stride.Analyze(g, stride.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range r2.Boundaries {
			for _, ob := range r.Boundaries {
				if ob.ID == b.ID && ob.Trust != b.Trust {
					t.Errorf("boundary %s trust %d, was %d", b.ID, b.Trust, ob.Trust)
				}
			}
		}
		if res := merge.Merge(r2, g); res.Matched != onElements || res.Added != 0 || len(r2.Threats) != len(r.Threats) {
			t.Errorf("yaml=%v: merge %+v, %d threats; want all %d element threats matched and %d in all", yml, res, len(r2.Threats), onElements, len(r.Threats))
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"json syntax", "{\n\"otmVersion\": \"0.2.0\",\n\"project\": {,}\n}", "x.otm:3:"},
		{"yaml syntax", "otmVersion: 0.2.0\nproject:\n  name: [a\n", "x.otm:"},
		{"no version", `{"project":{"name":"a","id":"a"}}`, "no otmVersion"},
		{"version 1", "otmVersion: 1.0.0\n", "not supported"},
		{"deep yaml", "otmVersion: 0.2.0\nproject: " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n", "nested deeper"},
		{"alias bomb", "otmVersion: 0.2.0\na: &a [x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f]\n", "too many nodes"},
	} {
		_, err := otm.Import("x.otm", []byte(tc.in), otm.Options{Limits: graph.Limits{MaxElements: 1000}})
		if err == nil || !graph.IsInputError(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want an input error containing %q", tc.name, err, tc.want)
		}
	}
}
