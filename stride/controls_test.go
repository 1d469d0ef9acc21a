package stride

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestPlanControls(t *testing.T) {
	mfa := Mitigation{Control: "Enforce MFA", Type: "Preventive", Effort: "S", Priority: "P2"}
	threats := []Threat{
		{ID: "T-001", ResidualRisk: SeverityCritical, Mitigations: []Mitigation{
			{Control: "Split the network", Type: "Preventive", Effort: "L", Priority: "P1"},
			{Control: "Enforce MFA", Type: "Preventive", Effort: "S", Priority: "P1"},
		}},
		{ID: "T-002", ResidualRisk: SeverityMedium, Mitigations: []Mitigation{mfa, {Control: "Log reads", Type: "Detective", Effort: "M", Priority: "P3"}}},
	}
	got := PlanControls(threats)
	var names []string
	for _, c := range got {
		names = append(names, c.Control+"|"+c.Priority+"|"+c.Roadmap+"|"+string(c.Risk))
	}
	want := []string{
		"Enforce MFA|P1|Quick win|Critical",
		"Split the network|P1|architectural change|Critical",
		"Log reads|P3|planned|Medium",
	}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("plan = %q, want %q", names, want)
	}
	if !reflect.DeepEqual(got[0].Threats, []string{"T-001", "T-002"}) {
		t.Errorf("MFA threats = %v", got[0].Threats)
	}
}

// creditOn returns the credited control c of the threat of rule on the
// element named name; ok is false when the threat does not credit it.
func creditOn(t *testing.T, r *Report, rule, name, c string) (CreditedControl, Threat, bool) {
	t.Helper()
	th := oneThreat(t, r, rule, name)
	for _, x := range th.Controls {
		if x.Control == c {
			return x, th, true
		}
	}
	return CreditedControl{}, th, false
}

// TestCatalogCredits checks each scope of a technology's built-in controls
// (catalog.Provided.To) on a small diagram: TF-M drawn as a box with a
// secure partition inside, called by a non-secure application.
func TestCatalogCredits(t *testing.T) {
	d := mini(t, []string{"tfm:TF-M:"}, []string{"tfm:TF-M::", "sp:Secure Partition::tfm", "app:NS App::"},
		[]string{"app>tfm:PSA call", "sp>app:result", "tfm>app:return code"})
	r := analyze(t, d, Options{})
	tests := []struct {
		rule, element, control string
		status                 string
	}{
		// self: the requests made to TF-M, and TF-M's own threats.
		{"I-FLW-01", "NS App → TF-M", "hardware-isolation", StatusMitigated},
		{"S-BASE-PRC", "TF-M", "authentication", StatusPartial},
		// outbound: what TF-M returns.
		{"I-FLW-01", "TF-M → NS App", "hardware-isolation", StatusMitigated},
		// contained: the partition TF-M runs, and what it sends.
		{"T-BASE-PRC", "Secure Partition", "hardware-isolation", StatusMitigated},
		{"T-BASE-FLW", "Secure Partition → NS App", "hardware-isolation", StatusMitigated},
		// a one-point credit leaves the threat Partial.
		{"E-BASE-PRC", "Secure Partition", "hardware-isolation", StatusPartial},
	}
	for _, tc := range tests {
		c, th, ok := creditOn(t, r, tc.rule, tc.element, tc.control)
		if !ok {
			t.Errorf("%s on %s: controls %+v, want %s", tc.rule, tc.element, th.Controls, tc.control)
			continue
		}
		if th.Status != tc.status {
			t.Errorf("%s on %s: status %s, want %s", tc.rule, tc.element, th.Status, tc.status)
		}
		if th.Status == StatusMitigated && (th.ResidualRisk != SeverityLow || th.ResidualLikelihood != 1) {
			t.Errorf("%s on %s: Mitigated with residual %s (likelihood %d), want Low (1)", tc.rule, tc.element, th.ResidualRisk, th.ResidualLikelihood)
		}
		if !strings.HasPrefix(c.Source, "catalog: Trusted Firmware-M provides "+tc.control+": ") {
			t.Errorf("%s on %s: source %q", tc.rule, tc.element, c.Source)
		}
	}
	// The non-secure application is neither TF-M nor inside it.
	for _, th := range threatsBy(r, "", "NS App") {
		if th.Element.Type == "component" && len(th.Controls) > 0 {
			t.Errorf("%s on NS App credits %+v", th.Rule, th.Controls)
		}
	}
}

// TestCatalogCreditsLimits: a control a technology is for others is never
// credited on itself; an outbound credit reaches only the flows its
// toward and carrying allow; callers' authentication credits spoofing of
// a process, never of an external entity.
func TestCatalogCreditsLimits(t *testing.T) {
	d := mini(t, nil, []string{"user:Customer:actor:", "waf:Cloudflare WAF::", "app:Shop API::",
		"karp:Karpenter::", "ec2:Amazon EC2::", "k8s:Kubernetes API::",
		"okta:Okta::", "psp:Stripe::"},
		[]string{"user>waf:HTTPS", "waf>app:HTTPS", "karp>ec2:CreateFleet()", "karp>k8s:Watch pods",
			"okta>app:ID token", "okta>app:SCIM provisioning", "app>psp:HTTPS, API key", "psp>app:Webhook HTTPS"})
	r := analyze(t, d, Options{})
	for _, th := range r.Threats {
		if th.Element.ID != "waf" || th.Element.Type != "component" {
			continue
		}
		for _, c := range th.ExistingControls {
			if c == "waf" || c == "ddos-protection" {
				t.Errorf("%s on Cloudflare WAF credits its own %s", th.Rule, c)
			}
		}
	}
	flowControls := map[string][]string{}
	for _, f := range r.Flows {
		flowControls[f.ID] = f.Controls
	}
	has := func(cs []string, c string) bool { return slices.Contains(cs, c) }
	for _, f := range r.Flows {
		src, dst := f.Source, f.Target
		switch {
		case src == "karp" && dst == "ec2":
			if !has(f.Controls, "iam") || !has(f.Controls, "least-privilege") {
				t.Errorf("Karpenter → EC2 controls %v, want iam and least-privilege (toward aws)", f.Controls)
			}
		case src == "karp" && dst == "k8s":
			if has(f.Controls, "iam") {
				t.Errorf("Karpenter → Kubernetes API controls %v: its IAM role signs only AWS calls", f.Controls)
			}
		case src == "okta" && f.Label == "ID token":
			if !has(f.Controls, "signed-messages") {
				t.Errorf("Okta → Shop API (ID token) controls %v, want signed-messages", f.Controls)
			}
		case src == "okta":
			if has(f.Controls, "signed-messages") {
				t.Errorf("Okta → Shop API (%s) controls %v: token signing says nothing of provisioning", f.Label, f.Controls)
			}
		}
	}
	// Every caller of EC2 signs with IAM: EC2 can tell them from impostors.
	c, th, ok := creditOn(t, r, "S-BASE-PRC", "Amazon EC2", "iam")
	if !ok || th.Status != StatusMitigated || !strings.Contains(c.Source, "every flow into Amazon EC2 authenticates its caller") {
		t.Errorf("S-BASE-PRC on Amazon EC2: status %s controls %+v", th.Status, th.Controls)
	}
	// Stripe's callers present an API key; that does not stop anyone
	// posing as Stripe.
	if _, th, ok := creditOn(t, r, "S-EXT-02", "Shop API", "api-key"); ok {
		t.Errorf("S-EXT-02 on Stripe credits the API key its callers present: %+v", th.Controls)
	}
}

// TestDiagramControlsListed: a threat the diagram's controls mitigate is
// listed, with the control, its effect and its source, never dropped:
// TLS and mTLS on a flow, MFA on an account, a CDN or WAF in front.
func TestDiagramControlsListed(t *testing.T) {
	bounds := []string{"dmz:DMZ:", "app:App Tier:"}
	comps := []string{"user:Customer:actor:", "cdn:CDN::dmz", "waf:WAF::dmz", "web:Web App::app", "svc:Orders Service::app",
		"db:Orders DB:cylinder:app"}
	flows := []string{"user>cdn:HTTPS", "cdn>waf:HTTPS", "waf>web:HTTPS", "web>svc:gRPC mTLS", "svc>db:SQL"}
	cfg := &Config{Components: map[string]ComponentConfig{"Customer": {Controls: []string{"mfa"}}}}
	r := analyze(t, mini(t, bounds, comps, flows), Options{Config: cfg})
	tests := []struct {
		rule, element, control, status, source string
	}{
		{"T-BASE-FLW", "Customer → CDN", "tls", StatusMitigated, "diagram: Customer → CDN: encrypted"},
		{"S-BASE-PRC", "Orders Service", "mtls", StatusMitigated, "diagram: every flow into Orders Service authenticates its caller: Mutual TLS"},
		{"S-EXT-01", "CDN", "mfa", StatusMitigated, "configuration: Customer: listed in the configuration file"},
		// A WAF in front lowers the likelihood of injection by one: Partial.
		{"T-INT-01", "Orders Service → Orders DB", "waf", StatusPartial, "diagram: Orders Service: behind WAF"},
	}
	for _, tc := range tests {
		c, th, ok := creditOn(t, r, tc.rule, tc.element, tc.control)
		if !ok {
			t.Errorf("%s on %s: controls %+v, want %s", tc.rule, tc.element, th.Controls, tc.control)
			continue
		}
		if th.Status != tc.status || (tc.status == StatusMitigated && th.ResidualRisk != SeverityLow) {
			t.Errorf("%s on %s: %s with residual %s, want %s", tc.rule, tc.element, th.Status, th.ResidualRisk, tc.status)
		}
		if !strings.HasPrefix(c.Source, tc.source) || c.Effect == "" {
			t.Errorf("%s on %s: %s effect %q source %q, want source %q…", tc.rule, tc.element, tc.control, c.Effect, c.Source, tc.source)
		}
	}
	// The WAF and the CDN protect what sits behind them, not themselves.
	for _, name := range []string{"WAF", "CDN"} {
		for _, th := range threatsBy(r, "", name) {
			if th.Element.Type != "component" {
				continue
			}
			for _, c := range th.ExistingControls {
				if c == "waf" || c == "cdn" {
					t.Errorf("%s on %s credits %s", th.Rule, name, c)
				}
			}
		}
	}
}

// TestWorldSwitchCredits: the rules on the switch between isolation
// partitions (E-ISO-01, I-ISO-03, D-ISO-01) fire on every process of a
// partition a less trusted one calls into, drawn flow or not, and are
// Mitigated only where a technology that handles the switch runs the
// process: a partition inside Trusted Firmware-M is, a secure service
// beside it is not.
func TestWorldSwitchCredits(t *testing.T) {
	bounds := []string{"nspe:NSPE:", "spe:SPE:", "tfm:TF-M:spe"}
	comps := []string{"app:Sensor App::nspe", "tfm:TF-M::spe", "ks:Crypto Partition::tfm", "gen:Secure Logger::spe"}
	r := analyze(t, mini(t, bounds, comps, []string{"app>tfm:PSA call", "ks>app:result"}), Options{})
	for _, rule := range []string{"E-ISO-01", "I-ISO-03", "D-ISO-01"} {
		c, th, ok := creditOn(t, r, rule, "Crypto Partition", "hardware-isolation")
		if !ok || th.Status != StatusMitigated || th.ResidualRisk != SeverityLow {
			t.Errorf("%s on Crypto Partition: %s, residual %s, controls %+v; want Mitigated by hardware-isolation", rule, th.Status, th.ResidualRisk, th.Controls)
		} else if !strings.HasPrefix(c.Source, "catalog: Trusted Firmware-M provides hardware-isolation: ") {
			t.Errorf("%s on Crypto Partition: source %q", rule, c.Source)
		}
		if th := oneThreat(t, r, rule, "Secure Logger"); th.Status != StatusUnmitigated || len(th.Controls) != 0 {
			t.Errorf("%s on Secure Logger (no secure firmware runs it): %s with %+v, want Unmitigated", rule, th.Status, th.Controls)
		}
		if ts := threatsBy(r, rule, "Sensor App"); len(ts) != 0 {
			t.Errorf("%s fires on Sensor App, the less trusted side", rule)
		}
	}
	// Only the secure side answering: nothing enters SPE, nothing fires.
	r = analyze(t, mini(t, bounds, comps, []string{"ks>app:result"}), Options{})
	for _, rule := range []string{"E-ISO-01", "I-ISO-03", "D-ISO-01"} {
		if ts := threatsBy(r, rule, ""); len(ts) != 0 {
			t.Errorf("%s fires although no flow enters SPE: %d threats", rule, len(ts))
		}
	}
}

// TestCallerRoleScope: E-CLD-03 raises the misuse of a caller's cloud role
// on the provider API it calls, and credits a scoped role only when every
// caller's flow carries one: Karpenter's tag-scoped controller policy
// mitigates it; one caller with an unscoped role (Cluster API Provider
// AWS) leaves it open; people signing in are not workloads' roles.
func TestCallerRoleScope(t *testing.T) {
	comps := []string{"karp:Karpenter::", "capa:Cluster API Provider AWS::", "ec2:Amazon EC2::", "ops:Cluster Operator:actor:"}
	r := analyze(t, mini(t, nil, comps, []string{"karp>ec2:CreateFleet()"}), Options{})
	c, th, ok := creditOn(t, r, "E-CLD-03", "Amazon EC2", "least-privilege")
	if !ok || th.Status != StatusMitigated || th.ResidualRisk != SeverityLow {
		t.Fatalf("E-CLD-03 on Amazon EC2: %s, controls %+v; want Mitigated by least-privilege", th.Status, th.Controls)
	}
	if !strings.HasPrefix(c.Source, "diagram: every flow into Amazon EC2 carries Least privilege (Karpenter → Amazon EC2: catalog: Karpenter provides least-privilege: ") {
		t.Errorf("E-CLD-03 source %q", c.Source)
	}
	r = analyze(t, mini(t, nil, comps, []string{"karp>ec2:CreateFleet()", "capa>ec2:RunInstances"}), Options{})
	if th := oneThreat(t, r, "E-CLD-03", "Amazon EC2"); th.Status != StatusUnmitigated {
		t.Errorf("E-CLD-03 with an unscoped caller: %s with %+v, want Unmitigated", th.Status, th.Controls)
	}
	r = analyze(t, mini(t, nil, comps, []string{"ops>ec2:console, IAM"}), Options{})
	if ts := threatsBy(r, "E-CLD-03", ""); len(ts) != 0 {
		t.Errorf("E-CLD-03 fires on a person's calls: %s", ts[0].Title)
	}
}

// TestProviderAPIFlood: a request flood from the internet cannot take a
// provider's own IAM endpoint down for one customer (AWS absorbs floods
// at its endpoints and throttles each calling account), so the threat is
// listed Mitigated with the catalog as its source; the customer's own API
// beside it, drawn the same way, keeps it Unmitigated.
func TestProviderAPIFlood(t *testing.T) {
	d := mini(t, nil, []string{"ops:Cluster Operator:actor:", "iam:AWS IAM::", "api:Orders API::"},
		[]string{"ops>iam:Create roles", "ops>api:HTTPS"})
	r := analyze(t, d, Options{})
	c, th, ok := creditOn(t, r, "D-PRC-01", "AWS IAM", "ddos-protection")
	if !ok || th.Status != StatusMitigated || th.ResidualRisk != SeverityLow {
		t.Fatalf("D-PRC-01 on AWS IAM: status %s residual %s controls %+v, want Mitigated, Low, ddos-protection", th.Status, th.ResidualRisk, th.Controls)
	}
	if !strings.HasPrefix(c.Source, "catalog: AWS IAM provides ddos-protection: ") {
		t.Errorf("source %q, want the catalog's", c.Source)
	}
	if th := oneThreat(t, r, "D-PRC-01", "Orders API"); th.Status != StatusUnmitigated {
		t.Errorf("D-PRC-01 on Orders API: status %s controls %+v, want Unmitigated", th.Status, th.Controls)
	}
}

// TestMitigatedIf: a threat the diagram does not mitigate names the
// controls that would each close it (Threat.MitigatedIf); stating one of
// them in threatmap.yaml makes the threat Mitigated and the list empty.
func TestMitigatedIf(t *testing.T) {
	comps := []string{"user:Customer:actor:", "api:Orders API::", "db:Orders DB:cylinder:"}
	flows := []string{"user>api:HTTPS", "api>db:SQL"}
	r := analyze(t, mini(t, nil, comps, flows), Options{})
	th := oneThreat(t, r, "T-INT-01", "Orders API → Orders DB")
	if th.Status == StatusMitigated || !slices.Contains(th.MitigatedIf, "parameterized-queries") {
		t.Fatalf("T-INT-01: status %s, mitigated_if %v, want parameterized-queries listed", th.Status, th.MitigatedIf)
	}
	if slices.Contains(th.MitigatedIf, "hardware-isolation") || slices.Contains(th.MitigatedIf, "network-isolation") {
		t.Errorf("T-INT-01 mitigated_if %v lists isolation", th.MitigatedIf)
	}
	// I-FLW-01 on a web flow: TLS would close it, hardware isolation is no
	// control for a web service.
	for _, x := range r.Threats {
		if slices.Contains(x.MitigatedIf, "hardware-isolation") {
			t.Errorf("%s on %s lists hardware-isolation outside any isolation partition", x.Rule, x.ElementName)
		}
		if x.Status == StatusMitigated && len(x.MitigatedIf) > 0 {
			t.Errorf("%s on %s is Mitigated and still lists %v", x.Rule, x.ElementName, x.MitigatedIf)
		}
	}
	cfg, err := ParseConfig("threatmap.yaml", []byte("flows:\n  Orders API -> Orders DB: {controls: [parameterized-queries]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	r = analyze(t, mini(t, nil, comps, flows), Options{Config: cfg})
	th = oneThreat(t, r, "T-INT-01", "Orders API → Orders DB")
	if th.Status != StatusMitigated || th.ResidualRisk != SeverityLow || len(th.MitigatedIf) != 0 {
		t.Errorf("with the control stated: status %s residual %s mitigated_if %v, want Mitigated, Low, none", th.Status, th.ResidualRisk, th.MitigatedIf)
	}
}
