package testsupport

import (
	"testing"

	"github.com/threatmap/threatmap/stride"
)

// FiveStatuses gives threats of r every status a threat can have: one each
// that the analysis left Unmitigated, Partial and Mitigated, and two more
// Unmitigated ones that an owner Accepted and Transferred (as a baseline
// or the register carries them, through stride.ApplyOverrides). It
// returns threat ID → status for the five, and fails the test when the
// report lacks a threat of one of the analysis' statuses.
func FiveStatuses(t testing.TB, r *stride.Report) map[string]string {
	t.Helper()
	want := map[string]string{}
	have := map[string]bool{}
	var spare []int
	for i := range r.Threats {
		th := &r.Threats[i]
		switch {
		case !have[th.Status]:
			have[th.Status] = true
			want[th.ID] = th.Status
		case th.Status == stride.StatusUnmitigated:
			spare = append(spare, i)
		}
	}
	for _, s := range []string{stride.StatusUnmitigated, stride.StatusPartial, stride.StatusMitigated} {
		if !have[s] {
			t.Fatalf("no %s threat in the report", s)
		}
	}
	if len(spare) < 2 {
		t.Fatalf("%d spare Unmitigated threats, want 2", len(spare))
	}
	for k, s := range []struct{ status, treatment string }{
		{stride.StatusAccepted, "Accept"}, {stride.StatusTransferred, "Transfer"},
	} {
		th := &r.Threats[spare[k]]
		th.Tracking = &stride.Tracking{Status: s.status, Treatment: s.treatment, Justification: "decided in review"}
		stride.ApplyOverrides(th)
		want[th.ID] = s.status
	}
	return want
}
