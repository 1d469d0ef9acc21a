package merge_test

import (
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/stride/merge"
)

func TestStatus(t *testing.T) {
	for in, want := range map[string]string{
		"Open": "Unmitigated", "exposed": "Unmitigated", "": "Unmitigated", "Mitigated": "Mitigated",
		"fully-mitigated": "Mitigated", "partly-mitigated": "Partial", "NA": "NA", " Accepted ": "Accepted",
	} {
		if got := merge.Status(in); got != want {
			t.Errorf("Status(%q) = %q, want %q", in, got, want)
		}
	}
}

// diagramOf builds the graph the fixture report describes, with recorded
// threats added by the test.
func diagramOf(r *stride.Report) *graph.Diagram {
	d := graph.New(r.Source.File, "threatdragon")
	for _, b := range r.Boundaries {
		_ = d.AddBoundary(&graph.Boundary{ID: b.ID, Label: b.Label, Parent: b.Parent})
	}
	for _, c := range r.Components {
		_ = d.AddComponent(&graph.Component{ID: c.ID, Label: c.Label, Boundary: c.Boundary})
	}
	for _, f := range r.Flows {
		d.AddFlow(&graph.Flow{ID: f.ID, Source: f.Source, Target: f.Target, Label: f.Label})
	}
	_ = d.Finalize()
	return d
}

func TestMerge(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	d := diagramOf(r)
	ei := 0
	for r.Threats[ei].Element.Type != "component" {
		ei++
	}
	existing := r.Threats[ei]
	var onComp *graph.Component
	for _, c := range d.Components {
		if c.ID == r.Components[0].ID {
			onComp = c
		}
	}
	// The same threat (title in other case and spacing) recorded as
	// mitigated, and two new ones: a low one on a component and an
	// unrated one on a flow that is an entry point.
	d.Component(existing.Element.ID).Threats = []graph.Threat{{Title: "  " + upper(existing.Title) + " ", Status: "Mitigated", Severity: "High", Source: "threatdragon"}}
	onComp.Threats = append(onComp.Threats, graph.Threat{Title: "Shoulder surfing", Category: "information disclosure", Status: "Open", Severity: "Low", Mitigation: "Privacy screens", Source: "otm"})
	var epFlow *stride.Flow
	for i := range r.Flows {
		if r.Flows[i].EntryPoint != "" {
			epFlow = &r.Flows[i]
			break
		}
	}
	d.Flows[indexOf(d, epFlow.ID)].Threats = []graph.Threat{{Title: "Replay of captured requests", Category: "Spoofing", Status: "Accepted", Severity: "TBD", Source: "threatdragon"}}
	n := len(r.Threats)
	res := merge.Merge(r, d)
	if res.Matched != 1 || res.Added != 2 || len(r.Threats) != n+2 || r.Summary.Threats != n+2 {
		t.Fatalf("merge %+v, %d threats (was %d), summary %d", res, len(r.Threats), n, r.Summary.Threats)
	}
	if got := r.Threats[ei]; got.Status != "Mitigated" || got.Reasons[len(got.Reasons)-1] != "recorded in the Threat Dragon model (status Mitigated, severity High)" {
		t.Errorf("matched threat %+v", got)
	}
	low, unrated := r.Threats[n], r.Threats[n+1]
	if low.ID == "" || low.Category != stride.InformationDisclosure || low.Stride != "I" || low.ResidualRisk != stride.SeverityLow ||
		low.Score != 4 || len(low.Mitigations) != 1 || low.Mitigations[0].Priority != "P4" || low.Rule != "imported:otm" {
		t.Errorf("added threat %+v", low)
	}
	if unrated.ResidualRisk != stride.SeverityMedium || unrated.Status != "Accepted" || len(unrated.EntryPoints) != 1 ||
		unrated.EntryPoints[0] != epFlow.EntryPoint || len(unrated.Reasons) != 2 {
		t.Errorf("unrated threat %+v", unrated)
	}
	sum := 0
	for _, v := range r.Summary.BySeverity {
		sum += v
	}
	if sum != len(r.Threats) {
		t.Errorf("by severity adds up to %d, want %d", sum, len(r.Threats))
	}
	found := false
	for _, ep := range r.EntryPoints {
		for _, id := range ep.Threats {
			found = found || id == unrated.ID
		}
	}
	if !found {
		t.Error("added flow threat not listed on its entry point")
	}
	if again := merge.Merge(r, d); again.Added != 0 || again.Matched != 3 {
		t.Errorf("merging twice: %+v", again)
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func indexOf(d *graph.Diagram, id string) int {
	for i, f := range d.Flows {
		if f.ID == id {
			return i
		}
	}
	return -1
}
