package stride

import (
	"strings"
	"testing"
)

// The built-in rules carry their references as refs, and no CWE is lost
// from the 63 rules that had one before refs existed.
func TestRuleRefs(t *testing.T) {
	withCWE := 0
	for _, r := range DefaultRules() {
		if r.CWE != "" {
			t.Errorf("%s: CWE shorthand %q left after parsing", r.ID, r.CWE)
		}
		if len(r.Refs.CWE) > 0 {
			withCWE++
		}
	}
	if withCWE < 63 {
		t.Errorf("%d built-in rules carry a CWE, want at least 63", withCWE)
	}
	for _, cwe := range []string{"319", "CWE-", "CWE-31x", "cwe-319"} {
		if validCWE(cwe) {
			t.Errorf("validCWE(%q) = true", cwe)
		}
	}
	if !validCWE("CWE-319") {
		t.Error("CWE-319 rejected")
	}
}

// The cwe: shorthand of older rule files folds into refs.cwe (once), and
// ids of the wrong form are errors naming the catalogue.
func TestParseRuleRefs(t *testing.T) {
	const head = "rules:\n  - id: X-1\n    category: S\n    applies_to: [process]\n    when: 'true'\n    title: t\n    description: d\n    likelihood: 1\n    impact: 1\n"
	for _, tt := range []struct {
		name, extra string
		want        string // Refs.Text(), or the error
		fails       bool
	}{
		{"shorthand", "    cwe: CWE-79\n", "CWE-79", false},
		{"shorthand and refs", "    cwe: CWE-79\n    refs: {cwe: [CWE-79, CWE-80], capec: [CAPEC-63]}\n", "CWE-79; CWE-80; CAPEC-63", false},
		{"shorthand first", "    cwe: CWE-80\n    refs: {cwe: [CWE-79]}\n", "CWE-80; CWE-79", false},
		{"all catalogues", "    refs: {cwe: [CWE-522], capec: [CAPEC-560], asvs: [V6.4.1], threagile: [missing-vault], pytm: [AC24]}\n",
			"CWE-522; CAPEC-560; ASVS V6.4.1; Threagile missing-vault; pytm AC24", false},
		{"bad cwe", "    refs: {cwe: [CWE79]}\n", `refs: cwe "CWE79": want CWE-<number>`, true},
		{"bad capec", "    refs: {capec: [63]}\n", `capec "63"`, true},
		{"bad asvs", "    refs: {asvs: [5.3.3]}\n", `asvs "5.3.3"`, true},
		{"bad threagile", "    refs: {threagile: [Missing Vault]}\n", `threagile "Missing Vault"`, true},
		{"bad pytm", "    refs: {pytm: [inp01]}\n", `pytm "inp01"`, true},
		{"twice", "    refs: {capec: [CAPEC-1, CAPEC-1]}\n", `capec "CAPEC-1" listed twice`, true},
		{"unknown catalogue", "    refs: {owasp: [A01]}\n", "field owasp not found", true},
	} {
		rs, err := ParseRules("x.yaml", []byte(head+tt.extra))
		if tt.fails {
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := rs[0].Refs.Text(); got != tt.want {
			t.Errorf("%s: refs %q, want %q", tt.name, got, tt.want)
		}
		if rs[0].Family != "x" {
			t.Errorf("%s: family %q, want x", tt.name, rs[0].Family)
		}
	}
}
