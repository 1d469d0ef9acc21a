package stride

import (
	"reflect"
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
