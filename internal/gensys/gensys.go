// Package gensys generates one synthetic architecture of any size and
// writes it in every input format threatmap reads (draw.io with its own
// layout, Mermaid, DOT) and in the inputs of the peers it is compared with
// (a Threagile YAML model, a pytm Python model), so that growth benchmarks
// and peer comparisons run the same system through every path.
//
// A system of n components has an internet zone of users, third-party
// services outside every zone, and regions of 200 components (a VPC with a
// DMZ of gateways, an application tier of services and a data tier of
// stores), with about 1.5 flows per component whose labels name protocols,
// credentials and data classes. Everything derives from n: the same n
// gives the same bytes on every run.
package gensys

import (
	"fmt"
)

// Kind is a component kind, as the peers name them too.
type Kind string

// Component kinds.
const (
	External  Kind = "external"
	Process   Kind = "process"
	DataStore Kind = "datastore"
)

// Zone is a trust boundary; Parent is "" for a top-level zone.
type Zone struct {
	ID, Label, Parent string
	// Trust is 0 (internet) .. 3 (data tier).
	Trust int
}

// Component is one element of the system.
type Component struct {
	ID, Label string
	Kind      Kind
	// Zone is the innermost zone's ID, "" outside every zone.
	Zone string
	// Tech is a technology word for the peers (web-service-rest,
	// database, ...); Human marks a person.
	Tech  string
	Human bool
}

// Flow is a data flow between two components.
type Flow struct {
	ID, Source, Target string
	// Label is the flow's text as a diagram shows it ("HTTPS, JWT").
	Label string
	// Protocol, Auth and Data are what the label says, for the peers:
	// protocol word, credential (none, token, credentials) and data
	// class ("" or pii, card).
	Protocol, Auth, Data string
	Encrypted            bool
}

// System is a generated architecture.
type System struct {
	Name       string
	Zones      []Zone
	Components []Component
	Flows      []Flow
	// index of a component by ID
	at map[string]int
}

// Elements is the number of components and flows.
func (s *System) Elements() int { return len(s.Components) + len(s.Flows) }

// ForElements returns the system whose components and flows number about
// elements (about 2.35 elements per component).
func ForElements(elements int) *System { return New(elements * 20 / 47) }

// flowKinds are the flow labels the generator uses, with what they say.
var flowKinds = []struct {
	label, proto, auth, data string
	enc                      bool
}{
	{"HTTPS", "https", "none", "", true},
	{"HTTPS, JWT", "https", "token", "", true},
	{"gRPC, mTLS", "binary", "client-certificate", "", true},
	{"HTTP", "http", "none", "", false},
	{"SQL (PII)", "jdbc", "credentials", "pii", false},
	{"Redis, session tokens", "binary", "none", "", false},
	{"HTTPS, API key (card data)", "https", "credentials", "card", true},
	{"AMQP", "binary", "credentials", "", false},
}

// New generates a system of n components (at least 10).
func New(n int) *System {
	n = max(n, 10) // every zone gets a member
	s := &System{Name: fmt.Sprintf("Generated system %d", n), at: map[string]int{}}
	s.Zones = append(s.Zones, Zone{ID: "inet", Label: "Internet", Trust: 0})
	users := max(n/20, 1)
	saas := max(n/40, 1)
	for i := 0; i < users; i++ {
		s.add(Component{ID: fmt.Sprintf("u%d", i), Label: fmt.Sprintf("Customer %d", i), Kind: External, Zone: "inet", Tech: "browser", Human: true})
	}
	for i := 0; i < saas; i++ {
		s.add(Component{ID: fmt.Sprintf("x%d", i), Label: fmt.Sprintf("Payment Provider %d", i), Kind: External, Tech: "web-service-rest"})
	}
	rest := n - users - saas
	regions := max((rest+199)/200, 1)
	var gws, svcs, stores []string
	for r := 0; r < regions; r++ {
		vpc, dmz, app, data := fmt.Sprintf("vpc%d", r), fmt.Sprintf("dmz%d", r), fmt.Sprintf("app%d", r), fmt.Sprintf("data%d", r)
		s.Zones = append(s.Zones,
			Zone{ID: vpc, Label: fmt.Sprintf("Region %d VPC", r), Trust: 2},
			Zone{ID: dmz, Label: fmt.Sprintf("DMZ %d", r), Parent: vpc, Trust: 1},
			Zone{ID: app, Label: fmt.Sprintf("App Tier %d", r), Parent: vpc, Trust: 2},
			Zone{ID: data, Label: fmt.Sprintf("Data Tier %d", r), Parent: app, Trust: 3})
		lo, hi := r*rest/regions, (r+1)*rest/regions
		for i := lo; i < hi; i++ {
			switch k := i - lo; {
			case k%10 == 0:
				gws = append(gws, s.add(Component{ID: fmt.Sprintf("g%d", i), Label: fmt.Sprintf("API Gateway %d", i), Kind: Process, Zone: dmz, Tech: "gateway"}))
			case k%10 < 6:
				svcs = append(svcs, s.add(Component{ID: fmt.Sprintf("s%d", i), Label: fmt.Sprintf("Service %d", i), Kind: Process, Zone: app, Tech: "web-service-rest"}))
			default:
				label, tech := fmt.Sprintf("Orders DB %d (PostgreSQL)", i), "database"
				if k%10 == 9 {
					label, tech = fmt.Sprintf("Files Bucket %d (S3)", i), "file-server"
				}
				stores = append(stores, s.add(Component{ID: fmt.Sprintf("d%d", i), Label: label, Kind: DataStore, Zone: data, Tech: tech}))
			}
		}
	}
	if len(svcs) == 0 {
		svcs = append(svcs, s.add(Component{ID: "s-only", Label: "Service", Kind: Process, Zone: "app0", Tech: "web-service-rest"}))
	}
	if len(gws) == 0 {
		gws = svcs
	}
	if len(stores) == 0 {
		stores = svcs
	}
	// Flows: every user and provider to a gateway, every gateway to two
	// services, every service to a store and (every third) to another
	// service, every fifth to a provider, every store to a service (events
	// out of a queue); about 1.35 per component.
	pick := func(list []string, i int) string { return list[(i*7919+13)%len(list)] }
	providers := s.externals()
	flow := func(src, dst string, k int) {
		fk := flowKinds[k%len(flowKinds)]
		s.Flows = append(s.Flows, Flow{ID: fmt.Sprintf("f%d", len(s.Flows)), Source: src, Target: dst,
			Label: fk.label, Protocol: fk.proto, Auth: fk.auth, Data: fk.data, Encrypted: fk.enc})
	}
	for i, c := range s.Components {
		switch {
		case c.Human:
			flow(c.ID, pick(gws, i), 0)
		case c.Kind == External:
			flow(c.ID, pick(gws, i), 6)
		case c.Tech == "gateway":
			flow(c.ID, pick(svcs, i), 1+i%3)
			flow(c.ID, pick(svcs, i+2), 1+(i+1)%3)
		case c.Kind == DataStore:
			flow(c.ID, pick(svcs, i+3), 7)
		case c.Kind == Process:
			flow(c.ID, pick(stores, i), 4+i%2)
			if i%3 == 0 {
				flow(c.ID, pick(svcs, i+1), 2+i%2)
			}
			if i%5 == 0 {
				flow(c.ID, pick(providers, i), 6)
			}
		}
	}
	return s
}

func (s *System) add(c Component) string {
	s.at[c.ID] = len(s.Components)
	s.Components = append(s.Components, c)
	return c.ID
}

// externals are the third-party services.
func (s *System) externals() []string {
	var out []string
	for _, c := range s.Components {
		if c.Kind == External && !c.Human {
			out = append(out, c.ID)
		}
	}
	return out
}

// Component returns the component with id.
func (s *System) Component(id string) Component { return s.Components[s.at[id]] }

// tree is the zones and components under each zone ID ("" for the top).
type tree struct {
	zones map[string][]Zone
	comps map[string][]Component
}

func (s *System) tree() tree {
	t := tree{zones: map[string][]Zone{}, comps: map[string][]Component{}}
	for _, z := range s.Zones {
		t.zones[z.Parent] = append(t.zones[z.Parent], z)
	}
	for _, c := range s.Components {
		t.comps[c.Zone] = append(t.comps[c.Zone], c)
	}
	return t
}
