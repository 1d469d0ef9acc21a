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
	// 4 threats only the audit store has, and 2 that the model-level "no
	// audit log" threat (R-SYS-04) folded as one concern (stride's
	// concern.go: no trail through the services, with the repudiation of
	// the requests on their hops, and people denying their actions): the
	// audit store closes R-SYS-04, so they stand on their own again; they
	// were in the old model as its members. Removed: the cleartext
	// tampering threat on API Gateway → Web App, now on TLS, and R-SYS-04.
	// Changed: threats that now also list the audit store or its flow, or
	// name its data in their titles, one of them worse (the spoofing threat
	// of the unauthenticated internal hops now reaches the audit flow,
	// which is not network-isolated). The 46 unchanged are the rest of the
	// 55 old threats (71 before one rule on sibling elements folded
	// whatever each element's controls leave, and the rules of one concern
	// folded on the elements they share; 56 before the spoofing of an
	// unauthenticated hop and of the processes that cannot tell their
	// callers apart were one concern).
	if s.NewThreats != 6 || s.RemovedThreats != 2 || s.ChangedThreats != 7 || s.UnchangedThreats != 46 ||
		s.NewEntryPoints != 1 || s.ChangedEntryPoints != 1 || s.RemovedEntryPoints != 0 || s.Worse != 9 {
		t.Fatalf("summary %+v", s)
	}
	if s.NewThreats+s.ChangedThreats+s.UnchangedThreats != len(new.Threats) ||
		s.RemovedThreats+s.ChangedThreats+s.UnchangedThreats != len(old.Threats) {
		t.Errorf("counts do not add up: %+v, %d old, %d new", s, len(old.Threats), len(new.Threats))
	}
	folded := map[string]bool{}
	for _, th := range old.Threats {
		if th.Rule == "R-SYS-04" {
			for _, m := range th.Members {
				folded[m.Rule] = true
			}
		}
	}
	for _, th := range res.NewThreats {
		if !strings.Contains(th.Element, "Audit Log DB") && !folded[th.Rule] {
			t.Errorf("new threat neither about the added component nor folded by the closed R-SYS-04: %+v", th)
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
	// internal hops, as rated on it (the threat folds the hops whatever
	// each one's controls leave): a Low residual, Mitigated.
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
		for _, v := range th.Views() {
			if v.Element.ID == flowID && (v.Threat.ResidualRisk != stride.SeverityLow || v.Threat.Status != "Mitigated") {
				t.Errorf("eavesdropping after TLS: %s %s %s", th.ID, v.Threat.ResidualRisk, v.Threat.Status)
			}
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
