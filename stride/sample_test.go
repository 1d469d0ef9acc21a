package stride

import (
	"strings"
	"testing"
)

// A rule's sample reads as on its first fires example's element; a rule
// without a firing example is rendered with placeholders.
func TestRuleSample(t *testing.T) {
	rules := DefaultRules()
	byID := map[string]*Rule{}
	for i := range rules {
		byID[rules[i].ID] = &rules[i]
	}
	for _, tt := range []struct {
		id, element, title string
	}{
		{"I-SEC-01", "Orders API", "Long-lived credentials in Orders API's configuration or environment leak through debug, health or error output"},
		{"R-SYS-04", "the system", "No audit log in the design while the system handles PHI"},
	} {
		s := byID[tt.id].Sample(parseMermaid, rules)
		if s.Element != tt.element || s.Title != tt.title || s.Summary == "" {
			t.Errorf("%s: %+v, want title %q on %q", tt.id, s, tt.title, tt.element)
		}
	}
	for _, r := range rules {
		s := r.Sample(parseMermaid, rules)
		if s.Element == "" || strings.Contains(s.Title+s.Summary, "{{") || len([]rune(s.Summary)) > SummaryLen {
			t.Errorf("%s: %+v", r.ID, s)
		}
	}
	// Without examples (or a parser), placeholders name the elements.
	rs, err := ParseRules("x.yaml", []byte(`rules:
  - id: X-1
    category: I
    applies_to: [flow]
    when: 'Protocol == "HTTP"'
    title: '{{if .Sensitive}}{{.Data}} on{{else}}Plain HTTP on{{end}} {{.Name}} from {{.Senders}}'
    description: 'Our policy forbids plain HTTP on {{.Name}}. Use TLS.'
    likelihood: 4
    impact: 3
    skill: 5
    modifiers:
      - {when: 'Crossing', likelihood: 1, reason: the flow crosses a boundary}
`))
	if err != nil {
		t.Fatal(err)
	}
	s := rs[0].Sample(parseMermaid, rs)
	want := RuleSample{Title: "Plain HTTP on <source> → <target> from <senders>", Summary: "Our policy forbids plain HTTP on <source> → <target>. Use TLS."}
	if s != want {
		t.Errorf("placeholders: %+v, want %+v", s, want)
	}
	if got, want := rs[0].SeverityFactors(), "likelihood +1, impact -1, skill 5 (anyone with public tools can do it); likelihood +1 when the flow crosses a boundary"; got != want {
		t.Errorf("severity factors %q, want %q", got, want)
	}
}

// A summary is the first sentence, with the next while it is short, cut
// at a word to SummaryLen characters.
func TestSummary(t *testing.T) {
	long := strings.Repeat("word ", 60)
	for _, tt := range []struct{ in, want string }{
		{"Short. Then a second sentence that is long enough to be worth reading on its own line. Third.",
			"Short. Then a second sentence that is long enough to be worth reading on its own line."},
		{"A first sentence that says enough on its own, with more than sixty characters. Second.",
			"A first sentence that says enough on its own, with more than sixty characters."},
		{"Version 1.2 of the library. e.g. lower case after a stop does not end it", "Version 1.2 of the library. e.g. lower case after a stop does not end it"},
		{long, strings.TrimSpace(strings.Repeat("word ", 39)) + "…"},
		{"", ""},
	} {
		if got := summary(tt.in); got != tt.want {
			t.Errorf("summary(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
