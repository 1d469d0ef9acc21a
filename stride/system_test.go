package stride

import (
	"testing"

	"github.com/threatmap/threatmap/importers"
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
		// A model-level threat is on no component, unless it folds the
		// threats of its concern raised on components (concern.go: "no
		// audit log" with "actions through Records API cannot be traced"),
		// which keep their elements, listed in Members.
		onMember := map[string]bool{}
		for _, m := range th.Members {
			onMember[m.Element.ID] = m.Element.Type == "component"
		}
		if len(th.EntryPoints) != 0 && len(th.Members) == 0 {
			t.Errorf("%s: entry points %v", rule, th.EntryPoints)
		}
		for _, c := range r.Components {
			for _, id := range c.Threats {
				if id == th.ID && !onMember[c.ID] {
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
	a.readContext()
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

// T-SYS-03 counts software the owner deploys: hardware blocks, an
// ellipsis placeholder and a node standing for a whole cluster (a DOT edge
// to the cluster) are not services, and a drawn CI, repository or
// registry closes the gap.
func TestBuildPipelineServices(t *testing.T) {
	// A firmware diagram in the shape of TF-A's own DFD (testdata/expert/tf-a).
	const firmware = `digraph fw {
  compound=true
  node [shape=box]
  nsec [label="Non-secure\nClients"]
  uart [label="UART"]
  dbg [label="Debug & Trace"]
  nvm [label="Non-volatile\nMemory"]
  subgraph cluster_trusted {
    graph [style=dashed]
    subgraph cluster_ip {
      label="Hardware IPs"
      gic [label="GIC"]
      tzc [label="TZ\nController"]
      etc [label="..." shape=none style=none]
    }
    subgraph cluster_fw {
      label="Boot firmware"
      rom [label="Boot ROM\n(BL1)"]
      bl2 [label="Trusted Boot\nFirmware\n(BL2)"]
      bl31 [label="Runtime\n(BL31)"]
      upd [label="Flash Update Service"]
    }
  }
  nvm -> bl31 [lhead=cluster_fw]
  uart -> bl31 [lhead=cluster_fw]
  dbg -> bl2 [lhead=cluster_fw]
  nsec -> rom [lhead=cluster_fw]
  bl2 -> tzc [ltail=cluster_fw lhead=cluster_ip]
}`
	tests := []struct {
		name, file, src string
		title           string // T-SYS-03's title, "" when it must not fire
	}{
		{"firmware counts its four programs", "fw.dot", firmware, "No build pipeline in the design for its 4 services"},
		{"CI drawn", "ci.mmd", "flowchart LR\n  u([\"Customer\"])\n  subgraph app [App Tier]\n    a[\"Orders API\"]\n    b[\"Billing Service\"]\n    c[\"Email Worker\"]\n    ci[\"CI\"]\n  end\n  u -->|HTTPS| a\n  a --> b\n  a --> c\n  ci -->|deploy| a\n", ""},
		{"repo drawn", "repo.mmd", "flowchart LR\n  u([\"Customer\"])\n  subgraph app [App Tier]\n    a[\"Orders API\"]\n    b[\"Billing Service\"]\n    c[\"Email Worker\"]\n    r[(\"Orders repo\")]\n  end\n  u -->|HTTPS| a\n  a --> b\n  a --> c\n  r -->|clone| a\n", ""},
		{"hardware does not make three", "hw.mmd", "flowchart LR\n  u([\"Customer\"])\n  subgraph dev [Device]\n    a[\"Sensor Service\"]\n    b[\"Flash memory\"]\n    c[\"UART\"]\n    d[\"...\"]\n  end\n  u -->|BLE| a\n  a --> b\n  a --> c\n  a --> d\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := importers.Import(tt.file, []byte(tt.src), importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := analyze(t, ds[0], Options{})
			var got string
			for _, th := range r.Threats {
				if th.Rule == "T-SYS-03" {
					got = th.Title
				}
			}
			if got != tt.title {
				t.Errorf("T-SYS-03 title %q, want %q", got, tt.title)
			}
		})
	}
}
