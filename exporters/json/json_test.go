package json

import (
	"bytes"
	stdjson "encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

func sample(t *testing.T) *stride.Report {
	t.Helper()
	d := graph.New("arch.dot", "dot")
	for _, b := range []*graph.Boundary{{ID: "inet", Label: "Internet"}, {ID: "app", Label: "App <Tier>"}} {
		if err := d.AddBoundary(b); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []*graph.Component{
		{ID: "u", Label: "Customer", Shape: "actor", Boundary: "inet"},
		{ID: "s", Label: "Orders Service", Boundary: "app"},
		{ID: "db", Label: "Orders DB", Shape: "cylinder", Boundary: "app"},
	} {
		if err := d.AddComponent(c); err != nil {
			t.Fatal(err)
		}
	}
	d.AddFlow(&graph.Flow{ID: "f1", Source: "u", Target: "s", Label: "HTTPS"})
	d.AddFlow(&graph.Flow{ID: "f2", Source: "s", Target: "db", Label: "SQL (PII)"})
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	r, err := stride.Analyze(d, stride.Options{Generator: "threatmap test"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWriteRoundTrip(t *testing.T) {
	r := sample(t)
	var a, b bytes.Buffer
	if err := Write(&a, r); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("output is not deterministic")
	}
	out := a.String()
	if strings.Contains(out, "null") {
		t.Errorf("output contains null:\n%s", out)
	}
	if !strings.Contains(out, `"schema_version": "1.0"`) || !strings.HasPrefix(out, "{\n  \"schema_version\"") {
		t.Errorf("schema_version missing or not first")
	}
	if !strings.Contains(out, "App <Tier>") || !strings.Contains(out, "→") {
		t.Error("HTML characters or arrows were escaped")
	}
	var back stride.Report
	if err := stdjson.Unmarshal(a.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Threats) != len(r.Threats) || back.Threats[0].ID != r.Threats[0].ID || back.Threats[0].Fingerprint != r.Threats[0].Fingerprint || back.Summary.Threats != r.Summary.Threats {
		t.Errorf("round trip lost data: %d threats", len(back.Threats))
	}
	// Generic decoding: the top-level keys are the documented ones.
	var generic map[string]any
	if err := stdjson.Unmarshal(a.Bytes(), &generic); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema_version", "generator", "system", "source", "components", "boundaries", "flows",
		"entry_points", "threats", "open_questions", "warnings", "summary"} {
		if _, ok := generic[k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	if _, ok := generic["Diagram"]; ok {
		t.Error("the graph model must not be serialised")
	}
}

func TestWriteNilSlices(t *testing.T) {
	r := &stride.Report{
		Components:    []stride.Component{{ID: "a"}},
		Flows:         []stride.Flow{{ID: "f"}},
		Boundaries:    []stride.Boundary{{ID: "b"}},
		Threats:       []stride.Threat{{ID: "T-001"}},
		EntryPoints:   []stride.EntryPoint{{ID: "EP-01"}},
		OpenQuestions: []stride.OpenQuestion{{ID: "OQ-1"}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "null") {
		t.Errorf("nil slices printed as null:\n%s", buf.String())
	}
	if r.Components[0].Threats != nil || r.Warnings != nil {
		t.Error("Write modified the report")
	}
	if err := Write(&buf, nil); err == nil {
		t.Error("nil report accepted")
	}
}

// TestStatusesAndControls: each of the five statuses, and every credited
// control with its effect and source, survive a write and a read.
func TestStatusesAndControls(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	want := testsupport.FiveStatuses(t, r)
	var buf bytes.Buffer
	if err := Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	var back stride.Report
	if err := stdjson.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	credited := 0
	for i, th := range back.Threats {
		if s, ok := want[th.ID]; ok && th.Status != s {
			t.Errorf("%s: status %q, want %q", th.ID, th.Status, s)
		}
		if !reflect.DeepEqual(th.Controls, r.Threats[i].Controls) && len(r.Threats[i].Controls) > 0 {
			t.Errorf("%s: controls %+v, want %+v", th.ID, th.Controls, r.Threats[i].Controls)
		}
		// A folded threat lists a control once per element it is
		// credited on: the names are the existing controls.
		names := map[string]bool{}
		for _, c := range th.Controls {
			names[c.Control] = true
		}
		for _, c := range th.ExistingControls {
			if !names[c] {
				t.Errorf("%s: existing control %q has no entry in controls", th.ID, c)
			}
			delete(names, c)
		}
		if len(names) > 0 {
			t.Errorf("%s: controls %v are not existing controls", th.ID, names)
		}
		for _, c := range th.Controls {
			credited++
			if c.Effect == "" || c.Source == "" {
				t.Errorf("%s: control %q without effect or source", th.ID, c.Control)
			}
		}
	}
	if credited == 0 {
		t.Error("no credited control in the example")
	}
}
