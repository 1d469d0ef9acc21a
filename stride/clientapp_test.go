package stride

import (
	"strings"
	"testing"
)

// TestClientApp checks which browsers are read as running the system's own
// code (Env.ClientApp, clientapp.go), and that the web-client rules on that
// code fire there and nowhere else.
func TestClientApp(t *testing.T) {
	bounds := []string{"br:Browser:", "lap:Analyst Laptop:", "app:App Tier:", "edge:Edge:"}
	tests := []struct {
		name  string
		comps []string
		flows []string
		app   string // the component read as a client app, "" for none
		why   string // part of its reason
	}{
		{"a single-page app by its technology",
			[]string{"b:React app:oval:", "api:Orders API::app"},
			[]string{"b>api:HTTPS"}, "React app", "single-page application"},
		{"a browser named as a browser-based tool",
			[]string{"b:Browser-based diagram editor:oval:", "cdn:CloudFront::edge"},
			[]string{"b>cdn:GET bundle"}, "Browser-based diagram editor", "browser based"},
		{"a box drawn inside the browser",
			[]string{"u:Writer:actor:", "ed:Notes Editor::br"},
			[]string{"u>ed:types notes"}, "Notes Editor", `drawn inside the browser "Browser"`},
		{"a browser that keeps data in IndexedDB",
			[]string{"b:Browser:oval:", "ls:IndexedDB:cylinder:", "api:Orders API::app"},
			[]string{"b>api:HTTPS", "b>ls:caches orders"}, "Browser", "IndexedDB"},
		{"a browser that opens files it is given",
			[]string{"u:Analyst:actor:", "b:Web Browser::lap"},
			[]string{"u>b:imports JSON files"}, "Web Browser", "opens files"},
		{"a browser named as an app",
			[]string{"b:Browser (web app):oval:", "api:Orders API::app"},
			[]string{"b>api:HTTPS"}, "Browser (web app)", "names an application"},
		// The user's agent: nothing runs there that the system ships.
		{"a browser on a server-rendered site",
			[]string{"u:Customer:actor:", "b:Browser:oval:", "web:Shop web server::app"},
			[]string{"u>b:types", "b>web:HTTPS"}, "", ""},
		{"a browser that uploads the files a person gives it",
			[]string{"u:Customer:actor:", "b:Browser:oval:", "web:Shop web server::app"},
			[]string{"u>b:chooses files", "b>web:HTTPS file upload"}, "", ""},
		{"an SPA's backend is server-side",
			[]string{"b:SPA backend::app", "db:Orders DB:cylinder:app"},
			[]string{"b>db:SQL"}, "", ""},
	}
	webRules := []string{"I-WEB-04", "E-WEB-06", "T-WEB-08"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyze(t, mini(t, bounds, tc.comps, tc.flows), Options{Unfolded: true})
			for _, rule := range webRules {
				got := threatsBy(r, rule, "")
				if tc.app == "" {
					if len(got) != 0 {
						t.Errorf("%s fired on %s; want no client app", rule, got[0].ElementName)
					}
					continue
				}
				if len(got) != 1 || got[0].ElementName != tc.app {
					var on []string
					for _, th := range got {
						on = append(on, th.ElementName)
					}
					t.Fatalf("%s on %v, want exactly on %q", rule, on, tc.app)
				}
				if why := got[0].Description; rule == "I-WEB-04" && !strings.Contains(strings.ToLower(why), strings.ToLower(tc.why)) {
					t.Errorf("%s: reason %q does not say %q", rule, why, tc.why)
				}
			}
		})
	}
}
