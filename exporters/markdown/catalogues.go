package markdown

import (
	"sort"
	"strings"

	"github.com/threatmap/threatmap/stride"
)

// references lists, for every rule behind the threats, its ids in other
// catalogues (CWE, CAPEC, OWASP ASVS 4.0.3, Threagile, pytm, and for ML
// rules the OWASP LLM and ML Top 10 and MITRE ATLAS), so a reader
// can look a threat up where they already work. Rules without references
// are left out; the section is left out when no threat has any.
func (d *doc) references() {
	type row struct {
		rule    string
		threats []string
		refs    *stride.Refs
	}
	byRule := map[string]*row{}
	var rules []string
	for _, t := range d.x.ByResidualRisk() {
		if t.Refs.Empty() {
			continue
		}
		r := byRule[t.Rule]
		if r == nil {
			r = &row{rule: t.Rule, refs: t.Refs}
			byRule[t.Rule] = r
			rules = append(rules, t.Rule)
		}
		r.threats = append(r.threats, t.ID)
	}
	if len(rules) == 0 {
		return
	}
	sort.Strings(rules)
	d.heading(2, "References")
	d.line("The rule behind each threat and its ids in other catalogues: CWE weaknesses, CAPEC attack patterns, OWASP ASVS 4.0.3 requirements, Threagile risk rules and pytm threats.")
	d.line("")
	join := func(ids []string) string {
		if len(ids) == 0 {
			return "—"
		}
		return cell(strings.Join(ids, ", "))
	}
	// The machine-learning catalogues (OWASP LLM and ML Top 10, MITRE
	// ATLAS) get a column only in a report that cites them.
	ml := false
	for _, id := range rules {
		r := byRule[id].refs
		ml = ml || len(r.OWASPLLM)+len(r.OWASPML)+len(r.ATLAS) > 0
	}
	var rows [][]string
	for _, id := range rules {
		r := byRule[id]
		stride.SortIDs(r.threats)
		row := []string{cell(r.rule), d.refs(r.threats), join(r.refs.CWE), join(r.refs.CAPEC),
			join(r.refs.ASVS), join(r.refs.Threagile), join(r.refs.PyTM)}
		if ml {
			row = append(row, join(append(append(append([]string(nil), r.refs.OWASPLLM...), r.refs.OWASPML...), r.refs.ATLAS...)))
		}
		rows = append(rows, row)
	}
	head := []string{"Rule", "Threats", "CWE", "CAPEC", "ASVS", "Threagile", "pytm"}
	if ml {
		head = append(head, "OWASP LLM/ML, ATLAS")
	}
	d.table(head, rows, "")
}
