package xlsx

import (
	"github.com/threatmap/threatmap/stride"
)

func (b *book) mitigations() {
	cols := []column{
		{name: "Recommended control", width: 46}, {name: "Threats addressed", width: 22},
		{name: "Threats", width: 8, center: true}, {name: "Highest residual risk", width: 12, center: true},
		{name: "Control type", width: 12}, {name: "Effort", width: 7, center: true},
		{name: "Priority", width: 8, center: true}, {name: "Roadmap", width: 20},
		{name: "Owner", width: 16}, {name: "Notes", width: 30},
	}
	var rows [][]val
	for _, c := range stride.PlanControls(b.threats) {
		rows = append(rows, []val{txt(c.Control), refs(c.Threats), num(len(c.Threats)), txt(orDash(string(c.Risk))),
			txt(c.Type), txt(c.Effort), txt(c.Priority), txt(c.Roadmap)})
	}
	b.table(SheetMitigations, cols, rows, 1, func(last int) {
		b.setErr(b.f.SetConditionalFormat(SheetMitigations, "D2:"+rangeTo("D", last), b.st.severityFormats()))
	})
}
