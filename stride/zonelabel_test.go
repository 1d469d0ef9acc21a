package stride

import (
	"strings"
	"testing"
)

func TestReadZoneLabel(t *testing.T) {
	tests := []struct {
		label  string
		trust  int
		reason string // substring of the reason
		ok     bool
	}{
		// A crossing names the destination side.
		{"Internet -> DMZ", TrustDMZ, `destination side "DMZ"`, true},
		{"Zone 2: DMZ → Internal", TrustInternal, `destination side "Internal"`, true},
		{"DMZ => Data Tier", TrustData, `"data tier"`, true},
		{"Partner to Core", TrustInternal, `destination side "Core"`, true},
		{"Access to reports", 0, "", false},
		// The head noun wins over the words that qualify it.
		{"Customer Data (PII)", TrustData, `head noun "data"`, true},
		{"Kubernetes cluster - public ingress", TrustInternal, `head noun "cluster"`, true},
		{"Public Internet", TrustUntrusted, `head noun "internet"`, true},
		{"Public Subnet", TrustDMZ, `"public subnet"`, true},
		{"User's Browser", TrustUntrusted, `"browser"`, true},
		{"Internet zone", TrustUntrusted, `"internet"`, true},
		{"Web Tier", TrustDMZ, `"web tier"`, true},
		{"Payments namespace", TrustInternal, `"namespace"`, true},
		{"Some tier", 0, "", false},
		// Explicit trust words win wherever they stand.
		{"Data Center (Restricted)", TrustRestricted, `states "restricted"`, true},
		{"Office network (untrusted)", TrustUntrusted, `states "untrusted"`, true},
		{"Semi-trusted partner zone", TrustDMZ, `"semi trusted"`, true},
		// Identifiers are not zones.
		{"TB-2: Internet", TrustUntrusted, `"TB-2:" read as an identifier`, true},
		{"Zone 3", 0, "", false},
		{"Team Blue", 0, "", false},
		{"", 0, "", false},
		// Qualifiers count when the main phrase says nothing.
		{"Workloads (private)", TrustInternal, `qualifier "private"`, true},
	}
	for _, tt := range tests {
		got, ok := readZoneLabel(tt.label)
		if ok != tt.ok || (ok && (got.trust != tt.trust || !strings.Contains(got.reason, tt.reason))) {
			t.Errorf("readZoneLabel(%q) = %d %q %v, want %d containing %q %v", tt.label, got.trust, got.reason, ok, tt.trust, tt.reason, tt.ok)
		}
	}
}
