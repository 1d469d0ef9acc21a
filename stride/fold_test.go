package stride

import (
	"slices"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// One rule on sibling elements is one threat whatever each element's
// controls leave: it is rated as the member most at risk, and a member
// rated apart keeps its own rating in Members (and Views).
func TestFoldAcrossOutcomes(t *testing.T) {
	flows := []string{"user>gw:HTTPS", "gw>svc:HTTPS, JWT", "svc>db:SQL (PII)", "worker>db:SQL over TLS (PII)"}
	r := analyze(t, mini(t, famBounds, famComps, flows), Options{})
	var th *Threat
	for i := range r.Threats {
		x := &r.Threats[i]
		if x.Rule == "I-FLW-01" && slices.Contains(memberNames(r, *x), "Mailer Worker → Orders DB") {
			th = x
		}
	}
	if th == nil {
		t.Fatalf("no I-FLW-01 threat lists Mailer Worker → Orders DB")
	}
	names := memberNames(r, *th)
	if !slices.Contains(names, "Orders Service → Orders DB") {
		t.Fatalf("I-FLW-01 on the TLS hop not folded with the clear one: %v", names)
	}
	// The clear hop is only partly mitigated (the data tier is in an
	// isolated network): the folded threat is rated as it.
	if th.Status != StatusPartial {
		t.Errorf("folded threat %s, want the clear hop's Partial", th.Status)
	}
	var tls *Member
	for i, m := range th.Members {
		if strings.Contains(m.ElementName, "Mailer Worker") {
			tls = &th.Members[i]
		}
	}
	if tls == nil || tls.Status != StatusMitigated || !slices.Contains(tls.ExistingControls, "tls") {
		t.Fatalf("the TLS hop's own rating is not kept: %+v", th.Members)
	}
	if !strings.Contains(th.Description, "Rated apart") {
		t.Errorf("description does not name the member rated apart: %q", th.Description)
	}
	// The TLS mitigation names the hop that needs it, not the one that
	// already has TLS; a mitigation no member shows names both.
	var encrypt, logs string
	for _, m := range th.Mitigations {
		switch {
		case strings.HasPrefix(m.Control, "Encrypt "):
			encrypt = m.Control
		case strings.Contains(m.Control, "logs"):
			logs = m.Control
		}
	}
	if !strings.Contains(encrypt, "Orders Service → Orders DB") || strings.Contains(encrypt, "Mailer Worker") {
		t.Errorf("TLS mitigation %q, want it on Orders Service → Orders DB only", encrypt)
	}
	if !strings.Contains(logs, "Orders Service → Orders DB") || !strings.Contains(logs, "Mailer Worker → Orders DB") {
		t.Errorf("log mitigation %q, want both hops", logs)
	}
	// Views give each element its own rating; the clear hop the threat's.
	for _, v := range th.Views() {
		name := r.Index().ElementName(v.Element)
		switch {
		case strings.Contains(name, "Mailer Worker"):
			if v.Threat.Status != tls.Status {
				t.Errorf("view of %s: %s, want %s", name, v.Threat.Status, tls.Status)
			}
		case name == "Orders Service → Orders DB":
			if v.Threat.Status != StatusPartial {
				t.Errorf("view of %s: %s", name, v.Threat.Status)
			}
		}
	}
	checkThreatList(t, r)
}

// Threats of different rules that raise one concern on the same element
// are one threat, keyed by the concern's first rule, with every rule's own
// rating in Members; Unfolded keeps them apart.
func TestConcernFoldsAcrossRules(t *testing.T) {
	comps := []string{"user:Customer:actor:inet", "idp:Keycloak::dmz", "svc:Orders Service::app"}
	flows := []string{"user>idp:HTTPS login (credentials)", "user>svc:HTTPS, JWT", "idp>svc:OIDC token"}
	d := mini(t, famBounds, comps, flows)
	apart := analyze(t, d, Options{Unfolded: true})
	if len(threatsBy(apart, "S-EXT-01", "Keycloak")) != 1 || len(threatsBy(apart, "S-IDP-02", "Keycloak")) != 1 {
		t.Fatalf("unfolded: want S-EXT-01 and S-IDP-02 on Keycloak; %v", ruleList(apart))
	}
	r := analyze(t, mini(t, famBounds, comps, flows), Options{})
	var th *Threat
	for i := range r.Threats {
		if r.Threats[i].Rule == "S-IDP-02" {
			t.Errorf("S-IDP-02 stands apart: %q", r.Threats[i].Title)
		}
		if r.Threats[i].Rule == "S-EXT-01" {
			th = &r.Threats[i]
		}
	}
	if th == nil {
		t.Fatalf("no S-EXT-01: %v", ruleList(r))
	}
	rules := map[string]bool{}
	for _, m := range th.Members {
		rules[m.Rule] = true
	}
	if !rules["S-EXT-01"] || !rules["S-IDP-02"] {
		t.Errorf("members %+v, want S-EXT-01's and S-IDP-02's ratings", th.Members)
	}
	if th.Fingerprint != ThreatFingerprint("S-EXT-01", "component:idp") {
		t.Errorf("identity %+v: want S-EXT-01's on Keycloak", th.Identity)
	}
	// The test helper finds each rule as rated on its element.
	if ts := threatsBy(r, "S-IDP-02", "Keycloak"); len(ts) != 1 || ts[0].Rule != "S-IDP-02" {
		t.Errorf("S-IDP-02 on Keycloak as a view: %+v", ts)
	}
	checkThreatList(t, r)
}

// Threats of one concern fold only where they touch: an element in
// common, a flow ending at the other's component, or a model-level threat.
func TestConcernTouches(t *testing.T) {
	cand := func(rule string, el ElementRef) *threatCand {
		return &threatCand{t: Threat{Rule: rule, Element: el}}
	}
	a := cand("D-PRC-01", ElementRef{Type: "component", ID: "a"})
	b := cand("D-PRC-04", ElementRef{Type: "component", ID: "b"})
	a2 := cand("D-PRC-04", ElementRef{Type: "component", ID: "a"})
	sys := cand("R-SYS-04", ElementRef{Type: AppliesSystem})
	ab := cand("D-PRC-04", ElementRef{Type: "flow", ID: "ab"})
	ab.flow = &flowInfo{dst: &compInfo{c: &graph.Component{ID: "b"}}}
	ab.t.Elements = []ElementRef{{Type: "flow", ID: "ab"}}
	c := cand("D-PRC-01", ElementRef{Type: "component", ID: "c"})
	for _, tt := range []struct {
		xs   []*threatCand
		want []int
	}{
		{[]*threatCand{a, b}, []int{0, 1}},
		{[]*threatCand{a, a2}, []int{0, 0}},
		{[]*threatCand{sys, b}, []int{0, 0}},
		{[]*threatCand{b, c, sys}, []int{0, 0, 0}},
		// A flow touches the component it ends at.
		{[]*threatCand{a, ab, b, c}, []int{0, 1, 1, 3}},
		// Elements in common only: a flow of no known end touches itself.
		{[]*threatCand{b, a, c, cand("D-PRC-04", ElementRef{Type: "flow", ID: "x"})}, []int{0, 1, 2, 3}},
	} {
		if got := touchSets(tt.xs); !slices.Equal(got, tt.want) {
			var names []string
			for _, x := range tt.xs {
				names = append(names, x.t.Rule+" on "+x.t.Element.ID)
			}
			t.Errorf("touchSets(%v) = %v, want %v", names, got, tt.want)
		}
	}
	chain := cand("D-PRC-04", ElementRef{Type: "component", ID: "a"})
	chain.t.Elements = []ElementRef{{Type: "component", ID: "a"}, {Type: "component", ID: "c"}}
	// Through others: a threat on a and c joins a to c's set.
	if got := touchSets([]*threatCand{b, c, ab, a, chain}); !slices.Equal(got, []int{0, 1, 0, 1, 1}) {
		t.Errorf("touchSets through a threat on two elements = %v, want [0 1 0 1 1]", got)
	}
	if got := touchSets([]*threatCand{a, c, b, chain}); !slices.Equal(got, []int{0, 0, 2, 0}) {
		t.Errorf("touchSets joining two earlier threats = %v, want [0 0 2 0]", got)
	}
	// Every rule of a concern is a known rule.
	known := map[string]bool{}
	for _, r := range DefaultRules() {
		known[r.ID] = true
	}
	for _, c := range concerns {
		for _, id := range c {
			if !known[id] {
				t.Errorf("concern %v names unknown rule %s", c, id)
			}
		}
	}
}

// Components of a kind that take requests straight from the internet are
// siblings whatever zone they are drawn in.
func TestInternetFacingSiblings(t *testing.T) {
	flows := []string{"user>gw:HTTPS", "user>svc:HTTPS", "gw>svc:HTTPS, JWT"}
	r := analyze(t, mini(t, famBounds, famComps, flows), Options{})
	ts := threatsBy(r, "D-PRC-01", "")
	if len(ts) != 1 {
		t.Fatalf("D-PRC-01: %d threats, want one for API Gateway (DMZ) and Orders Service (App Tier)", len(ts))
	}
	got := memberNames(r, ts[0])
	slices.Sort(got)
	if !slices.Equal(got, []string{"API Gateway", "Orders Service"}) {
		t.Errorf("D-PRC-01 lists %v", got)
	}
	if ts[0].Identity.Element != "group:process@internet" {
		t.Errorf("identity %+v", ts[0].Identity)
	}
}

// A generic name is read as the product of the diagram's one cloud: "IAM"
// next to EC2 is AWS IAM; alone, or next to two clouds, it stays generic.
func TestCloudReading(t *testing.T) {
	tech := func(labels ...string) string {
		var cs []*graph.Component
		for i, l := range labels {
			cs = append(cs, &graph.Component{ID: string(rune('a' + i)), Label: l})
		}
		m := cloudTechs(cs)
		if m[0].tech == nil {
			return ""
		}
		return m[0].tech.Name
	}
	for _, c := range []struct {
		labels []string
		want   string
	}{
		{[]string{"IAM", "EC2"}, "AWS IAM"},
		{[]string{"IAM"}, "Identity provider"},
		{[]string{"IAM", "EC2", "Azure Functions"}, "Identity provider"},
		{[]string{"Auth Service", "EC2"}, "Identity provider"},
	} {
		if got := tech(c.labels...); got != c.want {
			t.Errorf("%q: %q, want %q", c.labels, got, c.want)
		}
	}
}

// ruleList names the rules and elements of r's threats, for messages.
func ruleList(r *Report) []string {
	var out []string
	for _, th := range r.Threats {
		out = append(out, th.Rule+" on "+th.ElementName)
	}
	return out
}
