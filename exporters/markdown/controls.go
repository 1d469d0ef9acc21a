package markdown

import "github.com/threatmap/threatmap/stride"

// existingControls lists the controls the analysis credited, each once per
// source and effect, with the threats it counts on: what the system
// already does, so a reviewer sees that a threat it mitigates was
// considered and why it is listed Mitigated or Partial.
func (d *doc) existingControls() {
	type row struct {
		c       stride.CreditedControl
		threats []string
	}
	var rows []*row
	index := map[[3]string]*row{}
	for _, t := range d.x.ByResidualRisk() {
		for _, c := range t.Controls {
			k := [3]string{c.Control, c.Source, c.Effect}
			r := index[k]
			if r == nil {
				r = &row{c: c}
				index[k] = r
				rows = append(rows, r)
			}
			r.threats = append(r.threats, t.ID)
		}
	}
	if len(rows) == 0 {
		return
	}
	d.heading(2, "Controls already in place")
	d.line("Controls the diagram, the configuration or the technology catalog shows, credited on the threats they address.")
	d.line("")
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{cell(stride.ControlName(r.c.Control)), cell(r.c.Source), cell(r.c.Effect), d.refs(r.threats)}
	}
	d.table([]string{"Control", "Where it comes from", "Effect", "Threats"}, out, "")
}

// controlLines renders a threat's credited controls with their effect and
// source, "" when it has none.
func controlLines(t *stride.Threat) []string {
	out := make([]string, len(t.Controls))
	for i, c := range t.Controls {
		out[i] = stride.ControlName(c.Control) + " (" + c.Effect + "; " + c.Source + ")"
	}
	return out
}

// closingControls lists the controls the diagram does not show that would
// each close open threats (Threat.MitigatedIf), with the threats: what a
// reviewer checks for. When one is in place, stating it on the element
// (in the diagram, or in threatmap.yaml under the component or flow's
// controls) lists those threats Mitigated on the next run.
func (d *doc) closingControls() {
	var order []string
	threats := map[string][]string{}
	for _, t := range d.x.ByResidualRisk() {
		if t.Status != stride.StatusUnmitigated && t.Status != stride.StatusPartial {
			continue
		}
		for _, c := range t.MitigatedIf {
			if _, ok := threats[c]; !ok {
				order = append(order, c)
			}
			threats[c] = append(threats[c], t.ID)
		}
	}
	if len(order) == 0 {
		return
	}
	d.heading(2, "Controls that would close open threats")
	d.line("Controls the diagram does not show, each of which would make the threats listed Mitigated with a Low residual risk. Where one is already in place, state it on the threat's element (a label, a `controls` attribute, or `controls: [id]` under the component or flow in threatmap.yaml) and the next run lists those threats Mitigated; for a flow, on the flow or its target.")
	d.line("")
	out := make([][]string, len(order))
	for i, c := range order {
		out[i] = []string{cell(stride.ControlName(c)), "`" + c + "`", d.refs(threats[c])}
	}
	d.table([]string{"Control", "Id", "Would close"}, out, "")
}
