package stride

import "sort"

// Roadmap classes of a recommended control.
const (
	// RoadmapQuickWin is a small-effort control on a high or critical
	// residual risk.
	RoadmapQuickWin = "Quick win"
	// RoadmapArchitectural is a large-effort change to the design.
	RoadmapArchitectural = "architectural change"
	// RoadmapPlanned is every other control.
	RoadmapPlanned = "planned"
)

// PlannedControl is one recommended control with the threats it addresses.
type PlannedControl struct {
	Mitigation
	// Threats are the IDs of the threats it addresses, in the order given.
	Threats []string
	// Risk is the highest residual risk among them.
	Risk Severity
	// Roadmap is RoadmapQuickWin, RoadmapArchitectural or RoadmapPlanned.
	Roadmap string
}

// PlanControls groups the mitigations of threats by control text, each
// control once with the most urgent priority recommended for it, sorted by
// priority, then quick wins before planned controls before architectural
// changes, then by first appearance in threats.
func PlanControls(threats []Threat) []PlannedControl {
	index := map[string]int{}
	var out []PlannedControl
	for _, t := range threats {
		for _, m := range t.Mitigations {
			i, ok := index[m.Control]
			if !ok {
				i = len(out)
				index[m.Control] = i
				out = append(out, PlannedControl{Mitigation: m})
			}
			c := &out[i]
			if m.Priority != "" && (c.Priority == "" || m.Priority < c.Priority) {
				c.Priority = m.Priority
			}
			c.Threats = append(c.Threats, t.ID)
			c.Risk = MaxSeverity(c.Risk, t.ResidualRisk)
		}
	}
	for i := range out {
		out[i].Roadmap = RoadmapClass(out[i].Effort, out[i].Risk)
	}
	rank := map[string]int{RoadmapQuickWin: 0, RoadmapPlanned: 1, RoadmapArchitectural: 2}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Priority != out[j].Priority {
			return out[i].Priority < out[j].Priority
		}
		return rank[out[i].Roadmap] < rank[out[j].Roadmap]
	})
	return out
}

// RoadmapClass classifies a control by its effort and the highest residual
// risk it addresses: small effort on a high or critical risk is a quick
// win, large effort an architectural change.
func RoadmapClass(effort string, risk Severity) string {
	switch {
	case effort == "S" && risk.Rank() >= SeverityHigh.Rank():
		return RoadmapQuickWin
	case effort == "L":
		return RoadmapArchitectural
	}
	return RoadmapPlanned
}
