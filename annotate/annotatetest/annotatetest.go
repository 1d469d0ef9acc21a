// Package annotatetest builds stride.Report values by hand for tests and
// benchmarks of annotate and the SVG writer, the way the STRIDE pass would
// fill them: classified components, trust levels, crossings, numbered entry
// points, sensitivity read from labels and a small threat set.
package annotatetest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
)

// ThreatSpec is a hand-made threat: its element and residual severity.
type ThreatSpec struct {
	Element  string // component ID, or flow ID when Flow is set
	Flow     bool
	Stride   string
	Title    string
	Severity string
}

// Report builds a report for d with the given boundary trust levels (by
// boundary ID, default 2) and threats. Entry points are the flows that
// cross a boundary, numbered in flow order.
func Report(d *graph.Diagram, trust map[string]int, threats []ThreatSpec) *stride.Report {
	r := &stride.Report{
		SchemaVersion: stride.SchemaVersion, Generator: "threatmap test", System: d.Title,
		Source:  stride.Source{File: d.File, Format: d.Format, Diagram: d.Name},
		Diagram: d, Summary: stride.Summary{BySeverity: map[stride.Severity]int{}, ByCategory: map[stride.Category]int{}},
	}
	names := []string{"untrusted", "dmz", "internal", "restricted", "data"}
	for _, b := range d.Boundaries {
		t, ok := trust[b.ID]
		if !ok {
			t = 2
		}
		r.Boundaries = append(r.Boundaries, stride.Boundary{ID: b.ID, Label: b.Label, Parent: b.Parent, Trust: t,
			TrustName: names[min(max(t, 0), 4)], TrustReason: "test fixture", Members: b.Members, Inferred: b.Inferred})
	}
	compIdx := map[string]int{}
	for _, c := range d.Components {
		compIdx[c.ID] = len(r.Components)
		r.Components = append(r.Components, stride.Component{ID: c.ID, Label: c.Label, Kind: kindOf(c), Shape: c.Shape,
			Boundary: c.Boundary, Attributes: c.Attributes, Sensitivity: sensitivity(c.Label)})
	}
	flowIdx := map[string]int{}
	for _, f := range d.Flows {
		rf := stride.Flow{ID: f.ID, Source: f.Source, Target: f.Target, Label: f.Label, Bidirectional: f.Bidirectional,
			Encrypted: "unknown", Authenticated: "unknown", Sensitivity: sensitivity(f.Label),
			Crosses: d.FlowCrossings(f), Attributes: f.Attributes}
		if len(rf.Crosses) > 0 {
			ep := stride.EntryPoint{ID: fmt.Sprintf("EP-%02d", len(r.EntryPoints)+1), Flow: f.ID, From: f.Source, To: f.Target,
				Direction: direction(r, d, f), Boundaries: rf.Crosses}
			rf.EntryPoint = ep.ID
			r.EntryPoints = append(r.EntryPoints, ep)
		}
		flowIdx[f.ID] = len(r.Flows)
		r.Flows = append(r.Flows, rf)
	}
	for i, ts := range threats {
		t := stride.Threat{ID: fmt.Sprintf("T-%03d", i+1), Rule: "TEST-" + ts.Stride, Stride: ts.Stride, Category: stride.Category(category(ts.Stride)),
			Title: ts.Title, Severity: stride.Severity(ts.Severity), ResidualRisk: stride.Severity(ts.Severity), Status: "Unmitigated", Likelihood: 3, Impact: 3}
		if ts.Flow {
			k, ok := flowIdx[ts.Element]
			if !ok {
				panic("annotatetest: unknown flow " + ts.Element)
			}
			f := &r.Flows[k]
			t.Element, t.ElementName = stride.ElementRef{Type: "flow", ID: f.ID}, f.Source+" → "+f.Target
			f.Threats = append(f.Threats, t.ID)
			for e := range r.EntryPoints {
				if r.EntryPoints[e].Flow == f.ID {
					r.EntryPoints[e].Threats = append(r.EntryPoints[e].Threats, t.ID)
					t.EntryPoints = append(t.EntryPoints, r.EntryPoints[e].ID)
				}
			}
			for _, id := range []string{f.Source, f.Target} {
				raise(&r.Components[compIdx[id]], ts.Severity)
			}
		} else {
			k, ok := compIdx[ts.Element]
			if !ok {
				panic("annotatetest: unknown component " + ts.Element)
			}
			c := &r.Components[k]
			t.Element, t.ElementName = stride.ElementRef{Type: "component", ID: c.ID}, c.Label
			c.Threats = append(c.Threats, t.ID)
			raise(c, ts.Severity)
		}
		r.Threats = append(r.Threats, t)
		r.Summary.BySeverity[t.ResidualRisk]++
		r.Summary.ByCategory[t.Category]++
	}
	r.Summary.Components, r.Summary.Flows, r.Summary.Boundaries = len(r.Components), len(r.Flows), len(r.Boundaries)
	r.Summary.EntryPoints, r.Summary.Threats = len(r.EntryPoints), len(r.Threats)
	return r
}

func raise(c *stride.Component, sev string) {
	c.MaxSeverity = stride.MaxSeverity(c.MaxSeverity, stride.Severity(sev))
}

func kindOf(c *graph.Component) string {
	if c.Kind != graph.KindUnknown {
		return string(c.Kind)
	}
	s := strings.ToLower(c.Shape)
	switch {
	case strings.Contains(s, "cylinder"):
		return "datastore"
	case s == "oval" || strings.Contains(s, "actor"):
		return "external"
	}
	return "process"
}

func sensitivity(label string) []string {
	l := strings.ToLower(label)
	var out []string
	for _, k := range []struct{ word, class string }{
		{"phi", "PHI"}, {"pii", "PII"}, {"card", "PCI"}, {"pci", "PCI"}, {"token", "credentials"}, {"password", "credentials"},
	} {
		if strings.Contains(l, k.word) && !contains(out, k.class) {
			out = append(out, k.class)
		}
	}
	sort.Strings(out)
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func trustOf(r *stride.Report, d *graph.Diagram, comp string) int {
	c := d.Component(comp)
	if c == nil || c.Boundary == "" {
		return 0
	}
	for _, b := range r.Boundaries {
		if b.ID == c.Boundary {
			return b.Trust
		}
	}
	return 0
}

func direction(r *stride.Report, d *graph.Diagram, f *graph.Flow) string {
	a, b := trustOf(r, d, f.Source), trustOf(r, d, f.Target)
	switch {
	case a < b:
		return "inbound"
	case a > b:
		return "outbound"
	}
	return "lateral"
}

func category(s string) string {
	return map[string]string{"S": "Spoofing", "T": "Tampering", "R": "Repudiation", "I": "Information Disclosure",
		"D": "Denial of Service", "E": "Elevation of Privilege"}[s]
}

// TelehealthTrust are the trust levels of layouttest.Telehealth's boundaries.
var TelehealthTrust = map[string]int{"cluster_internet": 0, "cluster_cloud": 2, "cluster_dmz": 1, "cluster_app": 2, "cluster_data": 4}

// TelehealthThreats exercise every severity on components and flows.
var TelehealthThreats = []ThreatSpec{
	{Element: "patient->cdn", Flow: true, Stride: "S", Title: "Patient session hijacking over the public internet", Severity: "High"},
	{Element: "apigw->webapp", Flow: true, Stride: "I", Title: "Cleartext HTTP inside the VPC exposes session data", Severity: "Medium"},
	{Element: "db", Stride: "I", Title: "Bulk exfiltration of patient records (PHI)", Severity: "Critical"},
	{Element: "db", Stride: "T", Title: "Unauthorised modification of clinical records", Severity: "High"},
	{Element: "auth", Stride: "S", Title: "Credential stuffing against the login endpoint", Severity: "High"},
	{Element: "appt->stripe", Flow: true, Stride: "I", Title: "Card data leaves the platform to a third party", Severity: "High"},
	{Element: "stripe->apigw", Flow: true, Stride: "S", Title: "Forged payment webhook", Severity: "Critical"},
	{Element: "notify", Stride: "R", Title: "No audit trail of reminders sent", Severity: "Low"},
	{Element: "queue", Stride: "D", Title: "Queue flooding delays reminders", Severity: "Low"},
	{Element: "cdn", Stride: "D", Title: "Volumetric DDoS on the edge", Severity: "Medium"},
	{Element: "docs", Stride: "I", Title: "Public S3 bucket exposes documents", Severity: "Critical"},
	{Element: "cache", Stride: "I", Title: "Session tokens readable from an unauthenticated Redis", Severity: "High"},
}
