package xlsx

import (
	"bytes"
	"testing"
	"time"

	"github.com/threatmap/threatmap/internal/reportfixture"
	"github.com/threatmap/threatmap/stride"
	"github.com/xuri/excelize/v2"
)

var testDate = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// render writes r and returns the bytes.
func render(t testing.TB, r *stride.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r, Options{Date: testDate, Version: "1.2.3"}); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// open writes r and reads the workbook back.
func open(t testing.TB, r *stride.Report) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(render(t, r)))
	if err != nil {
		t.Fatalf("OpenReader: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func telehealth(t testing.TB) (*stride.Report, *excelize.File) {
	r := reportfixture.Telehealth()
	return r, open(t, r)
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
