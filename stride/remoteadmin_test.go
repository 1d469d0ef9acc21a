package stride

import "testing"

// TestInternetAdminPort checks E-BASE-PRC's likelihood on a process whose
// administration port (SSH, RDP, a management console) answers the
// internet: scanners find it and its flaws are exploited before any
// sign-in, so a flaw there is likely (High on a jump host that controls
// other machines). The same administration path from inside the network,
// and an ordinary API the internet calls, keep the baseline likelihood.
func TestInternetAdminPort(t *testing.T) {
	bounds := []string{"prod:Production VPC:", "corp:Office Network:"}
	comps := []string{
		"ops:Contract Engineer:actor:",
		"u:Shopper:actor:",
		"jh:Jump Host::prod",
		"api:Orders API::prod",
		"adm:Site Reliability Engineer:actor:corp",
		"db:Build Host::prod",
	}
	flows := []string{
		"ops>jh:SSH", "jh>api:deploy", "u>api:HTTPS",
		"adm>db:SSH",
	}
	r := analyze(t, mini(t, bounds, comps, flows), Options{Unfolded: true})
	tests := []struct {
		comp      string
		modifier  bool
		atLeast   Severity
		atMostLow bool
	}{
		{"Jump Host", true, SeverityHigh, false},
		{"Orders API", false, "", true},
		{"Build Host", false, "", true},
	}
	for _, tc := range tests {
		th := oneThreat(t, r, "E-BASE-PRC", tc.comp)
		said := hasReason(th, "administration port answers the internet")
		if said != tc.modifier {
			t.Errorf("E-BASE-PRC on %s: modifier applied %v, want %v (reasons %q)", tc.comp, said, tc.modifier, th.Reasons)
		}
		if tc.atLeast != "" && th.Severity.Rank() < tc.atLeast.Rank() {
			t.Errorf("E-BASE-PRC on %s: %s (L%d x I%d; %s / %s), want at least %s", tc.comp, th.Severity, th.Likelihood, th.Impact,
				th.Scoring.Likelihood, th.Scoring.Impact, tc.atLeast)
		}
		if tc.atMostLow && th.Likelihood > 1 {
			t.Errorf("E-BASE-PRC on %s: likelihood %d (%s), want the baseline 1", tc.comp, th.Likelihood, th.Scoring.Likelihood)
		}
		if said && !mitigates(th, "off the internet") {
			t.Errorf("E-BASE-PRC on %s: no mitigation takes the administration port off the internet: %+v", tc.comp, th.Mitigations)
		}
	}
}
