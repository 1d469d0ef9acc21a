package main

import (
	"encoding/json"
	"testing"
)

// inspect shows how the analysis reads each component, every decision with
// its reason, the assumptions it makes, and pages it skips.
func TestInspectShowsTheAnalysisContext(t *testing.T) {
	in := `flowchart LR
  admin((Admin Console)) -->|HTTPS| api[Orders API]
  api -->|Redis| cache[(Session Store: Redis)]
`
	code, out, errs := runCLI(t, in, "inspect", "--format", "mermaid", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc inspectDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Assumptions) != 1 {
		t.Errorf("assumptions %q", doc.Assumptions)
	}
	byID := map[string]*inspectContext{}
	for _, c := range doc.Components {
		if c.Context == nil || c.Context.KindReason == "" || c.Context.ZoneReason == "" {
			t.Fatalf("%s: context without reasons: %+v", c.ID, c.Context)
		}
		byID[c.ID] = c.Context
	}
	if c := byID["admin"]; c.Kind != "external" || c.Role != "administrator" || c.RoleReason == "" {
		t.Errorf("admin: %+v", c)
	}
	if c := byID["cache"]; c.Technology != "Redis" || c.TechnologyReason == "" || c.Role != "cache" {
		t.Errorf("cache: %+v", c)
	}
	for id, c := range byID {
		for _, d := range c.Data {
			if c.DataReasons[d] == "" {
				t.Errorf("%s: %s without a reason", id, d)
			}
		}
	}
}

func TestInspectSkipsAttackTrees(t *testing.T) {
	in := "flowchart TD\n  g[Read the mail] --> a[Steal the laptop]\n  g --> b[Phish the password]\n  g --> c[Bribe the admin]\n  b --> d[Guess the password]\n"
	code, out, errs := runCLI(t, in, "inspect", "--format", "mermaid", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc inspectDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Skipped == "" || doc.Components[0].Context != nil {
		t.Errorf("attack tree analysed: %+v", doc)
	}
}
