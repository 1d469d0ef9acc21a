package baseline

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/exporters/xlsx"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/third_party/excelize"
)

// analyzeWith analyses the telehealth example with a threatmap.yaml,
// dated date ("" for none).
func analyzeWith(t *testing.T, src, yaml, date string) *stride.Report {
	t.Helper()
	cfg, err := stride.ParseConfig("threatmap.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := importers.Import("telehealth.dot", []byte(src), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := stride.Analyze(ds[0], stride.Options{Config: cfg, Date: date})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// editRegister sets the cells of the register rows named by threat id
// (edits: id → header → value), as a person does in a spreadsheet.
func editRegister(t *testing.T, reg []byte, edits map[string]map[string]string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(reg))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(RegisterSheet)
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for j, h := range rows[0] {
		col[h] = j + 1
	}
	done := 0
	for i, row := range rows {
		for header, v := range edits[row[0]] {
			j, ok := col[header]
			if !ok {
				t.Fatalf("no register column %q", header)
			}
			cell, _ := excelize.CoordinatesToCellName(j, i+1)
			if err := f.SetCellValue(RegisterSheet, cell, v); err != nil {
				t.Fatal(err)
			}
			done++
		}
	}
	want := 0
	for _, e := range edits {
		want += len(e)
	}
	if done != want {
		t.Fatalf("edited %d cells, want %d", done, want)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestConfigDecisionRoundTrip follows decisions taken in threatmap.yaml
// through a register (and a JSON report) read back as the next run's
// baseline: the configuration's decision stays the configuration's, so
// removing it or changing it changes the status, while what a person
// typed in the register (a status, an owner, a ticket) still wins.
func TestConfigDecisionRoundTrip(t *testing.T) {
	src := exampleDOT(t)
	plain := analyze(t, src)
	dos := find(plain, "D-PRC-01", "API Gateway and CDN / WAF")
	eaves := find(plain, "S-INT-01", "API Gateway → Web App")
	bola := find(plain, "I-PRC-01", "Appointments Service")
	if dos == nil || eaves == nil || bola == nil {
		t.Fatal("example threats not found")
	}
	// Run 1: the configuration accepts dos and eaves and transfers bola.
	conf1 := fmt.Sprintf("threats:\n"+
		"  - {id: %s, status: Accepted, owner: Ops, reason: Shield}\n"+
		"  - {rule: S-INT-01, element: %s, status: Accepted, owner: Net, reason: mTLS next sprint}\n"+
		"  - {rule: I-PRC-01, element: %s, status: Transferred, owner: Pay, reason: PSP contract}\n",
		dos.ID, eaves.Element.ID, bola.Element.ID)
	run1 := analyzeWith(t, src, conf1, "")
	if got := find(run1, "D-PRC-01", dos.ElementName); got.Status != stride.StatusAccepted {
		t.Fatalf("run 1 dos: %s", got.Status)
	}
	// Run 2: the decision on dos is removed, bola is now accepted with
	// another reason, eaves is still accepted.
	conf2 := fmt.Sprintf("threats:\n"+
		"  - {rule: S-INT-01, element: %s, status: Accepted, owner: Net, reason: mTLS next sprint}\n"+
		"  - {rule: I-PRC-01, element: %s, status: Accepted, owner: Pay, reason: legacy and retired in Q3}\n",
		eaves.Element.ID, bola.Element.ID)
	cfg := func(status, treatment, owner, reason string) *stride.Tracking {
		return &stride.Tracking{Status: status, Treatment: treatment, Owner: owner, Justification: reason,
			Source: stride.TrackingSourceConfig, Config: &stride.ConfigDecision{Status: status, Owner: owner, Reason: reason}}
	}
	type want struct {
		rule, element, status string
		tracking              *stride.Tracking
	}
	check := func(name string, r *stride.Report, wants []want) {
		t.Helper()
		for _, w := range wants {
			got := find(r, w.rule, w.element)
			if got.Status != w.status || !reflect.DeepEqual(got.Tracking, w.tracking) {
				t.Errorf("%s: %s %s: status %s tracking %+v (config %+v), want %s %+v", name, w.rule, w.element,
					got.Status, got.Tracking, configOf(got.Tracking), w.status, w.tracking)
			}
			p := find(plain, w.rule, w.element)
			if got.ResidualRisk != p.ResidualRisk || got.ResidualScore != p.ResidualScore {
				t.Errorf("%s: %s %s: residual %s %d, want %s %d", name, w.rule, w.element, got.ResidualRisk, got.ResidualScore, p.ResidualRisk, p.ResidualScore)
			}
		}
	}

	t.Run("register", func(t *testing.T) {
		var buf bytes.Buffer
		if err := xlsx.Write(&buf, run1, xlsx.Options{}); err != nil {
			t.Fatal(err)
		}
		// Untouched, the register carries the configuration's decisions
		// back as the configuration's.
		b, err := ReadRegister("run1.xlsx", bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		r := analyzeWith(t, src, conf2, "")
		Apply(r, b, "")
		check("untouched register, config changed", r, []want{
			{"D-PRC-01", dos.ElementName, dos.Status, nil},
			{"S-INT-01", eaves.ElementName, stride.StatusAccepted, cfg(stride.StatusAccepted, "Accept", "Net", "mTLS next sprint")},
			{"I-PRC-01", bola.ElementName, stride.StatusAccepted, cfg(stride.StatusAccepted, "Accept", "Pay", "legacy and retired in Q3")},
		})
		// The decision on eaves expires: its status reverts too.
		expiring := strings.Replace(conf2, "reason: mTLS next sprint}", "reason: mTLS next sprint, expires: 2026-06-30}", 1)
		r = analyzeWith(t, src, expiring, "2026-07-01")
		Apply(r, b, "")
		check("untouched register, eaves expired", r, []want{
			{"S-INT-01", eaves.ElementName, eaves.Status, nil},
			{"I-PRC-01", bola.ElementName, stride.StatusAccepted, cfg(stride.StatusAccepted, "Accept", "Pay", "legacy and retired in Q3")},
		})
		// A person puts eaves in progress and gives bola an owner and a
		// ticket: their edits win (eaves no longer shows the reason and
		// owner of a decision its status overrides), the configuration
		// still decides the rest.
		edited := editRegister(t, buf.Bytes(), map[string]map[string]string{
			eaves.ID: {"Status": "In progress", "Treatment": "Mitigate"},
			bola.ID:  {"Owner": "Bea", "Ticket": "SEC-9"},
		})
		b, err = ReadRegister("run1.xlsx", bytes.NewReader(edited))
		if err != nil {
			t.Fatal(err)
		}
		r = analyzeWith(t, src, conf2, "")
		Apply(r, b, "")
		bolaT := cfg(stride.StatusAccepted, "Accept", "Bea", "legacy and retired in Q3")
		bolaT.Ticket, bolaT.Config.Owner = "SEC-9", "Pay"
		check("edited register, config changed", r, []want{
			{"D-PRC-01", dos.ElementName, dos.Status, nil},
			{"S-INT-01", eaves.ElementName, "In progress", &stride.Tracking{Status: "In progress", Treatment: "Mitigate"}},
			{"I-PRC-01", bola.ElementName, stride.StatusAccepted, bolaT},
		})
		// Run 3 reads run 2's register without any configuration: only
		// what people typed is left.
		buf.Reset()
		if err := xlsx.Write(&buf, r, xlsx.Options{}); err != nil {
			t.Fatal(err)
		}
		b, err = ReadRegister("run2.xlsx", bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		r = analyze(t, src)
		Apply(r, b, "")
		check("run 2's register, no config", r, []want{
			{"D-PRC-01", dos.ElementName, dos.Status, nil},
			{"S-INT-01", eaves.ElementName, "In progress", &stride.Tracking{Status: "In progress", Treatment: "Mitigate"}},
			{"I-PRC-01", bola.ElementName, bola.Status, &stride.Tracking{Owner: "Bea", Ticket: "SEC-9"}},
		})
	})

	t.Run("json", func(t *testing.T) {
		// A person's owner kept beside a configuration decision survives
		// the next JSON round trip; the decision itself follows the
		// configuration.
		o := find(run1, "I-PRC-01", bola.ElementName)
		o.Tracking.Owner, o.Tracking.Ticket = "Bea", "SEC-9"
		r := analyzeWith(t, src, conf2, "")
		Apply(r, roundTrip(t, run1), "")
		bolaT := cfg(stride.StatusAccepted, "Accept", "Bea", "legacy and retired in Q3")
		bolaT.Ticket, bolaT.Config.Owner = "SEC-9", "Pay"
		check("json, config changed", r, []want{
			{"D-PRC-01", dos.ElementName, dos.Status, nil},
			{"S-INT-01", eaves.ElementName, stride.StatusAccepted, cfg(stride.StatusAccepted, "Accept", "Net", "mTLS next sprint")},
			{"I-PRC-01", bola.ElementName, stride.StatusAccepted, bolaT},
		})
		again := analyze(t, src)
		Apply(again, roundTrip(t, r), "")
		check("json, no config", again, []want{
			{"D-PRC-01", dos.ElementName, dos.Status, nil},
			{"S-INT-01", eaves.ElementName, eaves.Status, nil},
			{"I-PRC-01", bola.ElementName, bola.Status, &stride.Tracking{Owner: "Bea", Ticket: "SEC-9"}},
		})
	})
}

// configOf prints a tracking's configuration decision.
func configOf(tr *stride.Tracking) string {
	if tr == nil || tr.Config == nil {
		return "none"
	}
	return strings.Join([]string{tr.Config.Status, tr.Config.Owner, tr.Config.Reason}, "/")
}
