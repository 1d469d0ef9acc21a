package baseline

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	jsonexp "github.com/threatmap/threatmap/exporters/json"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

func exampleDOT(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../examples/telehealth.dot")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// changed is the acceptance change: an audit store, and API Gateway → Web
// App over HTTPS (testsupport.ChangedTelehealthDOT).
var changed = testsupport.ChangedTelehealthDOT

func analyze(t *testing.T, src string) *stride.Report {
	t.Helper()
	ds, err := importers.Import("telehealth.dot", []byte(src), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := stride.Analyze(ds[0], stride.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func roundTrip(t *testing.T, r *stride.Report) *Baseline {
	t.Helper()
	var buf bytes.Buffer
	if err := jsonexp.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	b, err := ReadJSON("old.threats.json", &buf)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// find returns the threat of rule named by its element: the threat's
// element name, or for a threat that folds one concern on several elements
// (the spoofing of API Gateway → Web App with the processes that cannot
// tell their callers apart), the name of its first element.
func find(r *stride.Report, rule, element string) *stride.Threat {
	for i := range r.Threats {
		th := &r.Threats[i]
		if th.Rule == rule && (th.ElementName == element || firstElementName(r, th) == element) {
			return th
		}
	}
	return nil
}

// firstElementName names a threat's element as a single-element threat
// would: a component's label, "Source → Target" for a flow.
func firstElementName(r *stride.Report, th *stride.Threat) string {
	label := func(id string) string {
		for _, c := range r.Components {
			if c.ID == id {
				return strings.Join(strings.Fields(c.Label), " ")
			}
		}
		return ""
	}
	if th.Element.Type == "flow" {
		for _, f := range r.Flows {
			if f.ID == th.Element.ID {
				return label(f.Source) + " → " + label(f.Target)
			}
		}
		return ""
	}
	return label(th.Element.ID)
}

func TestApplyCarriesDecisions(t *testing.T) {
	old := analyze(t, exampleDOT(t))
	// People's decisions on three threats.
	dos := find(old, "D-PRC-01", "API Gateway and CDN / WAF")
	eaves := find(old, "S-INT-01", "API Gateway → Web App")
	bola := find(old, "I-PRC-01", "Appointments Service")
	if dos == nil || eaves == nil || bola == nil {
		t.Fatal("example threats not found")
	}
	dos.Tracking = &stride.Tracking{Status: "Accepted", Treatment: "Accept", Justification: "Shield Advanced covers it",
		Owner: "Ops", ReviewDate: "2027-01-31", Approver: "CISO"}
	bola.Tracking = &stride.Tracking{Status: "In progress", Owner: "Bea", DueDate: "2026-12-31", Ticket: "SEC-42",
		Notes: "ownership check in review", Likelihood: 2, Impact: 4}
	eaves.Tracking = &stride.Tracking{Owner: "Net team", Ticket: "SEC-7"}
	base := roundTrip(t, old)

	r := analyze(t, changed(exampleDOT(t)))
	Apply(r, base, "2026-11-30")

	ids := map[string]string{}
	for _, th := range old.Threats {
		ids[th.Fingerprint] = th.ID
	}
	for _, th := range r.Threats {
		if id, ok := ids[th.Fingerprint]; ok && id != th.ID {
			t.Errorf("%s %s: id %s, was %s", th.Rule, th.ElementName, th.ID, id)
		}
	}
	got := find(r, "D-PRC-01", "API Gateway and CDN / WAF")
	if got.ID != dos.ID || got.Status != "Accepted" || got.Tracking.Justification != "Shield Advanced covers it" ||
		got.Tracking.Approver != "CISO" || got.Change != stride.ChangeUnchanged {
		t.Errorf("accepted threat: %+v %+v", got, got.Tracking)
	}
	got = find(r, "I-PRC-01", "Appointments Service")
	if got.ID != bola.ID || got.Likelihood != 2 || got.Impact != 4 || got.Score != 8 || got.Severity != stride.SeverityMedium ||
		got.Status != "In progress" || got.Tracking.Ticket != "SEC-42" || got.Tracking.DueDate != "2026-12-31" {
		t.Errorf("overridden threat: %+v %+v", got, got.Tracking)
	}
	if got.ResidualScore != got.ResidualLikelihood*got.ResidualImpact || got.ResidualRisk != stride.Band(got.ResidualScore) {
		t.Errorf("residual not recomputed: %+v", got)
	}
	// The flow now uses TLS: the spoofing threat is still there with its
	// owner.
	got = find(r, "S-INT-01", "API Gateway → Web App")
	if got == nil || got.ID != eaves.ID || got.Tracking == nil || got.Tracking.Owner != "Net team" {
		t.Fatalf("flow threat after TLS: %+v", got)
	}
	// The HTTP-only tampering threat on that flow is gone: closed, kept.
	tamper := find(old, "T-FLW-01", "API Gateway → Web App")
	var closed *stride.Threat
	for i := range r.Closed {
		if r.Closed[i].ID == tamper.ID {
			closed = &r.Closed[i]
		}
	}
	if closed == nil || closed.Status != StatusClosed || len(closed.Tracking.History) != 1 ||
		closed.Tracking.History[0] != "2026-11-30: closed: no longer in the diagram" {
		t.Fatalf("closed threat: %+v", closed)
	}
	ch := r.Changes
	if ch == nil || len(ch.New) == 0 || !contains(ch.Closed, tamper.ID) || ch.Baseline != "old.threats.json" {
		t.Fatalf("changes: %+v", ch)
	}
	for _, id := range ch.New {
		for _, c := range r.Closed {
			if c.ID == id {
				t.Errorf("new threat reuses closed id %s", id)
			}
		}
	}
	if len(ch.EntryPointsNew) != 1 || len(ch.EntryPointsRemoved) != 0 {
		t.Errorf("entry points: new %v removed %v", ch.EntryPointsNew, ch.EntryPointsRemoved)
	}

	// Next run with this report as baseline: the closed threat stays
	// closed without a second history entry; nothing else changes.
	r2 := analyze(t, changed(exampleDOT(t)))
	Apply(r2, roundTrip(t, r), "2026-12-01")
	if len(r2.Changes.New) != 0 || len(r2.Changes.Closed) != 0 || len(r2.Closed) != len(r.Closed) {
		t.Errorf("second run: %+v, %d closed", r2.Changes, len(r2.Closed))
	}
	for i, c := range r2.Closed {
		if c.ID != r.Closed[i].ID || len(c.Tracking.History) != 1 {
			t.Errorf("closed %s history %v", c.ID, c.Tracking.History)
		}
	}
	// Back to the original diagram: the tampering threat is reopened with
	// its old id.
	r3 := analyze(t, exampleDOT(t))
	Apply(r3, roundTrip(t, r2), "2026-12-02")
	re := find(r3, "T-FLW-01", "API Gateway → Web App")
	if re == nil || re.ID != tamper.ID || re.Change != stride.ChangeReopened || !contains(r3.Changes.Reopened, tamper.ID) {
		t.Errorf("reopened: %+v", re)
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// A report of another format (other flow ids) or a re-drawn diagram
// (other component ids) still matches by labels.
func TestMatchByLabelWhenIDsChange(t *testing.T) {
	old := analyze(t, exampleDOT(t))
	src := strings.NewReplacer("apigw", "gateway1", "appt", "svc_appointments").Replace(exampleDOT(t))
	r := analyze(t, src)
	Apply(r, roundTrip(t, old), "")
	if len(r.Changes.New) != 0 || len(r.Changes.Closed) != 0 {
		t.Fatalf("renamed ids: new %v closed %v", r.Changes.New, r.Changes.Closed)
	}
	oldByID := map[string]stride.Threat{}
	for _, th := range old.Threats {
		oldByID[th.ID] = th
	}
	for _, th := range r.Threats {
		o, ok := oldByID[th.ID]
		if !ok || o.Rule != th.Rule || o.ElementName != th.ElementName || o.Fingerprint != th.Fingerprint {
			t.Errorf("%s %s %s matched %+v", th.ID, th.Rule, th.ElementName, o)
		}
	}
}

func TestReadJSONErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{`, "b.json: not a threatmap JSON report"},
		{`[]`, "b.json: not a threatmap JSON report"},
		{`{"x":1}`, "no schema_version"},
		{`{"schema_version":"1.0","threats":[{"rule":"S-EXT-01"}]}`, "threat 1 has no id"},
	} {
		_, err := ReadJSON("b.json", strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.in, err, tc.want)
		}
	}
}

// A threat that folded several elements pairs with the threat on one of
// its members when the group forms or dissolves (same rule, a shared
// element), before the id pass.
func TestMatchThreatsSharedElement(t *testing.T) {
	a := stride.ElementRef{Type: "flow", ID: "f1"}
	b := stride.ElementRef{Type: "flow", ID: "f2"}
	c := stride.ElementRef{Type: "flow", ID: "f3"}
	old := []stride.Threat{
		{ID: "T-0001", Rule: "I-FLW-01", Fingerprint: "aa", Element: a, Identity: stride.Identity{Element: "flow:x>y"}},
		{ID: "T-0002", Rule: "S-INT-03", Fingerprint: "bb", Element: b, Elements: []stride.ElementRef{b, c},
			ElementKeys: []string{"flow:y>z", "flow:z>w"}, Identity: stride.Identity{Element: "group:flow:internal"}},
	}
	new := []stride.Threat{
		{ID: "T-0009", Rule: "S-INT-03", Fingerprint: "cc", Element: c, Identity: stride.Identity{Element: "flow:z>w"}},
		{ID: "T-0008", Rule: "I-FLW-01", Fingerprint: "dd", Element: b, Elements: []stride.ElementRef{b, a},
			ElementKeys: []string{"flow:y>z", "flow:x>y"}, Identity: stride.Identity{Element: "group:flow:internal"}},
		{ID: "T-0007", Rule: "T-FLW-01", Fingerprint: "ee", Element: a, Identity: stride.Identity{Element: "flow:x>y"}},
	}
	got := MatchThreats(old, new)
	want := []Pair{{Old: 1, New: 0}, {Old: 0, New: 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pairs %v, want %v", got, want)
	}
	// The group that gained an unmitigated element is worse; the one
	// that lost one is not.
	if !Worse(old[0], new[1]) || Worse(old[1], new[0]) {
		t.Errorf("worse: gained %v, lost %v", Worse(old[0], new[1]), Worse(old[1], new[0]))
	}
}

// TestApplyConfigDecisions checks that a person's decision in the
// baseline wins over the configuration's, and that a decision the
// configuration no longer makes does not live on through the baseline.
func TestApplyConfigDecisions(t *testing.T) {
	src := exampleDOT(t)
	plain := analyze(t, src)
	dos := find(plain, "D-PRC-01", "API Gateway and CDN / WAF")
	eaves := find(plain, "S-INT-01", "API Gateway → Web App")
	bola := find(plain, "I-PRC-01", "Appointments Service")
	if dos == nil || eaves == nil || bola == nil {
		t.Fatal("example threats not found")
	}
	withConfig := func(yaml string) *stride.Report {
		t.Helper()
		cfg, err := stride.ParseConfig("threatmap.yaml", []byte(yaml))
		if err != nil {
			t.Fatal(err)
		}
		ds, err := importers.Import("telehealth.dot", []byte(src), importers.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := stride.Analyze(ds[0], stride.Options{Config: cfg})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// Run 1: the configuration accepts dos and bola; in the register a
	// person then transfers dos and gives eaves an owner.
	old := withConfig(fmt.Sprintf("threats:\n  - {id: %s, status: Accepted, owner: Ops, reason: Shield}\n"+
		"  - {id: %s, status: Accepted, owner: Bea, reason: legacy}\n", dos.ID, bola.ID))
	if o := find(old, "I-PRC-01", "Appointments Service"); o.Status != stride.StatusAccepted || o.Tracking.Source != stride.TrackingSourceConfig {
		t.Fatalf("run 1 bola: %s %+v", o.Status, o.Tracking)
	}
	o := find(old, "D-PRC-01", "API Gateway and CDN / WAF")
	o.Tracking = &stride.Tracking{Status: stride.StatusTransferred, Treatment: "Transfer", Owner: "Vendor", Justification: "SLA"}
	find(old, "S-INT-01", "API Gateway → Web App").Tracking = &stride.Tracking{Owner: "Net team", Ticket: "SEC-7"}
	base := roundTrip(t, old)

	// Run 2: the configuration accepts dos and eaves, no longer bola.
	r := withConfig(fmt.Sprintf("threats:\n  - {id: %s, status: Accepted, owner: Ops, reason: Shield}\n"+
		"  - {rule: S-INT-01, element: %s, status: Accepted, owner: Net, reason: mTLS next sprint}\n", dos.ID, eaves.Element.ID))
	Apply(r, base, "")
	tests := []struct {
		rule, element, status string
		tracking              *stride.Tracking
	}{
		{"D-PRC-01", "API Gateway and CDN / WAF", stride.StatusTransferred,
			&stride.Tracking{Status: stride.StatusTransferred, Treatment: "Transfer", Owner: "Vendor", Justification: "SLA"}},
		{"S-INT-01", "API Gateway → Web App", stride.StatusAccepted,
			&stride.Tracking{Status: stride.StatusAccepted, Treatment: "Accept", Owner: "Net team", Ticket: "SEC-7",
				Justification: "mTLS next sprint", Source: stride.TrackingSourceConfig,
				Config: &stride.ConfigDecision{Status: stride.StatusAccepted, Owner: "Net", Reason: "mTLS next sprint"}}},
		{"I-PRC-01", "Appointments Service", bola.Status, nil},
	}
	for _, tt := range tests {
		got := find(r, tt.rule, tt.element)
		if got.Status != tt.status || !reflect.DeepEqual(got.Tracking, tt.tracking) {
			t.Errorf("%s %s: status %s tracking %+v, want %s %+v", tt.rule, tt.element, got.Status, got.Tracking, tt.status, tt.tracking)
		}
		want := find(plain, tt.rule, tt.element)
		if got.ResidualRisk != want.ResidualRisk || got.ResidualScore != want.ResidualScore {
			t.Errorf("%s %s: residual %s %d, want %s %d", tt.rule, tt.element, got.ResidualRisk, got.ResidualScore, want.ResidualRisk, want.ResidualScore)
		}
		if tt.tracking == nil && got.Analysis != nil {
			t.Errorf("%s %s: analysis %+v left over", tt.rule, tt.element, got.Analysis)
		}
	}
}
