package stride

import (
	"reflect"
	"strings"
	"testing"
)

// Words with an operational sense name no data in it, and keep their data
// sense where the text says so: both readings of each.
func TestFalseSenses(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		// health: a probe of a service, or a person's health
		{"Health check", nil},
		{"GET /healthz", nil},
		{"liveness and readiness probes", nil},
		{"kubelet health and status", nil},
		{"node health metrics", nil},
		{"heartbeat (health)", nil},
		{"Health records", []string{DataPHI}},
		{"patient health status", []string{DataPHI}},
		{"health check results of the patient", []string{DataPHI}},
		{"health data", []string{DataPHI}},
		{"Health", []string{DataPHI}},
		// diagnostics: a device's own state, or a diagnosis
		{"Diagnostics service", nil},
		{"diagnostic logs", nil},
		{"diagnostic imaging results", []string{DataPHI}},
		{"diagnosis", []string{DataPHI}},
		// card: a piece of a page or a device slot, or card data
		{"card layout", nil},
		{"Kanban card board", nil},
		{"SD card", nil},
		{"credit card", []string{DataPCI}},
		{"card number", []string{DataPCI}},
		{"card view with card number", []string{DataPCI}},
		{"card", []string{DataPCI}},
		// token: a language model's text, a rate limiter, or a credential
		{"Tokenizer", nil},
		{"token bucket rate limiter", nil},
		{"LLM token usage", nil},
		{"access token", []string{DataCredentials}},
		{"token bucket of API tokens", []string{DataCredentials}},
		{"tokens", []string{DataCredentials}},
		// session and cookie: load-balancer settings or a sign-in
		{"sticky sessions", nil},
		{"cookie consent banner", nil},
		{"session cookie", []string{DataCredentials}},
		{"sticky session with auth cookie", []string{DataCredentials}},
		// not data at all
		{"Secretary", nil},
		{"CPU profiler", nil},
		{"user profile", []string{DataPII}},
		{"Transactional email", nil},
		{"WAL commit transactions", nil},
		{"payment transactions", []string{DataFinancial}},
		{"Transactions DB", []string{DataFinancial}},
		// a status page reports uptime
		{"Payment status page", nil},
		{"payment status", []string{DataFinancial}},
		// tokenised card data is payment tokens, as before
		{"tokenized card data", []string{DataTokens}},
	} {
		if got := ParseSensitivity(tc.text); !reflect.DeepEqual(got, nonNil(tc.want)) {
			t.Errorf("ParseSensitivity(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// A health-check flow does not put a system in health care, and an
// account service is a payment system's holder unless it names software's
// accounts.
func TestFalseSensesInTheDomain(t *testing.T) {
	d := importText(t, "ops.mmd", `flowchart LR
  lb[Load Balancer] -->|health check| api[Orders API]
  mon[Health Monitor] -->|GET /healthz| api
  api --> db[(Orders DB)]
`)
	r := analyze(t, d, Options{})
	for _, c := range r.Components {
		if contains(c.Sensitivity, DataPHI) {
			t.Errorf("%s holds PHI: %v", c.Label, c.DataReasons)
		}
	}
	for _, f := range r.Flows {
		if contains(f.Sensitivity, DataPHI) {
			t.Errorf("flow %s carries PHI", f.Label)
		}
	}
	d = importText(t, "payments.mmd", `flowchart LR
  u((Customer)) -->|HTTPS| co[Checkout Service]
  co --> acct[Account Service]
  co --> sa[Service Account Broker]
`)
	r = analyze(t, d, Options{})
	got := map[string][]string{}
	for _, c := range r.Components {
		got[c.Label] = c.Sensitivity
	}
	if !contains(got["Account Service"], DataFinancial) {
		t.Errorf("Account Service in a payment system: %v, want financial data", got["Account Service"])
	}
	if contains(got["Service Account Broker"], DataFinancial) {
		t.Errorf("Service Account Broker: %v, want no financial data", got["Service Account Broker"])
	}
}

// What a description, tooltip, note or comment says an element holds is
// read for data classes, with the evidence, in every input format; a
// clause that negates names nothing.
func TestDescribedData(t *testing.T) {
	td := `{"version":"2.2.0","summary":{"title":"Shop"},"detail":{"diagrams":[{"title":"Shop","id":0,"diagramType":"STRIDE","version":"2.2.0","cells":[` +
		`{"id":"p1","shape":"process","position":{"x":0,"y":0},"size":{"width":100,"height":100},"data":{"type":"tm.Process","name":"Orders API"}},` +
		`{"id":"s1","shape":"store","position":{"x":300,"y":0},"size":{"width":100,"height":80},"data":{"type":"tm.Store","name":"Customers","description":"Contains name, address, card number"}},` +
		`{"id":"f1","shape":"flow","source":{"cell":"p1"},"target":{"cell":"s1"},"labels":["SQL"],"data":{"type":"tm.Flow","description":"writes card numbers"}}]}]}}`
	otm := `otmVersion: 0.2.0
project: {name: Shop, id: shop}
trustZones: [{name: Cloud, id: cloud, risk: {trustRating: 60}}]
components:
  - {name: Orders API, id: api, type: web-service, parent: {trustZone: cloud}}
  - {name: Customers, id: db, type: sql-database, parent: {trustZone: cloud}, description: "Contains name, address, card number"}
dataflows:
  - {name: SQL, id: f1, source: api, destination: db, description: "writes card numbers"}
`
	for _, tc := range []struct{ name, text string }{
		{"shop.dot", `digraph { api [label="Orders API"]; db [label="Customers", shape=cylinder, comment="Contains name, address, card number"];
  api -> db [label="SQL", tooltip="writes card numbers"] }`},
		{"shop-desc.dot", `digraph { api [label="Orders API"]; db [label="Customers", shape=cylinder, description="Contains name, address, card number"];
  api -> db [label="SQL", description="writes card numbers"] }`},
		{"shop.mmd", `flowchart LR
  api[Orders API] -->|SQL| db[(Customers)]
  click db "https://wiki.example/customers" "Contains name, address, card number"
`},
		{"shop.drawio", `<mxfile><diagram name="Shop"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>` +
			`<mxCell id="api" value="Orders API" style="rounded=0;" vertex="1" parent="1"><mxGeometry x="0" y="0" width="120" height="60" as="geometry"/></mxCell>` +
			`<object id="db" label="Customers" tooltip="Contains name, address, card number"><mxCell style="shape=cylinder3;" vertex="1" parent="1"><mxGeometry x="300" y="0" width="80" height="80" as="geometry"/></mxCell></object>` +
			`<object id="f1" label="SQL" description="writes card numbers"><mxCell edge="1" source="api" target="db" parent="1"><mxGeometry relative="1" as="geometry"/></mxCell></object>` +
			`</root></mxGraphModel></diagram></mxfile>`},
		{"shop.json", td},
		{"shop.otm.yaml", otm},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := analyze(t, importText(t, tc.name, tc.text), Options{})
			var db *Component
			for i := range r.Components {
				if r.Components[i].Label == "Customers" {
					db = &r.Components[i]
				}
			}
			if db == nil {
				t.Fatalf("no Customers store: %+v", r.Components)
			}
			for _, c := range []string{DataPCI, DataPII} {
				if !contains(db.Sensitivity, c) {
					t.Errorf("Customers: %v, want %s", db.Sensitivity, c)
				}
				if why := db.DataReasons[c]; !strings.Contains(why, `says "Contains name, address, card number"`) {
					t.Errorf("Customers: reason for %s = %q", c, why)
				}
			}
			if tc.name == "shop.mmd" {
				return // a Mermaid link has no tooltip
			}
			for _, f := range r.Flows {
				if f.Label == "SQL" && !strings.Contains(f.DataReasons[DataPCI], `says "writes card numbers"`) {
					t.Errorf("flow SQL: %v %v, want PCI from its description", f.Sensitivity, f.DataReasons)
				}
			}
		})
	}
}

func TestDescribedDataClauses(t *testing.T) {
	for _, tc := range []struct {
		attrs map[string]string
		want  []string
	}{
		{map[string]string{"comment": "Contains name, address, card number"}, []string{DataPCI, DataPII}},
		{map[string]string{"description": "Holds names and addresses, but no card data"}, []string{DataPII}},
		{map[string]string{"description": "Never stores passwords; keeps order history and invoices"}, []string{DataFinancial}},
		{map[string]string{"Tooltip": "Stores session tokens"}, []string{DataCredentials}},
		{map[string]string{"c4Description": "Patient records and lab results"}, []string{DataPHI}},
		// software's names and addresses are no record of people
		{map[string]string{"description": "Maps host names to IP addresses"}, nil},
		{map[string]string{"description": "Job name and status"}, nil},
		{map[string]string{"description": "Serves /healthz for the load balancer's health checks"}, nil},
		// not a description
		{map[string]string{"owner": "card team"}, nil},
		// threatmap's own summary in its Threat Dragon export
		{map[string]string{"description": "datastore (shape \"cylinder\"); zone Data, trust 4 (data); data: PHI"}, nil},
		{map[string]string{"description": "entry point EP-1 (inbound); encrypted: true; authentication: jwt; data: PII"}, nil},
		{map[string]string{"click": `callback "Payment card vault"`}, []string{DataPCI, DataFinancial}},
		{map[string]string{"click": `"https://card.example/"`}, nil},
	} {
		got, why := describedData(tc.attrs)
		if !reflect.DeepEqual(got, nonNil(tc.want)) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("describedData(%v) = %v (%v), want %v", tc.attrs, got, why, tc.want)
		}
	}
}
