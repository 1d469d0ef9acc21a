package stride

import (
	"reflect"
	"strings"
	"testing"
)

// A records service in a patient portal handles health data, a login
// service handles credentials, and what a process handles reaches the log
// it writes, each inferred with its reason and a question to confirm it.
func TestInferData(t *testing.T) {
	d := importText(t, "patient-portal.mmd", `flowchart LR
  p((Patient)) -->|HTTPS| web[Portal Web]
  web --> login[Login Service]
  web --> rec[Records Service]
  rec --> db[(Records DB)]
  rec --> logs[(Audit Log)]
  web --> cat[Catalog Service]
`)
	r := analyze(t, d, Options{})
	sens := map[string][]string{}
	for _, c := range r.Components {
		sens[c.Label] = c.Sensitivity
	}
	want := map[string][]string{
		"Patient": {DataPHI, DataCredentials}, "Portal Web": {DataPHI, DataCredentials}, "Login Service": {DataCredentials},
		"Records Service": {DataPHI}, "Records DB": {DataPHI}, "Audit Log": {DataPHI}, "Catalog Service": {},
	}
	for k, v := range want {
		if len(v) == 0 && len(sens[k]) == 0 {
			continue
		}
		if !reflect.DeepEqual(sens[k], v) {
			t.Errorf("%s: %v, want %v", k, sens[k], v)
		}
	}
	if !hasQuestion(r, `Does Login Service handle credentials? The diagram does not say`) {
		t.Errorf("no credentials question: %+v", r.OpenQuestions)
	}
	found := false
	for _, q := range r.OpenQuestions {
		if strings.HasPrefix(q.Question, "Do Audit Log, Records DB and Records Service handle PHI?") &&
			strings.Contains(q.Question, `Records Service: its label says "record" in a health-care system`) &&
			strings.Contains(q.Question, "Audit Log: it receives what Records Service handles") {
			found = true
		}
	}
	if !found {
		t.Errorf("no PHI question: %+v", r.OpenQuestions)
	}
}

// Outside health care, records are just records; a stated sensitivity is
// never replaced by an inferred one.
func TestInferDataNeedsTheDomain(t *testing.T) {
	d := importText(t, "shop.mmd", `flowchart LR
  u((Customer)) -->|HTTPS| rec[Records Service]
  rec --> db[(Records DB: PII)]
`)
	r := analyze(t, d, Options{})
	for _, c := range r.Components {
		if c.Label == "Records Service" && contains(c.Sensitivity, DataPHI) {
			t.Errorf("PHI inferred outside health care: %v", c.Sensitivity)
		}
	}
	for _, q := range r.OpenQuestions {
		if strings.Contains(q.Question, "threatmap assumed so") {
			t.Errorf("unexpected inference: %s", q.Question)
		}
	}
}
