package stride

import (
	"strings"
	"testing"
)

// The catalog names what a component is, decides the kind of an unlabelled
// icon, and says what the analysis shows per component: technology, role,
// zone, trust and inferred data, each with its reason.
func TestTechnologyInReport(t *testing.T) {
	d := mini(t, []string{"vpc:Production VPC:"},
		[]string{"u:Customer:actor:", "dns::mxgraph.aws4.route_53:", "api:Orders API::vpc", "cache:Session Store (Redis)::vpc", "a:Admin Console::"},
		[]string{"u>dns:DNS", "u>api:HTTPS", "api>cache:Redis", "a>api:HTTPS"})
	r := analyze(t, d, Options{})
	got := map[string]Component{}
	for _, c := range r.Components {
		got[c.ID] = c
	}
	if c := got["dns"]; c.Technology != "Amazon Route 53" || !strings.Contains(c.KindReason, "Amazon Route 53") || c.Zone != "provider-managed services" {
		t.Errorf("route 53 icon: %+v", c)
	}
	if c := got["cache"]; c.Technology != "Redis" || c.Role != "cache" || !strings.Contains(c.TechnologyReason, "redis") && !strings.Contains(c.TechnologyReason, "Redis") {
		t.Errorf("redis: %+v", c)
	}
	if c := got["a"]; c.Kind != "external" || c.Role != "administrator" || c.RoleReason != "label names an administrator" {
		t.Errorf("admin console: %+v", c)
	}
	if c := got["api"]; c.ZoneReason != `drawn inside "Production VPC"` {
		t.Errorf("api zone reason %q", c.ZoneReason)
	}
	for _, c := range r.Components {
		if c.KindReason == "" || c.ZoneReason == "" {
			t.Errorf("%s: kind or zone without a reason: %+v", c.ID, c)
		}
	}
}

// Threat text names people as people: an administrator's console is the
// administrator's device, and the account is privileged.
func TestThreatTextNamesThePerson(t *testing.T) {
	d := mini(t, []string{"vpc:Production VPC:"},
		[]string{"a:Admin Console::", "api:Orders API::vpc"}, []string{"a>api:HTTPS"})
	r := analyze(t, d, Options{})
	th := oneThreat(t, r, "S-EXT-01", "Orders API")
	if !strings.Contains(th.Title, "signs in as an administrator through Admin Console to Orders API") {
		t.Errorf("title %q", th.Title)
	}
	if th.Scoring.Asset != 5 || !strings.Contains(th.Scoring.AssetReason, "an administrator's account") {
		t.Errorf("asset %d: %q", th.Scoring.Asset, th.Scoring.AssetReason)
	}
}
