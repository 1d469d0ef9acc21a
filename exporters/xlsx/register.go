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
	b.tableHead(sh, cols, len(b.threats), 1)
	last := lastRowOf(len(b.threats))
	b.style(sh, "S2", rangeTo("S", last), b.st.date)
	for i, t := range b.threats {
		b.registerRow(i+2, t)
	}
	b.registerRules(last)
}

func (b *book) registerRow(n int, t stride.Threat) {
	const sh = SheetRegister
	row := strconv.Itoa(n)
	b.str(sh, "A"+row, t.ID)
	b.str(sh, "B"+row, t.Title)
	b.str(sh, "C"+row, t.Category)
	b.str(sh, "D"+row, t.ElementName)
	b.str(sh, "E"+row, strings.Join(t.EntryPoints, ", "))
	b.str(sh, "F"+row, t.Description)
	b.num(sh, colLikelihood+row, t.Likelihood)
	b.num(sh, colImpact+row, t.Impact)
	b.formula(sh, colScore+row, ScoreFormula(n))
	b.formula(sh, colSeverity+row, SeverityFormula(n))
	b.str(sh, "K"+row, strings.Join(t.ExistingControls, "\n"))
	b.str(sh, colResidual+row, t.ResidualRisk)
	if len(t.Mitigations) > 0 {
		b.str(sh, "M"+row, mitigationList(t.Mitigations))
		m := t.Mitigations[0]
		b.str(sh, "N"+row, m.Type)
		b.str(sh, "O"+row, m.Effort)
		b.str(sh, "P"+row, m.Priority)
	}
	b.fitRow(sh, n, []string{t.ID, t.Title, t.Category, t.ElementName, "", t.Description,
		"", "", "", "", strings.Join(t.ExistingControls, "\n"), "", mitigationList(t.Mitigations)}, registerWidths)
	status := t.Status
	if status == "" {
		status = "Unmitigated"
	}
	b.str(sh, colStatus+row, status)
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
