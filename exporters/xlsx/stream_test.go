package xlsx

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
	"github.com/xuri/excelize/v2"
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
	{SheetRegister, 20, "", []string{"J", "L"}, 1},
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
	regIDs := map[string]string{} // register row -> threat ID
	for i, row := range rows(t, f, SheetRegister)[1:] {
		regIDs[strconv.Itoa(i+2)] = row[0]
	}
	if len(regIDs) != len(r.Threats) {
		t.Fatalf("register has %d rows, want %d", len(regIDs), len(r.Threats))
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
		if want := fmt.Sprintf("'%s'!$1:$1", ts.name); titles[ts.name] != want {
			t.Errorf("%s: print titles %q, want %q", ts.name, titles[ts.name], want)
		}
		for c := 1; c <= ts.cols; c++ {
			if w, _ := f.GetColWidth(ts.name, colName(c)); w == excelize.MaxColumnWidth || w < 6 || w == 9.140625 {
				t.Errorf("%s: column %s width %v", ts.name, colName(c), w)
			}
		}
		if h, _ := f.GetRowHeight(ts.name, 1); h != 32 {
			t.Errorf("%s: header height %v", ts.name, h)
		}
		if sp, err := f.GetSheetProps(ts.name); err != nil || sp.FitToPage == nil || !*sp.FitToPage {
			t.Errorf("%s: not fitted to the page (%v)", ts.name, err)
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
		cells, err := f.GetHyperLinkCells(ts.name, "Location")
		if err != nil {
			t.Fatal(err)
		}
		linked := map[string]bool{}
		for _, c := range cells {
			linked[c] = true
		}
		col := int(ts.links[0]-'A') + 1
		want := 0
		for i, row := range rs[1:] {
			if len(row) < col || row[col-1] == "—" {
				continue
			}
			want++
			c := fmt.Sprintf("%s%d", ts.links, i+2)
			if !linked[c] {
				t.Errorf("%s!%s = %q has no link", ts.name, c, row[col-1])
				continue
			}
			if i%(len(rs)/50+1) != 0 { // GetCellHyperLink is linear in the links
				continue
			}
			ok, loc, err := f.GetCellHyperLink(ts.name, c)
			target, found := strings.CutPrefix(loc, "'Risk Register'!A")
			if err != nil || !ok || !found {
				t.Fatalf("%s!%s links to %q (%v)", ts.name, c, loc, err)
			}
			if id := regIDs[target]; id == "" || !strings.HasPrefix(row[col-1], id) {
				t.Errorf("%s!%s = %q links to register row %s (%s)", ts.name, c, row[col-1], target, id)
			}
			if s, _ := f.GetCellStyle(ts.name, c); s == 0 {
				t.Errorf("%s!%s: link without style", ts.name, c)
			}
		}
		if want == 0 || len(cells) != want {
			t.Errorf("%s: %d links, want %d", ts.name, len(cells), want)
		}
	}
	last := len(r.Threats) + 1
	dvs, err := f.GetDataValidations(SheetRegister)
	if err != nil || len(dvs) != 6 {
		t.Fatalf("register: %d validations (%v), want 6", len(dvs), err)
	}
	for i, col := range []string{"G", "H", "Q", "N", "O", "P"} {
		dv := dvs[i]
		if want := fmt.Sprintf("%s2:%s%d", col, col, last); dv.Sqref != want {
			t.Errorf("validation %d on %s, want %s", i, dv.Sqref, want)
		}
		if !dv.ShowInputMessage || dv.Prompt == nil || *dv.Prompt == "" {
			t.Errorf("validation on %s has no input message", col)
		}
		if i < 2 && (dv.Type != "whole" || dv.Formula1 != "1" || dv.Formula2 != "5") {
			t.Errorf("validation on %s: %s %s..%s", col, dv.Type, dv.Formula1, dv.Formula2)
		}
		if i == 2 && (dv.Type != "list" || dv.Formula1 != `"`+strings.Join(Statuses, ",")+`"`) {
			t.Errorf("Status dropdown: %s %s", dv.Type, dv.Formula1)
		}
	}
	for _, n := range []int{2, last} {
		if got := formula(t, f, SheetRegister, fmt.Sprintf("I%d", n)); got != ScoreFormula(n) {
			t.Errorf("I%d = %q", n, got)
		}
		if got := formula(t, f, SheetRegister, fmt.Sprintf("J%d", n)); got != SeverityFormula(n) {
			t.Errorf("J%d = %q", n, got)
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
