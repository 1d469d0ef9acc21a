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
