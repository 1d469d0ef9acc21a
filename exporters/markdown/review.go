package markdown

import (
	"sort"
	"strings"

	"github.com/threatmap/threatmap/stride"
)

// regime is a compliance regime that a data class suggests.
type regime struct {
	class, name, question string
}

var regimes = []regime{
	{"PCI", "PCI-DSS", "Card data reaches %s. Which of these are in PCI-DSS scope, and can tokenisation or a hosted payment page take them out of scope?"},
	{"PHI", "HIPAA", "Protected health information reaches %s. Are access logging, encryption at rest and business associate agreements with every third party in place, as HIPAA requires?"},
	{"PII", "GDPR / privacy law", "Personal data reaches %s. Which privacy laws apply (GDPR, CCPA, ...), where is the data stored, and how long is it kept?"},
	{"financial", "SOX", "Financial data reaches %s. Does it feed financial reporting, bringing SOX change and access controls into play?"},
}

// review writes the questions the team should answer in the review,
// derived from what the report shows and leaves out.
func (d *doc) review() {
	d.heading(2, "Questions for the review")
	d.line("Answer these in the review; each answer can add components, change a likelihood or close a threat.")
	d.heading(3, "Completeness")
	d.line("- Which components are missing? Typical omissions: administrator and support access, CI/CD and deployment pipelines, secrets stores, logging and monitoring, backups, DNS and identity providers.")
	if iso := d.isolated(); len(iso) > 0 {
		d.line("- These components have no data flow; what talks to them? " + textList(iso))
	}
	if len(d.r.Boundaries) == 0 {
		d.line("- The diagram has no trust boundaries. Where do network zones, accounts or tenants separate components?")
	}
	d.line("- Are all third-party services and their data flows drawn, including outbound calls made by libraries and agents?")

	d.heading(3, "Threat intelligence")
	d.line("- Which of the threats in this model have been seen exploited against this system, its industry or its suppliers?")
	if crit := d.topThreats(3); len(crit) > 0 {
		d.line("- Do recent incidents or advisories change the likelihood of " + strings.Join(crit, ", ") + "?")
	}
	d.line("- Which attacker would target this system (criminal, insider, competitor, state), and what would they want from it?")

	d.heading(3, "Compliance")
	found := false
	for _, rg := range regimes {
		if where := d.handling(rg.class); len(where) > 0 {
			found = true
			d.line("- **" + rg.name + "**: " + strings.Replace(rg.question, "%s", textList(where), 1))
		}
	}
	if !found {
		d.line("- The diagram labels no regulated data (card data, health records, personal data). Is that right?")
	}
	d.line("- Which attestations does the organisation hold or promise customers (SOC 2, ISO 27001), and which of their controls cover these components?")

	d.heading(3, "Security posture")
	if u := d.flowsWhere(func(f *stride.Flow) bool { return f.Encrypted != "true" }); len(u) > 0 {
		d.line("- Encryption is unknown or absent on these flows; which are encrypted in transit? " + textList(u))
	}
	if u := d.flowsWhere(func(f *stride.Flow) bool {
		return f.Authenticated == "" || f.Authenticated == "unknown" || f.Authenticated == "none"
	}); len(u) > 0 {
		d.line("- Authentication is unknown or absent on these flows; how is each caller authenticated? " + textList(u))
	}
	d.line("- How are secrets and keys stored and rotated, and who can read them?")
	d.line("- Which events are logged centrally, who is alerted, and how long are logs kept?")
	d.line("- When was the system last penetration tested, and are its findings closed?")
}

// isolated lists components with no flow.
func (d *doc) isolated() []string {
	used := map[string]bool{}
	for _, f := range d.r.Flows {
		used[f.Source], used[f.Target] = true, true
	}
	var out []string
	for _, c := range d.r.Components {
		if !used[c.ID] {
			out = append(out, c.Label)
		}
	}
	return out
}

// topThreats names up to n threats with the highest residual risk, when
// that risk is High or Critical.
func (d *doc) topThreats(n int) []string {
	var out []string
	for _, t := range d.x.ByResidualRisk() {
		if len(out) == n || !highRisk(t) {
			break
		}
		out = append(out, text(t.ID)+" ("+text(t.Title)+")")
	}
	return out
}

// handling lists the components holding, or flows carrying, a data class
// (case-insensitive), components first.
func (d *doc) handling(class string) []string {
	has := func(v []string) bool {
		for _, s := range v {
			if strings.EqualFold(s, class) {
				return true
			}
		}
		return false
	}
	var out []string
	seen := map[string]bool{}
	for _, c := range d.r.Components {
		if has(c.Sensitivity) && !seen[c.Label] {
			seen[c.Label] = true
			out = append(out, c.Label)
		}
	}
	var flows []string
	for i := range d.r.Flows {
		f := &d.r.Flows[i]
		if has(f.Sensitivity) && !seen[d.x.ComponentName(f.Source)] && !seen[d.x.ComponentName(f.Target)] {
			flows = append(flows, d.x.FlowName(f))
		}
	}
	sort.Strings(flows)
	return append(out, flows...)
}

// flowsWhere names the flows for which keep is true.
func (d *doc) flowsWhere(keep func(*stride.Flow) bool) []string {
	var out []string
	for i := range d.r.Flows {
		if f := &d.r.Flows[i]; keep(f) {
			name := d.x.FlowName(f)
			if f.Label != "" {
				name += " (" + f.Label + ")"
			}
			out = append(out, name)
		}
	}
	return out
}
