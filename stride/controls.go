package stride

import "sort"

// Roadmap classes of a recommended control, as a security architect's
// report plans them.
const (
	// RoadmapQuickWin is a small-effort control on a medium or higher
	// residual risk: do it this sprint.
	RoadmapQuickWin = "Quick win"
	// RoadmapArchitectural is a large-effort change to the design: plan it
	// as a design change.
	RoadmapArchitectural = "architectural change"
	// RoadmapPlanned is every other control: plan it this quarter.
	RoadmapPlanned = "planned"
)

// Efforts of a mitigation: S is a quick win (days), M moderate (weeks), L
// architectural (months, a change to the design). DefaultEffort is what a
// rule's mitigation without an effort gets.
const (
	EffortQuickWin      = "S"
	EffortModerate      = "M"
	EffortArchitectural = "L"
	DefaultEffort       = EffortModerate
)

// EffortName names an effort for people: "quick win", "moderate",
// "architectural"; the effort itself when unknown.
func EffortName(effort string) string {
	switch effort {
	case EffortQuickWin:
		return "quick win"
	case EffortModerate:
		return "moderate"
	case EffortArchitectural:
		return "architectural"
	}
	return effort
}

// MitigationPriority is the priority of a control of the given effort
// against a residual risk: a critical risk is P1 whatever it costs; on a
// high risk a quick win is P1 and anything larger P2; on a medium risk a
// quick win is P2 and anything larger P3; a low risk is P4.
func MitigationPriority(residual Severity, effort string) string {
	p := residual.Priority()
	if p == "" {
		return ""
	}
	switch residual {
	case SeverityHigh, SeverityMedium:
		if effort != EffortQuickWin {
			return "P" + string(p[1]+1)
		}
	}
	return p
}

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
// risk it addresses: small effort on a medium or higher risk is a quick
// win (this sprint), large effort an architectural change (a design
// change), the rest planned (this quarter).
func RoadmapClass(effort string, risk Severity) string {
	switch {
	case effort == EffortQuickWin && risk.Rank() >= SeverityMedium.Rank():
		return RoadmapQuickWin
	case effort == EffortArchitectural:
		return RoadmapArchitectural
	}
	return RoadmapPlanned
}
