package stride

import (
	"slices"
	"strings"
	"testing"
)

// credited reports whether threat th credits control c.
func credited(th Threat, c string) bool {
	for _, x := range th.Controls {
		if x.Control == c {
			return true
		}
	}
	return false
}

// TestCodeReviewCredit: T-SUP-07 raises the hidden malicious change on a
// change submitted to a code host, and mandatory review answers it only
// where the code host enforces it: Gerrit submits a change only after a
// Code-Review vote (catalog), GitHub merges without review unless branch
// protection says otherwise, so its threat stays open. On the code host
// itself, review lowers the likelihood of an unreviewed change (T-SUP-03)
// without closing it: an administrator or a push right bypasses it.
func TestCodeReviewCredit(t *testing.T) {
	r := analyzeMermaidText(t, `flowchart LR
  c(["Contributor"])
  d(["Developer"])
  subgraph host [Code hosting]
    g["Gerrit"]
    gh["GitHub Enterprise"]
  end
  c -->|"push patch"| g
  d -->|"pull request"| gh
  g -->|"clone"| d
`)
	tests := []struct {
		rule, element string
		status        string
		review        bool
	}{
		{"T-SUP-07", "Contributor → Gerrit", StatusMitigated, true},
		{"T-SUP-07", "Developer → GitHub Enterprise", StatusUnmitigated, false},
		{"T-SUP-03", "Gerrit", StatusPartial, true},
	}
	for _, tt := range tests {
		th := oneThreat(t, r, tt.rule, tt.element)
		if th.Status != tt.status || credited(th, "code-review") != tt.review {
			t.Errorf("%s on %s: %s, controls %+v; want %s, code-review credited %v", tt.rule, tt.element, th.Status, th.Controls, tt.status, tt.review)
		}
		if tt.status == StatusMitigated && th.ResidualRisk != SeverityLow {
			t.Errorf("%s on %s: residual %s, want Low", tt.rule, tt.element, th.ResidualRisk)
		}
	}
	c, _, _ := creditOn(t, r, "T-SUP-07", "Contributor → Gerrit", "code-review")
	if !strings.HasPrefix(c.Source, "catalog: Gerrit Code Review provides code-review: ") {
		t.Errorf("T-SUP-07 on Contributor → Gerrit: source %q, want Gerrit's catalog entry", c.Source)
	}
	// A clone submits nothing; review answers no transport threat.
	if ts := threatsBy(r, "T-SUP-07", "Gerrit → Developer"); len(ts) != 0 {
		t.Errorf("T-SUP-07 fires on a clone")
	}
	for _, th := range r.Threats {
		if (th.Rule == "T-BASE-FLW" || th.Rule == "I-FLW-01" || th.Rule == "I-BASE-FLW") && credited(th, "code-review") {
			t.Errorf("%s %q credits code review against a transport threat", th.Rule, th.Title)
		}
	}
}

// TestLookAlikeSource: S-SUP-08 raises the look-alike source where code
// is fetched by name or URL (users cloning a release, a build downloading
// third-party code), not where the owner's build clones its own
// repository, and not on public registries, which T-SUP-05 covers.
func TestLookAlikeSource(t *testing.T) {
	r := analyzeMermaidText(t, `flowchart LR
  deps(["External dependencies"])
  hub(["Docker Hub"])
  user(["End user"])
  subgraph vcs [Source hosting]
    repo[("Firmware repo")]
  end
  subgraph build [Build]
    ci["Build server"]
  end
  repo -->|"clone"| user
  repo -->|"clone"| ci
  deps -->|"download"| ci
  hub -->|"pull image"| ci
`)
	var on []string
	for _, th := range threatsBy(r, "S-SUP-08", "") {
		if names := memberNames(r, th); names != nil {
			on = append(on, names...)
		} else {
			on = append(on, th.ElementName)
		}
		if th.Status != StatusUnmitigated {
			t.Errorf("S-SUP-08 %q: %s with nothing shown against it", th.Title, th.Status)
		}
	}
	slices.Sort(on)
	want := []string{"External dependencies → Build server", "Firmware repo → End user"}
	if !slices.Equal(on, want) {
		t.Errorf("S-SUP-08 on %q, want %q", on, want)
	}
	if ts := threatsBy(r, "T-SUP-05", "Docker Hub → Build server"); len(ts) != 1 {
		t.Errorf("T-SUP-05 on Docker Hub → Build server: %d threats, want 1", len(ts))
	}
}

// TestHardwareIsolationReach: a firmware's hardware isolation answers
// eavesdropping and tampering on calls from another execution world of
// the same chip, not on what arrives from a physical port (FW defect 6):
// the UART line is read and driven with hands on the board, whatever
// TrustZone keeps apart.
func TestHardwareIsolationReach(t *testing.T) {
	r := analyzeMermaidText(t, firmwareDiagram)
	transport := []string{"I-FLW-01", "T-BASE-FLW", "I-BASE-FLW"}
	found := map[string]bool{}
	for _, th := range r.Threats {
		if !slices.Contains(transport, th.Rule) {
			continue
		}
		names := memberNames(r, th)
		if names == nil {
			names = []string{th.ElementName}
		}
		for _, n := range names {
			found[n] = true
			if strings.HasPrefix(n, "UART") && credited(th, "hardware-isolation") {
				t.Errorf("%s on %s credits the firmware's hardware isolation: %+v", th.Rule, n, th.Controls)
			}
			if strings.HasPrefix(n, "Non-secure Clients") && !credited(th, "hardware-isolation") {
				t.Errorf("%s on %s does not credit hardware isolation between worlds: %+v", th.Rule, n, th.Controls)
			}
		}
	}
	for _, n := range []string{"UART → TF-A Runtime (BL31)", "Non-secure Clients → TF-A Runtime (BL31)"} {
		if !found[n] {
			t.Errorf("no transport threat on %s; got %v", n, found)
		}
	}
}

// TestSignInDrawnFromProvider: account takeover (S-EXT-01) sits on the
// identity provider a person signs in through, also when the diagram
// draws the sign-in from the provider to the person; without any drawn
// provider it sits on the one service the person calls.
func TestSignInDrawnFromProvider(t *testing.T) {
	tests := []struct {
		name, src, host string
	}{
		{"from the provider", `flowchart LR
  u(["Employee"])
  idp["Okta"]
  subgraph app [App Tier]
    p["Portal"]
  end
  idp -->|"authenticate"| u
  u -->|"HTTPS"| p
`, "Okta"},
		{"to the provider", `flowchart LR
  u(["Employee"])
  idp["Okta"]
  subgraph app [App Tier]
    p["Portal"]
  end
  u -->|"sign in"| idp
  u -->|"HTTPS"| p
`, "Okta"},
		{"no provider", `flowchart LR
  u(["Employee"])
  subgraph app [App Tier]
    p["Portal"]
  end
  u -->|"HTTPS"| p
`, "Portal"},
	}
	for _, tt := range tests {
		r := analyzeMermaidText(t, tt.src)
		th := oneThreat(t, r, "S-EXT-01", "")
		if th.ElementName != tt.host {
			t.Errorf("%s: S-EXT-01 on %q, want %q", tt.name, th.ElementName, tt.host)
		}
	}
}

// TestCodeReviewFromWords: the diagram's own words state mandatory review
// on the code host or on the flow of changes; a bare "review" (something
// a person does) states no rule.
func TestCodeReviewFromWords(t *testing.T) {
	tests := []struct {
		name, src, element string
		want               bool
	}{
		{"flow label", `flowchart LR
  d(["Developer"])
  subgraph host [Code hosting]
    gh["GitHub"]
  end
  d -->|"pull request, required reviews"| gh
`, "Developer → GitHub", true},
		{"code host label", `flowchart LR
  d(["Developer"])
  subgraph host [Code hosting]
    gh["GitLab (protected branches)"]
  end
  d -->|"push"| gh
`, "Developer → GitLab (protected branches)", true},
		{"bare review", `flowchart LR
  d(["Maintainer"])
  subgraph host [Code hosting]
    gh["GitHub"]
  end
  d -->|"review and push"| gh
`, "Maintainer → GitHub", false},
	}
	for _, tt := range tests {
		r := analyzeMermaidText(t, tt.src)
		th := oneThreat(t, r, "T-SUP-07", tt.element)
		c, _, ok := creditOn(t, r, "T-SUP-07", tt.element, "code-review")
		if ok != tt.want {
			t.Errorf("%s: code-review credited %v, want %v (%+v)", tt.name, ok, tt.want, th.Controls)
			continue
		}
		if ok && (th.Status != StatusMitigated || !strings.HasPrefix(c.Source, "diagram: ")) {
			t.Errorf("%s: %s, source %q; want Mitigated from the diagram", tt.name, th.Status, c.Source)
		}
	}
}

// TestCodeReviewFromConfig: a project whose code host enforces review
// says so in threatmap.yaml, and the credit names the configuration.
func TestCodeReviewFromConfig(t *testing.T) {
	d, err := parseMermaid("test.mmd", []byte(`flowchart LR
  d(["Developer"])
  subgraph host [Code hosting]
    gh["GitHub"]
  end
  d -->|"pull request"| gh
`))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig("threatmap.yaml", []byte("components:\n  GitHub: {controls: [code-review]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := analyze(t, d, Options{Config: cfg})
	c, th, ok := creditOn(t, r, "T-SUP-07", "Developer → GitHub", "code-review")
	if !ok || th.Status != StatusMitigated || !strings.HasPrefix(c.Source, "configuration: ") {
		t.Errorf("T-SUP-07 on Developer → GitHub: %s, controls %+v; want Mitigated by code-review from the configuration", th.Status, th.Controls)
	}
}

// TestDebugPortBypassesTargetControls: a hardware debug port (JTAG, SWD)
// reads and writes the firmware's memory below any software, so none of
// the firmware's own controls (input validation, signature checks,
// isolation) is credited on its flow, while a console the firmware parses
// keeps the firmware's input validation.
func TestDebugPortBypassesTargetControls(t *testing.T) {
	src := `flowchart LR
  ns["Non-secure Clients"]
  uart["UART"]
  jtag["JTAG debug port"]
  subgraph tb [Trusted firmware]
    mon["TF-A Runtime (BL31)"]
  end
  ns -->|"SMC"| mon
  uart -->|"console"| mon
  jtag -->|"debug access"| mon
`
	r := analyzeMermaidText(t, src)
	label := map[string]string{}
	for _, c := range r.Components {
		label[c.ID] = c.Label
	}
	source := map[string]string{}
	for _, f := range r.Flows {
		source[f.ID] = label[f.Source]
	}
	seen := map[string]int{}
	uartValidated := false
	for i := range r.Threats {
		// Each element's own rating: a threat folded across the ports
		// keeps every member's controls (Threat.Views).
		for _, v := range r.Threats[i].Views() {
			if v.Element.Type != "flow" {
				continue
			}
			th := v.Threat
			switch source[v.Element.ID] {
			case "JTAG debug port":
				seen["jtag"]++
				if len(th.Controls) > 0 {
					t.Errorf("%s on the JTAG flow credits %+v; a debug port bypasses the firmware's controls", th.Rule, th.Controls)
				}
			case "UART":
				seen["uart"]++
				if credited(*th, "input-validation") {
					uartValidated = true
				}
			}
		}
	}
	if seen["jtag"] == 0 || seen["uart"] == 0 {
		t.Fatalf("threats on the ports: %v, want some on both", seen)
	}
	if !uartValidated {
		t.Errorf("no threat on the UART console credits the firmware's input validation")
	}
}
