package diff

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/baseline"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

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

func example(t *testing.T) string {
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

func compareExample(t *testing.T) (*Result, *stride.Report, *stride.Report) {
	t.Helper()
	old, new := analyze(t, example(t)), analyze(t, changed(example(t)))
	return Compare(baseline.FromReport("old.threats.json", old), baseline.FromReport("new.threats.json", new)), old, new
}

func TestCompareExample(t *testing.T) {
	res, old, new := compareExample(t)
	s := res.Summary
	// 6 threats only the audit store and its flow have (the flow's
	// spoofing threat stays apart from the records store's: PII against
	// PHI puts them in different bands); its flow joins the threats that
	// already list its sibling hops (injection and cleartext internal
	// hops), which change instead of adding new ones and count as worse:
	// the same unmitigated concern reaches more.
	// The cleartext tampering threat on API Gateway → Web App goes and its
	// eavesdropping threat moves to the TLS-protected hops; titles that
	// list stores or data now name the audit store and its data too.
	// The audit store also closes the model-level "no audit log" threat
	// (R-SYS-04): 2 removed. The flow now on TLS does not join the
	// baseline tampering threat of the TLS hops (T-BASE-FLW) as it would
	// without the forwarded-identity family: T-FWD-02, a specific
	// tampering rule, still fires on it (a gateway forwards to a service
	// with no authentication of its own, TLS or not), so the coverage
	// rule stays quiet there. The spoofing threat on API Gateway → Web
	// App, a hop that carries session tokens in passing (asset 4), stays
	// apart from the audit flow's: 9 changed. The 60 unchanged are the
	// rest of the 71 old threats (72 with the JWT credit below: the JWT every caller of
	// Appointments Service presents mitigates its spoofing threat, which
	// therefore no longer folds with the two services that show no
	// authentication; 71 since the patient's and the clinician's account
	// takeover sit on Auth Service, where they sign in, as one threat).
	if s.NewThreats != 6 || s.RemovedThreats != 2 || s.ChangedThreats != 9 || s.UnchangedThreats != 60 ||
		s.NewEntryPoints != 1 || s.ChangedEntryPoints != 1 || s.RemovedEntryPoints != 0 || s.Worse != 8 {
		t.Fatalf("summary %+v", s)
	}
	if s.NewThreats+s.ChangedThreats+s.UnchangedThreats != len(new.Threats) ||
		s.RemovedThreats+s.ChangedThreats+s.UnchangedThreats != len(old.Threats) {
		t.Errorf("counts do not add up: %+v, %d old, %d new", s, len(old.Threats), len(new.Threats))
	}
	for _, th := range res.NewThreats {
		if !strings.Contains(th.Element, "Audit Log DB") {
			t.Errorf("new threat not about the added component: %+v", th)
		}
	}
	removed := map[string]bool{}
	for _, th := range res.RemovedThreats {
		if th.Element != "API Gateway → Web App" && !(th.Rule == "R-SYS-04" && th.Element == "the system") {
			t.Errorf("removed threat neither on the flow turned to TLS nor the missing audit log: %+v", th)
		}
		removed[th.Rule] = true
	}
	if !removed["T-FLW-01"] || !removed["R-SYS-04"] {
		t.Errorf("removed %v, want the cleartext tampering threat", removed)
	}
	// The flow now on TLS is listed by the eavesdropping threat of the
	// protected hops, with a Low residual, and no longer by the cleartext
	// one.
	var flowID string
	for _, f := range new.Flows {
		if f.Source == "apigw" && f.Target == "webapp" {
			flowID = f.ID
		}
	}
	eaves := 0
	for _, th := range new.Threats {
		if th.Rule != "I-FLW-01" || !listsElement(th, flowID) {
			continue
		}
		eaves++
		if th.ResidualRisk != stride.SeverityLow || th.Status != "Mitigated" {
			t.Errorf("eavesdropping after TLS: %s %s %s", th.ID, th.ResidualRisk, th.Status)
		}
	}
	if eaves != 1 {
		t.Errorf("%d eavesdropping threats list the TLS flow, want 1", eaves)
	}
	ep := res.ChangedEntryPoints[0]
	if ep.Name != "API Gateway → Web App" || len(ep.Changes) != 1 || ep.Changes[0] != `label "HTTP" → "HTTPS"` {
		t.Errorf("changed entry point %+v", ep)
	}
	// Ids agree across the two fresh analyses (no baseline needed), but
	// for a threat on one element that became a threat listing several
	// (its key moves from the element to the concern; a baseline keeps it).
	folds := func(r *stride.Report, id string) bool {
		for _, th := range r.Threats {
			if th.ID == id {
				return len(th.Elements) > 0
			}
		}
		return false
	}
	for _, c := range res.ChangedThreats {
		if c.NewID != "" && folds(old, c.ID) == folds(new, c.NewID) {
			t.Errorf("%s renumbered to %s", c.ID, c.NewID)
		}
	}
	if g := res.Gate(stride.SeverityLow); len(g) != s.Worse {
		t.Errorf("gate lists %d, worse %d", len(g), s.Worse)
	}
}

func TestRender(t *testing.T) {
	res, _, _ := compareExample(t)
	var text, md, js bytes.Buffer
	if err := res.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := res.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := res.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"old.threats.json → new.threats.json", "New threats (", "Removed threats (", "Changed entry points (1)", `label "HTTP" → "HTTPS"`} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	for _, want := range []string{"### Threat model changes", "#### New threats (", "| ID | Residual risk | Category | Element | Threat |", "#### Changed entry points (1)"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	var back Result
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Summary != res.Summary || len(back.NewThreats) != len(res.NewThreats) {
		t.Errorf("JSON round trip: %+v", back.Summary)
	}
	if strings.Contains(js.String(), "null") {
		t.Error("JSON has null lists")
	}
}

func TestIdenticalModels(t *testing.T) {
	r := analyze(t, example(t))
	res := Compare(baseline.FromReport("a", r), baseline.FromReport("b", r))
	if res.Summary != (Summary{UnchangedThreats: len(r.Threats)}) {
		t.Errorf("identical: %+v", res.Summary)
	}
	var text bytes.Buffer
	_ = res.WriteText(&text)
	if strings.Count(text.String(), "\n") != 2 {
		t.Errorf("identical text:\n%s", text.String())
	}
}

// listsElement reports whether th is on the element with id or lists it.
func listsElement(th stride.Threat, id string) bool {
	if th.Element.ID == id {
		return true
	}
	for _, e := range th.Elements {
		if e.ID == id {
			return true
		}
	}
	return false
}
