package lotest

import (
	"path/filepath"
	"testing"

	"github.com/threatmap/threatmap/third_party/excelize"
)

// Sorting and filtering in LibreOffice reorders and hides rows and
// recalculates: a formula column follows its rows.
func TestApplySortsFiltersRecalculates(t *testing.T) {
	Soffice(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.xlsx")
	f := excelize.NewFile()
	rows := [][]any{{"Name", "N", "Twice", "Group"}, {"b", 2, nil, "x"}, {"c", 3, nil, "y"}, {"a", 1, nil, "x"}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			c, _ := excelize.CoordinatesToCellName(3, i+1)
			n, _ := excelize.CoordinatesToCellName(2, i+1)
			if err := f.SetCellFormula("Sheet1", c, n+"*2"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(in); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.xlsx")
	Apply(t, in, out, Edit{Sheet: "Sheet1", SortColumn: 1, FilterColumn: 4, FilterValue: "x"})
	g, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	want := [][2]string{{"a", "2"}, {"b", "4"}, {"c", "6"}}
	for i, w := range want {
		name, _ := g.GetCellValue("Sheet1", "A"+string(rune('2'+i)))
		twice, _ := g.GetCellValue("Sheet1", "C"+string(rune('2'+i)))
		if name != w[0] || twice != w[1] {
			t.Errorf("row %d = %s %s, want %v", i+2, name, twice, w)
		}
	}
	if vis, _ := g.GetRowVisible("Sheet1", 4); vis {
		t.Error("row 4 (group y) not hidden by the filter")
	}
	if vis, _ := g.GetRowVisible("Sheet1", 3); !vis {
		t.Error("row 3 hidden")
	}
}
