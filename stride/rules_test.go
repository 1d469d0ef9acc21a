package stride

import (
	"errors"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

func TestDefaultRules(t *testing.T) {
	rules := DefaultRules()
	if len(rules) < 40 {
		t.Fatalf("%d built-in rules, want at least 40", len(rules))
	}
	per := map[string]int{}
	ids := map[string]bool{}
	for _, r := range rules {
		per[r.Stride]++
		if ids[r.ID] {
			t.Errorf("duplicate id %s", r.ID)
		}
		ids[r.ID] = true
		if r.Category.Letter() != r.Stride {
			t.Errorf("%s: category %q, letter %q", r.ID, r.Category, r.Stride)
		}
		if !strings.HasPrefix(r.ID, r.Stride+"-") {
			t.Errorf("%s: id does not start with its STRIDE letter %s", r.ID, r.Stride)
		}
		if len(r.Mitigations) == 0 {
			t.Errorf("%s: no mitigations", r.ID)
		}
	}
	for _, l := range []string{"S", "T", "R", "I", "D", "E"} {
		if per[l] < 5 {
			t.Errorf("category %s has %d rules, want at least 5", l, per[l])
		}
	}
	t.Logf("rules per category: %v (total %d)", per, len(rules))
}

func TestLoadRulesOverride(t *testing.T) {
	extra := RuleFile{Name: "extra.yaml", Data: []byte(`rules:
  - id: I-DS-02
    category: I
    applies_to: [datastore]
    when: '"bucket" in Keywords'
    title: 'Custom bucket rule for {{.Name}}'
    description: 'Overridden.'
    likelihood: 1
    impact: 1
    mitigations:
      - {control: 'Do the thing', type: Preventive, effort: S}
  - id: X-NEW-01
    category: Spoofing
    applies_to: [process]
    when: 'Name == "Web App"'
    title: 'House rule on {{.Name}}'
    description: 'Company-specific.'
    likelihood: 5
    impact: 5
    mitigations:
      - {control: 'Fix it', type: Corrective, effort: L}
  - id: D-DS-03
    disabled: true
`)}
	rules, err := LoadRules(extra)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rules), len(DefaultRules())+1-1; got != want {
		t.Errorf("%d rules, want %d (one added, one disabled)", got, want)
	}
	r := analyze(t, telehealthSpec().build(t, nil, nil), Options{Rules: rules})
	th := oneThreat(t, r, "I-DS-02", "Documents Bucket (S3)")
	if th.Title != "Custom bucket rule for Documents Bucket (S3)" || th.Scoring.RuleLikelihood != -2 || th.Scoring.RuleImpact != -3 {
		t.Errorf("override not applied: %q scoring %+v", th.Title, th.Scoring)
	}
	if th := oneThreat(t, r, "X-NEW-01", "Web App"); th.Severity != SeverityCritical {
		t.Errorf("new rule severity %s", th.Severity)
	}
	if n := len(threatsBy(r, "D-DS-03", "")); n != 0 {
		t.Errorf("disabled rule produced %d threats", n)
	}
	for _, r := range rules {
		if r.ID == "X-NEW-01" && (r.Source != "extra.yaml" || r.Line != 12) {
			t.Errorf("X-NEW-01 from %s:%d, want extra.yaml:12", r.Source, r.Line)
		}
	}
}

func TestParseRulesErrors(t *testing.T) {
	base := `rules:
  - id: T-X-01
    category: Tampering
    applies_to: [flow]
    when: 'Encrypted == "false"'
    title: 't'
    description: 'd'
    likelihood: 2
    impact: 2
`
	tests := []struct {
		name, src, want string
		line            int
	}{
		{"unknown key", base + "    severity: high\n", "field severity not found", 10},
		{"bad expr", strings.Replace(base, `Encrypted == "false"`, `Encrypted ==`, 1), "rule T-X-01: when:", 2},
		{"unknown field in expr", strings.Replace(base, `Encrypted == "false"`, `Nonsense > 2`, 1), "rule T-X-01: when:", 2},
		{"non-bool expr", strings.Replace(base, `Encrypted == "false"`, `Trust + 1`, 1), "rule T-X-01", 2},
		{"stride per element", strings.Replace(base, "category: Tampering", "category: Spoofing", 1), "does not apply to flow", 2},
		{"bad category", strings.Replace(base, "category: Tampering", "category: Nope", 1), "unknown category", 2},
		{"bad template", strings.Replace(base, "title: 't'", "title: '{{.Nope}}'", 1), "T-X-01.title", 2},
		{"bad mitigation template", base + "    mitigations:\n      - {control: '{{.Nope}}', type: Preventive, effort: S}\n", "T-X-01.mitigation", 2},
		{"bad control", base + "    mitigated_by: {magic: 1}\n", "unknown control", 2},
		{"template in a reason", base + "    modifiers:\n      - {when: 'Crossing', likelihood: 1, reason: '{{.Name}} is exposed'}\n", "plain text, not a template", 2},
		{"bad likelihood", strings.Replace(base, "likelihood: 2", "likelihood: 9", 1), "likelihood and impact", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRules("extra.yaml", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			var ie *graph.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T %v is not an InputError", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) || ie.Pos.Line != tt.line || ie.File != "extra.yaml" {
				t.Errorf("error %q (line %d), want %q at line %d", err, ie.Pos.Line, tt.want, tt.line)
			}
		})
	}
}
