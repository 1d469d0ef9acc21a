package stride

import (
	"slices"
	"strings"
	"testing"
)

// A mitigation's when condition decides where it is recommended; on a
// folded threat it names only the members it applies to, and the
// technology's own controls come from the catalog (Env.Hardening).
func TestMitigationConditions(t *testing.T) {
	d := mini(t, famBounds, append(famComps, "cache:Session Cache (Redis):cylinder:data", "pg:Patients DB (PostgreSQL):cylinder:data"), []string{
		"user>gw:HTTPS", "svc>worker:REST (PII)", "svc>pg:SQL (PII)", "svc>cache:Redis (PII)",
	})
	r := analyze(t, d, Options{})
	controls := func(th Threat) []string {
		var out []string
		for _, m := range th.Mitigations {
			out = append(out, m.Control)
		}
		return out
	}
	th := oneThreat(t, r, "I-FLW-01", "Orders Service → Patients DB (PostgreSQL)")
	for _, tc := range []struct {
		piece string
		want  int // how many mitigations contain it
		names string
	}{
		// Of three internal hops folded into one threat, only the REST
		// one gets the URL advice, and it names only that hop.
		{"out of URLs", 1, "at intermediaries on Orders Service → Mailer Worker"},
		// The data-store hops get the log advice instead.
		{"statement, message and trace logs", 1, "at both ends of Orders Service → Session Cache (Redis) and Orders Service → Patients DB (PostgreSQL)"},
		// Each store's own TLS setting, from the catalog.
		{"PostgreSQL: hostssl lines in pg_hba.conf and ssl = on", 1, ""},
		{"Redis: TLS on tls-port", 1, ""},
	} {
		var hits []string
		for _, c := range controls(th) {
			if strings.Contains(c, tc.piece) {
				hits = append(hits, c)
			}
		}
		if len(hits) != tc.want {
			t.Errorf("%q: %d mitigations, want %d: %q", tc.piece, len(hits), tc.want, controls(th))
			continue
		}
		if tc.names != "" && !strings.Contains(hits[0], tc.names) {
			t.Errorf("%q: %q does not name %q", tc.piece, hits[0], tc.names)
		}
		if strings.Contains(tc.piece, "URLs") && strings.Contains(hits[0], "Patients DB") {
			t.Errorf("URL advice names a database hop: %q", hits[0])
		}
	}
	// The static key is scoped with the provider's own control.
	d = mini(t, famBounds, famComps, []string{"svc>psp:HTTPS, API key (card data)"})
	r = analyze(t, d, Options{})
	th = oneThreat(t, r, "I-PRC-02", "Orders Service")
	if !slices.ContainsFunc(controls(th), func(c string) bool { return strings.Contains(c, "(Stripe: restricted API keys per service)") }) {
		t.Errorf("I-PRC-02 does not name Stripe's restricted keys: %q", controls(th))
	}
}

// A mitigation's condition is compiled with the rule: a bad one is an
// error naming the rule and the mitigation.
func TestMitigationWhenErrors(t *testing.T) {
	for _, tc := range []struct{ when, want string }{
		{`NoSuchField`, "rule X-1: mitigation 1: when:"},
		{`Protocol`, "rule X-1: mitigation 1: when:"},
	} {
		src := `rules:
  - id: X-1
    category: Spoofing
    applies_to: [process]
    when: 'true'
    likelihood: 3
    impact: 3
    title: t
    description: d
    mitigations:
      - control: c
        type: Preventive
        when: '` + tc.when + `'
`
		_, err := ParseRules("x.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("when %q: error %v, want %q", tc.when, err, tc.want)
		}
	}
}

// The article follows the sound, not the letter.
func TestArticle(t *testing.T) {
	for noun, want := range map[string]string{"administrator": "an", "user": "a", "end user": "an", "auditor": "an",
		"operator": "an", "patient": "a", "unit manager": "a", "engineer": "an", "": "a"} {
		if got := article(noun); got != want {
			t.Errorf("article(%q) = %q, want %q", noun, got, want)
		}
	}
}

// {{.Hardening}} prints every concern's controls.
func TestHardeningString(t *testing.T) {
	h := Hardening{Transport: "Redis: TLS on tls-port", Auth: "Redis: ACL users per service"}
	if got, want := h.String(), "Redis: TLS on tls-port; Redis: ACL users per service"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if (Hardening{}).String() != "" {
		t.Error("empty Hardening renders text")
	}
}
