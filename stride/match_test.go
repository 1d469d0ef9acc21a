package stride

import (
	"slices"
	"testing"
)

// Interaction rules read the flow's own Env unless they read Element;
// then they see "interaction", as they always did, and rules that do
// not read it are rated as interactions all the same.
func TestInteractionRulesSeeTheirElement(t *testing.T) {
	d, err := parseMermaid("x.mmd", []byte("flowchart LR\n  u([\"Customer\"]) -->|HTTPS| api[\"Orders API\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, rules string
		titles      []string
		interEnvs   bool
	}{
		{"no rule reads Element", `
  - {id: X-1, category: I, applies_to: [interaction], when: 'Protocol == "HTTPS"', title: 'plain {{.Name}}', description: d, likelihood: 3, impact: 3}
  - {id: X-2, category: I, applies_to: [flow], when: 'true', title: 'flow {{.Name}}', description: d, likelihood: 3, impact: 3}
`, []string{"flow Customer → Orders API", "plain Customer → Orders API"}, false},
		{"a condition reads Element", `
  - {id: X-1, category: I, applies_to: [interaction], when: 'Element == "interaction"', title: 'as {{.Element}}', description: d, likelihood: 3, impact: 3}
  - {id: X-2, category: I, applies_to: [interaction], when: 'Element == "flow"', title: 'never', description: d, likelihood: 3, impact: 3}
  - {id: X-3, category: I, applies_to: [flow], when: 'Element == "flow"', title: 'as {{.Element}}', description: d, likelihood: 3, impact: 3}
`, []string{"as flow", "as interaction"}, true},
		{"a template reads the Env through $env", `
  - {id: X-1, category: I, applies_to: [interaction], when: '$env.Element == "interaction"', title: 't', description: d, likelihood: 3, impact: 3}
`, []string{"t"}, true},
	} {
		rs, err := ParseRules("x.yaml", []byte("rules:"+tt.rules))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		r := analyze(t, d, Options{Rules: rs, Unfolded: true})
		var titles []string
		for _, th := range r.Threats {
			titles = append(titles, th.Title)
		}
		slices.Sort(titles)
		if !slices.Equal(titles, tt.titles) {
			t.Errorf("%s: titles %q, want %q", tt.name, titles, tt.titles)
		}
		var ptrs []*Rule
		for i := range rs {
			ptrs = append(ptrs, &rs[i])
		}
		a := &analysis{d: d}
		a.readContext()
		a.interactionEnvs(ptrs)
		if got := a.interEnvs != nil; got != tt.interEnvs {
			t.Errorf("%s: interaction Envs made %v, want %v", tt.name, got, tt.interEnvs)
		}
	}
}

// An interaction threat is rated as an interaction whichever Env it
// read: network isolation limits disclosure on a flow's path, not on an
// interaction (isolationLimits).
func TestInteractionRatedAsInteraction(t *testing.T) {
	for _, tt := range []struct {
		element string
		limits  bool
	}{{AppliesFlow, true}, {AppliesInteraction, false}} {
		if got := isolationLimits("I", tt.element); got != tt.limits {
			t.Errorf("isolationLimits(I, %s) = %v, want %v", tt.element, got, tt.limits)
		}
	}
	d, err := parseMermaid("x.mmd", []byte("flowchart LR\n  subgraph vpc[\"Private VPC (isolated)\"]\n    a[\"Svc A\"] -->|gRPC| b[\"Svc B\"]\n  end\n"))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := ParseRules("x.yaml", []byte(`rules:
  - {id: X-1, category: I, applies_to: [interaction], when: 'true', title: i, description: d, likelihood: 3, impact: 3}
  - {id: X-2, category: I, applies_to: [flow], when: 'true', title: f, description: d, likelihood: 3, impact: 3}
`))
	if err != nil {
		t.Fatal(err)
	}
	r := analyze(t, d, Options{Rules: rs, Unfolded: true})
	iso := map[string]bool{}
	for _, th := range r.Threats {
		iso[th.Title] = slices.Contains(th.ExistingControls, "network-isolation")
	}
	if len(iso) != 2 || iso["i"] || !iso["f"] {
		t.Errorf("network isolation credited %v, want on the flow rule's threat only", iso)
	}
}
