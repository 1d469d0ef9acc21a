package xlsx

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/third_party/excelize"
)

// Register columns. The letters are used in formulas on every sheet.
const (
	colID            = "A"
	colCategory      = "C"
	colLikelihood    = "G"
	colImpact        = "H"
	colScore         = "I"
	colSeverity      = "J"
	colResLikelihood = "L"
	colResImpact     = "M"
	colResScore      = "N"
	colResidual      = "O"
	colStatus        = "T"
	colTreatment     = "U"
	colDue           = "X"
	colReview        = "Y"
)

// RegisterHeaders are the Risk Register's column headers, A to AQ. People
// edit L, M and T to AB; AE lists the rule's ids in other catalogues (CWE,
// CAPEC, ASVS, Threagile, pytm); AF the controls the diagram does not show
// that would each make the threat Mitigated (Threat.MitigatedIf); AG to AN
// are what the analysis derived and AO to AQ what threatmap.yaml decided
// (status, owner, reason), kept so
// that the next run (--baseline) can tell a person's change from the
// analysis' or the configuration's value. A later run finds every column
// by its header.
var RegisterHeaders = []string{
	"Threat ID", "Summary", "STRIDE category", "Affected element", "Entry point",
	"Threat description", "Likelihood", "Impact", "Risk score", "Severity",
	"Existing controls", "Residual likelihood", "Residual impact", "Residual score", "Residual risk",
	"Recommended mitigation", "Control type", "Effort", "Priority",
	"Status", "Treatment", "Justification", "Owner", "Due date", "Review date", "Approver", "Ticket", "Notes",
	"Change", "History", "References", "Would be mitigated by",
	"Rule", "Fingerprint", "Element key", "Analysis status", "Analysis likelihood", "Analysis impact",
	"Analysis residual likelihood", "Analysis residual impact",
	"Configuration status", "Configuration owner", "Configuration reason",
}

// firstAnalysisCol is the index of the first analysis column ("Rule").
const firstAnalysisCol = 32

var registerWidths = []float64{9, 30, 14, 22, 9, 48, 10, 8, 7, 9, 18, 10, 9, 9, 9, 40, 11, 7, 8,
	12, 11, 26, 14, 11, 11, 14, 12, 28, 10, 28, 24, 28, 10, 17, 24, 12, 10, 10, 10, 10, 12, 14, 26}

// Statuses are the values of the register's Status dropdown: the three
// the analysis derives from the diagram's controls, then people's.
var Statuses = []string{"Unmitigated", "Partial", "Mitigated", "In progress", "Accepted", "Transferred", "Closed"}

// Treatments are the values of the Treatment dropdown.
var Treatments = []string{"Mitigate", "Accept", "Transfer", "Avoid"}

// bandFormula is the severity band of the score in cell s.
func bandFormula(s string) string {
	return fmt.Sprintf(`IF(%s>=20,"Critical",IF(%s>=12,"High",IF(%s>=6,"Medium","Low")))`, s, s, s)
}

// SeverityFormula is the register's severity formula for row n.
func SeverityFormula(n int) string { return bandFormula(colScore + strconv.Itoa(n)) }

// ScoreFormula is the register's risk score formula for row n.
func ScoreFormula(n int) string {
	return colLikelihood + strconv.Itoa(n) + "*" + colImpact + strconv.Itoa(n)
}

// ResidualScoreFormula and ResidualFormula are the residual score and
// band formulas for row n.
func ResidualScoreFormula(n int) string {
	return colResLikelihood + strconv.Itoa(n) + "*" + colResImpact + strconv.Itoa(n)
}

// ResidualFormula is the residual risk band formula for row n.
func ResidualFormula(n int) string { return bandFormula(colResScore + strconv.Itoa(n)) }

// registerRange is the absolute range of a register column's data rows,
// for formulas on other sheets.
func (b *book) registerRange(col string) string {
	last := strconv.Itoa(lastRowOf(len(b.rows)))
	return "'" + SheetRegister + "'!$" + col + "$2:$" + col + "$" + last
}

// registerLookup is a formula that reads column col of the register row
// whose Threat ID is id, wherever a sort or filter moved it.
func registerLookup(col, id string) string {
	return fmt.Sprintf(`INDEX('%s'!$%s:$%s,MATCH(%s,'%s'!$A:$A,0))`, SheetRegister, col, col, formulaString(id), SheetRegister)
}

// linkFormula is a HYPERLINK to the register row of threat id, found by
// MATCH so that it survives sorting, showing text.
func linkFormula(id, text string) string {
	return fmt.Sprintf(`HYPERLINK("#'%s'!A"&MATCH(%s,'%s'!$A:$A,0),%s)`, SheetRegister, formulaString(id), SheetRegister, formulaString(text))
}

// formulaString quotes s as a formula string literal.
func formulaString(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// extraHeaders are the columns people added to the register, carried in
// Tracking.Extra, sorted.
func (b *book) extraHeaders() []string {
	seen := map[string]bool{}
	for _, t := range b.rows {
		if t.Tracking != nil {
			for k := range t.Tracking.Extra {
				seen[k] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// register writes the Risk Register: one row per threat, highest score
// first, then closed threats kept from the baseline; live scores and
// severities (with cached values), validations and conditional formats.
func (b *book) register() {
	const sh = SheetRegister
	extra := b.extraHeaders()
	cols := make([]column, 0, len(RegisterHeaders)+len(extra))
	for i, h := range RegisterHeaders {
		cols = append(cols, column{name: h, width: registerWidths[i]})
	}
	for _, h := range extra {
		cols = append(cols, column{name: h, width: 16})
	}
	for _, i := range []int{4, 6, 7, 8, 9, 11, 12, 13, 14, 17, 18, 23, 24, 28} {
		cols[i].center = true
	}
	out := b.begin(sh, cols, len(b.rows), 1, nil, b.registerRules)
	cells := make([]cellv, len(cols))
	for i, t := range b.rows {
		for j, c := range cols {
			cells[j] = cellv{style: b.st.text}
			if c.center {
				cells[j].style = b.st.center
			}
		}
		cells[23].style, cells[24].style = b.st.date, b.st.date // X, Y: due and review dates
		b.registerRow(out, cells, i+2, t, extra)
	}
	out.done()
}

// hideAnalysisColumns groups and hides the analysis columns: they are
// for the next run (--baseline), not for reading or printing.
func (b *book) hideAnalysisColumns() {
	const sh = SheetRegister
	for c := firstAnalysisCol + 1; c <= len(RegisterHeaders); c++ {
		b.setErr(b.f.SetColOutlineLevel(sh, colName(c), 1))
	}
	b.setErr(b.f.SetColVisible(sh, colName(firstAnalysisCol+1)+":"+colName(len(RegisterHeaders)), false))
}

// registerRow writes threat t to register row n; cells come with their
// column styles.
func (b *book) registerRow(out *out, cells []cellv, n int, t stride.Threat, extra []string) {
	set := func(col int, s string) {
		cells[col].kind, cells[col].s = kindText, s
	}
	setNum := func(col, v int) {
		cells[col].kind, cells[col].n = kindNum, v
	}
	formula := func(col int, f string, v any) {
		cells[col].kind, cells[col].s, cells[col].cached = kindFormula, f, v
	}
	mits := mitigationList(t.Mitigations)
	controls := strings.Join(stride.ControlNames(t.ExistingControls), "\n")
	if len(t.Controls) > 0 {
		ls := make([]string, len(t.Controls))
		for i, c := range t.Controls {
			ls[i] = stride.ControlName(c.Control) + ": " + c.Effect + " (" + c.Source + ")"
		}
		controls = strings.Join(ls, "\n")
	}
	set(0, t.ID)
	set(1, t.Title)
	set(2, string(t.Category))
	set(3, b.elementNames(&t))
	set(4, strings.Join(t.EntryPoints, ", "))
	set(5, t.Description)
	setNum(6, t.Likelihood)
	setNum(7, t.Impact)
	formula(8, ScoreFormula(n), t.Likelihood*t.Impact)
	formula(9, SeverityFormula(n), string(stride.Band(t.Likelihood*t.Impact)))
	set(10, controls)
	setNum(11, t.ResidualLikelihood)
	setNum(12, t.ResidualImpact)
	formula(13, ResidualScoreFormula(n), t.ResidualLikelihood*t.ResidualImpact)
	formula(14, ResidualFormula(n), string(stride.Band(t.ResidualLikelihood*t.ResidualImpact)))
	if len(t.Mitigations) > 0 {
		m := nextStep(t.Mitigations)
		set(15, mits)
		set(16, m.Type)
		set(17, m.Effort)
		set(18, m.Priority)
	}
	status := t.Status
	if status == "" {
		status = "Unmitigated"
	}
	set(19, status)
	var history string
	if tr := t.Tracking; tr != nil {
		set(20, tr.Treatment)
		set(21, tr.Justification)
		set(22, tr.Owner)
		setDate(&cells[23], tr.DueDate)
		setDate(&cells[24], tr.ReviewDate)
		set(25, tr.Approver)
		set(26, tr.Ticket)
		set(27, tr.Notes)
		history = strings.Join(tr.History, "\n")
		set(29, history)
		for i, h := range extra {
			set(len(RegisterHeaders)+i, tr.Extra[h])
		}
	}
	if t.Change != "" {
		set(28, changeWord(t.Change))
	}
	refs := t.Refs.Text()
	set(30, refs)
	closers := strings.Join(stride.ControlNames(t.MitigatedIf), "\n")
	set(31, closers)
	an := stride.AnalysisValues(&t)
	set(32, t.Rule)
	set(33, t.Fingerprint)
	set(34, t.Identity.Element)
	set(35, an.Status)
	setNum(36, an.Likelihood)
	setNum(37, an.Impact)
	setNum(38, an.ResidualLikelihood)
	setNum(39, an.ResidualImpact)
	if t.Tracking != nil && t.Tracking.Config != nil {
		c := t.Tracking.Config
		set(40, c.Status)
		set(41, c.Owner)
		set(42, c.Reason)
	}
	notes := ""
	if t.Tracking != nil {
		notes = t.Tracking.Notes + "\n" + t.Tracking.Justification
	}
	height := rowHeight([]string{t.ID, t.Title, string(t.Category), t.ElementName, "", t.Description,
		"", "", "", "", controls, "", "", "", "", mits, "", "", "", "", "", notes, "", "", "", "", "", notes, "", history, refs, closers}, registerWidths)
	out.row(n, cells, height)
}

// setDate writes a date typed as YYYY-MM-DD as a date cell, anything else
// as the text people typed.
func setDate(c *cellv, s string) {
	if s == "" {
		return
	}
	if serial, ok := dateSerial(s); ok {
		c.kind, c.f = kindDate, serial
		return
	}
	c.kind, c.s = kindText, s
}

// changeWord is a Change value as the register shows it.
func changeWord(c string) string {
	if c == "" {
		return ""
	}
	return strings.ToUpper(c[:1]) + c[1:]
}

// mitigationList is the register's mitigation cell: the controls one per
// line, numbered when there are several (the first is the primary one).
// nextStep is the mitigation the register's Control type, Effort and
// Priority columns show: the most urgent, the first on a tie (a quick win
// on a high risk is P1 where a design change on it is P2).
func nextStep(ms []stride.Mitigation) stride.Mitigation {
	best := ms[0]
	for _, m := range ms[1:] {
		if m.Priority != "" && (best.Priority == "" || m.Priority < best.Priority) {
			best = m
		}
	}
	return best
}

// elementNames is the Affected element cell: the element's name, or for a
// threat that lists several elements each name on its own line, so that
// a filter on one element finds every threat that lists it. An element
// rated apart from the threat (stride.Threat.Members) carries its own
// rating after its name: "Fulcio → Client (Low, Mitigated)", with the
// rule when the threat folds several ("IAM (S-IDP-01: Medium,
// Unmitigated)").
func (b *book) elementNames(t *stride.Threat) string {
	if (len(t.Elements) == 0 && len(t.Members) == 0) || b.x == nil {
		return t.ElementName
	}
	return strings.Join(b.x.RatedElementNames(t), "\n")
}

func mitigationList(ms []stride.Mitigation) string {
	if len(ms) == 0 {
		return ""
	}
	if len(ms) == 1 {
		return ms[0].Control
	}
	lines := make([]string, len(ms))
	for i, m := range ms {
		lines[i] = strconv.Itoa(i+1) + ". " + m.Control
	}
	return strings.Join(lines, "\n")
}

// registerRules adds the validations and conditional formats of the
// register's data rows 2..last.
func (b *book) registerRules(last int) {
	const sh = SheetRegister
	b.hideAnalysisColumns()
	rng := func(col string) string { return col + "2:" + rangeTo(col, last) }
	for _, v := range []struct{ col, title, msg string }{
		{colLikelihood, "Likelihood", "Whole number from 1 (rare) to 5 (almost certain). See the About sheet."},
		{colImpact, "Impact", "Whole number from 1 (negligible) to 5 (severe). See the About sheet."},
		{colResLikelihood, "Residual likelihood", "Likelihood once the existing controls work: 1 to 5."},
		{colResImpact, "Residual impact", "Impact once the existing controls work: 1 to 5."},
	} {
		dv := excelize.NewDataValidation(false)
		dv.Sqref = rng(v.col)
		b.setErr(dv.SetRange(1, 5, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween))
		dv.SetInput(v.title, v.msg)
		dv.SetError(excelize.DataValidationErrorStyleStop, v.title, "Enter a whole number from 1 to 5.")
		b.setErr(b.f.AddDataValidation(sh, dv))
	}
	for _, v := range []struct {
		col, title string
		list       []string
	}{
		{colStatus, "Status", Statuses},
		{colTreatment, "Treatment", Treatments},
		{"Q", "Control type", []string{"Preventive", "Detective", "Corrective"}},
		{"R", "Effort", []string{"S", "M", "L"}},
		{"S", "Priority", []string{"P1", "P2", "P3", "P4"}},
	} {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = rng(v.col)
		b.setErr(dv.SetDropList(v.list))
		dv.SetInput(v.title, "Choose from the list: "+strings.Join(v.list, ", ")+".")
		dv.SetError(excelize.DataValidationErrorStyleWarning, v.title, "Choose one of: "+strings.Join(v.list, ", ")+".")
		b.setErr(b.f.AddDataValidation(sh, dv))
	}
	b.setErr(b.f.SetConditionalFormat(sh, rng(colSeverity), b.st.severityFormats()))
	b.setErr(b.f.SetConditionalFormat(sh, rng(colResidual), b.st.severityFormats()))
}

// dateSerial is the spreadsheet serial number of a YYYY-MM-DD date.
func dateSerial(s string) (float64, bool) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil || t.Year() < 1900 || t.Year() > 9999 {
		return 0, false
	}
	return float64(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24), true
}
