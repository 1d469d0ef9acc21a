package stride

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

func TestLoadConfigAndOverrides(t *testing.T) {
	cfg, err := ParseConfig("conf/threatmap.yaml", []byte(`system: Telehealth (prod)
components:
  Reminder Queue (SQS):
    sensitivity: [PHI]
    controls: [encryption-at-rest, dlq]
  notify:
    kind: process
  Session Cache (Redis): {controls: [redis-auth]}
  Patient: {kind: external, trust: untrusted}
  Ghost: {kind: datastore}
boundaries:
  DMZ: {trust: 2}
flows:
  Notification Worker -> SendGrid Email: {protocol: SMTPS, auth: api-key}
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.System != "Telehealth (prod)" || cfg.Path != "conf/threatmap.yaml" {
		t.Errorf("config %+v", cfg)
	}
	if got := cfg.Components["Reminder Queue (SQS)"].Sensitivity; !reflect.DeepEqual([]string(got), []string{"PHI"}) {
		t.Errorf("sensitivity %v", got)
	}
	d := telehealthSpec().build(t, nil, nil)
	base := analyze(t, d, Options{})
	r := analyze(t, d, Options{Config: cfg})
	if r.System != "Telehealth (prod)" {
		t.Errorf("system %q", r.System)
	}
	// Sensitivity on the queue: it now holds PHI, gets a disclosure threat
	// (mitigated by the declared encryption at rest), and the question
	// about its contents is gone.
	th := oneThreat(t, r, "I-DS-03", "Reminder Queue (SQS)")
	if !reflect.DeepEqual(th.ExistingControls, []string{"encryption-at-rest"}) {
		t.Errorf("I-DS-03 controls %v", th.ExistingControls)
	}
	if hasQuestion(r, "What data does Reminder Queue (SQS) hold") || !hasQuestion(base, "What data does Reminder Queue (SQS) hold") {
		t.Error("queue sensitivity question not answered by the config")
	}
	// PHI propagates from the queue to the worker's flows.
	for _, f := range r.Flows {
		if f.Label == "SQS poll" && !contains(f.Sensitivity, "PHI") {
			t.Errorf("SQS poll sensitivity %v", f.Sensitivity)
		}
	}
	// Trust override on a boundary: the DMZ is now internal, so the
	// gateway → app flows no longer enter a more trusted zone.
	for _, b := range r.Boundaries {
		if b.Label == "DMZ" && (b.Trust != 2 || b.TrustReason != "set in the configuration file") {
			t.Errorf("DMZ trust %d %q", b.Trust, b.TrustReason)
		}
	}
	for _, e := range r.EntryPoints {
		if e.Name == "API Gateway → Web App" && e.Direction != "lateral" {
			t.Errorf("API Gateway → Web App direction %s", e.Direction)
		}
	}
	// Flow override: SMTPS with an API key is encrypted, so the cleartext
	// threats on it are gone.
	if n := len(threatsBy(r, "T-FLW-01", "Notification Worker → SendGrid Email")); n != 0 {
		t.Errorf("T-FLW-01 still raised on an SMTPS flow")
	}
	for _, f := range r.Flows {
		if f.Label == "SMTP" && (f.Protocol != "SMTPS" || f.Encrypted != EncTrue || f.Authenticated != "api-key") {
			t.Errorf("flow override: %+v", f)
		}
	}
	// Control on a store mitigates the matching threat.
	if th := oneThreat(t, r, "S-INT-03", "Auth Service → Session Cache (Redis)"); th.Status == "Unmitigated" {
		t.Errorf("redis-auth control ignored: %+v", th.ExistingControls)
	}
	// An unmatched key is a warning, not an error.
	if !contains(r.Warnings, "configuration components: Ghost matches no element") {
		t.Errorf("warnings %v", r.Warnings)
	}
}

func TestConfigKindOverride(t *testing.T) {
	d := mini(t, []string{"a:App:"}, []string{"x:Frobnicator::a", "y:Billing API::a"}, []string{"y>x:SQL"})
	cfg := &Config{Components: map[string]ComponentConfig{"x": {Kind: "datastore"}}}
	r := analyze(t, d, Options{Config: cfg})
	for _, c := range r.Components {
		if c.ID == "x" && (c.Kind != "datastore" || c.KindReason != "set in the configuration file") {
			t.Errorf("kind override: %+v", c)
		}
	}
	if hasQuestion(r, "Is Frobnicator an external entity") {
		t.Error("classification question despite the config")
	}
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct {
		src, want string
		line      int
	}{
		{"system: x\ncomponents:\n  A: {kind: process, colour: red}\n", "field colour not found", 3},
		{"sytem: x\n", "field sytem not found", 1},
		{"components:\n  A:\n    kind: blob\n", "unknown component kind", 3},
		{"boundaries:\n  B:\n    trust: 7\n", "unknown trust level", 3},
		{"flows:\n  F:\n    encrypted: maybe\n", "encrypted must be", 3},
		{"flows:\n  F:\n    auth: magic\n", "unknown auth", 3},
		{"components:\n  A:\n    sensitivity: [PHI, gossip]\n", "unknown data class", 3},
	}
	for _, tt := range tests {
		_, err := ParseConfig("threatmap.yaml", []byte(tt.src))
		var ie *graph.InputError
		if err == nil || !errors.As(err, &ie) {
			t.Errorf("%q: error %v, want an InputError", tt.src, err)
			continue
		}
		if !strings.Contains(ie.Msg, tt.want) || ie.Pos.Line != tt.line || ie.File != "threatmap.yaml" {
			t.Errorf("%q: error %q at line %d, want %q at line %d", tt.src, err, ie.Pos.Line, tt.want, tt.line)
		}
	}
	if cfg, err := ParseConfig("empty.yaml", nil); err != nil || cfg == nil {
		t.Errorf("empty config: %v", err)
	}
}

func TestConfigDocument(t *testing.T) {
	cfg, err := ParseConfig("threatmap.yaml", []byte(`system: Telehealth
document:
  version: "2.1"
  owner: Security Architecture
  reviewers: [Ana, Bo]
  classification: Confidential
  overview: Patients book video consultations.
  assumptions:
    - Clinicians use managed devices.
`))
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.Document
	if d.Version != "2.1" || d.Owner != "Security Architecture" || len(d.Reviewers) != 2 || d.Classification != "Confidential" ||
		d.Overview == "" || len(d.Assumptions) != 1 || d.Empty() {
		t.Errorf("document %+v", d)
	}
	if !(&Document{}).Empty() {
		t.Error("empty document not Empty")
	}
}
