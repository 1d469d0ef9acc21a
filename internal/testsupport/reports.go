package testsupport

import (
	"fmt"
	"testing"

	"github.com/threatmap/threatmap/stride"
)

// Report generators, for writers that must scale: the real telehealth
// report grown to sizes no example has. Their cross references (element
// names, threat lists, entry points, summary) are filled in the way the
// STRIDE pass fills them.

func c(id, label, kind, boundary string, sens ...string) stride.Component {
	if sens == nil {
		sens = []string{}
	}
	return stride.Component{ID: id, Label: label, Kind: kind, KindReason: "shape", Boundary: boundary,
		Sensitivity: sens, Attributes: map[string]string{}, Threats: []string{}}
}

func mit(control, typ, effort, prio string) stride.Mitigation {
	return stride.Mitigation{Control: control, Type: typ, Effort: effort, Priority: prio}
}

// link fills the cross references that the STRIDE engine derives: element
// names, component and flow threat lists, entry points, maximum severities,
// open-question threats and the summary.
func link(r *stride.Report) {
	comp := map[string]*stride.Component{}
	for i := range r.Components {
		comp[r.Components[i].ID] = &r.Components[i]
	}
	flow := map[string]*stride.Flow{}
	trust := map[string]int{}
	for _, bd := range r.Boundaries {
		trust[bd.ID] = bd.Trust
	}
	zoneTrust := func(id string) int {
		if c := comp[id]; c != nil && c.Boundary != "" {
			return trust[c.Boundary]
		}
		return 0
	}
	r.EntryPoints = nil
	for i := range r.Flows {
		f := &r.Flows[i]
		flow[f.ID] = f
		f.EntryPoint = ""
		if len(f.Crosses) == 0 {
			continue
		}
		ep := stride.EntryPoint{ID: fmt.Sprintf("EP-%02d", len(r.EntryPoints)+1), Flow: f.ID,
			From: f.Source, To: f.Target, Boundaries: f.Crosses, Threats: []string{}}
		switch st, dt := zoneTrust(f.Source), zoneTrust(f.Target); {
		case dt > st:
			ep.Direction = "inbound"
		case dt < st:
			ep.Direction = "outbound"
		default:
			ep.Direction = "lateral"
		}
		f.EntryPoint = ep.ID
		r.EntryPoints = append(r.EntryPoints, ep)
	}
	epIndex := map[string]int{}
	for i, ep := range r.EntryPoints {
		epIndex[ep.ID] = i
	}
	raise := func(c *stride.Component, sev stride.Severity) {
		c.MaxSeverity = stride.MaxSeverity(c.MaxSeverity, sev)
	}
	for i := range r.Threats {
		t := &r.Threats[i]
		if t.Element.Type == "system" {
			continue
		}
		if t.Element.Type == "component" {
			c := comp[t.Element.ID]
			t.ElementName = c.Label
			c.Threats = append(c.Threats, t.ID)
			raise(c, t.ResidualRisk)
			continue
		}
		f := flow[t.Element.ID]
		t.ElementName = comp[f.Source].Label + " → " + comp[f.Target].Label
		f.Threats = append(f.Threats, t.ID)
		raise(comp[f.Source], t.ResidualRisk)
		raise(comp[f.Target], t.ResidualRisk)
		if f.EntryPoint != "" {
			t.EntryPoints = []string{f.EntryPoint}
			ep := &r.EntryPoints[epIndex[f.EntryPoint]]
			ep.Threats = append(ep.Threats, t.ID)
		}
	}
	for i := range r.OpenQuestions {
		q := &r.OpenQuestions[i]
		q.Threats = []string{}
		for _, t := range r.Threats {
			if t.Element == q.Element {
				q.Threats = append(q.Threats, t.ID)
			}
		}
	}
	r.Summary = stride.Summary{
		Components: len(r.Components), Flows: len(r.Flows), Boundaries: len(r.Boundaries),
		EntryPoints: len(r.EntryPoints), Threats: len(r.Threats),
		BySeverity: map[stride.Severity]int{}, ByCategory: map[stride.Category]int{},
	}
	for _, t := range r.Threats {
		r.Summary.BySeverity[t.ResidualRisk]++
		r.Summary.ByCategory[t.Category]++
	}
}

// Large returns the real telehealth report with n generated threats spread over
// its components and flows, for benchmarks and size tests.
func Large(t testing.TB, n int) *stride.Report {
	r := ExampleReport(t, "telehealth.dot")
	base := r.Threats
	r.Threats = make([]stride.Threat, 0, n)
	for i := 0; i < n; i++ {
		t := base[i%len(base)]
		t.ID = fmt.Sprintf("T-%05d", i+1)
		t.Likelihood = 1 + i%5
		t.Impact = 1 + (i/5)%5
		t.Score = t.Likelihood * t.Impact
		t.Severity = stride.Band(t.Score)
		t.ResidualLikelihood = t.Likelihood
		t.ResidualScore = t.Score
		t.ResidualRisk = t.Severity
		t.Title = fmt.Sprintf("%s (#%d)", t.Title, i+1)
		t.Mitigations = append([]stride.Mitigation(nil), t.Mitigations...)
		r.Threats = append(r.Threats, t)
	}
	for i := range r.Components {
		r.Components[i].Threats = []string{}
		r.Components[i].MaxSeverity = ""
	}
	for i := range r.Flows {
		r.Flows[i].Threats = []string{}
	}
	link(r)
	return r
}

// Wide returns a report as wide as a large architecture, built on the
// real telehealth report, for benchmarks
// and tests of writers that must scale with every part of a report, not
// only the threats: n components alternating between the internet and the
// application tier, a flow from each to the next (every flow crosses a
// boundary, so every flow is an entry point), a threat on every component
// and every flow with a control of its own, and an open question on every
// flow.
func Wide(t testing.TB, n int) *stride.Report {
	r := ExampleReport(t, "telehealth.dot")
	base := r.Threats
	zones := [][]string{{"cluster_internet"}, {"cluster_cloud", "cluster_app"}}
	r.Components = make([]stride.Component, 0, n)
	for i := 0; i < n; i++ {
		r.Components = append(r.Components, c(fmt.Sprintf("w%d", i), fmt.Sprintf("Service %d", i),
			"process", zones[i%2][len(zones[i%2])-1], "PII"))
	}
	r.Flows = make([]stride.Flow, 0, n)
	r.OpenQuestions = make([]stride.OpenQuestion, 0, n)
	for i := 1; i < n; i++ {
		id := fmt.Sprintf("wf%d", i)
		crosses := append(append([]string(nil), zones[(i-1)%2]...), zones[i%2]...)
		r.Flows = append(r.Flows, stride.Flow{ID: id, Source: fmt.Sprintf("w%d", i-1), Target: fmt.Sprintf("w%d", i),
			Label: fmt.Sprintf("HTTPS call %d", i), Protocol: "https", Encrypted: "true", Authenticated: []string{"unknown", "jwt"}[i%2],
			Sensitivity: []string{"PII"}, Crosses: crosses, Attributes: map[string]string{}, Threats: []string{}})
		r.OpenQuestions = append(r.OpenQuestions, stride.OpenQuestion{ID: fmt.Sprintf("OQ-%d", i),
			Element:  stride.ElementRef{Type: "flow", ID: id},
			Question: fmt.Sprintf("How does Service %d authenticate to Service %d?", i-1, i),
			Impact:   "Unknown authentication keeps spoofing threats at full likelihood."})
	}
	r.Threats = make([]stride.Threat, 0, 2*n)
	add := func(typ, elem, name string) {
		i := len(r.Threats)
		t := base[i%len(base)]
		t.ID = fmt.Sprintf("T-%05d", i+1)
		t.Element = stride.ElementRef{Type: typ, ID: elem}
		t.Title = fmt.Sprintf("%s (%s)", t.Title, name)
		t.Mitigations = []stride.Mitigation{mit("Harden "+name, "Preventive", "S", "P2")}
		t.EntryPoints = []string{}
		r.Threats = append(r.Threats, t)
	}
	for _, comp := range r.Components {
		add("component", comp.ID, comp.Label)
	}
	for _, f := range r.Flows {
		add("flow", f.ID, f.Label)
	}
	link(r)
	return r
}
