package stride

import (
	"slices"
	"strings"
	"testing"
)

// TestClientReadings checks which components are read as clients the
// server must not trust (RichClient) and as machines that keep copies of
// the system's data (UnmanagedClient), on small diagrams of our own.
func TestClientReadings(t *testing.T) {
	bounds := []string{"be:Backend:"}
	tests := []struct {
		name      string
		comp      string // "key:label:shape:boundary" of the component under test, key "x"
		flows     []string
		rich      bool
		unmanaged bool
		copied    string
	}{
		{"game client", "x:Game Client:actor:", []string{"x>srv:UDP positions"}, true, false, ""},
		{"kiosk", "x:Ticket Kiosk::", []string{"x>srv:HTTPS"}, true, false, ""},
		{"desktop app", "x:Trading Desktop App:actor:", []string{"x>srv:HTTPS"}, true, false, ""},
		{"browser is not a rich client", "x:Web Browser:actor:", []string{"x>srv:HTTPS"}, false, false, ""},
		{"server-side software named after its clients", "x:Mobile App Backend::be", []string{"x>srv:HTTPS"}, false, false, ""},
		{"spreadsheet fed an export", "x:Finance Spreadsheet:actor:", []string{"db>x:CSV export (PII)"}, false, true, "PII"},
		{"laptop reading a store", "x:Analyst Laptop:actor:", []string{"x>db:SQL read (financial data)"}, false, true, "financial data"},
		{"laptop that only sends", "x:Developer Laptop:actor:", []string{"x>srv:HTTPS"}, false, false, ""},
		{"export service is server-side", "x:Excel Export Service::be", []string{"db>x:SQL (PII)"}, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			comps := []string{tt.comp, "srv:Orders API::be", "db:Orders DB:cylinder:be"}
			a := &analysis{d: mini(t, bounds, comps, tt.flows), workers: 1}
			a.readContext()
			e := a.byID["x"].env
			if e == nil {
				t.Fatal("no Env for x")
			}
			if e.RichClient != tt.rich || e.UnmanagedClient != tt.unmanaged || e.CopiedData != tt.copied {
				t.Errorf("RichClient %v UnmanagedClient %v CopiedData %q, want %v %v %q",
					e.RichClient, e.UnmanagedClient, e.CopiedData, tt.rich, tt.unmanaged, tt.copied)
			}
		})
	}
}

// TestThirdPartyFamilies checks the third-party, client and domain rules
// on one small shop of our own: the outage and the account takeover sit
// on the provider the system calls, not on a caller it answers; the
// domain threat is one for the system however many front ends people
// reach; a modified mobile app's requests are a tampering threat on its
// flow to the system's own server.
func TestThirdPartyFamilies(t *testing.T) {
	bounds := []string{"app:App Tier:"}
	comps := []string{
		"cust:Customer:actor:", "app:Shop Mobile App:actor:", "web:Shop Web::app", "login:Login Portal::app",
		"api:Orders API::app", "pay:Checkout Service::app", "psp:Stripe::",
		"client:Signing Client:actor:",
	}
	flows := []string{
		"cust>web:HTTPS", "cust>login:HTTPS", "app>api:HTTPS, JWT", "web>api:HTTPS", "api>pay:HTTPS",
		"pay>psp:HTTPS, API key (card data)", "client>api:Request certificate", "api>client:Certificate",
	}
	r := analyze(t, mini(t, bounds, comps, flows), Options{})
	th := oneThreat(t, r, "I-TPY-02", "Stripe")
	if !strings.Contains(th.Description, "payouts") {
		t.Errorf("I-TPY-02 on Stripe: description %q does not name payouts", th.Description)
	}
	if got := threatsBy(r, "I-TPY-02", "Signing Client"); len(got) != 0 {
		t.Errorf("I-TPY-02 fires on a caller the system answers: %v", got[0].Title)
	}
	dom := 0
	for _, th := range r.Threats {
		if th.Rule == "S-DOM-01" {
			dom++
			if len(th.Elements) != 2 {
				t.Errorf("S-DOM-01 lists %v, want Shop Web and Login Portal", th.Elements)
			}
		}
	}
	if dom != 1 {
		t.Errorf("%d S-DOM-01 threats, want one for the system", dom)
	}
	oneThreat(t, r, "T-CLI-01", "Shop Mobile App → Orders API")
	if got := threatsBy(r, "T-CLI-01", "Shop Web → Orders API"); len(got) != 0 {
		t.Errorf("T-CLI-01 fires on a server-to-server hop")
	}
}

// TestAccountTakeoverOnClient checks that an account takeover placed on
// the service the person signs in to is listed on the person's own
// client too (Elements and the component's threat list) and keeps the
// service as its element.
func TestAccountTakeoverOnClient(t *testing.T) {
	bounds := []string{"app:App Tier:"}
	comps := []string{"lap:Staff Laptop:actor:", "api:Orders API::app"}
	r := analyze(t, mini(t, bounds, comps, []string{"lap>api:HTTPS (PII)"}), Options{})
	var ato *Threat
	for i := range r.Threats {
		if r.Threats[i].Rule == "S-EXT-01" {
			ato = &r.Threats[i]
		}
	}
	if ato == nil {
		t.Fatal("no S-EXT-01 threat")
	}
	want := []ElementRef{{Type: "component", ID: "api"}, {Type: "component", ID: "lap"}}
	if ato.Element != want[0] || !slices.Equal(ato.Elements, want) {
		t.Errorf("S-EXT-01 on %v, elements %v; want on %v, elements %v", ato.Element, ato.Elements, want[0], want)
	}
	for _, c := range r.Components {
		if c.ID == "lap" {
			if !slices.Contains(c.Threats, ato.ID) {
				t.Errorf("Staff Laptop does not list %s: %v", ato.ID, c.Threats)
			}
		}
	}
}
