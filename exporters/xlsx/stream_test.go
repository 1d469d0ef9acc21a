package xlsx

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/third_party/excelize"
)

// TestTableSheets checks the table sheets of the telehealth workbook,
// written in normal mode and streamed.
func TestTableSheets(t *testing.T) {
	checkTableSheets(t, testsupport.ExampleReport(t, "telehealth.dot"), normal, false)
	checkTableSheets(t, testsupport.ExampleReport(t, "telehealth.dot"), modes[1].opts, true)
}

// TestLargeWorkbook checks a workbook whose every table sheet is large
// enough to be streamed.
func TestLargeWorkbook(t *testing.T) {
	if testing.Short() {
		t.Skip("large workbook")
	}
	checkTableSheets(t, testsupport.Wide(t, 1500), normal, true)
}

// tableSheets are the sheets written as tables, with the columns whose
// cells link to the register and the columns that show a severity.
var tableSheets = []struct {
	name      string
	cols      int
	links     string // column of threat references, "" for none
	severity  []string
	freezeCol int
}{
	{SheetRegister, len(RegisterHeaders), "", []string{"J", "O"}, 1},
	{SheetMitigations, 10, "B", []string{"D"}, 1},
	{SheetEntryPoints, 12, "K", []string{"L"}, 1},
	{SheetComponents, 9, "H", []string{"I"}, 1},
	{SheetBoundaries, 11, "", nil, 1},
	{SheetFlows, 11, "K", nil, 1},
	{SheetQuestions, 7, "E", nil, 1},
}

// checkTableSheets writes r and checks what every table sheet carries
// besides its cells: frozen header, autofilter over every row, column
// widths, page setup, conditional formats, the register's validations,
// and a link from every threat reference to its register row. When
// streamed is set, every table sheet must have been streamed (its text is
// in inline strings).
func checkTableSheets(t *testing.T, r *stride.Report, o Options, streamed bool) {
	t.Helper()
	f := open(t, r, o)
	filters, titles := map[string]string{}, map[string]string{}
	for _, dn := range f.GetDefinedName() {
		switch dn.Name {
		case "_xlnm._FilterDatabase":
			filters[dn.Scope] = dn.RefersTo
		case "_xlnm.Print_Titles":
			titles[dn.Scope] = dn.RefersTo
		}
	}
	regRows := registerIDs(t, f)
	if len(regRows) != len(r.Threats) {
		t.Fatalf("register has %d rows, want %d", len(regRows), len(r.Threats))
	}
	for _, ts := range tableSheets {
		rs := rows(t, f, ts.name)
		last := max(len(rs), 2)
		lastCol := colName(ts.cols)
		if typ, _ := f.GetCellType(ts.name, "A1"); streamed && typ != excelize.CellTypeInlineString {
			t.Errorf("%s: header cell type %v: not streamed", ts.name, typ)
		}
		p, err := f.GetPanes(ts.name)
		if err != nil || !p.Freeze || p.YSplit != 1 || p.XSplit != ts.freezeCol || p.TopLeftCell != "B2" {
			t.Errorf("%s: panes %+v (%v)", ts.name, p, err)
		}
		if want := fmt.Sprintf("'%s'!$A$1:$%s$%d", ts.name, lastCol, last); filters[ts.name] != want {
			t.Errorf("%s: autofilter %q, want %q", ts.name, filters[ts.name], want)
		}
		wantTitles, fit := fmt.Sprintf("'%s'!$1:$1", ts.name), true
		if ts.name == SheetRegister {
			// Printed across pages, each repeating the id and summary.
			wantTitles, fit = "'Risk Register'!$A:$B,'Risk Register'!$1:$1", false
		}
		if titles[ts.name] != wantTitles {
			t.Errorf("%s: print titles %q, want %q", ts.name, titles[ts.name], wantTitles)
		}
		for c := 1; c <= ts.cols; c++ {
			if w, _ := f.GetColWidth(ts.name, colName(c)); w == excelize.MaxColumnWidth || w < 6 || w == 9.140625 {
				t.Errorf("%s: column %s width %v", ts.name, colName(c), w)
			}
		}
		if h, _ := f.GetRowHeight(ts.name, 1); h != 32 {
			t.Errorf("%s: header height %v", ts.name, h)
		}
		if sp, err := f.GetSheetProps(ts.name); err != nil || (sp.FitToPage != nil && *sp.FitToPage) != fit {
			t.Errorf("%s: fitted to the page %v, want %v (%v)", ts.name, sp.FitToPage, fit, err)
		}
		if pl, err := f.GetPageLayout(ts.name); err != nil || pl.Orientation == nil || *pl.Orientation != "landscape" ||
			pl.Size == nil || *pl.Size != 9 {
			t.Errorf("%s: page layout (%v)", ts.name, err)
		}
		if m, err := f.GetPageMargins(ts.name); err != nil || m.Left == nil || *m.Left != 0.4 {
			t.Errorf("%s: page margins (%v)", ts.name, err)
		}
		cfs, err := f.GetConditionalFormats(ts.name)
		if err != nil || len(cfs) != len(ts.severity) {
			t.Errorf("%s: conditional formats %v (%v)", ts.name, keys(cfs), err)
		}
		for _, col := range ts.severity {
			if rules := cfs[fmt.Sprintf("%s2:%s%d", col, col, last)]; len(rules) != len(severities) {
				t.Errorf("%s: %d severity rules on %s, want %d; have %v", ts.name, len(rules), col, len(severities), keys(cfs))
			}
		}
		if s, _ := f.GetCellStyle(ts.name, "B2"); s == 0 && len(rs) > 1 {
			t.Errorf("%s!B2 has no style", ts.name)
		}
		if ts.links == "" {
			continue
		}
		col := int(ts.links[0]-'A') + 1
		want, got := 0, 0
		for i, row := range rs[1:] {
			if len(row) < col || row[col-1] == "—" {
				continue
			}
			want++
			c := fmt.Sprintf("%s%d", ts.links, i+2)
			id, ok := linkTarget(t, f, ts.name, c)
			if !ok {
				t.Errorf("%s!%s = %q has no link", ts.name, c, row[col-1])
				continue
			}
			got++
			if regRows[id] == 0 || !strings.HasPrefix(row[col-1], id) {
				t.Errorf("%s!%s = %q links to %s (register row %d)", ts.name, c, row[col-1], id, regRows[id])
			}
			if s, _ := f.GetCellStyle(ts.name, c); s == 0 {
				t.Errorf("%s!%s: link without style", ts.name, c)
			}
		}
		if want == 0 || got != want {
			t.Errorf("%s: %d links, want %d", ts.name, got, want)
		}
	}
	last := len(r.Threats) + 1
	dvs, err := f.GetDataValidations(SheetRegister)
	if err != nil || len(dvs) != 9 {
		t.Fatalf("register: %d validations (%v), want 9", len(dvs), err)
	}
	for i, col := range []string{"G", "H", "L", "M", "T", "U", "Q", "R", "S"} {
		dv := dvs[i]
		if want := fmt.Sprintf("%s2:%s%d", col, col, last); dv.Sqref != want {
			t.Errorf("validation %d on %s, want %s", i, dv.Sqref, want)
		}
		if !dv.ShowInputMessage || dv.Prompt == nil || *dv.Prompt == "" {
			t.Errorf("validation on %s has no input message", col)
		}
		if i < 4 && (dv.Type != "whole" || dv.Formula1 != "1" || dv.Formula2 != "5") {
			t.Errorf("validation on %s: %s %s..%s", col, dv.Type, dv.Formula1, dv.Formula2)
		}
		if i == 4 && (dv.Type != "list" || dv.Formula1 != `"`+strings.Join(Statuses, ",")+`"`) {
			t.Errorf("Status dropdown: %s %s", dv.Type, dv.Formula1)
		}
		if i == 5 && (dv.Type != "list" || dv.Formula1 != `"`+strings.Join(Treatments, ",")+`"`) {
			t.Errorf("Treatment dropdown: %s %s", dv.Type, dv.Formula1)
		}
	}
	for _, n := range []int{2, last} {
		if got := formula(t, f, SheetRegister, fmt.Sprintf("I%d", n)); got != ScoreFormula(n) {
			t.Errorf("I%d = %q", n, got)
		}
		if got := formula(t, f, SheetRegister, fmt.Sprintf("J%d", n)); got != SeverityFormula(n) {
			t.Errorf("J%d = %q", n, got)
		}
		if got := formula(t, f, SheetRegister, fmt.Sprintf("N%d", n)); got != ResidualScoreFormula(n) {
			t.Errorf("N%d = %q", n, got)
		}
		if got := formula(t, f, SheetRegister, fmt.Sprintf("O%d", n)); got != ResidualFormula(n) {
			t.Errorf("O%d = %q", n, got)
		}
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet %d", f.GetActiveSheetIndex())
	}
}

// TestLibreOfficeLarge has LibreOffice compute a workbook whose table
// sheets are all streamed, as written (not saved again by excelize).
func TestLibreOfficeLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large workbook")
	}
	bin := soffice(t)
	r := testsupport.Wide(t, 1200)
	r.Threats[3].Title = hostile[0]
	r.Threats[7].Title = "_x0041_ escaped?"
	file := filepath.Join(t.TempDir(), "wide.risk-register.xlsx")
	if err := os.WriteFile(file, render(t, r, normal), 0o644); err != nil {
		t.Fatal(err)
	}
	sheets := convertCSV(t, bin, file)
	rows := checkComputed(t, sheets)
	if len(rows) != len(r.Threats) {
		t.Errorf("%d rows, want %d", len(rows), len(r.Threats))
	}
	for _, i := range []int{3, 7} {
		if got := rows[r.Threats[i].ID][1]; got != r.Threats[i].Title {
			t.Errorf("title in LibreOffice = %q, want %q", got, r.Threats[i].Title)
		}
	}
	if got, want := len(sheets[SheetFlows])-1, len(r.Flows); got != want {
		t.Errorf("LibreOffice reads %d flows, want %d", got, want)
	}
}

// TestEmptyTables checks that a table with no rows, streamed or not, keeps
// its header, autofilter and a styled empty row.
func TestEmptyTables(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		r := testsupport.ExampleReport(t, "telehealth.dot")
		r.Threats, r.EntryPoints, r.OpenQuestions = nil, nil, nil
		f := open(t, r, o)
		for _, sh := range []string{SheetRegister, SheetEntryPoints, SheetQuestions} {
			if n := len(rows(t, f, sh)); n != 1 {
				t.Errorf("%s has %d rows", sh, n)
			}
			if s, _ := f.GetCellStyle(sh, "B2"); s == 0 {
				t.Errorf("%s!B2 has no style", sh)
			}
		}
	})
}
