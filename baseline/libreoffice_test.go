package baseline

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/threatmap/threatmap/exporters/xlsx"
	"github.com/threatmap/threatmap/internal/lotest"
	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/third_party/excelize"
)

// edit is what a person types into one register row.
type edit struct {
	rule, element string
	cells         map[string]any // header -> value
}

// people's edits: an accepted risk, a risk in progress with likelihood
// and impact overrides, an owner and ticket on a flow threat, notes on a
// threat the next diagram removes, and a column of their own.
var edits = []edit{
	{"D-PRC-01", "API Gateway and CDN / WAF", map[string]any{"Status": "Accepted", "Treatment": "Accept",
		"Justification": "AWS Shield Advanced and rate limits at the CDN", "Owner": "Ops",
		"Review date": time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC), "Approver": "CISO", "Team": "Platform"}},
	{"I-PRC-01", "Appointments Service", map[string]any{"Status": "In progress", "Owner": "Bea",
		"Due date": time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), "Ticket": "SEC-42",
		"Notes": "ownership check in review", "Likelihood": 2, "Impact": 4, "Residual impact": 3}},
	{"S-INT-01", "API Gateway → Web App", map[string]any{"Owner": "Net team", "Ticket": "SEC-7",
		"Due date": "end of Q1", "Status": "Transferred", "Treatment": "Transfer", "Justification": "managed by the hosting provider"}},
	{"T-FLW-01", "API Gateway → Web App", map[string]any{"Owner": "Net team", "Notes": "switch to TLS"}},
}

// writeEdited writes the register of r and types the edits into it with
// a script (excelize), adding the "Team" column.
func writeEdited(t *testing.T, r *stride.Report, path string) map[string]string {
	t.Helper()
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, r, xlsx.Options{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sh = xlsx.SheetRegister
	rs, err := f.GetRows(sh)
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rs[0] {
		col[h] = i + 1
	}
	team := len(rs[0]) + 1
	col["Team"] = team
	cell := func(c, r int) string { s, _ := excelize.CoordinatesToCellName(c, r); return s }
	if err := f.SetCellStr(sh, cell(team, 1), "Team"); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{} // rule|element -> id
	for _, e := range edits {
		th := find(r, e.rule, e.element)
		if th == nil {
			t.Fatalf("no %s on %s", e.rule, e.element)
		}
		ids[e.rule+"|"+e.element] = th.ID
		row := 0
		for i, x := range rs[1:] {
			if x[0] == th.ID {
				row = i + 2
			}
		}
		for h, v := range e.cells {
			if col[h] == 0 {
				t.Fatalf("no column %q", h)
			}
			if err := f.SetCellValue(sh, cell(col[h], row), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return ids
}

// checkCarried checks that every edit reached the matching threat of r
// (or its closed copy).
func checkCarried(t *testing.T, r *stride.Report, ids map[string]string) {
	t.Helper()
	byID := map[string]*stride.Threat{}
	for i := range r.Threats {
		byID[r.Threats[i].ID] = &r.Threats[i]
	}
	for i := range r.Closed {
		byID[r.Closed[i].ID] = &r.Closed[i]
	}
	get := func(key string) *stride.Threat {
		th := byID[ids[key]]
		if th == nil {
			t.Fatalf("%s (%s) lost", ids[key], key)
		}
		if th.Tracking == nil {
			t.Fatalf("%s (%s): no tracking", th.ID, key)
		}
		return th
	}
	th := get("D-PRC-01|API Gateway and CDN / WAF")
	tr := th.Tracking
	if th.Status != "Accepted" || tr.Treatment != "Accept" || tr.Justification != "AWS Shield Advanced and rate limits at the CDN" ||
		tr.Owner != "Ops" || tr.ReviewDate != "2027-01-31" || tr.Approver != "CISO" || tr.Extra["Team"] != "Platform" {
		t.Errorf("accepted risk: status %s %+v", th.Status, tr)
	}
	th = get("I-PRC-01|Appointments Service")
	tr = th.Tracking
	if th.Status != "In progress" || tr.Owner != "Bea" || tr.DueDate != "2026-12-31" || tr.Ticket != "SEC-42" ||
		tr.Notes != "ownership check in review" || th.Likelihood != 2 || th.Impact != 4 || th.ResidualImpact != 3 ||
		th.Score != 8 || th.Severity != stride.SeverityMedium || th.ResidualScore != th.ResidualLikelihood*3 {
		t.Errorf("overridden risk: %+v %+v", th, tr)
	}
	th = get("S-INT-01|API Gateway → Web App")
	tr = th.Tracking
	if th.Status != "Transferred" || tr.Owner != "Net team" || tr.Ticket != "SEC-7" || tr.DueDate != "end of Q1" ||
		tr.Treatment != "Transfer" || tr.Justification != "managed by the hosting provider" {
		t.Errorf("transferred risk: %s %+v", th.Status, tr)
	}
	th = get("T-FLW-01|API Gateway → Web App")
	tr = th.Tracking
	if th.Status != StatusClosed || tr.Owner != "Net team" || tr.Notes != "switch to TLS" || len(tr.History) != 1 {
		t.Errorf("closed risk: %s %+v", th.Status, tr)
	}
}

// The register as people use it: edited by a script, saved by
// LibreOffice (as is, and sorted and filtered), read back on a changed
// diagram (a component added, a flow moved to TLS): every edit survives,
// ids are kept, and the next register carries them on.
func TestLibreOfficeRoundTrip(t *testing.T) {
	lotest.Soffice(t)
	dir := t.TempDir()
	old := analyze(t, exampleDOT(t))
	edited := filepath.Join(dir, "telehealth.risk-register.xlsx")
	ids := writeEdited(t, old, edited)

	saved := lotest.Convert(t, edited, filepath.Join(dir, "saved"))
	sorted := filepath.Join(dir, "sorted.xlsx")
	// Sorted by Owner (W, descending) and filtered to Accepted rows only.
	lotest.Apply(t, edited, sorted, lotest.Edit{Sheet: xlsx.SheetRegister, SortColumn: 23, Descending: true,
		FilterColumn: 20, FilterValue: "Accepted"})

	for _, file := range []string{saved, sorted} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			b, err := Load(file, "telehealth.risk-register.xlsx")
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Threats) != len(old.Threats) {
				t.Fatalf("%d threats read back, want %d", len(b.Threats), len(old.Threats))
			}
			r := analyze(t, changed(exampleDOT(t)))
			Apply(r, b, "2026-11-30")
			checkCarried(t, r, ids)
			// Ids of threats still present are kept.
			oldIDs := map[string]string{}
			for _, th := range old.Threats {
				oldIDs[th.Fingerprint] = th.ID
			}
			for _, th := range r.Threats {
				if id, ok := oldIDs[th.Fingerprint]; ok && id != th.ID {
					t.Errorf("%s became %s", id, th.ID)
				}
			}
			// 4 threats only the audit store has, and 2 that the "no audit
			// log" threat (R-SYS-04, which the audit store closes) folded
			// as one concern and that stand on their own again (stride's
			// concern.go: people denying their actions, and no trail
			// through the services, with their hops' repudiation); groups
			// that formed from a single threat pair with it through the
			// members the register lists.
			if n := len(r.Changes.New); n != 6 {
				t.Errorf("%d new threats, want 6 (the audit store's own and R-SYS-04's former members)", n)
			}
			// The next register carries everything again.
			var buf bytes.Buffer
			if err := xlsx.Write(&buf, r, xlsx.Options{}); err != nil {
				t.Fatal(err)
			}
			next := filepath.Join(t.TempDir(), "next.xlsx")
			if err := os.WriteFile(next, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			b2, err := Load(next, "next.xlsx")
			if err != nil {
				t.Fatal(err)
			}
			if len(b2.Threats) != len(r.Threats) || len(b2.Closed) != len(r.Closed) {
				t.Fatalf("next register: %d open %d closed, want %d %d", len(b2.Threats), len(b2.Closed), len(r.Threats), len(r.Closed))
			}
			r2 := analyze(t, changed(exampleDOT(t)))
			Apply(r2, b2, "2026-12-01")
			checkCarried(t, r2, ids)
			if len(r2.Changes.New) != 0 || len(r2.Changes.Closed) != 0 {
				t.Errorf("third run: new %v closed %v", r2.Changes.New, r2.Changes.Closed)
			}
		})
	}
}
