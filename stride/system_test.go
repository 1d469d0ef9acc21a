package stride

import (
	"testing"
)

// Model-level gaps are threats on the system as a whole: element type
// "system" with no id, named "the system", with a stable identity and
// fingerprint, no entry points, and on no component's list.
func TestSystemThreats(t *testing.T) {
	const src = "flowchart LR\n  u([\"Patient\"])\n  subgraph app [App Tier]\n    api[\"Records API\"]\n    db[(\"Records DB (PHI)\")]\n  end\n  u -->|HTTPS| api\n  api -->|SQL| db\n"
	d, err := parseMermaid("system.mmd", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Analyze(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Threat{}
	for _, th := range r.Threats {
		if th.Element.Type == AppliesSystem {
			got[th.Rule] = th
		}
	}
	// A records API holding a database password, a patient signing in,
	// PHI: no secrets store, no identity provider, no audit log. One
	// service is not enough to ask for a build pipeline.
	for _, rule := range []string{"I-SYS-01", "S-SYS-02", "R-SYS-04"} {
		th, ok := got[rule]
		if !ok {
			t.Errorf("no %s threat on the system; have %v", rule, got)
			continue
		}
		if th.Element.ID != "" || th.ElementName != SystemElementName {
			t.Errorf("%s: element %+v %q", rule, th.Element, th.ElementName)
		}
		if th.Identity.Element != "system" || th.Identity.Label != "system" || th.Fingerprint != ThreatFingerprint(rule, "system") {
			t.Errorf("%s: identity %+v fingerprint %s", rule, th.Identity, th.Fingerprint)
		}
		if len(th.EntryPoints) != 0 {
			t.Errorf("%s: entry points %v", rule, th.EntryPoints)
		}
		for _, c := range r.Components {
			for _, id := range c.Threats {
				if id == th.ID {
					t.Errorf("%s (%s) listed on component %s", rule, th.ID, c.Label)
				}
			}
		}
	}
	if _, ok := got["T-SYS-03"]; ok {
		t.Error("T-SYS-03 fired on a one-service diagram")
	}
	if len(got) != 3 {
		t.Errorf("%d system threats, want 3", len(got))
	}
}

// The diagram-wide facts are the same on every element's Env.
func TestSystemFactsOnEveryEnv(t *testing.T) {
	const src = "flowchart LR\n  u([\"Patient\"])\n  subgraph app [App Tier]\n    api[\"Records API\"]\n    v[\"Vault\"]\n    db[(\"Records DB (PHI)\")]\n  end\n  u -->|HTTPS| api\n  api -->|SQL| db\n  api -->|HTTPS| v\n"
	d, err := parseMermaid("facts.mmd", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	a := &analysis{d: d, workers: 1}
	a.classify()
	a.readFlows()
	a.placeOutsiders()
	a.crossFlows()
	a.pairResponses()
	a.propagate()
	a.entryPoints()
	a.buildEnvs()
	envs := []*Env{a.sysEnv}
	for _, ci := range a.comps {
		envs = append(envs, ci.env)
	}
	for _, fi := range a.flows {
		envs = append(envs, fi.env)
	}
	for _, e := range envs {
		if e.SecretsStores != "Vault" || e.SignInPeople != "Patient" || e.CredentialHolders != "Records API" || e.RegulatedData != "PHI" || e.IdentityStores != "" {
			t.Errorf("%s: secrets %q, sign-in %q, holders %q, regulated %q, identity %q", e.Name,
				e.SecretsStores, e.SignInPeople, e.CredentialHolders, e.RegulatedData, e.IdentityStores)
		}
	}
}
