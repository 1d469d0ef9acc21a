package stride

import "testing"

// TestForwardedIdentityPremise checks that E-PRC-01 (a service trusts
// identity forwarded to it) fires only on a service something in front of
// it calls across a boundary: not on a client a person works through, not
// on a service only people or stores send to.
func TestForwardedIdentityPremise(t *testing.T) {
	bounds := []string{"dev:User Laptop:", "dmz:DMZ:", "app:App Tier:", "ops:Operations:"}
	tests := []struct {
		name  string
		comps []string
		flows []string
		on    string // component E-PRC-01 must fire on, "" for none
	}{
		{"front end forwards to a service",
			[]string{"u:Customer:actor:", "web:Storefront Web App::dmz", "api:Orders API::app"},
			[]string{"u>web:HTTPS", "web>api:HTTPS"}, "Orders API"},
		{"gateway forwards to a service",
			[]string{"u:Customer:actor:", "gw:Edge Gateway::dmz", "api:Orders API::app"},
			[]string{"u>gw:HTTPS", "gw>api:HTTPS"}, "Orders API"},
		{"a person calls the service directly",
			[]string{"u:Customer:actor:", "api:Orders API::app"},
			[]string{"u>api:HTTPS"}, ""},
		{"a browser drawn as a process",
			[]string{"u:Customer:actor:", "b:Web Browser::dev", "api:Orders API::app"},
			[]string{"u>b:types", "api>b:HTTPS"}, ""},
		{"a mobile app drawn as a process, called back by the cloud",
			[]string{"m:Mobile App::dev", "api:Orders API::dmz"},
			[]string{"api>m:push notification"}, ""},
		{"a key store feeds a host",
			[]string{"keys:Signing Key Store:cylinder:dmz", "job:Release Signer::app"},
			[]string{"keys>job:key"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyze(t, mini(t, bounds, tc.comps, tc.flows), Options{})
			got := threatsBy(r, "E-PRC-01", "")
			if tc.on == "" {
				for _, th := range got {
					t.Errorf("E-PRC-01 fires on %s: %s", th.ElementName, th.Title)
				}
				return
			}
			th := oneThreat(t, r, "E-PRC-01", tc.on)
			if want := tc.on + " trusts identity forwarded by " + map[bool]string{true: "Storefront Web App", false: "Edge Gateway"}[tc.name == "front end forwards to a service"]; th.Title != want {
				t.Errorf("title %q, want %q", th.Title, want)
			}
		})
	}
}

// TestUserInputIsNotAHop checks that a person entering what they do into
// their own client is not read as a network hop (I-FLW-01, T-FLW-01),
// while the client's own calls still are.
func TestUserInputIsNotAHop(t *testing.T) {
	bounds := []string{"dev:Shopper Laptop:", "cloud:Cloud:"}
	tests := []struct {
		name, flow string
		on         string // flow I-FLW-01 must fire on, "" for none
	}{
		{"person types a password into their browser", "u>b:password", ""},
		{"person types into their mobile app over plain words", "u>m:HTTP (no TLS)", ""},
		{"the browser calls the API in cleartext", "b>api:HTTP (password)", "Web Browser → Shop API"},
	}
	comps := []string{"u:Shopper:actor:", "b:Web Browser::dev", "m:Shop Mobile App::dev", "api:Shop API::cloud"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyze(t, mini(t, bounds, comps, []string{tc.flow}), Options{})
			for _, rule := range []string{"I-FLW-01", "T-FLW-01"} {
				got := threatsBy(r, rule, "")
				if tc.on == "" && len(got) > 0 {
					t.Errorf("%s fires on %s", rule, got[0].ElementName)
				}
			}
			if tc.on != "" {
				oneThreat(t, r, "I-FLW-01", tc.on)
			}
		})
	}
}
