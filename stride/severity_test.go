package stride

import (
	"strings"
	"testing"
)

// Severity that carries over to diagrams nobody tuned the rules on (issue
// 14 item 2, session 7): impact assumed where no data class is drawn, flow
// threats colouring the end that must close them, E-PRC-01 kept off third
// parties and devices, and managed edge services not rated as servers a
// flood takes down. The diagrams are small ones of our own.

// TestAssumedStoreValue checks the default asset value of a store with no
// data class drawn: the application's store is worth a valuable asset's
// impact and says it was assumed; caches, stores of public content or of
// metrics, and what a CDN serves are not raised; a drawn data class wins.
func TestAssumedStoreValue(t *testing.T) {
	bounds := []string{"dmz:DMZ:", "app:App Tier:"}
	comps := []string{
		"u:Customer:actor:",
		"web:Booking Web App::dmz",
		"api:Booking API::app",
		"w:Report Worker::app",
		"db:Main Database:cylinder:app",
		"q:Job Queue:cylinder:app",
		"pc:Page Cache:cylinder:app",
		"m:Metrics Store:cylinder:app",
		"st:Static Site Bucket:cylinder:app",
		"img:Uploads:cylinder:app",
		"cdn:Edge CDN::dmz",
		"ref:Reference Tables:cylinder:app",
		"pii:Customer Profiles (PII):cylinder:app",
	}
	flows := []string{
		"u>web:HTTPS", "web>api:HTTPS", "api>db:SQL", "api>q:publish job", "q>w:consume",
		"w>db:SQL", "web>pc:read page", "api>m:push metrics", "web>st:read files",
		"img>cdn:serve", "ref>api:read", "api>pii:SQL",
	}
	r := analyze(t, mini(t, bounds, comps, flows), Options{Unfolded: true})
	tests := []struct {
		store   string
		impact  int // I-DS-01 (asset), I-BASE-DS (asset - 2) or T-BASE-DS (asset - 1) impact
		rule    string
		assumed bool
	}{
		// the application's database: disclosure of its users' records,
		// assumed (session 8, DATA item 3)
		{"Main Database", 4, "I-DS-01", true},
		{"Job Queue", 2, "I-BASE-DS", true},
		{"Reference Tables", 2, "I-BASE-DS", true},
		{"Metrics Store", 1, "I-BASE-DS", false},
		{"Static Site Bucket", 1, "I-BASE-DS", false},
		{"Uploads", 1, "I-BASE-DS", false},
	}
	for _, tc := range tests {
		t.Run(tc.store, func(t *testing.T) {
			th := oneThreat(t, r, tc.rule, tc.store)
			if th.Impact != tc.impact {
				t.Errorf("%s on %s: impact %d, want %d (%s)", tc.rule, tc.store, th.Impact, tc.impact, th.Scoring.AssetReason)
			}
			said := strings.HasPrefix(th.Scoring.AssetReason, assumedPrefix) && hasReason(th, "impact assumed, no data class drawn")
			if said != tc.assumed {
				t.Errorf("%s on %s: assumption stated %v, want %v (asset reason %q, reasons %q)", tc.rule, tc.store, said, tc.assumed, th.Scoring.AssetReason, th.Reasons)
			}
		})
	}
	// A drawn data class is read, not assumed.
	th := oneThreat(t, r, "I-DS-01", "Customer Profiles (PII)")
	if strings.Contains(th.Scoring.AssetReason, "assumed") || th.Scoring.Asset != assetValuable {
		t.Errorf("PII store: asset %d (%s), want %d from its data", th.Scoring.Asset, th.Scoring.AssetReason, assetValuable)
	}
	// The hop carrying the application's data in clear is worth what the
	// store holds; eavesdropping on it is High, not the Medium of a hop
	// of nothing in particular.
	cases := []struct {
		flow string
		want Severity
	}{
		{"Booking API → Main Database", SeverityHigh},
		{"Booking API → Metrics Store", SeverityMedium},
	}
	d := mini(t, bounds, comps, flows)
	for i := range d.Flows {
		if strings.Contains(d.Flows[i].Label, "SQL") || strings.Contains(d.Flows[i].Label, "metrics") {
			d.Flows[i].Label += " (no TLS)"
		}
	}
	r2 := analyze(t, d, Options{Unfolded: true})
	for _, c := range cases {
		th := oneThreat(t, r2, "I-FLW-01", c.flow)
		if th.Severity != c.want {
			t.Errorf("I-FLW-01 on %s: %s (%dx%d, %s), want %s", c.flow, th.Severity, th.Likelihood, th.Impact, th.Scoring.AssetReason, c.want)
		}
	}
}

func hasReason(th Threat, s string) bool {
	for _, r := range th.Reasons {
		if strings.Contains(r, s) {
			return true
		}
	}
	return false
}

// TestFlowThreatPaintsOneEnd checks that a threat on a flow raises the
// colour of the end that must close it (the side that serves the call,
// the system's own end when that side is a third party), not both.
func TestFlowThreatPaintsOneEnd(t *testing.T) {
	bounds := []string{"dmz:DMZ:", "app:App Tier:"}
	comps := []string{
		"web:Storefront::dmz",
		"api:Orders API::app",
		"mail:Mail Relay (SaaS)::",
	}
	flows := []string{"web>api:HTTP (PII, no TLS)", "api>mail:SMTP (PII, no TLS)"}
	r := analyze(t, mini(t, bounds, comps, flows), Options{})
	sev := map[string]Severity{}
	for _, c := range r.Components {
		sev[c.Label] = c.MaxSeverity
	}
	fl := oneThreat(t, r, "I-FLW-01", "Storefront → Orders API")
	if fl.ResidualRisk.Rank() < SeverityHigh.Rank() {
		t.Fatalf("I-FLW-01 on the clear hop is %s; the test needs a High flow threat", fl.ResidualRisk)
	}
	if sev["Orders API"].Rank() < fl.ResidualRisk.Rank() {
		t.Errorf("Orders API (serves the hop) is %s, want at least %s", sev["Orders API"], fl.ResidualRisk)
	}
	// Storefront's own threats are what colour it now.
	own := Severity("")
	for _, th := range r.Threats {
		for _, v := range th.Views() {
			if v.Element.Type == "component" && v.Element.ID == "web" {
				own = MaxSeverity(own, v.Threat.ResidualRisk)
			}
		}
	}
	if sev["Storefront"] != own {
		t.Errorf("Storefront is %s, want %s, the band of its own threats: a flow it sends on is painted on its receiver", sev["Storefront"], own)
	}
	// An injection built by the sender colours the sender.
	r3 := analyze(t, mini(t, bounds, []string{"api:Orders API::app", "db:Orders DB:cylinder:app", "u:Customer:actor:", "web:Storefront::dmz"},
		[]string{"u>web:HTTPS", "web>api:HTTPS", "api>db:SQL (PII)"}), Options{})
	inj := oneThreat(t, r3, "T-INT-01", "Orders API → Orders DB")
	for _, c := range r3.Components {
		if c.Label == "Orders DB" && c.MaxSeverity.Rank() >= inj.ResidualRisk.Rank() {
			t.Errorf("Orders DB is %s like the injection built by Orders API (%s); the sender must close it", c.MaxSeverity, inj.ResidualRisk)
		}
		if c.Label == "Orders API" && c.MaxSeverity.Rank() < inj.ResidualRisk.Rank() {
			t.Errorf("Orders API is %s, below the injection it builds (%s)", c.MaxSeverity, inj.ResidualRisk)
		}
	}
	// The hop to a third party is the system's end's to close.
	if got := (&flowInfo{src: &compInfo{label: "a"}, dst: &compInfo{label: "b", kind: "external"}}).paintedEnd(""); got.label != "a" {
		t.Errorf("a hop to an external entity paints %s, want the sender", got.label)
	}
}

// TestForwardedIdentityOutsiders checks that E-PRC-01 stays off a third
// party's system and a device in the field that the system's services
// call, whatever shape they are drawn with, and still fires on a service.
func TestForwardedIdentityOutsiders(t *testing.T) {
	bounds := []string{"dmz:DMZ:", "site:Plant floor:"}
	tests := []struct {
		name, label string
		fires       bool
	}{
		{"a service behind the front end", "Scheduling Service", true},
		{"a partner's feed drawn as a process", "Partner pricing feed", false},
		{"an outside data source", "External weather data source", false},
		{"a device by its catalog role", "Smart Thermostat", false},
		{"a device without a catalog match", "Pump Controller Device", false},
		{"a sensor without a catalog match", "Flow sensors", false},
		{"a device's cloud API is a service", "Device API", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			comps := []string{"hub:Fleet Service::dmz", "x:" + tc.label + "::site"}
			r := analyze(t, mini(t, bounds, comps, []string{"hub>x:HTTP"}), Options{Unfolded: true})
			got := threatsBy(r, "E-PRC-01", tc.label)
			if tc.fires && len(got) != 1 {
				t.Errorf("E-PRC-01 on %s: %d threats, want 1", tc.label, len(got))
			}
			if !tc.fires && len(got) != 0 {
				t.Errorf("E-PRC-01 fires on %s: %s", tc.label, got[0].Title)
			}
		})
	}
}

// TestManagedEdgeFlood checks that a request flood is rated by what it
// does to a provider's edge service (cost, quotas, the origin), not as an
// outage of a server, and that a server the team runs keeps the rating.
func TestManagedEdgeFlood(t *testing.T) {
	bounds := []string{"edge:Edge:", "aws:AWS:"}
	tests := []struct {
		label   string
		managed bool
	}{
		{"CloudFront Distribution", true},
		{"CDN", true},
		{"Public API (Amazon API Gateway)", true},
		{"Application Load Balancer (AWS ALB)", true},
		{"Kong Gateway", false},
		{"nginx", false},
		{"Orders API", false},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			comps := []string{"u:Customer:actor:", "x:" + tc.label + "::edge", "o:Origin Service::aws"}
			r := analyze(t, mini(t, bounds, comps, []string{"u>x:HTTPS", "x>o:HTTPS"}), Options{Unfolded: true})
			th := oneThreat(t, r, "D-PRC-01", tc.label)
			edge := hasReason(th, "a provider's edge absorbs volumetric floods")
			if edge != tc.managed {
				t.Fatalf("%s: read as a managed edge %v, want %v (%q)", tc.label, edge, tc.managed, th.Reasons)
			}
			if tc.managed {
				if th.Severity.Rank() > SeverityMedium.Rank() {
					t.Errorf("%s: flood rated %s (%dx%d), want Medium or lower", tc.label, th.Severity, th.Likelihood, th.Impact)
				}
				if !strings.Contains(th.Title, "cost and quotas") || !mitigates(th, "budget alert") {
					t.Errorf("%s: title %q and mitigations do not say what remains (cost, quotas, origin)", tc.label, th.Title)
				}
				return
			}
			if th.Severity.Rank() < SeverityMedium.Rank() || !strings.Contains(th.Title, "down") {
				t.Errorf("%s: flood rated %s, %q", tc.label, th.Severity, th.Title)
			}
		})
	}
}

func mitigates(th Threat, s string) bool {
	for _, m := range th.Mitigations {
		if strings.Contains(m.Control, s) {
			return true
		}
	}
	return false
}

// TestAssumedUserRecords checks where the users' records are assumed
// (session 8, DATA item 3): a store with no data class drawn that a
// service on a customer's request path writes gets the disclosure rule,
// and the service in front of it the object-level authorisation rule,
// each saying the records are assumed and scored by the assumed value;
// a store only staff's tools write, a cache, a queue, a metrics store and
// reference data the service only reads are not assumed to hold them.
func TestAssumedUserRecords(t *testing.T) {
	bounds := []string{"app:App Tier:"}
	comps := []string{
		"u:Customer:actor:",
		"dev:Developer:actor:",
		"api:Booking API::app",
		"ci:Build Server::app",
		"db:Main Database:cylinder:app",
		"art:Build Outputs:cylinder:app",
		"pc:Page Cache:cylinder:app",
		"q:Job Queue:cylinder:app",
		"m:Metrics Store:cylinder:app",
		"ref:Reference Tables:cylinder:app",
	}
	flows := []string{
		"u>api:HTTPS", "api>db:SQL", "api>pc:cache", "api>q:publish job", "api>m:push metrics", "ref>api:read",
		"dev>ci:HTTPS", "ci>art:upload",
	}
	r := analyze(t, mini(t, bounds, comps, flows), Options{Unfolded: true})
	th := oneThreat(t, r, "I-DS-01", "Main Database")
	if !strings.Contains(th.Title, "assumed: no data class drawn") || th.Impact != assetValuable {
		t.Errorf("I-DS-01 on Main Database: %q, impact %d (%s)", th.Title, th.Impact, th.Scoring.AssetReason)
	}
	th = oneThreat(t, r, "I-PRC-01", "Booking API")
	if !strings.Contains(th.Title, "records (assumed: no data class drawn)") || !strings.Contains(th.Description, "Main Database") {
		t.Errorf("I-PRC-01 on Booking API: %q / %q", th.Title, th.Description)
	}
	for _, quiet := range []struct{ rule, elem string }{
		{"I-DS-01", "Build Outputs"}, {"I-DS-01", "Page Cache"}, {"I-DS-01", "Job Queue"},
		{"I-DS-01", "Metrics Store"}, {"I-DS-01", "Reference Tables"}, {"I-PRC-01", "Build Server"},
	} {
		for _, th := range r.Threats {
			// (the cache may hold what Booking API handles: that is read,
			// not assumed)
			if th.Rule == quiet.rule && th.ElementName == quiet.elem && strings.Contains(th.Title, "assumed") {
				t.Errorf("%s assumes records on %s: %q", quiet.rule, quiet.elem, th.Title)
			}
		}
	}
}
