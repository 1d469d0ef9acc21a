package xlsx

import "strconv"

// aboutText is the About sheet: term, definition. A row with an empty
// definition is a section title.
var aboutText = [][2]string{
	{"How to use this workbook", ""},
	{"Risk Register", "One row per threat, highest score first, then threats closed since an earlier run. Edit Likelihood and Impact, and Residual likelihood and impact (whole numbers 1-5): scores and severities recompute, and so do the counts, heat map and chart on the Summary. Set Status and Treatment from the dropdowns and fill in Justification, Owner, Due date, Review date, Approver, Ticket and Notes. Sort and filter freely, and add columns of your own."},
	{"Next run", "Give this file to the next run (threatmap analyze --baseline FILE): every threat keeps its ID and everything typed here, including added columns; threats no longer in the diagram stay as Closed with their history; new ones are marked New. The hidden, grouped columns after History (Rule, Fingerprint, Element key, Analysis values) are how the next run recognises each threat and tells your changes from the analysis' values: keep them."},
	{"Links", "Threat IDs on the other sheets link to the threat's row in the Risk Register, found by ID, so links and the Summary's top risks stay right after sorting or filtering."},
	{"Likelihood (1-5)", ""},
	{"1 Rare", "Needs an insider or a chain of unlikely conditions; no known attacks of this kind."},
	{"2 Unlikely", "Needs specialist skill or access the attacker would rarely have."},
	{"3 Possible", "A skilled attacker with some access could do it; the weakness is not obvious from outside."},
	{"4 Likely", "Reachable from a less trusted zone with common tools and knowledge."},
	{"5 Almost certain", "Exposed to the internet, well known and routinely exploited."},
	{"Impact (1-5)", ""},
	{"1 Negligible", "No sensitive data, no noticeable service effect."},
	{"2 Minor", "Limited internal data or a short degradation of a non-critical function."},
	{"3 Moderate", "Personal data of some users, or an outage of a business function."},
	{"4 Major", "Credentials, large volumes of personal data, or a prolonged outage."},
	{"5 Severe", "Regulated data at scale (PHI, card data), full compromise, or safety and legal consequences."},
	{"Risk score and severity", ""},
	{"Risk score", "Likelihood × Impact, from 1 to 25."},
	{"Critical", "Score 20 or more."},
	{"High", "Score 12 to 19."},
	{"Medium", "Score 6 to 11."},
	{"Low", "Score below 6."},
	{"Residual likelihood and impact", "Likelihood and impact once the existing controls the diagram shows work; the analysis lowers the likelihood by what each control is worth."},
	{"Residual risk", "Residual likelihood × residual impact, banded like the risk score."},
	{"Mitigations", ""},
	{"Recommended mitigation", "The controls that address the threat; the first is the primary one, whose control type, effort and priority the register shows."},
	{"Would be mitigated by", "Controls the diagram does not show, each of which would make the threat Mitigated with a Low residual risk. If one is in place, state it on the element (in the diagram, or as controls in threatmap.yaml) and the next run lists the threat Mitigated; an owner can also set Status or Treatment here."},
	{"Effort", "Of the most urgent mitigation. S: quick win (days), M: moderate (weeks), L: architectural (months, a design change)."},
	{"Priority", "Of the most urgent mitigation: P1 (this sprint) to P4 (when convenient); follows the residual risk and the effort (a quick win on a High risk is P1, a larger change P2)."},
	{"Quick win", "Small effort (S) on a threat whose residual risk is High or Critical."},
	{"architectural change", "Large effort (L): changes the design rather than a setting."},
	{"Status", "Unmitigated, Partial or Mitigated as the diagram's controls give it; In progress, Accepted (risk owner signs off), Transferred (insurance, contract) or Closed as people decide."},
	{"Treatment", "Mitigate, Accept, Transfer or Avoid, with a Justification, a Review date and the Approver."},
	{"Change", "New, Changed, Unchanged, Reopened or Closed since the baseline given to the run."},
}

func (b *book) about() {
	const sh = SheetAbout
	b.setErr(b.f.SetColWidth(sh, "A", "A", 26))
	b.setErr(b.f.SetColWidth(sh, "B", "B", 100))
	b.str(sh, "A1", "About this risk register")
	b.style(sh, "A1", "A1", b.st.title)
	row := 2
	for _, kv := range aboutText {
		row++
		r := strconv.Itoa(row)
		if kv[1] == "" {
			row++
			r = strconv.Itoa(row)
			b.str(sh, "A"+r, kv[0])
			b.style(sh, "A"+r, "A"+r, b.st.section)
			continue
		}
		b.str(sh, "A"+r, kv[0])
		b.str(sh, "B"+r, kv[1])
		b.style(sh, "A"+r, "A"+r, b.st.key)
		b.style(sh, "B"+r, "B"+r, b.st.text)
		b.fitRow(sh, row, []string{kv[0], kv[1]}, []float64{26, 100})
	}
}
