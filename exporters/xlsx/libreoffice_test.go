package xlsx

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/internal/lotest"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/third_party/excelize"
)

// The LibreOffice check opens a workbook in LibreOffice, lets it compute
// every formula and exports each sheet as CSV: the exported scores and
// severities prove that the formulas compute, which excelize cannot show
// for a saved file. It skips when soffice is not on PATH, unless
// THREATMAP_REQUIRE_SOFFICE is set. THREATMAP_XLSX_CHECK names a workbook
// to check instead of the fixture (scripts/check-xlsx-libreoffice.sh).

func soffice(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("THREATMAP_REQUIRE_SOFFICE") != "" {
			t.Fatal("soffice not on PATH (apt-get install libreoffice-calc-nogui)")
		}
		t.Skip("soffice not on PATH")
	}
	return path
}

// convertCSV exports every sheet of file to CSV with LibreOffice and
// returns the parsed sheets by name.
func convertCSV(t *testing.T, bin, file string) map[string][][]string {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cmd := exec.Command(bin, "-env:UserInstallation="+lotest.RecalcProfile(t, filepath.Join(dir, "profile")), "--headless",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
		"--outdir", out, file)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, stderr.String())
	}
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	sheets := map[string][][]string{}
	for _, name := range SheetNames {
		data, err := os.ReadFile(filepath.Join(out, base+"-"+name+".csv"))
		if err != nil {
			t.Fatalf("LibreOffice did not export sheet %q (LibreOffice 7.2 or later needed): %v\n%s", name, err, stderr.String())
		}
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("%s.csv: %v", name, err)
		}
		sheets[name] = recs
	}
	return sheets
}

// checkComputed checks that LibreOffice computed every register row's
// score and severity, and the Summary's severity counts. It returns the
// register rows by threat ID.
func checkComputed(t *testing.T, sheets map[string][][]string) map[string][]string {
	t.Helper()
	reg := sheets[SheetRegister]
	if len(reg) == 0 || strings.Join(reg[0], "|") != strings.Join(RegisterHeaders, "|") {
		t.Fatalf("register header = %q", reg[0])
	}
	byID := map[string][]string{}
	counts := map[string]int{}
	for i, row := range reg[1:] {
		l, err1 := strconv.Atoi(row[6])
		im, err2 := strconv.Atoi(row[7])
		score, err3 := strconv.Atoi(row[8])
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatalf("row %d: likelihood %q impact %q score %q", i+2, row[6], row[7], row[8])
		}
		if score != l*im {
			t.Errorf("row %d: score %d, want %d×%d", i+2, score, l, im)
		}
		if row[9] != string(stride.Band(score)) {
			t.Errorf("row %d: severity %q, want %q", i+2, row[9], stride.Band(score))
		}
		counts[row[9]]++
		byID[row[0]] = row
	}
	seen := 0
	for _, row := range sheets[SheetSummary] {
		if len(row) < 2 || stride.Severity(row[0]).Rank() == 0 {
			continue
		}
		seen++
		if row[1] != strconv.Itoa(counts[row[0]]) {
			t.Errorf("Summary %s count = %s, want %d", row[0], row[1], counts[row[0]])
		}
	}
	if seen != len(severities) {
		t.Errorf("Summary severity table: %d rows found, want %d", seen, len(severities))
	}
	return byID
}

func TestLibreOffice(t *testing.T) {
	bin := soffice(t)
	if file := os.Getenv("THREATMAP_XLSX_CHECK"); file != "" {
		abs, err := filepath.Abs(file)
		if err != nil {
			t.Fatal(err)
		}
		rows := checkComputed(t, convertCSV(t, bin, abs))
		t.Logf("%s: %d register rows computed by LibreOffice", file, len(rows))
		return
	}
	r := testsupport.ExampleReport(t, "telehealth.dot")
	r.Threats[4].Title = hostile[0]
	r.Threats[5].Title = "@SUM(A1)"
	f, err := excelize.OpenReader(bytes.NewReader(render(t, r, normal)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// An owner lowers the first threat's likelihood to 1 and raises the
	// third's impact to 5 (ids are stable, not positions).
	first, third := r.Threats[0], r.Threats[2]
	if get(t, f, SheetRegister, "A2") != first.ID || get(t, f, SheetRegister, "A4") != third.ID {
		t.Fatal("unexpected register order")
	}
	if err := f.SetCellInt(SheetRegister, "G2", 1); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellInt(SheetRegister, "H4", 5); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "telehealth.risk-register.xlsx")
	if err := f.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	rows := checkComputed(t, convertCSV(t, bin, file))
	if got, want := rows[first.ID], first.Impact; got[8] != strconv.Itoa(want) || got[9] != string(stride.Band(want)) {
		t.Errorf("%s after the edit: score %s severity %s, want %d %s", first.ID, got[8], got[9], want, stride.Band(want))
	}
	if got, want := rows[third.ID], third.Likelihood*5; got[8] != strconv.Itoa(want) || got[9] != string(stride.Band(want)) {
		t.Errorf("%s after the edit: score %s severity %s, want %d %s", third.ID, got[8], got[9], want, stride.Band(want))
	}
	if got := rows[r.Threats[4].ID][1]; got != hostile[0] {
		t.Errorf("hostile title in LibreOffice = %q", got)
	}
	if got := rows[r.Threats[5].ID][1]; got != "@SUM(A1)" {
		t.Errorf("hostile title in LibreOffice = %q", got)
	}
	if len(rows) != len(r.Threats) {
		t.Errorf("%d rows, want %d", len(rows), len(r.Threats))
	}
}
