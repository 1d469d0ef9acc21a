package stride

import (
	"fmt"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers/mermaid"
)

// parseMermaid imports an example with the real Mermaid importer.
func parseMermaid(name string, src []byte) (*graph.Diagram, error) {
	ds, err := mermaid.Import(name, src, mermaid.Options{})
	if err != nil {
		return nil, err
	}
	if len(ds) != 1 {
		return nil, fmt.Errorf("%s: %d diagrams, want one", name, len(ds))
	}
	return ds[0], nil
}

// TestRuleExamples runs the examples of every built-in rule: each fires
// on its fires examples (on the element named) and stays quiet on its
// quiet ones, and every rule has at least one of each.
func TestRuleExamples(t *testing.T) {
	rules := DefaultRules()
	for _, r := range rules {
		t.Run(r.ID, func(t *testing.T) {
			if err := r.CheckExamples(parseMermaid, rules); err != nil {
				t.Error(err)
			}
		})
	}
}

// CheckExamples reports a rule that fires where it should be quiet, does
// not fire where it should, fires on another element, or lacks examples.
func TestCheckExamplesFailures(t *testing.T) {
	const web = "flowchart LR\n  u([\"Customer\"]) -->|HTTPS| api[\"Orders API\"]\n"
	rule := func(fires, quiet []RuleExample) Rule {
		rs, err := ParseRules("x.yaml", []byte(`rules:
  - id: X-1
    category: S
    applies_to: [process]
    when: 'Name == "Orders API"'
    title: t
    description: d
    likelihood: 1
    impact: 1
`))
		if err != nil {
			t.Fatal(err)
		}
		rs[0].Examples = RuleExamples{Fires: fires, Quiet: quiet}
		return rs[0]
	}
	ok := RuleExample{Element: "Orders API", Mermaid: web}
	for _, tt := range []struct {
		name string
		r    Rule
		want string
	}{
		{"no examples", rule(nil, nil), "no fires example"},
		{"no quiet", rule([]RuleExample{ok}, nil), "no quiet example"},
		{"fires when quiet", rule([]RuleExample{ok}, []RuleExample{{Mermaid: web}}), "quiet example 1: the rule fires on Orders API"},
		{"other element", rule([]RuleExample{{Element: "Customer", Mermaid: web}}, nil), `fires on Orders API, not on "Customer"`},
		{"does not fire", rule([]RuleExample{{Mermaid: "flowchart LR\n  a[\"Billing API\"]\n"}}, nil), "fires example 1: the rule does not fire"},
		{"bad config", rule([]RuleExample{{Mermaid: web, Config: "colour: red\n"}}, nil), "field colour not found"},
	} {
		err := tt.r.CheckExamples(parseMermaid, []Rule{tt.r})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}
