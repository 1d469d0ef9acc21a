package xlsx

import (
	"io"
	"testing"

	"github.com/threatmap/threatmap/internal/testsupport"
)

// BenchmarkRegister10000 writes a register of 10,000 threats; the target
// is under 2 s per workbook.
func BenchmarkRegister10000(b *testing.B) {
	r := testsupport.Large(b, 10000)
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, r, Options{Date: testDate}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWide5000 writes the workbook of a 5,000-component report
// (10,000 threats; about 5,000 rows on every table sheet, with links).
func BenchmarkWide5000(b *testing.B) {
	r := testsupport.Wide(b, 5000)
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, r, Options{Date: testDate}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLargeRegister checks that a large register keeps its validations,
// conditional formats and autofilter over every row.
func TestLargeRegister(t *testing.T) {
	if testing.Short() {
		t.Skip("large workbook")
	}
	const n = 10000
	f := open(t, testsupport.Large(t, n), normal)
	if got := len(rows(t, f, SheetRegister)) - 1; got != n {
		t.Fatalf("%d rows, want %d", got, n)
	}
	dvs, err := f.GetDataValidations(SheetRegister)
	if err != nil || len(dvs) != 9 {
		t.Fatalf("%d validations (%v), want 9", len(dvs), err)
	}
	if dvs[0].Sqref != "G2:G10001" {
		t.Errorf("likelihood validation on %s", dvs[0].Sqref)
	}
	cfs, _ := f.GetConditionalFormats(SheetRegister)
	if len(cfs["J2:J10001"]) != 4 {
		t.Errorf("conditional formats %v", keys(cfs))
	}
	if got := formula(t, f, SheetRegister, "J10001"); got != SeverityFormula(10001) {
		t.Errorf("J10001 = %q", got)
	}
}

// BenchmarkSmall writes the workbook of the telehealth example (14
// components): what every workbook costs whatever its size, the part a
// batch run over many small diagrams pays per file.
func BenchmarkSmall(b *testing.B) {
	r := testsupport.ExampleReport(b, "telehealth.dot")
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, r, Options{Date: testDate}); err != nil {
			b.Fatal(err)
		}
	}
}
