package xlsx

import (
	"slices"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
)

// TestSummaryListsWarnings checks that the report's warnings (here the
// empty-model warning and an importer's) are on the Summary sheet, in
// order, each on its own row, and that the tables below still follow.
func TestSummaryListsWarnings(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	r.Warnings = []string{graph.EmptyModelWarning, "line 3: an\nimporter's warning"}
	f := open(t, r, normal)
	var got []string
	section := false
	for _, row := range rows(t, f, SheetSummary) {
		if len(row) == 0 {
			continue
		}
		if row[0] == "Warnings" {
			section = true
			continue
		}
		if section && strings.HasPrefix(row[0], "Warning: ") {
			got = append(got, row[0])
		}
	}
	want := []string{"Warning: " + graph.EmptyModelWarning, "Warning: line 3: an importer's warning"}
	if !slices.Equal(got, want) {
		t.Errorf("Summary warnings = %q, want %q", got, want)
	}
	if !slices.ContainsFunc(rows(t, f, SheetSummary), func(r []string) bool { return len(r) > 0 && r[0] == "Threats by severity" }) {
		t.Errorf("Summary lost its severity table")
	}
	// No warnings, no section.
	r.Warnings = nil
	for _, row := range rows(t, open(t, r, normal), SheetSummary) {
		if len(row) > 0 && row[0] == "Warnings" {
			t.Errorf("a Warnings section without warnings")
		}
	}
}
