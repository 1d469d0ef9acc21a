package xlsx

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/third_party/excelize"
)

var testDate = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// normal are the options of most tests: a fixed date, and only large
// table sheets streamed.
var normal = Options{Date: testDate, Version: "1.2.3"}

// modes are the two ways a table sheet can be written. Workbook tests run
// in both (eachMode), so that the streamed path meets the same checks.
var modes = []struct {
	name string
	opts Options
}{
	{"normal", normal},
	{"streamed", Options{Date: testDate, Version: "1.2.3", StreamAll: true}},
}

// eachMode runs check once per mode, as a subtest.
func eachMode(t *testing.T, check func(t *testing.T, o Options)) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) { check(t, m.opts) })
	}
}

// render writes r with o and returns the bytes.
func render(t testing.TB, r *stride.Report, o Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r, o); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// open writes r with o and reads the workbook back.
func open(t testing.TB, r *stride.Report, o Options) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(render(t, r, o)))
	if err != nil {
		t.Fatalf("OpenReader: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func telehealth(t testing.TB, o Options) (*stride.Report, *excelize.File) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	return r, open(t, r, o)
}

func get(t testing.TB, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatalf("GetCellValue(%s!%s): %v", sheet, cell, err)
	}
	return v
}

func formula(t testing.TB, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellFormula(sheet, cell)
	if err != nil {
		t.Fatalf("GetCellFormula(%s!%s): %v", sheet, cell, err)
	}
	return v
}

func rows(t testing.TB, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("GetRows(%s): %v", sheet, err)
	}
	return rs
}

var linkRe = regexp.MustCompile(`^HYPERLINK\("#'Risk Register'!A"&MATCH\("([^"]*)",'Risk Register'!\$A:\$A,0\),"(.*)"\)$`)

// linkTarget returns the threat id a cell's HYPERLINK formula goes to
// (found in the register by MATCH when followed), or false.
func linkTarget(t testing.TB, f *excelize.File, sheet, cell string) (string, bool) {
	t.Helper()
	m := linkRe.FindStringSubmatch(formula(t, f, sheet, cell))
	if m == nil {
		return "", false
	}
	return m[1], true
}

// registerIDs returns the register row of every threat id.
func registerIDs(t testing.TB, f *excelize.File) map[string]int {
	t.Helper()
	out := map[string]int{}
	for i, row := range rows(t, f, SheetRegister)[1:] {
		if len(row) > 0 {
			out[row[0]] = i + 2
		}
	}
	return out
}
