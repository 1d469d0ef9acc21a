package xlsx

import (
	"sort"

	"github.com/threatmap/threatmap/stride"
)

// Roadmap classes of a recommended control.
const (
	quickWin      = "Quick win"
	architectural = "architectural change"
	planned       = "planned"
)

// control is a recommended control with the threats it addresses.
type control struct {
	stride.Mitigation
	threats []string // register order
	risk    string   // highest residual risk among them
	roadmap string
}

// controls groups the threats' mitigations by control text, in priority
// order: P1 first, quick wins before architectural changes, then by the
// register position of their first threat.
func (b *book) controls() []control {
	index := map[string]int{}
	var out []control
	for _, t := range b.threats {
		for _, m := range t.Mitigations {
			i, ok := index[m.Control]
			if !ok {
				i = len(out)
				index[m.Control] = i
				out = append(out, control{Mitigation: m})
			}
			c := &out[i]
			if m.Priority != "" && (c.Priority == "" || m.Priority < c.Priority) {
				c.Priority = m.Priority
			}
			c.threats = append(c.threats, t.ID)
			if stride.SeverityRank(t.ResidualRisk) > stride.SeverityRank(c.risk) {
				c.risk = t.ResidualRisk
			}
		}
	}
	for i := range out {
		out[i].roadmap = roadmap(out[i].Effort, out[i].risk)
	}
	rank := map[string]int{quickWin: 0, planned: 1, architectural: 2}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Priority != out[j].Priority {
			return out[i].Priority < out[j].Priority
		}
		return rank[out[i].roadmap] < rank[out[j].roadmap]
	})
	return out
}

// roadmap classifies a control: low effort on a high or critical residual
// risk is a quick win, large effort is an architectural change.
func roadmap(effort, risk string) string {
	switch {
	case effort == "S" && stride.SeverityRank(risk) >= stride.SeverityRank(stride.SeverityHigh):
		return quickWin
	case effort == "L":
		return architectural
	}
	return planned
}

func (b *book) mitigations() {
	cols := []column{
		{name: "Recommended control", width: 46}, {name: "Threats addressed", width: 22},
		{name: "Threats", width: 8, center: true}, {name: "Highest residual risk", width: 12, center: true},
		{name: "Control type", width: 12}, {name: "Effort", width: 7, center: true},
		{name: "Priority", width: 8, center: true}, {name: "Roadmap", width: 20},
		{name: "Owner", width: 16}, {name: "Notes", width: 30},
	}
	var rows [][]val
	for _, c := range b.controls() {
		rows = append(rows, []val{txt(c.Control), refs(c.threats), num(len(c.threats)), txt(orDash(c.risk)),
			txt(c.Type), txt(c.Effort), txt(c.Priority), txt(c.roadmap)})
	}
	b.table(SheetMitigations, cols, rows, 1, func(last int) {
		b.setErr(b.f.SetConditionalFormat(SheetMitigations, "D2:"+rangeTo("D", last), b.st.severityFormats()))
	})
}
