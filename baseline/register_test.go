package baseline

import (
	"bytes"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/exporters/xlsx"
	"github.com/threatmap/threatmap/third_party/excelize"
)

// workbook builds a register by hand: rows[0] is the header row.
func workbook(t *testing.T, sheet string, rows [][]any) *bytes.Buffer {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if sheet != "Sheet1" {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		if err := f.DeleteSheet("Sheet1"); err != nil {
			t.Fatal(err)
		}
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return &buf
}

// Columns are found by header wherever they are, extra columns and a
// title row are ignored, dates come as serial numbers or text, a Status
// equal to the analysis status is not a decision.
func TestReadRegisterByHeader(t *testing.T) {
	buf := workbook(t, "Risk Register", [][]any{
		{"Our threat register (exported)"},
		{"Owner", "Team", "Threat ID", "Likelihood", "Analysis likelihood", "Status", "Analysis status", "Due date", "Fingerprint", "Rule", "Affected element", "Treatment", "Justification"},
		{"Bea", "Payments", "T-0042", 2, 4, "Accepted", "Unmitigated", 46387, "00aa11bb22cc33dd", "S-EXT-02", "Stripe Payments", "accept", "insured"},
		{"", "", "T-0007", 3, 3, "Partial", "Partial", "", "", "I-FLW-01", "API Gateway → Web App", "", ""},
		{"", "", "", "", "", "", "", "", "", "", "", "", ""},
		{"Ops", "", "T-0100", 3, 3, "Closed", "Unmitigated", "2026-12-31", "ffee", "D-PRC-01", "Old Service", "", ""},
	})
	b, err := ReadRegister("reg.xlsx", buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Threats) != 2 || len(b.Closed) != 1 {
		t.Fatalf("%d open, %d closed", len(b.Threats), len(b.Closed))
	}
	a := b.Threats[0]
	if a.ID != "T-0042" || a.Fingerprint != "00aa11bb22cc33dd" || a.Rule != "S-EXT-02" || a.Identity.Label != "component:stripe payments" {
		t.Errorf("identity: %+v", a)
	}
	tr := a.Tracking
	if tr == nil || tr.Owner != "Bea" || tr.Status != "Accepted" || tr.Treatment != "Accept" || tr.Justification != "insured" ||
		tr.DueDate != "2026-12-31" || tr.Likelihood != 2 {
		t.Errorf("tracking: %+v", tr)
	}
	if b.Threats[1].Tracking != nil || b.Threats[1].Identity.Label != "flow:api gateway>web app" {
		t.Errorf("undecided row: %+v %+v", b.Threats[1], b.Threats[1].Tracking)
	}
	if c := b.Closed[0]; c.Tracking.Status != StatusClosed || c.Tracking.DueDate != "2026-12-31" {
		t.Errorf("closed: %+v", c.Tracking)
	}
}

func TestReadRegisterErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sheet string
		rows  [][]any
		want  string
	}{
		{"bad likelihood", "Risk Register", [][]any{{"Threat ID", "Summary", "Likelihood"}, {"T-0001", "x", "high"}},
			`reg.xlsx: page "Risk Register", cell "C2": sheet "Risk Register", row 2, column C (Likelihood): "high" is not a whole number from 1 to 5`},
		{"out of range", "Risk Register", [][]any{{"Impact", "Threat ID"}, {7, "T-0001"}},
			`row 2, column A (Impact): "7" is not a whole number from 1 to 5`},
		{"repeated id", "Risk Register", [][]any{{"Threat ID"}, {"T-0001"}, {"T-0001"}},
			`row 3, column A (Threat ID): threat id T-0001 repeats row 2`},
		{"no header", "Risk Register", [][]any{{"Id of threat"}, {"T-0001"}},
			`sheet "Risk Register", rows 1-10: no "Threat ID" column header found`},
		{"no register", "Notes", [][]any{{"hello"}},
			`no sheet "Risk Register" and no sheet with a "Threat ID" column (sheets: Notes)`},
	} {
		_, err := ReadRegister("reg.xlsx", workbook(t, tc.sheet, tc.rows))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := ReadRegister("reg.xlsx", strings.NewReader("not a zip")); err == nil || !strings.Contains(err.Error(), "not a readable .xlsx workbook") {
		t.Errorf("garbage: %v", err)
	}
}

// A renamed register sheet is found by its header.
func TestReadRegisterRenamedSheet(t *testing.T) {
	b, err := ReadRegister("reg.xlsx", workbook(t, "Risks", [][]any{{"Threat ID", "Owner"}, {"T-0001", "Al"}}))
	if err != nil || len(b.Threats) != 1 || b.Threats[0].Tracking.Owner != "Al" {
		t.Fatalf("%v %+v", err, b)
	}
}

// Columns people add are kept, by header; columns threatmap derives are
// not.
func TestReadRegisterExtraColumns(t *testing.T) {
	b, err := ReadRegister("reg.xlsx", workbook(t, "Risk Register", [][]any{
		{"Threat ID", "Team", "Risk score", "Budget (EUR)", ""},
		{"T-0001", "Payments", 12, 5000, "stray"},
		{"T-0002", "", 6, "", ""},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if tr := b.Threats[0].Tracking; tr == nil || len(tr.Extra) != 2 || tr.Extra["Team"] != "Payments" || tr.Extra["Budget (EUR)"] != "5000" {
		t.Errorf("extra columns: %+v", tr)
	}
	if b.Threats[1].Tracking != nil {
		t.Errorf("empty row has tracking %+v", b.Threats[1].Tracking)
	}
}

// A register threatmap wrote reads back with its entry points: a re-run
// on the same diagram keeps every id and reports nothing new.
func TestRegisterRoundTripSameDiagram(t *testing.T) {
	r := analyze(t, exampleDOT(t))
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, r, xlsx.Options{}); err != nil {
		t.Fatal(err)
	}
	b, err := ReadRegister("reg.xlsx", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Threats) != len(r.Threats) || len(b.EntryPoints) != len(r.EntryPoints) || b.NoEntryPoints {
		t.Fatalf("read %d threats, %d entry points; want %d, %d", len(b.Threats), len(b.EntryPoints), len(r.Threats), len(r.EntryPoints))
	}
	again := analyze(t, exampleDOT(t))
	Apply(again, b, "")
	ch := again.Changes
	if len(ch.New) != 0 || len(ch.Closed) != 0 || len(ch.Changed) != 0 || len(ch.EntryPointsNew) != 0 || len(ch.EntryPointsRemoved) != 0 {
		t.Errorf("same diagram: %+v", ch)
	}
	for i := range r.Threats {
		if again.Threats[i].ID != r.Threats[i].ID {
			t.Errorf("threat %d: %s, was %s", i, again.Threats[i].ID, r.Threats[i].ID)
		}
	}
}
