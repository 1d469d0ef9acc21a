package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/third_party/excelize"
)

func TestSheets(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		_, f := telehealth(t, o)
		if got := f.GetSheetList(); !reflect.DeepEqual(got, SheetNames) {
			t.Fatalf("sheets = %q, want %q", got, SheetNames)
		}
		if f.GetActiveSheetIndex() != 0 {
			t.Errorf("active sheet = %d, want Summary", f.GetActiveSheetIndex())
		}
	})
}

func TestRegisterRows(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		r, f := telehealth(t, o)
		rs := rows(t, f, SheetRegister)
		if !reflect.DeepEqual(rs[0], RegisterHeaders) {
			t.Fatalf("headers = %q", rs[0])
		}
		if len(RegisterHeaders) != 43 || len(registerWidths) != len(RegisterHeaders) {
			t.Fatalf("%d register columns (%d widths), want 43", len(RegisterHeaders), len(registerWidths))
		}
		if got := len(rs) - 1; got != len(r.Threats) {
			t.Fatalf("%d register rows, want one per threat (%d)", got, len(r.Threats))
		}
		byID := map[string]stride.Threat{}
		for _, th := range r.Threats {
			byID[th.ID] = th
		}
		for i, row := range rs[1:] {
			n := i + 2
			th, ok := byID[row[0]]
			if !ok {
				t.Fatalf("row %d: unknown threat %q", n, row[0])
			}
			delete(byID, row[0])
			// A threat that lists several elements names each on its own
			// line, so that a filter on one element finds it.
			// An element rated apart (Members) carries its own rating
			// (stride TestRatedElementNames tests the names).
			element := th.ElementName
			if len(th.Elements) > 0 || len(th.Members) > 0 {
				element = strings.Join(r.Index().RatedElementNames(&th), "\n")
			}
			if row[1] != th.Title || row[2] != string(th.Category) || row[3] != element || row[5] != th.Description {
				t.Errorf("row %d: got %q", n, row[:6])
			}
			if row[6] != strconv.Itoa(th.Likelihood) || row[7] != strconv.Itoa(th.Impact) {
				t.Errorf("row %d: likelihood/impact %q %q, want %d %d", n, row[6], row[7], th.Likelihood, th.Impact)
			}
			if got, want := formula(t, f, SheetRegister, fmt.Sprintf("I%d", n)), fmt.Sprintf("G%d*H%d", n, n); got != want {
				t.Errorf("I%d formula = %q, want %q", n, got, want)
			}
			if got := formula(t, f, SheetRegister, fmt.Sprintf("J%d", n)); got != SeverityFormula(n) {
				t.Errorf("J%d formula = %q", n, got)
			}
			// Residual likelihood and impact, their live score and band
			// (cached values, read without recalculating), status, and
			// the analysis columns the next run reads.
			if row[11] != strconv.Itoa(th.ResidualLikelihood) || row[12] != strconv.Itoa(th.ResidualImpact) ||
				row[13] != strconv.Itoa(th.ResidualScore) || row[14] != string(th.ResidualRisk) || row[19] != th.Status {
				t.Errorf("row %d: residual %q, status %q, want %d×%d=%d %s %s", n, row[11:15], row[19],
					th.ResidualLikelihood, th.ResidualImpact, th.ResidualScore, th.ResidualRisk, th.Status)
			}
			if row[8] != strconv.Itoa(th.Score) || row[9] != string(th.Severity) {
				t.Errorf("row %d: cached score %q severity %q, want %d %s", n, row[8], row[9], th.Score, th.Severity)
			}
			if row[32] != th.Rule || row[33] != th.Fingerprint || row[35] != th.Status || row[36] != strconv.Itoa(th.Likelihood) {
				t.Errorf("row %d: analysis columns %q", n, row[32:])
			}
			if want := strings.Join(stride.ControlNames(th.MitigatedIf), "\n"); row[31] != want {
				t.Errorf("row %d: would be mitigated by %q, want %q", n, row[31], want)
			}
			if row[30] != th.Refs.Text() || (th.Refs != nil && len(th.Refs.CWE) > 0 && !strings.Contains(row[30], th.Refs.CWE[0])) {
				t.Errorf("row %d: references %q, want %q", n, row[30], th.Refs.Text())
			}
			if want := r.Threats[i].ID; row[0] != want {
				t.Errorf("row %d: %s, want %s: the register follows the report's (T-nnn) order", n, row[0], want)
			}
		}
		if len(byID) != 0 {
			t.Errorf("threats missing from the register: %v", byID)
		}
		// Mitigations are one per line, numbered when there are several.
		for i, row := range rs[1:] {
			var want []string
			for k, m := range r.Threats[i].Mitigations {
				want = append(want, strconv.Itoa(k+1)+". "+m.Control)
			}
			if len(want) == 1 {
				want[0] = r.Threats[i].Mitigations[0].Control
			}
			if row[15] != strings.Join(want, "\n") {
				t.Errorf("%s mitigations = %q, want %q", row[0], row[15], want)
			}
		}
	})
}

// TestFormulasCompute evaluates the register formulas with excelize's
// calculation engine, after an owner's edit.
func TestFormulasCompute(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		r, f := telehealth(t, o)
		top := r.Threats[0]
		calc := func(cell string) string {
			v, err := f.CalcCellValue(SheetRegister, cell)
			if err != nil {
				t.Fatalf("CalcCellValue(%s): %v", cell, err)
			}
			return v
		}
		if got := calc("I2"); got != strconv.Itoa(top.Score) {
			t.Errorf("I2 = %s, want %d", got, top.Score)
		}
		if got := calc("J2"); got != string(top.Severity) {
			t.Errorf("J2 = %s, want %s", got, top.Severity)
		}
		if err := f.SetCellInt(SheetRegister, "G2", 2); err != nil {
			t.Fatal(err)
		}
		if got := calc("I2"); got != strconv.Itoa(2*top.Impact) {
			t.Errorf("after likelihood 2: I2 = %s, want %d", got, 2*top.Impact)
		}
		if got := calc("J2"); got != string(stride.Band(2*top.Impact)) {
			t.Errorf("after likelihood 2: J2 = %s, want %s", got, stride.Band(2*top.Impact))
		}
		for score, want := range map[int]string{25: "Critical", 20: "Critical", 19: "High", 12: "High", 11: "Medium", 6: "Medium", 5: "Low", 1: "Low"} {
			if got := string(stride.Band(score)); got != want {
				t.Fatalf("stride.Band(%d) = %s", score, got)
			}
			_ = f.SetCellInt(SheetRegister, "G3", 1)
			_ = f.SetCellInt(SheetRegister, "H3", int64(score))
			if got := calc("J3"); got != want {
				t.Errorf("score %d: severity %s, want %s", score, got, want)
			}
		}
	})
}

func TestValidations(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		r, f := telehealth(t, o)
		last := len(r.Threats) + 1
		dvs, err := f.GetDataValidations(SheetRegister)
		if err != nil {
			t.Fatal(err)
		}
		bySqref := map[string]*excelize.DataValidation{}
		for _, dv := range dvs {
			bySqref[dv.Sqref] = dv
		}
		for _, col := range []string{"G", "H"} {
			dv := bySqref[fmt.Sprintf("%s2:%s%d", col, col, last)]
			if dv == nil {
				t.Fatalf("no validation on %s2:%s%d; have %v", col, col, last, keys(bySqref))
			}
			if dv.Type != "whole" || dv.Operator != "between" || dv.Formula1 != "1" || dv.Formula2 != "5" {
				t.Errorf("%s validation = %s %s %s..%s, want whole between 1..5", col, dv.Type, dv.Operator, dv.Formula1, dv.Formula2)
			}
			if !dv.ShowInputMessage || dv.Prompt == nil || !strings.Contains(*dv.Prompt, "1") {
				t.Errorf("%s validation has no input message", col)
			}
			if !dv.ShowErrorMessage {
				t.Errorf("%s validation shows no error", col)
			}
		}
		st := bySqref[fmt.Sprintf("T2:T%d", last)]
		if st == nil || st.Type != "list" {
			t.Fatalf("no Status dropdown; have %v", keys(bySqref))
		}
		if want := `"` + strings.Join(Statuses, ",") + `"`; st.Formula1 != want {
			t.Errorf("Status list = %s, want %s", st.Formula1, want)
		}
	})
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestConditionalFormats(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		r, f := telehealth(t, o)
		last := len(r.Threats) + 1
		cfs, err := f.GetConditionalFormats(SheetRegister)
		if err != nil {
			t.Fatal(err)
		}
		for _, col := range []string{"J", "O"} {
			rules := cfs[fmt.Sprintf("%s2:%s%d", col, col, last)]
			if len(rules) != 4 {
				t.Fatalf("%s: %d rules, want 4; have %v", col, len(rules), keys(cfs))
			}
			for i, sev := range severities {
				if rules[i].Type != "cell" || (rules[i].Criteria != "==" && rules[i].Criteria != "equal to") || rules[i].Value != `"`+sev+`"` || rules[i].Format == nil {
					t.Errorf("%s rule %d = %+v", col, i, rules[i])
				}
			}
		}
		cfs, err = f.GetConditionalFormats(SheetSummary)
		if err != nil || len(cfs) == 0 {
			t.Errorf("Summary: no conditional formats (%v)", err)
		}
	})
}

func TestFrozenAndFiltered(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		r, f := telehealth(t, o)
		filters := map[string]string{}
		for _, dn := range f.GetDefinedName() {
			if dn.Name == "_xlnm._FilterDatabase" {
				filters[dn.Scope] = dn.RefersTo
			}
		}
		for _, sh := range SheetNames[1 : len(SheetNames)-1] {
			p, err := f.GetPanes(sh)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Freeze || p.YSplit != 1 {
				t.Errorf("%s: panes %+v, want header row frozen", sh, p)
			}
			if filters[sh] == "" {
				t.Errorf("%s: no autofilter", sh)
			}
		}
		want := fmt.Sprintf("'Risk Register'!$A$1:$AQ$%d", len(r.Threats)+1)
		if got := filters[SheetRegister]; got != want {
			t.Errorf("register autofilter = %s, want %s", got, want)
		}
		if w, _ := f.GetColWidth(SheetRegister, "F"); w < 40 {
			t.Errorf("description column width %v", w)
		}
	})
}

// Threat ids on every sheet link to their register row through a
// HYPERLINK whose target MATCHes the id, so that sorting the register
// does not break them (TestLibreOfficeSortKeepsSummaryAndLinks follows
// them after a sort).
func TestInternalLinks(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		_, f := telehealth(t, o)
		regRows := registerIDs(t, f)
		checked := 0
		for _, sh := range []string{SheetSummary, SheetMitigations, SheetEntryPoints, SheetComponents, SheetFlows, SheetQuestions} {
			found := 0
			for r, row := range rows(t, f, sh) {
				for c, text := range row {
					ref := cell(c+1, r+1)
					id, ok := linkTarget(t, f, sh, ref)
					if !ok {
						continue
					}
					found++
					if regRows[id] == 0 || !strings.HasPrefix(text, id) {
						t.Errorf("%s!%s = %q links to %s (register row %d)", sh, ref, text, id, regRows[id])
					}
					checked++
				}
			}
			if found == 0 {
				t.Errorf("%s: no links to the register", sh)
			}
		}
		if checked < 20 {
			t.Errorf("only %d links checked", checked)
		}
	})
}

func TestSummaryLive(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		r, f := telehealth(t, o)
		rs := rows(t, f, SheetSummary)
		find := func(label string) int {
			for i, row := range rs {
				if len(row) > 0 && row[0] == label {
					return i + 1
				}
			}
			t.Fatalf("Summary has no row %q", label)
			return 0
		}
		if got := get(t, f, SheetSummary, fmt.Sprintf("B%d", find("Source SHA-256"))); got != r.Source.SHA256 {
			t.Errorf("SHA-256 = %q", got)
		}
		if got := get(t, f, SheetSummary, fmt.Sprintf("B%d", find("Generator"))); got != "threatmap 1.2.3" {
			t.Errorf("generator = %q", got)
		}
		last := len(r.Threats) + 1
		crit := find("Critical")
		if got, want := formula(t, f, SheetSummary, fmt.Sprintf("B%d", crit)),
			fmt.Sprintf(`COUNTIFS('Risk Register'!$J$2:$J$%d,$A%d,'Risk Register'!$T$2:$T$%d,"<>Closed")`, last, crit, last); got != want {
			t.Errorf("critical count formula = %q, want %q", got, want)
		}
		counts := map[string]int{}
		for _, th := range r.Threats {
			counts[string(th.Severity)]++
		}
		for _, sev := range severities {
			v, err := f.CalcCellValue(SheetSummary, fmt.Sprintf("B%d", find(sev)))
			if err != nil || v != strconv.Itoa(counts[sev]) {
				t.Errorf("%s count = %q (%v), want %d", sev, v, err, counts[sev])
			}
		}
		spoof := find("Spoofing")
		if got := formula(t, f, SheetSummary, fmt.Sprintf("C%d", spoof)); !strings.HasPrefix(got, "COUNTIFS(") {
			t.Errorf("category formula = %q", got)
		}
		heat := find("5 Almost certain")
		if got := formula(t, f, SheetSummary, fmt.Sprintf("F%d", heat)); !strings.HasPrefix(got, "COUNTIFS(") {
			t.Errorf("heat map formula = %q", got)
		}
		// The cell for likelihood 4, impact 5 counts those threats.
		n := 0
		for _, th := range r.Threats {
			if th.Likelihood == 4 && th.Impact == 5 {
				n++
			}
		}
		if v, err := f.CalcCellValue(SheetSummary, fmt.Sprintf("F%d", heat+1)); v != strconv.Itoa(n) {
			t.Errorf("heat map L4 x I5 = %q (%v), want %d", v, err, n)
		}
	})
}

func TestChart(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		data := render(t, testsupport.ExampleReport(t, "telehealth.dot"), o)
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		var chart string
		for _, zf := range zr.File {
			if zf.Name == "xl/charts/chart1.xml" {
				rc, _ := zf.Open()
				b, _ := io.ReadAll(rc)
				chart = string(b)
			}
		}
		for _, want := range []string{"Summary!$B$", "Summary!$A$", "barChart", "stacked"} {
			if !strings.Contains(chart, want) {
				t.Errorf("chart XML lacks %q", want)
			}
		}
	})
}
