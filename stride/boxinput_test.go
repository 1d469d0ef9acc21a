package stride

import (
	"testing"

	"github.com/threatmap/threatmap/importers/dot"
)

// TestInputToFrameReachesItsContents checks that an arrow drawn to a
// frame as a whole (DOT's lhead, a box several components stand in)
// delivers untrusted input to the processes drawn inside it, which have no
// arrow of their own: their content reach is that of the frame's callers.
// A frame only an internal scheduler calls keeps its contents internal.
func TestInputToFrameReachesItsContents(t *testing.T) {
	const src = `digraph support {
  compound=true;
  customer [label="Customer", shape=box];
  gw [label="Support API"];
  cron [label="Nightly Scheduler"];
  subgraph cluster_runtime {
    label="Assistant runtime";
    planner [label="Reply Planner"];
    refunds [label="Refund Tool"];
  }
  subgraph cluster_batch {
    label="Batch jobs";
    export [label="Report Builder"];
    purge [label="Purge Job"];
  }
  customer -> gw [label="HTTPS"];
  gw -> planner [lhead=cluster_runtime, label="ticket text"];
  cron -> export [lhead=cluster_batch, label="start"];
}`
	ds, err := dot.Import("support.dot", []byte(src), dot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := analyze(t, ds[0], Options{Unfolded: true})
	tests := []struct {
		comp    string
		content int // the content reach E-BASE-PRC reads (exposure.content)
	}{
		{"Reply Planner", reachPartner},
		{"Refund Tool", reachPartner},
		{"Report Builder", reachInternal},
		{"Purge Job", reachInternal},
	}
	for _, tc := range tests {
		th := oneThreat(t, r, "E-BASE-PRC", tc.comp)
		if th.Scoring.Exposure != tc.content {
			t.Errorf("E-BASE-PRC on %s: exposure %d (%s), want %d", tc.comp, th.Scoring.Exposure, th.Scoring.ExposureReason, tc.content)
		}
	}
}
