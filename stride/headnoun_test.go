package stride

import (
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// TestHeadNounKinds reads labels as a person does: the last noun decides
// what the element is, the words before it and a bracketed list qualify
// it. Each row is one component of a small diagram of our own, so that the
// technology reading (catalog) and the kind reading meet as in a real
// analysis. Real queues and stores stay queues and stores.
func TestHeadNounKinds(t *testing.T) {
	tests := []struct {
		label, shape string
		want         graph.Kind
		tech         string // "" for none; "*" for any
		reason       string // substring of the kind reason
	}{
		// qualifiers that name a technology or a store
		{"Queue Controller", "", graph.KindProcess, "", `"controller"`},
		{"Queue CM", "", graph.KindProcess, "", `head noun "cm"`},
		{"Job Controller", "", graph.KindProcess, "", ""},
		{"PodGroup Manager", "", graph.KindProcess, "", ""},
		{"Cache Manager", "", graph.KindProcess, "", "manager"},
		{"Database Driver", "", graph.KindProcess, "", `head noun "driver"`},
		{"Placement Driver", "", graph.KindProcess, "", `head noun "driver"`},
		{"Placement Driver", "oval", graph.KindProcess, "", `outweighs shape "oval"`},
		{"Metadata Service", "", graph.KindProcess, "", "service"},
		{"Config service", "oval", graph.KindProcess, "", `outweighs shape "oval"`},
		{"Queue Scheduler", "", graph.KindProcess, "", ""},
		{"Coordinator", "", graph.KindProcess, "", `head noun "coordinator"`},
		{"Object Storage Daemon 2", "", graph.KindProcess, "", "daemon"},
		// a custom resource definition and its list of kinds
		{"CRD (Job/Queue/PodGroup)", "", graph.KindProcess, "", `head noun "crd"`},
		{"external-secret CRDs", "", graph.KindProcess, "", "custom resources"},
		{"CRD's", "", graph.KindProcess, "", "custom resources"},
		// real queues and stores
		{"Job queue", "", graph.KindDataStore, "Message queue", `head noun "queue"`},
		{"Task Queue", "", graph.KindDataStore, "*", "queue"},
		{"Kafka topic", "", graph.KindDataStore, "Apache Kafka", ""},
		{"Kafka", "", graph.KindDataStore, "Apache Kafka", ""},
		{"Orders DB", "", graph.KindDataStore, "*", ""},
		{"Orders (PostgreSQL)", "", graph.KindDataStore, "PostgreSQL", ""},
		{"Session Cache (Redis)", "", graph.KindDataStore, "Redis", ""},
		{"Event store", "", graph.KindDataStore, "", `"store"`},
		{"Job queue", "cylinder", graph.KindDataStore, "*", "cylinder"},
		// software named by a product keeps the product
		{"Kafka Consumer", "", graph.KindProcess, "*", "consumer"},
		{"Redis", "", graph.KindDataStore, "Redis", ""},
		// a client that is part of the product, run by its callers
		{"Client SDK", "", graph.KindExternal, "", `"client"`},
		{"Go client library", "", graph.KindExternal, "", `"client"`},
		// people and organisations
		{"Producer", "", graph.KindExternal, "", "producer"},
		{"Consumers", "", graph.KindExternal, "", "consumer"},
		{"Maintainer", "", graph.KindExternal, "", "maintainer"},
		{"Reviewer", "", graph.KindExternal, "", "reviewer"},
		// "operator": a person who operates something, unless Kubernetes
		// or a product qualifies it (a Kubernetes operator is a controller)
		{"Release Operator", "", graph.KindExternal, "", "operator"},
		{"Network Operator", "", graph.KindExternal, "", "operator"},
		{"Cluster Operator", "", graph.KindProcess, "", `head noun "operator"`},
		{"Postgres Operator", "", graph.KindProcess, "*", `head noun "operator"`},
		{"Developer", "", graph.KindExternal, "", "developer"},
		{"Delivery Driver", "", graph.KindExternal, "", "driver"},
		{"Driver", "", graph.KindExternal, "", "driver"},
		{"Customer", "", graph.KindExternal, "", "customer"},
		{"Vendor", "", graph.KindExternal, "", "vendor"},
		{"Supplier", "", graph.KindExternal, "", "supplier"},
		{"Support Agent", "", graph.KindExternal, "", "support agent"},
		// roles that qualify software
		{"Consumer service", "", graph.KindProcess, "", "service"},
		{"Producer app", "", graph.KindProcess, "", "app"},
		{"Event producer", "", graph.KindProcess, "", "producer"},
		{"Maintainer Portal", "", graph.KindProcess, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.label+"/"+tc.shape, func(t *testing.T) {
			d := mini(t, []string{"n:Storage node:"}, []string{"osd:OSD::n", "x:" + tc.label + ":" + tc.shape + ":"}, []string{"x>osd:request"})
			r := analyze(t, d, Options{})
			for _, c := range r.Components {
				if c.Label != tc.label {
					continue
				}
				if graph.Kind(c.Kind) != tc.want || !strings.Contains(c.KindReason, tc.reason) {
					t.Errorf("kind %s (%s), want %s with %q", c.Kind, c.KindReason, tc.want, tc.reason)
				}
				if tc.tech == "*" && c.Technology == "" || tc.tech != "*" && c.Technology != tc.tech {
					t.Errorf("technology %q (%s), want %q", c.Technology, c.TechnologyReason, tc.tech)
				}
				return
			}
			t.Fatalf("no component %q", tc.label)
		})
	}
}

// TestClientToolsCanBeSpoofed: a product's own client (an SDK, a client
// library) drawn outside the cluster is a caller, and a spoofing threat
// names it. (kubectl is left a process: read as an external entity it hid
// the spoofing of the operator who runs it; see docs/accuracy.md.)
func TestClientToolsCanBeSpoofed(t *testing.T) {
	d := mini(t, []string{"k:Cluster:"},
		[]string{"api:Kubernetes API Server::k", "lib:Go client library::", "sdk:Client SDK::"},
		[]string{"lib>api:watch", "sdk>api:requests"})
	r := analyze(t, d, Options{})
	for _, name := range []string{"Go client library", "Client SDK"} {
		found := false
		for _, th := range r.Threats {
			if th.Stride == "S" && strings.Contains(th.Title, name) {
				found = true
			}
		}
		if !found {
			t.Errorf("no spoofing threat names %s", name)
		}
	}
}

// TestOutsideFrameServersArePartOfTheSystem: a cluster's coordination
// parts drawn beside the node frames (a placement driver, a metadata
// service in an oval, a scheduler, a worker) are the system's processes,
// not external entities and not the internet.
func TestOutsideFrameServersArePartOfTheSystem(t *testing.T) {
	d := mini(t, []string{"n1:Storage node 1:", "n2:Storage node 2:"},
		[]string{"osd1:Object Storage Daemon::n1", "osd2:Object Storage Daemon::n2",
			"pd:Placement Driver::", "meta:Metadata service:oval:", "sched:Scheduler::", "w:Compaction Worker::"},
		[]string{"pd>osd1:placement", "meta>osd2:metadata", "sched>w:tasks", "w>osd2:compact"})
	r := analyze(t, d, Options{})
	for _, c := range r.Components {
		if c.Boundary != "" {
			continue
		}
		if graph.Kind(c.Kind) != graph.KindProcess || c.Trust == TrustUntrusted {
			t.Errorf("%s: %s at trust %d (%s; %s), want a process of the system", c.Label, c.Kind, c.Trust, c.KindReason, c.ZoneReason)
		}
	}
}
