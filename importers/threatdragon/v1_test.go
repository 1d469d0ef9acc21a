package threatdragon_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	jsonexp "github.com/threatmap/threatmap/exporters/json"
	"github.com/threatmap/threatmap/graph"
	td "github.com/threatmap/threatmap/importers/threatdragon"
	"github.com/threatmap/threatmap/stride"
)

// testdata/v1-shop.json was written for these tests in Threat Dragon
// version 1's format (the 1.x releases' JointJS cells); v1-shop.v2.json is
// the same system in version 2's format, cell for cell.
const (
	v1Shop = "v1-shop.json"
	v2Shop = "v1-shop.v2.json"
)

func TestV1Model(t *testing.T) {
	data := read(t, filepath.Join("testdata", v1Shop))
	if !td.Sniff(data) {
		t.Fatal("Sniff does not recognise a version 1 model")
	}
	ds, err := td.Import(v1Shop, data, td.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 {
		t.Fatalf("%d diagrams, want 1", len(ds))
	}
	d := ds[0]
	if d.Title != "Small shop" || d.Format != "threatdragon" || !d.HasLayout {
		t.Errorf("diagram %q format %q layout %v", d.Title, d.Format, d.HasLayout)
	}
	wantComps := []struct {
		id, label string
		kind      graph.Kind
		boundary  string
		attrs     string
		threats   int
	}{
		{"a1", "Customer", graph.KindExternal, "b1", "description=A shopper on the web", 0},
		{"p1", "Web shop", graph.KindProcess, "", "privilegeLevel=web", 1},
		{"s1", "Orders DB", graph.KindDataStore, "", "encrypted_at_rest=true isEncrypted=true sensitivity=credentials storesCredentials=true", 0},
		{"a2", "Admin", graph.KindExternal, "", "outOfScope=true reasonOutOfScope=Staff are vetted", 0},
	}
	if len(d.Components) != len(wantComps) {
		t.Fatalf("%d components, want %d", len(d.Components), len(wantComps))
	}
	if a := d.Component("a2"); !a.OutOfScope || a.OutOfScopeReason != `Staff are vetted (property outOfScope="true")` || d.Component("a1").OutOfScope {
		t.Errorf("version 1 outOfScope: %v %q", a.OutOfScope, a.OutOfScopeReason)
	}
	for _, w := range wantComps {
		c := d.Component(w.id)
		if c == nil {
			t.Errorf("component %s missing", w.id)
			continue
		}
		if c.Label != w.label || c.Kind != w.kind || c.Boundary != w.boundary || attrText(c.Attributes) != w.attrs || len(c.Threats) != w.threats {
			t.Errorf("component %s = %q %v in %q attrs %q, %d threats; want %+v", w.id, c.Label, c.Kind, c.Boundary, attrText(c.Attributes), len(c.Threats), w)
		}
	}
	wantFlows := map[string]string{
		"f1": "a1>p1 Orders [crosses=b1 encrypted=true isEncrypted=true isPublicNetwork=true protocol=HTTPS] 1 threat(s) 0 vertices",
		"f2": "p1>s1 SQL [protocol=TCP] 0 threat(s) 1 vertices",
		"f3": "a2>p1 Admin tasks [protocol=SSH] 0 threat(s) 0 vertices",
	}
	if len(d.Flows) != len(wantFlows) {
		t.Fatalf("%d flows, want %d", len(d.Flows), len(wantFlows))
	}
	for _, f := range d.Flows {
		got := fmt.Sprintf("%s>%s %s [%s] %d threat(s) %d vertices", f.Source, f.Target, f.Label, attrText(f.Attributes), len(f.Threats), len(f.Waypoints))
		if got != wantFlows[f.ID] {
			t.Errorf("flow %s = %s, want %s", f.ID, got, wantFlows[f.ID])
		}
	}
	if len(d.Boundaries) != 1 {
		t.Fatalf("%d boundaries, want 1", len(d.Boundaries))
	}
	if b := d.Boundaries[0]; b.ID != "b1" || b.Label != "Internet boundary" || b.Attributes["shape"] != "line" || b.Attributes["points"] != "200,20 210,160 200,300" {
		t.Errorf("boundary %+v", b)
	}
	th := d.Component("p1").Threats[0]
	if th.Title != "Session hijack" || th.Category != "Spoofing" || th.Status != "Open" || th.Severity != "High" ||
		th.Mitigation != "Short-lived, HttpOnly, Secure cookies." || th.Source != "threatdragon" || th.Pos.Cell != "p1" {
		t.Errorf("threat %+v", th)
	}
	if ft := d.Flows[0].Threats[0]; d.Flows[0].ID != "f1" || ft.Category != "Tampering" || ft.Status != "Mitigated" {
		t.Errorf("flow threat %+v", ft)
	}
	wantWarn := []string{
		`cell "f3": flow "Admin tasks": its target end (350, 206) is not connected in the file but lies 6 px outside process "Web shop": attached to it`,
		`cell "f4": flow "Feed" skipped: its target end (900, 900) is not connected to a component (the nearest, actor "Admin", is 666 px away); the threat it records is dropped with it: "Feed replay" (Repudiation)`,
		`cell "b1": trust boundary "Internet boundary" drawn as a line: 1 flow(s) cross it; 1 component(s) on its smaller side are inside it`,
	}
	if got := warnTexts(d); strings.Join(got, "\n") != strings.Join(wantWarn, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantWarn, "\n"))
	}
}

// TestV1SameAnalysisAsV2: a version 1 model and the same system saved by
// version 2 give byte-identical JSON reports.
func TestV1SameAnalysisAsV2(t *testing.T) {
	report := func(name string) []byte {
		ds, err := td.Import("shop.json", read(t, filepath.Join("testdata", name)), td.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := stride.Analyze(ds[0], stride.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Threats) == 0 {
			t.Fatalf("%s: no threats", name)
		}
		var buf bytes.Buffer
		if err := jsonexp.Write(&buf, r); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	v1, v2 := report(v1Shop), report(v2Shop)
	if !bytes.Equal(v1, v2) {
		a, b := strings.Split(string(v1), "\n"), strings.Split(string(v2), "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("reports differ at line %d:\nv1: %s\nv2: %s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("reports differ in length: %d and %d lines", len(a), len(b))
	}
}

// v1Model wraps version 1 cells in a one-diagram model.
func v1Model(cells ...string) string {
	return `{"summary":{"title":"T"},"detail":{"diagrams":[{"title":"Shop","diagramType":"STRIDE","diagramJson":{"cells":[` + strings.Join(cells, ",") + `]}}]}}`
}

const (
	v1Actor   = `{"type":"tm.Actor","id":"a","position":{"x":0,"y":0},"size":{"width":100,"height":60},"attrs":{"text":{"text":"User"}}}`
	v1Process = `{"type":"tm.Process","id":"p","position":{"x":300,"y":0},"size":{"width":100,"height":100},"attrs":{"text":{"text":"API"}}}`
)

func TestV1Cases(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		// want: diagrams, components, flows, boundaries; warn: a
		// substring of the joined warnings ("" for none at all).
		diagrams, comps, flows, bounds int
		warn                           string
	}{
		{"flow by id", v1Model(v1Actor, v1Process, `{"type":"tm.Flow","id":"f","source":{"id":"a"},"target":{"id":"p"},"labels":[{"attrs":{"text":{"text":"call"}}}]}`), 1, 2, 1, 0, ""},
		{"name key wins", v1Model(`{"type":"tm.Process","id":"p","name":"Named","position":{"x":0,"y":0},"size":{"width":50,"height":50},"attrs":{"text":{"text":"Drawn"}}}`), 1, 1, 0, 0, ""},
		{"boundary crossing nothing", v1Model(v1Actor, v1Process, `{"type":"tm.Boundary","id":"b","source":{"x":200,"y":300},"target":{"x":250,"y":400}}`), 1, 2, 0, 0, `trust boundary line "" crosses no flow`},
		// A boundary line whose end is attached to a shape runs from that
		// shape's centre: here it crosses the actor-to-process flow.
		{"boundary end on a shape", v1Model(v1Actor, v1Process, `{"type":"tm.Flow","id":"f","source":{"id":"a"},"target":{"id":"p"}}`, `{"type":"tm.Boundary","id":"b","source":{"x":200,"y":-100},"target":{"id":"x"}}`, `{"type":"tm.Store","id":"x","position":{"x":150,"y":200},"size":{"width":100,"height":60}}`), 1, 3, 1, 1, "1 flow(s) cross it"},
		{"boundary end on a flow", v1Model(v1Actor, v1Process, `{"type":"tm.Flow","id":"f","source":{"id":"a"},"target":{"id":"p"}}`, `{"type":"tm.Boundary","id":"b","source":{"x":200,"y":-100},"target":{"id":"f"}}`), 1, 2, 1, 0, "its ends have no position"},
		{"unknown type", v1Model(v1Actor, `{"type":"tm.Note","id":"n"}`), 1, 1, 0, 0, `unknown shape "tm.Note"`},
		{"no type", v1Model(v1Actor, `{"id":"n"}`), 1, 1, 0, 0, `unknown shape "(no type)"`},
		{"no id", v1Model(v1Actor, `{"type":"tm.Process"}`), 1, 1, 0, 0, "cell 2 (process) has no id"},
		{"flow to a boundary", v1Model(v1Actor, `{"type":"tm.Boundary","id":"b","source":{"x":0,"y":0},"target":{"x":9,"y":9}}`, `{"type":"tm.Flow","id":"f","source":{"id":"a"},"target":{"id":"b"}}`), 1, 1, 0, 0, `its target "b" is a trust boundary, not a component`},
		{"flow without ends", v1Model(v1Actor, `{"type":"tm.Flow","id":"f"}`), 1, 1, 0, 0, "its source end is missing"},
		{"null threats", v1Model(`{"type":"tm.Store","id":"s","threats":null,"position":{"x":0,"y":0},"size":{"width":50,"height":50}}`), 1, 1, 0, 0, ""},
		{"bad threats", v1Model(`{"type":"tm.Store","id":"s","threats":"none","position":{"x":0,"y":0},"size":{"width":50,"height":50}}`), 1, 1, 0, 0, "threat list is not a list"},
		{"no position", v1Model(`{"type":"tm.Process","id":"p"}`), 1, 1, 0, 0, `process "" has no position`},
		{"blank diagram", `{"summary":{},"detail":{"diagrams":[{"title":"Empty","diagramType":"STRIDE"}]}}`, 1, 0, 0, 0, ""},
		{"two diagrams", `{"summary":{"title":"T"},"detail":{"diagrams":[{"title":"One","diagramJson":{"cells":[` + v1Actor + `]}},{"title":"Two","diagramJson":{"cells":[` + v1Actor + `,` + v1Process + `]}}]}}`, 2, 3, 0, 0, ""},
		{"v1 and v2 diagrams", `{"summary":{"title":"T"},"detail":{"diagrams":[{"title":"One","diagramJson":{"cells":[` + v1Actor + `]}},{"title":"Two","cells":[{"id":"x","shape":"process","position":{"x":0,"y":0},"size":{"width":9,"height":9}}]}]}}`, 2, 2, 0, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := td.Import("x.json", []byte(tc.in), td.Options{})
			if err != nil {
				t.Fatal(err)
			}
			comps, flows, bounds := 0, 0, 0
			var warns []string
			for _, d := range ds {
				if err := d.Validate(); err != nil {
					t.Fatal(err)
				}
				comps += len(d.Components)
				flows += len(d.Flows)
				bounds += len(d.Boundaries)
				warns = append(warns, warnTexts(d)...)
			}
			if len(ds) != tc.diagrams || comps != tc.comps || flows != tc.flows || bounds != tc.bounds {
				t.Errorf("%d diagrams, %d components, %d flows, %d boundaries; want %d, %d, %d, %d",
					len(ds), comps, flows, bounds, tc.diagrams, tc.comps, tc.flows, tc.bounds)
			}
			all := strings.Join(warns, "\n")
			if tc.warn == "" && all != "" || !strings.Contains(all, tc.warn) {
				t.Errorf("warnings %q, want %q", all, tc.warn)
			}
		})
	}
	ds, err := td.Import("x.json", []byte(v1Model(`{"type":"tm.Process","id":"p","name":"Named","attrs":{"text":{"text":"Drawn"}}}`)), td.Options{})
	if err != nil || ds[0].Component("p").Label != "Named" {
		t.Errorf("name key: %v", err)
	}
}

func TestV1Errors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"diagramJson not an object", `{"summary":{},"detail":{"diagrams":[{"title":"Shop","diagramJson":"x"}]}}`, `x.json: page "Shop": Threat Dragon version 1 diagram: diagramJson is not a JointJS graph`},
		{"cells not a list", `{"summary":{},"detail":{"diagrams":[{"diagramJson":{"cells":{}}}]}}`, `page "Diagram 1"`},
		{"position not a point", v1Model(v1Actor, `{"type":"tm.Process","id":"p","position":{"x":"0","y":0}}`), `page "Shop", cell "p": Threat Dragon version 1 cell`},
		{"cell not an object", v1Model(v1Actor, `7`), `page "Shop", cell "#2"`},
		{"source not an end", v1Model(`{"type":"tm.Flow","id":"f","source":"a"}`), `cell "f"`},
		{"second diagram", `{"summary":{},"detail":{"diagrams":[{"title":"A","diagramJson":{"cells":[]}},{"title":"B","diagramJson":{"cells":[{"type":"tm.Store","id":"s","size":[]}]}}]}}`, `page "B", cell "s"`},
		{"duplicate id", v1Model(v1Actor, v1Actor), `cell "a": duplicate cell id`},
	} {
		_, err := td.Import("x.json", []byte(tc.in), td.Options{})
		if err == nil || !graph.IsInputError(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want an input error containing %q", tc.name, err, tc.want)
		}
	}
}

func attrText(m map[string]string) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

func warnTexts(d *graph.Diagram) []string {
	var out []string
	for _, w := range d.Warnings {
		out = append(out, w.String())
	}
	return out
}
