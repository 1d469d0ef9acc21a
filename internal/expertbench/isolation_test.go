package expertbench

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/internal/testcorpus"
)

// TestIsolationCritical checks, on a system that is not the benchmark's
// TF-M, that the mechanism behind TF-M's expert Criticals gives Critical
// there too: a phone wallet on Arm TrustZone (testdata/scoring/
// tee-wallet.mmd) whose bootloader starts the normal world and whose
// normal-world software sends requests into the secure world.
func TestIsolationCritical(t *testing.T) {
	r := analyzeFile(t, filepath.Join(testcorpus.RepoRoot(t), "testdata", "scoring", "tee-wallet.mmd"))
	x := r.Index()
	got := map[string]string{}
	for i := range r.Threats {
		th := &r.Threats[i]
		if !strings.Contains(th.Rule, "-ISO-") {
			continue
		}
		var names []string
		for _, el := range threatElements(th) {
			names = append(names, x.ElementName(el))
		}
		sort.Strings(names)
		got[th.Rule] = string(th.Severity) + " on " + strings.Join(names, "; ")
	}
	want := map[string]string{
		"T-ISO-01": "Critical on Secure Bootloader → Android Kernel",
		"I-ISO-01": "Critical on Secure Bootloader → Android Kernel",
		"T-ISO-02": "Critical on Android Kernel → Trusted OS (OP-TEE); Wallet App → Payment Keys TA",
		"I-ISO-02": "Critical on Android Kernel → Trusted OS (OP-TEE); Wallet App → Payment Keys TA",
		// The switch into the secure world, on every secure process the
		// normal world can reach through it, not on the bootloader, which
		// has finished before the normal world runs; OP-TEE's catalog
		// entry credits none of it, so they stay Unmitigated.
		"E-ISO-01": "Medium on Payment Keys TA; Trusted OS (OP-TEE)",
		"I-ISO-03": "Medium on Payment Keys TA; Trusted OS (OP-TEE)",
		"D-ISO-01": "Medium on Payment Keys TA; Trusted OS (OP-TEE)",
	}
	for rule, w := range want {
		if got[rule] != w {
			t.Errorf("%s: got %q, want %q", rule, got[rule], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("isolation threats %v, want exactly %v", got, want)
	}
}
