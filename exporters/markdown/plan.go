package markdown

import (
	"fmt"

	"github.com/threatmap/threatmap/stride"
)

// highRisk reports whether a threat needs action first.
func highRisk(t *stride.Threat) bool {
	return t.ResidualRisk.Rank() >= stride.SeverityHigh.Rank()
}

// prioritised details the High and Critical threats and their mitigations.
func (d *doc) prioritised() {
	d.heading(2, "Prioritised mitigations for high and critical threats")
	d.line("Threats whose residual risk, after the controls the diagram shows, is High or Critical; highest first.")
	n := 0
	for _, t := range d.x.ByResidualRisk() {
		if !highRisk(t) {
			continue
		}
		n++
		d.heading(3, anchorTag(t.ID)+text(t.ID)+" "+text(t.Title)+" ("+text(t.ResidualRisk)+")")
		d.line(text(t.Description))
		d.line("")
		d.line("- Element: " + text(t.ElementName))
		if len(t.EntryPoints) > 0 {
			d.line("- Entry point: " + d.refs(t.EntryPoints))
		}
		d.p("- %s; likelihood %d × impact %d = %d (%s); %s\n", text(t.Category), t.Likelihood,
			t.Impact, t.Score, text(t.Severity), residualText(t))
		if ls := controlLines(t); len(ls) > 0 {
			d.line("- Existing controls: " + textList(ls))
		} else if len(t.ExistingControls) > 0 {
			d.line("- Existing controls: " + textList(stride.ControlNames(t.ExistingControls)))
		}
		if len(t.MitigatedIf) > 0 {
			d.line("- Would be Mitigated if the diagram showed: " + textList(stride.ControlNames(t.MitigatedIf)))
		}
		if tr := tracking(t); tr != "" {
			d.line("- Status: " + text(t.Status) + "; " + text(tr))
		}
		if refs := t.Refs.Text(); refs != "" {
			d.line("- References: " + text(refs))
		}
		for _, m := range t.Mitigations {
			d.p("- [ ] **%s** %s (%s, effort %s)\n", text(orDash(m.Priority)), text(m.Control),
				text(orDash(m.Type)), text(effortText(m.Effort)))
		}
	}
	if n == 0 {
		d.line("No threat has a high or critical residual risk.")
	}
}

// roadmap writes the quick wins, architectural changes and other controls.
func (d *doc) roadmap() {
	d.heading(2, "Mitigation roadmap")
	d.line("Every recommended control once, with the threats it addresses, planned the way a security review plans them: small-effort controls on medium or higher residual risks this sprint, moderate ones this quarter, large-effort changes as design changes. A control's priority follows the residual risk of what it addresses and its effort (a quick win on a high risk is P1, a larger change on it P2).")
	// The document lists controls by priority within each group, in the
	// order of the ranked threats.
	ranked := make([]stride.Threat, len(d.x.ByResidualRisk()))
	for i, t := range d.x.ByResidualRisk() {
		ranked[i] = *t
	}
	plan := stride.PlanControls(ranked)
	var quick, arch, other []stride.PlannedControl
	for _, c := range plan {
		switch c.Roadmap {
		case stride.RoadmapQuickWin:
			quick = append(quick, c)
		case stride.RoadmapArchitectural:
			arch = append(arch, c)
		default:
			other = append(other, c)
		}
	}
	for _, g := range []struct {
		title, empty string
		list         []stride.PlannedControl
	}{
		{"This sprint: quick wins", "No small-effort control addresses a medium or higher risk.", quick},
		{"This quarter: planned controls", "None.", other},
		{"Design changes: architectural", "No control needs an architectural change.", arch},
	} {
		d.heading(3, g.title)
		if len(g.list) == 0 {
			d.line(g.empty)
			continue
		}
		for _, c := range g.list {
			d.p("- [ ] **%s** %s — %s, effort %s; addresses %s\n", text(orDash(c.Priority)), text(c.Control),
				text(orDash(c.Type)), text(effortText(c.Effort)), d.threatIDs(c.Threats))
		}
	}
}

// effortText is an effort with its name: "S (quick win)"; "-" when none.
func effortText(e string) string {
	if e == "" {
		return "-"
	}
	if n := stride.EffortName(e); n != e {
		return e + " (" + n + ")"
	}
	return e
}

// residualText says the residual risk with its factors: "residual
// likelihood 3 × impact 4 = 12 (High)", or "residual High" for a report
// from before residual likelihood and impact were recorded.
func residualText(t *stride.Threat) string {
	if t.ResidualLikelihood == 0 || t.ResidualImpact == 0 {
		return "residual " + text(t.ResidualRisk)
	}
	return fmt.Sprintf("residual likelihood %d × impact %d = %d (%s)", t.ResidualLikelihood, t.ResidualImpact,
		t.ResidualScore, text(t.ResidualRisk))
}
