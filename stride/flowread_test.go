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
  q2[(Outbox Queue)] -->|SQS poll| w2[Mailer]
  c((Customer)) -->|GET /orders| api[Orders API]
`)
	r := analyze(t, d, Options{})
	var env *Env
	a := &analysis{d: d, workers: 1}
	a.readContext()
	for _, ci := range a.comps {
		if ci.label == "Sync Worker" {
			env = ci.env
		}
	}
	for _, ci := range a.comps {
		if ci.label == "Mailer" && (!ci.env.ConsumesQueue || ci.env.Queues != "Outbox Queue") {
			t.Errorf("a poll arrow drawn from the queue to its reader: consumes %v %q", ci.env.ConsumesQueue, ci.env.Queues)
		}
		// A customer's GET request is still input from the customer.
		if ci.label == "Orders API" && !ci.env.UntrustedInput {
			t.Error("a GET from a customer is not untrusted input to the API")
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

// A request and its response drawn as two arrows are one interaction: one
// entry point, one set of transit threats. A charge and a webhook between
// the same two systems are two.
func TestRequestResponsePairs(t *testing.T) {
	d := importText(t, "pairs.mmd", `flowchart LR
  subgraph vpc [Production VPC]
    api[Orders API]
  end
  u((Customer))
  psp[Stripe]
  u -->|HTTPS order| api
  api -->|response| u
  api -->|charge, HTTPS| psp
  psp -->|webhook, HTTPS| api
`)
	r := analyze(t, d, Options{})
	var names []string
	for _, ep := range r.EntryPoints {
		names = append(names, ep.Name)
	}
	want := []string{"Customer → Orders API", "Stripe → Orders API", "Orders API → Stripe"}
	if len(names) != 3 {
		t.Fatalf("entry points %q, want %q", names, want)
	}
	for _, w := range want {
		if !contains(names, w) {
			t.Errorf("entry points %q lack %q", names, w)
		}
	}
	for _, th := range r.Threats {
		if th.ElementName == "Orders API → Customer" && th.Rule[2:6] == "BASE" {
			t.Errorf("coverage threat on the response: %s", th.Title)
		}
	}
}
