package xlsx

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/threatmap/threatmap/internal/lotest"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/third_party/excelize"
)

// summaryTop reads the Summary's top-risk table: id, score, severity,
// residual, status per row.
func summaryTop(t *testing.T, f *excelize.File) [][]string {
	t.Helper()
	var out [][]string
	in := false
	for _, row := range rows(t, f, SheetSummary) {
		switch {
		case len(row) > 0 && row[0] == "Threat ID":
			in = true
		case in && len(row) >= 5:
			out = append(out, row[:5])
		}
	}
	return out
}

// Sorting and filtering the register in LibreOffice, then recalculating,
// leaves the Summary's top risks and every link right: they find their
// threat by id, not by row.
func TestLibreOfficeSortKeepsSummaryAndLinks(t *testing.T) {
	lotest.Soffice(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "register.xlsx")
	if err := os.WriteFile(in, render(t, testsupport.ExampleReport(t, "telehealth.dot"), normal), 0o644); err != nil {
		t.Fatal(err)
	}
	orig, err := excelize.OpenFile(in)
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Close()
	before := summaryTop(t, orig)
	if len(before) != 10 {
		t.Fatalf("%d top risks, want 10", len(before))
	}
	for _, tc := range []struct {
		name string
		edit lotest.Edit
	}{
		// Summary (B) ascending moves every row.
		{"sorted", lotest.Edit{Sheet: SheetRegister, SortColumn: 2}},
		// Sorted by id descending, then filtered to one category.
		{"filtered", lotest.Edit{Sheet: SheetRegister, SortColumn: 1, Descending: true, FilterColumn: 3, FilterValue: "Spoofing"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.name+".xlsx")
			lotest.Apply(t, in, out, tc.edit)
			f, err := excelize.OpenFile(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			reg := rows(t, f, SheetRegister)
			byID := map[string][]string{}
			moved := false
			for i, row := range reg[1:] {
				byID[row[0]] = row
				if got := get(t, orig, SheetRegister, "A"+strconv.Itoa(i+2)); got != row[0] {
					moved = true
				}
			}
			if !moved {
				t.Fatal("LibreOffice did not reorder the register")
			}
			after := summaryTop(t, f)
			if !reflect.DeepEqual(after, before) {
				t.Errorf("Summary top risks changed:\n got %q\nwant %q", after, before)
			}
			for _, top := range after {
				row := byID[top[0]]
				if row == nil || top[1] != row[8] || top[2] != row[9] || top[3] != row[14] || top[4] != row[19] {
					t.Errorf("top risk %q does not match its register row %q", top, row)
				}
			}
			// Every link still names a threat in the register, by id.
			regRows := registerIDs(t, f)
			links := 0
			for _, sh := range SheetNames {
				for r, row := range rows(t, f, sh) {
					for c, text := range row {
						ref := cell(c+1, r+1)
						id, ok := linkTarget(t, f, sh, ref)
						if !ok {
							continue
						}
						links++
						if regRows[id] == 0 || len(text) < len(id) || text[:len(id)] != id {
							t.Errorf("%s!%s = %q links to %s, register row %d", sh, ref, text, id, regRows[id])
						}
						if got := get(t, f, SheetRegister, "A"+strconv.Itoa(regRows[id])); got != id {
							t.Errorf("%s!%s: MATCH finds row %d holding %q, not %s", sh, ref, regRows[id], got, id)
						}
					}
				}
			}
			if links < 30 {
				t.Errorf("only %d links after LibreOffice", links)
			}
			if tc.edit.FilterColumn > 0 {
				hidden := 0
				for i, row := range reg[1:] {
					vis, _ := f.GetRowVisible(SheetRegister, i+2)
					if vis != (row[2] == "Spoofing") {
						t.Errorf("row %d (%s) visible %v", i+2, row[2], vis)
					}
					if !vis {
						hidden++
					}
				}
				if hidden == 0 {
					t.Error("the filter hid nothing")
				}
			}
		})
	}
}
