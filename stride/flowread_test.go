package stride

import (
	"testing"
)

// An arrow labelled "poll" or "GET" points at what is fetched: the data
// moves against it. A worker polling a partner's API takes untrusted input;
// a worker polling a queue consumes it and does not write it.
func TestPullFlowsMoveDataAgainstTheArrow(t *testing.T) {
	d := importText(t, "pull.mmd", `flowchart LR
  subgraph vpc [Production VPC]
    w[Sync Worker]
    q[(Jobs Queue)]
    db[(Orders DB)]
  end
  p[Partner API]
  w -->|poll every minute, HTTPS| p
  w -->|poll| q
  w -->|SQL| db
`)
	r := analyze(t, d, Options{})
	var env *Env
	a := &analysis{d: d, workers: 1}
	a.classify()
	a.readFlows()
	a.placeOutsiders()
	a.crossFlows()
	a.propagate()
	a.buildEnvs()
	for _, ci := range a.comps {
		if ci.label == "Sync Worker" {
			env = ci.env
		}
	}
	if env == nil || !env.UntrustedInput {
		t.Fatalf("the worker polling a partner API takes untrusted input: %+v", env)
	}
	if !env.ConsumesQueue || env.Queues != "Jobs Queue" || env.StoresWritten != "Orders DB" {
		t.Errorf("worker: consumes %v %q, writes %q", env.ConsumesQueue, env.Queues, env.StoresWritten)
	}
	if len(r.Threats) == 0 {
		t.Error("no threats")
	}
}

func TestParsePull(t *testing.T) {
	for label, want := range map[string]bool{
		"poll": true, "GET /orders": true, "reads config": true, "subscribe": true,
		"read/write": false, "SQL": false, "send events": false, "": false, "fetch and update": false,
	} {
		if got := ParseFlow(label, nil).Pull; got != want {
			t.Errorf("ParseFlow(%q).Pull = %v, want %v", label, got, want)
		}
	}
}
