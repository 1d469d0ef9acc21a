package stride

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The scoring factors: asset × exposure × skill (and the rule's weight and
// the authentication on the path) give likelihood, impact and band.
func TestScoreBaseFactors(t *testing.T) {
	crown := asset{value: assetCrown, reason: "holds PHI", regulated: true}
	ordinary := asset{value: assetOrdinary, reason: "own software"}
	gate := asset{value: assetOrdinary, reason: "gateway", availability: true}
	minor := asset{value: assetMinor, reason: "outside party"}
	internet := exposure{reach: reachInternet, content: reachInternet}
	internal := exposure{reach: reachInternal, content: reachInternal}
	behindEdge := exposure{reach: reachInternal, content: reachPartner}
	restricted := exposure{reach: reachRestricted, content: reachRestricted}
	strongPath := exposure{reach: reachInternet, content: reachInternet, auth: -1, authWhy: "every caller must present mTLS (-1)"}
	rule := func(cat string, l, im, skill int, credits ...string) *Rule {
		r := &Rule{Stride: cat, Category: Category(cat), Likelihood: l, Impact: im, Skill: skill, MitigatedBy: map[string]int{}}
		for _, c := range credits {
			r.MitigatedBy[c] = 2
		}
		return r
	}
	for _, tc := range []struct {
		name    string
		r       *Rule
		element string
		v       asset
		x       exposure
		l, im   int
		band    Severity
	}{
		{"trivial attack from the internet on PHI", rule("I", 3, 4, 5), AppliesProcess, crown, internet, 5, 5, SeverityCritical},
		{"spoofing from the internet, default skill 4", rule("S", 3, 4, 0), AppliesProcess, crown, internet, 4, 5, SeverityCritical},
		{"internal tampering of own software", rule("T", 3, 4, 0), AppliesProcess, ordinary, internal, 3, 3, SeverityMedium},
		{"elevation in a restricted zone, outside party's data", rule("E", 3, 4, 0), AppliesProcess, minor, restricted, 2, 2, SeverityLow},
		{"nation-state attack, minor concern", rule("T", 2, 2, 1), AppliesProcess, ordinary, internal, 1, 1, SeverityLow},
		{"strong authentication on every path lowers likelihood", rule("T", 3, 4, 0), AppliesProcess, crown, strongPath, 3, 5, SeverityHigh},
		{"unless the rule credits authentication itself", rule("T", 3, 4, 0, "mtls"), AppliesProcess, crown, strongPath, 4, 5, SeverityCritical},
		{"repudiation: reach counts as internal, regulated asset 4", rule("R", 3, 4, 0), AppliesExternal, crown, internet, 3, 4, SeverityHigh},
		{"repudiation of ordinary actions caps at 3", rule("R", 3, 4, 0), AppliesProcess, ordinary, internet, 3, 3, SeverityMedium},
		{"denial counts the outage, not the data", rule("D", 3, 4, 0), AppliesProcess, crown, internet, 4, 3, SeverityHigh},
		{"denial of what everything waits on", rule("D", 3, 4, 0), AppliesProcess, gate, internet, 4, 4, SeverityHigh},
		{"content threats ride on untrusted input behind the edge", rule("T", 3, 4, 0), AppliesProcess, ordinary, behindEdge, 3, 3, SeverityMedium},
		{"an impostor needs the network position", rule("S", 3, 4, 0), AppliesProcess, ordinary, behindEdge, 3, 3, SeverityMedium},
		{"transit threats need the network position", rule("I", 3, 4, 5), AppliesFlow, ordinary, behindEdge, 4, 3, SeverityHigh},
		{"a credential does not keep an eavesdropper off the path", rule("I", 3, 4, 0), AppliesFlow, crown, strongPath, 4, 5, SeverityCritical},
		{"interaction threats ride on input", rule("I", 3, 4, 5), AppliesInteraction, ordinary, behindEdge, 4, 3, SeverityHigh},
		{"the rule's weight moves both", rule("T", 5, 5, 0), AppliesProcess, ordinary, internal, 5, 4, SeverityCritical},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, im, sc := scoreBase(tc.r, tc.element, tc.v, tc.x)
			l, im = clamp(l), clamp(im)
			if l != tc.l || im != tc.im || Band(l*im) != tc.band {
				t.Errorf("L %d I %d %s, want L %d I %d %s; scoring %+v", l, im, Band(l*im), tc.l, tc.im, tc.band, sc)
			}
			if sc.AssetReason == "" || sc.ExposureReason == "" && tc.x.reason != "" || sc.SkillReason == "" {
				t.Errorf("reasons missing: %+v", sc)
			}
		})
	}
}

// Every threat says why it has its numbers, and the words add up.
func TestScoringRecordedOnThreats(t *testing.T) {
	r := analyze(t, mini(t, famBounds, famComps, []string{"user>gw:HTTPS", "gw>svc:HTTPS, JWT", "svc>db:SQL (PHI)"}), Options{})
	for _, th := range r.Threats {
		sc := th.Scoring
		if sc == nil {
			t.Fatalf("%s %s: no scoring", th.Rule, th.ElementName)
		}
		if sc.Asset < 1 || sc.Asset > 5 || sc.Exposure < 1 || sc.Exposure > 5 || sc.Skill < 1 || sc.Skill > 5 {
			t.Errorf("%s %s: factor out of range %+v", th.Rule, th.ElementName, sc)
		}
		if !strings.HasSuffix(sc.Likelihood, "→ "+strconv.Itoa(th.Likelihood)) || !strings.HasSuffix(sc.Impact, "→ "+strconv.Itoa(th.Impact)) {
			t.Errorf("%s %s: sums %q / %q do not end in L %d, I %d", th.Rule, th.ElementName, sc.Likelihood, sc.Impact, th.Likelihood, th.Impact)
		}
		if th.ResidualScore != th.ResidualLikelihood*th.ResidualImpact || th.ResidualImpact > th.Impact || th.ResidualLikelihood > th.Likelihood {
			t.Errorf("%s %s: residual L %d I %d score %d from L %d I %d", th.Rule, th.ElementName,
				th.ResidualLikelihood, th.ResidualImpact, th.ResidualScore, th.Likelihood, th.Impact)
		}
	}
	// The full range is used: this small system has Low and Critical.
	bands := map[Severity]bool{}
	for _, th := range r.Threats {
		bands[th.Severity] = true
	}
	if !bands[SeverityLow] || !bands[SeverityCritical] {
		t.Errorf("bands used: %v", bands)
	}
}

// A WAF, CDN or API gateway protects what sits behind it, never itself:
// its own threats are not Partial because of it.
func TestEdgeNeverCreditsItself(t *testing.T) {
	d := mini(t, famBounds, []string{
		"user:Customer:actor:inet", "waf:Web Application Firewall::dmz", "gw:API Gateway::dmz", "svc:Orders Service::app",
		"db:Orders DB:cylinder:data",
	}, []string{"user>waf:HTTPS", "waf>gw:HTTPS", "gw>svc:HTTPS, JWT", "svc>db:SQL (PII)"})
	r := analyze(t, d, Options{})
	edge := map[string]bool{"waf": true, "api-gateway": true, "cdn": true}
	own := map[string]string{"waf": "waf", "gw": "api-gateway"}
	for _, c := range r.Components {
		if ctl, ok := own[c.ID]; ok && contains(c.Controls, ctl) {
			t.Errorf("%s lists itself (%s) as its own control: %v", c.Label, ctl, c.Controls)
		}
		if c.ID == "svc" && !contains(c.Controls, "api-gateway") {
			t.Errorf("Orders Service behind the gateway: controls %v", c.Controls)
		}
	}
	n := 0
	for _, th := range r.Threats {
		for _, el := range threatElementsOf(th) {
			if el.Type != "component" || own[el.ID] == "" {
				continue
			}
			n++
			for _, c := range th.ExistingControls {
				if edge[c] && c == own[el.ID] {
					t.Errorf("%s on %s credited with its own %s (%s)", th.Rule, th.ElementName, c, th.Status)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no threats on the WAF or the gateway")
	}
	th := oneThreat(t, r, "D-PRC-01", "Web Application Firewall")
	if th.Status != "Unmitigated" {
		t.Errorf("request flood on the WAF: %s %v", th.Status, th.ExistingControls)
	}
}

func threatElementsOf(th Threat) []ElementRef {
	if len(th.Elements) > 0 {
		return th.Elements
	}
	return []ElementRef{th.Element}
}

// Network isolation partly mitigates the threats it limits (impostors,
// eavesdroppers on the path) and says so; not tampering or injection by
// whoever is already inside or sends input through the front.
func TestNetworkIsolationPartialCredit(t *testing.T) {
	flows := []string{"user>gw:HTTPS", "gw>svc:HTTPS, JWT", "svc>db:SQL (PII)", "svc>bucket:S3 API (PII)"}
	r := analyze(t, mini(t, famBounds, famComps, flows), Options{})
	for _, tc := range []struct {
		rule, element string
		credited      bool
	}{
		{"I-FLW-01", "Orders Service → Orders DB", true},
		{"S-INT-03", "Orders Service → Orders DB", true},
		{"T-INT-01", "Orders Service → Orders DB", false},
		{"I-PRC-01", "Orders Service", false},
	} {
		th := oneThreat(t, r, tc.rule, tc.element)
		got := contains(th.ExistingControls, "network-isolation")
		if got != tc.credited {
			t.Errorf("%s on %s: network isolation credited %v, want %v (%v)", tc.rule, tc.element, got, tc.credited, th.ExistingControls)
			continue
		}
		if !got {
			continue
		}
		if th.Status != "Partial" || th.ResidualLikelihood != max(1, th.Likelihood-1) {
			t.Errorf("%s on %s: %s, residual L %d from %d: isolation is worth one point, never Mitigated", tc.rule, tc.element, th.Status, th.ResidualLikelihood, th.Likelihood)
		}
		if !containsSub(th.Reasons, "Production VPC") || !containsSub(th.Reasons, "not an insider") {
			t.Errorf("%s: reasons do not say what isolation limits: %q", tc.rule, th.Reasons)
		}
	}
	// Outside any private network, nothing is credited.
	bare := analyze(t, mini(t, []string{"inet:Internet:", "app:App Tier:"}, []string{
		"user:Customer:actor:inet", "svc:Orders Service::app", "db:Orders DB:cylinder:app",
	}, []string{"user>svc:HTTPS", "svc>db:SQL (PII)"}), Options{})
	if th := oneThreat(t, bare, "I-FLW-01", "Orders Service → Orders DB"); contains(th.ExistingControls, "network-isolation") {
		t.Errorf("isolation credited without a private network: %v", th.ExistingControls)
	}
}

// A hop that shows its control lists the threat as Mitigated, names the
// control and leaves a Low residual with likelihood 1.
func TestMitigatedWithControlOnTLSHop(t *testing.T) {
	r := analyze(t, mini(t, famBounds, famComps, []string{"user>gw:HTTPS (PHI)", "gw>svc:HTTPS, JWT (PHI)"}), Options{})
	for _, name := range []string{"Customer → API Gateway", "API Gateway → Orders Service"} {
		th := oneThreat(t, r, "I-FLW-01", name)
		if th.Status != "Mitigated" || !contains(th.ExistingControls, "tls") || th.ResidualRisk != SeverityLow ||
			th.ResidualLikelihood != 1 || th.ResidualImpact != th.Impact || th.Severity == SeverityLow {
			t.Errorf("%s: %s %v, inherent %s, residual L %d I %d %s", name, th.Status, th.ExistingControls, th.Severity,
				th.ResidualLikelihood, th.ResidualImpact, th.ResidualRisk)
		}
	}
}

func containsSub(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// Credential stuffing on a sign-in behind a gateway and a WAF (the
// example's Auth Service) is High, not Critical, and the controls in front
// make it Partial with a Medium residual. It arrives through the front
// door, so the VPC around the service is not credited; its own role as a
// sign-in never credits it either.
func TestStuffingCreditsWhatIsInFront(t *testing.T) {
	r := analyzeDOT(t, exampleDOT(t))
	th := oneThreat(t, r, "S-IDP-02", "Auth Service")
	if th.Severity != SeverityHigh || th.ResidualRisk != SeverityMedium || th.Status != "Partial" {
		t.Errorf("credential stuffing on Auth Service: %s, residual %s, %s (L %d→%d, I %d)",
			th.Severity, th.ResidualRisk, th.Status, th.Likelihood, th.ResidualLikelihood, th.Impact)
	}
	if !slices.Equal(th.ExistingControls, []string{"api-gateway", "waf"}) {
		t.Errorf("credited %v, want the gateway and the WAF in front", th.ExistingControls)
	}
	// Without them the same sign-in stays High.
	d := mini(t, famBounds, []string{"user:Customer:actor:inet", "auth:Auth Service::app"}, []string{"user>auth:HTTPS login"})
	bare := oneThreat(t, analyze(t, d, Options{}), "S-IDP-02", "Auth Service")
	if bare.ResidualRisk.Rank() < SeverityHigh.Rank() || bare.Status != "Unmitigated" {
		t.Errorf("stuffing on a bare sign-in: residual %s, %s %v", bare.ResidualRisk, bare.Status, bare.ExistingControls)
	}
}
