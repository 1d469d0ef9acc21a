package diff

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/baseline"
	"github.com/threatmap/threatmap/importers"
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

// changed adds a component and turns one flow to TLS, as in the issue's
// acceptance test.
func changed(src string) string {
	src = strings.Replace(src, `apigw     -> webapp [label="HTTP"];`, `apigw     -> webapp [label="HTTPS"];`, 1)
	i := strings.LastIndex(src, "}")
	return src[:i] + `  audit [label="Audit Log DB", shape=cylinder];
  appt -> audit [label="SQL (PII)"];
` + src[i:]
}

func compareExample(t *testing.T) (*Result, *stride.Report, *stride.Report) {
	t.Helper()
	old, new := analyze(t, example(t)), analyze(t, changed(example(t)))
	return Compare(baseline.FromReport("old.threats.json", old), baseline.FromReport("new.threats.json", new)), old, new
}

func TestCompareExample(t *testing.T) {
	res, old, new := compareExample(t)
	s := res.Summary
	// 8 threats on the audit store and its flow; the cleartext tampering
	// threat on API Gateway → Web App goes, its eavesdropping threat
	// drops to Low and its spoofing threat from Critical to High (calls can
	// no longer be forged from the network path); titles that list stores
	// or data now name the audit store and its data too.
	if s.NewThreats != 8 || s.RemovedThreats != 1 || s.ChangedThreats != 10 || s.UnchangedThreats != 64 ||
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
		if th.Element != "API Gateway → Web App" {
			t.Errorf("removed threat not on the flow turned to TLS: %+v", th)
		}
		removed[th.Rule] = true
	}
	if !removed["T-FLW-01"] {
		t.Errorf("removed %v, want the cleartext tampering threat", removed)
	}
	eaves := false
	for _, c := range res.ChangedThreats {
		if c.Rule == "I-FLW-01" && c.Element == "API Gateway → Web App" {
			eaves = true
			if c.ResidualRisk != stride.SeverityLow || c.Worse || !strings.Contains(strings.Join(c.Changes, ";"), "existing controls added: TLS") {
				t.Errorf("eavesdropping after TLS: %+v", c)
			}
		}
	}
	if !eaves {
		t.Error("eavesdropping threat on the TLS flow not reported as changed")
	}
	ep := res.ChangedEntryPoints[0]
	if ep.Name != "API Gateway → Web App" || len(ep.Changes) != 1 || ep.Changes[0] != `label "HTTP" → "HTTPS"` {
		t.Errorf("changed entry point %+v", ep)
	}
	// Ids agree across the two fresh analyses (no baseline needed).
	for _, c := range res.ChangedThreats {
		if c.NewID != "" {
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
