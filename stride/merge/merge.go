// Package merge folds the threats a threat-model input already records
// (graph.Threat on components and flows, from Threat Dragon or Open Threat
// Model files) into threatmap's report. A recorded threat with the same
// element and title as one of threatmap's (case and spacing ignored) is
// the same threat: threatmap's analysis stands, a recorded "Mitigated"
// status is taken over and the threat notes where it was recorded. Any
// other recorded threat is added as it is, rated from its recorded
// severity, so that nothing the team already wrote down is lost.
package merge

import (
	"fmt"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
)

// sourceNames are the human names of the formats that carry threats.
var sourceNames = map[string]string{"threatdragon": "Threat Dragon", "otm": "Open Threat Model"}

// Result counts what Merge did.
type Result struct {
	Matched, Added int
}

// Merge merges the threats recorded in d into r, which must have been
// made from d. It updates the element and entry-point threat lists, the
// highest severities and the summary.
func Merge(r *stride.Report, d *graph.Diagram) Result {
	var res Result
	if r == nil || d == nil {
		return res
	}
	recs := recorded(d)
	if len(recs) == 0 {
		return res
	}
	m := newMerger(r)
	for _, rc := range recs {
		m.merge(rc)
	}
	summarise(r)
	return m.res
}

// rec is a threat recorded on an element of the input.
type rec struct {
	ref  stride.ElementRef
	name string
	t    graph.Threat
}

// recorded lists the threats recorded on d's components, then its flows.
func recorded(d *graph.Diagram) []rec {
	var recs []rec
	names := map[string]string{}
	for _, c := range d.Components {
		names[c.ID] = oneLine(c.Label)
	}
	for _, c := range d.Components {
		for _, t := range c.Threats {
			recs = append(recs, rec{stride.ElementRef{Type: "component", ID: c.ID}, names[c.ID], t})
		}
	}
	for _, f := range d.Flows {
		for _, t := range f.Threats {
			recs = append(recs, rec{stride.ElementRef{Type: "flow", ID: f.ID}, names[f.Source] + " → " + names[f.Target], t})
		}
	}
	return recs
}

// merger holds the state shared while recorded threats are merged into a report.
type merger struct {
	r      *stride.Report
	res    Result
	index  map[string]int
	next   int
	flowEP map[string]string
}

// newMerger indexes r's threats by element and title, finds the highest
// threat number and maps flows to their entry points.
func newMerger(r *stride.Report) *merger {
	m := &merger{r: r, index: map[string]int{}, flowEP: map[string]string{}}
	for i, t := range r.Threats {
		k := key(t.Element, t.Title)
		if _, dup := m.index[k]; !dup {
			m.index[k] = i
		}
	}
	for _, t := range r.Threats {
		var n int
		if _, err := fmt.Sscanf(t.ID, "T-%d", &n); err == nil && n > m.next {
			m.next = n
		}
	}
	for _, f := range r.Flows {
		m.flowEP[f.ID] = f.EntryPoint
	}
	return m
}

// recordNote says where a recorded threat was recorded, with its status and severity.
func recordNote(rc rec) string {
	src := sourceNames[rc.t.Source]
	if src == "" {
		src = rc.t.Source
	}
	note := fmt.Sprintf("recorded in the %s model", src)
	if rc.t.Status != "" || rc.t.Severity != "" {
		note += fmt.Sprintf(" (status %s, severity %s)", orDash(rc.t.Status), orDash(rc.t.Severity))
	}
	return note
}

// merge folds one recorded threat into the matching threat, or adds it.
func (m *merger) merge(rc rec) {
	r := m.r
	note := recordNote(rc)
	if i, ok := m.index[key(rc.ref, rc.t.Title)]; ok {
		t := &r.Threats[i]
		if Status(rc.t.Status) == "Mitigated" {
			t.Status = "Mitigated"
		}
		t.Reasons = appendOnce(t.Reasons, note)
		m.res.Matched++
		return
	}
	m.next++
	t := m.newThreat(rc, note)
	r.Threats = append(r.Threats, t)
	m.index[key(rc.ref, t.Title)] = len(r.Threats) - 1
	link(r, &r.Threats[len(r.Threats)-1])
	m.res.Added++
}

// newThreat makes the report threat for a recorded threat with no match,
// numbered m.next and rated from its recorded severity.
func (m *merger) newThreat(rc rec, note string) stride.Threat {
	sev := severity(rc.t.Severity)
	cat, ok := stride.ParseCategory(rc.t.Category)
	if !ok {
		cat = stride.Category(strings.TrimSpace(rc.t.Category))
	}
	l, im := rating(sev)
	t := stride.Threat{
		ID: fmt.Sprintf("T-%03d", m.next), Rule: "imported:" + rc.t.Source,
		Stride: cat.Letter(), Category: cat, Element: rc.ref, ElementName: rc.name,
		Title: rc.t.Title, Description: rc.t.Description, Likelihood: l, Impact: im, Score: l * im,
		Severity: sev, ExistingControls: []string{}, ResidualLikelihood: l, ResidualScore: l * im,
		ResidualRisk: sev, Status: Status(rc.t.Status), Mitigations: []stride.Mitigation{}, EntryPoints: []string{},
		Reasons: []string{note},
	}
	if t.Category == "" {
		t.Category = "Unclassified"
	}
	if rc.t.Severity == "" || !known(rc.t.Severity) {
		t.Reasons = append(t.Reasons, "no usable severity recorded; rated Medium until reviewed")
	}
	if mit := strings.TrimSpace(rc.t.Mitigation); mit != "" {
		t.Mitigations = append(t.Mitigations, stride.Mitigation{Control: mit, Type: "Preventive", Effort: stride.DefaultEffort,
			Priority: stride.MitigationPriority(sev, stride.DefaultEffort)})
	}
	if rc.ref.Type == "flow" && m.flowEP[rc.ref.ID] != "" {
		t.EntryPoints = []string{m.flowEP[rc.ref.ID]}
	}
	return t
}

func key(e stride.ElementRef, title string) string {
	return e.Type + "\x00" + e.ID + "\x00" + strings.ToLower(strings.Join(strings.Fields(title), " "))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Status maps a recorded status word to threatmap's (Unmitigated,
// Partial, Mitigated); a word with no equivalent (NA, Accepted,
// Transferred, ...) is kept as written.
func Status(s string) string {
	switch strings.ToLower(strings.NewReplacer(" ", "", "-", "", "_", "").Replace(s)) {
	case "", "open", "exposed", "unmitigated", "new", "identified":
		return "Unmitigated"
	case "mitigated", "fullymitigated", "closed", "resolved", "implemented":
		return "Mitigated"
	case "partlymitigated", "partiallymitigated", "partial", "inprogress":
		return "Partial"
	}
	return strings.TrimSpace(s)
}

// known reports a recorded severity that names a band.
func known(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical", "very high", "veryhigh", "high", "medium", "moderate", "low", "very low", "verylow", "info", "informational":
		return true
	}
	return false
}

// severity maps a recorded severity to a band; unknown words are Medium.
func severity(s string) stride.Severity {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical", "very high", "veryhigh":
		return stride.SeverityCritical
	case "high":
		return stride.SeverityHigh
	case "low", "very low", "verylow", "info", "informational":
		return stride.SeverityLow
	}
	return stride.SeverityMedium
}

// rating is a likelihood and impact in the band.
func rating(sev stride.Severity) (int, int) {
	switch sev {
	case stride.SeverityCritical:
		return 5, 4
	case stride.SeverityHigh:
		return 4, 4
	case stride.SeverityLow:
		return 2, 2
	}
	return 3, 3
}

// link lists a new threat on its element and entry points.
func link(r *stride.Report, t *stride.Threat) {
	switch t.Element.Type {
	case "component":
		for i := range r.Components {
			if c := &r.Components[i]; c.ID == t.Element.ID {
				c.Threats = append(c.Threats, t.ID)
				c.MaxSeverity = stride.MaxSeverity(c.MaxSeverity, t.ResidualRisk)
			}
		}
	case "flow":
		var ends []string
		for i := range r.Flows {
			if f := &r.Flows[i]; f.ID == t.Element.ID {
				f.Threats = append(f.Threats, t.ID)
				ends = append(ends, f.Source, f.Target)
			}
		}
		for i := range r.Components {
			if c := &r.Components[i]; contains(ends, c.ID) {
				c.MaxSeverity = stride.MaxSeverity(c.MaxSeverity, t.ResidualRisk)
			}
		}
	}
	for _, ep := range t.EntryPoints {
		for i := range r.EntryPoints {
			if e := &r.EntryPoints[i]; e.ID == ep {
				e.Threats = append(e.Threats, t.ID)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// summarise recounts the summary's threats.
func summarise(r *stride.Report) {
	r.Summary.Threats = len(r.Threats)
	r.Summary.BySeverity = map[stride.Severity]int{}
	for _, s := range stride.Severities {
		r.Summary.BySeverity[s] = 0
	}
	r.Summary.ByCategory = map[stride.Category]int{}
	for _, n := range stride.Categories {
		r.Summary.ByCategory[n] = 0
	}
	for _, t := range r.Threats {
		r.Summary.BySeverity[t.ResidualRisk]++
		r.Summary.ByCategory[t.Category]++
	}
}
