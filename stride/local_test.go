package stride

import (
	"strings"
	"testing"
)

// firmwareDiagram is a TF-A style boot and runtime diagram: the two
// worlds, a UART and external flash drawn outside one trust boundary
// around the boot stages and the secure monitor.
const firmwareDiagram = `flowchart LR
  ns["Non-secure Clients"]
  sec["Secure Clients"]
  uart["UART"]
  nvm["Non-volatile Memory"]
  subgraph tb [Trusted firmware]
    rom["Boot ROM (BL1)"]
    mon["TF-A Runtime (BL31)"]
  end
  ns -->|"SMC"| mon
  sec -->|"SMC"| mon
  uart -->|"console"| mon
  nvm -->|"FIP image"| rom
`

// webDiagram has the same shape with web components: outside is the
// internet.
const webDiagram = `flowchart LR
  u(["Customer"])
  subgraph app [App Tier]
    api["Orders API"]
  end
  u -->|"HTTPS"| api
`

func analyzeMermaidText(t *testing.T, src string) *Report {
	t.Helper()
	d, err := parseMermaid("test.mmd", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return analyze(t, d, Options{})
}

// TestFirmwareOutsideIsLocal: on a firmware diagram the elements outside
// the boundary are other worlds and ports, not internet callers, and the
// firmware rules stand for the parsing, image and elevation threats.
func TestFirmwareOutsideIsLocal(t *testing.T) {
	r := analyzeMermaidText(t, firmwareDiagram)
	for _, th := range r.Threats {
		text := strings.ToLower(th.Title + " " + th.Description)
		if strings.Contains(text, "internet") {
			t.Errorf("%s %q speaks of the internet on a firmware diagram", th.Rule, th.Title)
		}
		if th.Rule == "D-PRC-01" || th.Rule == "I-PRC-04" || th.Rule == "E-PRC-01" {
			t.Errorf("web rule %s fired on a firmware diagram: %q", th.Rule, th.Title)
		}
	}
	tests := []struct {
		rule, element string
	}{
		{"T-FWL-01", "Non-secure Clients → TF-A Runtime (BL31)"},
		{"T-FWL-01", "UART → TF-A Runtime (BL31)"},
		{"E-FWL-01", "UART → TF-A Runtime (BL31)"},
		{"D-FWL-01", "Secure Clients → TF-A Runtime (BL31)"},
		{"T-FWL-02", "Non-volatile Memory → Boot ROM (BL1)"},
		// The two worlds are partitions of their own: requests from them
		// into the trusted side are isolation concerns, as on TF-M.
		{"T-ISO-02", "Non-secure Clients → TF-A Runtime (BL31)"},
		{"I-ISO-02", "Secure Clients → TF-A Runtime (BL31)"},
	}
	for _, tc := range tests {
		if len(threatsBy(r, tc.rule, tc.element)) == 0 {
			t.Errorf("%s does not fire on %s", tc.rule, tc.element)
		}
	}
	// An image from flash is not a world: no world-to-world isolation rule.
	if n := len(threatsBy(r, "T-ISO-02", "Non-volatile Memory → Boot ROM (BL1)")); n != 0 {
		t.Errorf("T-ISO-02 fired %d times on a flash image", n)
	}
}

// TestWebOutsideIsInternet: the same shape on a web diagram stays the
// internet.
func TestWebOutsideIsInternet(t *testing.T) {
	r := analyzeMermaidText(t, webDiagram)
	if len(threatsBy(r, "D-PRC-01", "Orders API")) != 1 {
		t.Errorf("D-PRC-01 does not fire once on the Orders API")
	}
	for _, rule := range []string{"T-FWL-01", "T-FWL-02", "E-FWL-01", "D-FWL-01"} {
		if n := len(threatsBy(r, rule, "")); n != 0 {
			t.Errorf("firmware rule %s fired %d times on a web diagram", rule, n)
		}
	}
}
