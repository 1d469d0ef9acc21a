package xlsx

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/stride"
	"github.com/xuri/excelize/v2"
)

// Register columns. The letters are used in formulas on every sheet.
const (
	colLikelihood = "G"
	colImpact     = "H"
	colScore      = "I"
	colSeverity   = "J"
	colResidual   = "L"
	colStatus     = "Q"
	colCategory   = "C"
)

// RegisterHeaders are the Risk Register's column headers, A to T.
var RegisterHeaders = []string{
	"Threat ID", "Summary", "STRIDE category", "Affected element", "Entry point",
	"Threat description", "Likelihood", "Impact", "Risk score", "Severity",
	"Existing controls", "Residual risk", "Recommended mitigation", "Control type", "Effort",
	"Priority", "Status", "Owner", "Due date", "Notes",
}

var registerWidths = []float64{10, 34, 15, 24, 9, 52, 10, 8, 8, 10, 22, 10, 40, 12, 7, 8, 13, 14, 11, 28}

// Statuses are the values of the register's Status dropdown.
var Statuses = []string{"Unmitigated", "Partial", "Mitigated", "Accepted", "Transferred"}

// SeverityFormula is the register's severity formula for row n.
func SeverityFormula(n int) string {
	s := colScore + strconv.Itoa(n)
	return fmt.Sprintf(`IF(%s>=20,"Critical",IF(%s>=12,"High",IF(%s>=6,"Medium","Low")))`, s, s, s)
}

// ScoreFormula is the register's risk score formula for row n.
func ScoreFormula(n int) string {
	return colLikelihood + strconv.Itoa(n) + "*" + colImpact + strconv.Itoa(n)
}

// registerRange is the absolute range of a register column's data rows,
// for formulas on other sheets.
func (b *book) registerRange(col string) string {
	last := strconv.Itoa(lastRowOf(len(b.threats)))
	return "'" + SheetRegister + "'!$" + col + "$2:$" + col + "$" + last
}

// register writes the Risk Register: one row per threat, highest score
// first, with live score and severity, validations and conditional formats.
func (b *book) register() {
	const sh = SheetRegister
	cols := make([]column, len(RegisterHeaders))
	for i, h := range RegisterHeaders {
		cols[i] = column{name: h, width: registerWidths[i]}
	}
	for _, i := range []int{4, 6, 7, 8, 9, 11, 14, 15} { // E, G..J, L, O, P
		cols[i].center = true
	}
	out := b.begin(sh, cols, len(b.threats), 1, nil, b.registerRules)
	cells := make([]cellv, len(cols))
	for i, t := range b.threats {
		for j, c := range cols {
			cells[j] = cellv{style: b.st.text}
			if c.center {
				cells[j].style = b.st.center
			}
		}
		cells[18].style = b.st.date // S: due date
		b.registerRow(out, cells, i+2, t)
	}
	out.done()
}

// registerRow writes threat t to register row n; cells come with their
// column styles.
func (b *book) registerRow(out *out, cells []cellv, n int, t stride.Threat) {
	set := func(col int, kind int, s string) {
		cells[col].kind, cells[col].s = kind, s
	}
	mits := mitigationList(t.Mitigations)
	controls := strings.Join(t.ExistingControls, "\n")
	set(0, kindText, t.ID)
	set(1, kindText, t.Title)
	set(2, kindText, string(t.Category))
	set(3, kindText, t.ElementName)
	set(4, kindText, strings.Join(t.EntryPoints, ", "))
	set(5, kindText, t.Description)
	cells[6].kind, cells[6].n = kindNum, t.Likelihood
	cells[7].kind, cells[7].n = kindNum, t.Impact
	set(8, kindFormula, ScoreFormula(n))
	set(9, kindFormula, SeverityFormula(n))
	set(10, kindText, controls)
	set(11, kindText, string(t.ResidualRisk))
	if len(t.Mitigations) > 0 {
		m := t.Mitigations[0]
		set(12, kindText, mits)
		set(13, kindText, m.Type)
		set(14, kindText, m.Effort)
		set(15, kindText, m.Priority)
	}
	status := t.Status
	if status == "" {
		status = "Unmitigated"
	}
	set(16, kindText, status)
	height := rowHeight([]string{t.ID, t.Title, string(t.Category), t.ElementName, "", t.Description,
		"", "", "", "", controls, "", mits}, registerWidths)
	out.row(n, cells, height)
}

// mitigationList is the register's mitigation cell: the controls one per
// line, numbered when there are several (the first is the primary one).
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
	rng := func(col string) string { return col + "2:" + rangeTo(col, last) }
	for _, v := range []struct{ col, title, msg string }{
		{colLikelihood, "Likelihood", "Whole number from 1 (rare) to 5 (almost certain). See the About sheet."},
		{colImpact, "Impact", "Whole number from 1 (negligible) to 5 (severe). See the About sheet."},
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
		{"N", "Control type", []string{"Preventive", "Detective", "Corrective"}},
		{"O", "Effort", []string{"S", "M", "L"}},
		{"P", "Priority", []string{"P1", "P2", "P3", "P4"}},
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
