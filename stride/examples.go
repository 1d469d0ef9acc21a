package stride

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// RuleExamples are a rule's proof that it does what it says: diagrams on
// which it fires and diagrams on which it stays quiet.
//
//	examples:
//	  fires:
//	    - element: Orders API
//	      mermaid: |
//	        flowchart LR
//	          u(["Customer"]) -->|HTTPS| api["Orders API"]
//	  quiet:
//	    - mermaid: ...
type RuleExamples struct {
	Fires []RuleExample `yaml:"fires"`
	Quiet []RuleExample `yaml:"quiet"`
}

// RuleExample is one tiny diagram, in Mermaid flowchart syntax, with an
// optional threatmap.yaml fragment for facts a label cannot carry.
type RuleExample struct {
	// Element is the name of the element the rule must fire on (the
	// threat's element name: a component label, or "Source → Target" for
	// a flow); empty for any element. Ignored for quiet examples.
	Element string `yaml:"element"`
	// Mermaid is the diagram.
	Mermaid string `yaml:"mermaid"`
	// Config is a threatmap.yaml fragment applied to the diagram.
	Config string `yaml:"config"`
	// Recommends and Omits prove a mitigation's when condition on a fires
	// example: each is a piece of a mitigation's text that the threat on
	// Element must recommend, or must not recommend.
	Recommends []string `yaml:"recommends"`
	Omits      []string `yaml:"omits"`
}

// ParseDiagram turns an example's Mermaid text into a diagram; name is the
// example's name for messages. CheckExamples takes one so that stride
// needs no importer.
type ParseDiagram func(name string, mermaid []byte) (*graph.Diagram, error)

// CheckExamples analyses each example with rules, the rule set r belongs
// to (so that a coverage rule stays quiet where a specific rule of its
// category fires), and reports every fires example on which r does not
// fire (on the named element) and every quiet example on which it fires.
// A rule with no fires or no quiet example fails too.
func (r *Rule) CheckExamples(parse ParseDiagram, rules []Rule) error {
	var errs []error
	if len(r.Examples.Fires) == 0 {
		errs = append(errs, fmt.Errorf("rule %s: no fires example", r.ID))
	}
	if len(r.Examples.Quiet) == 0 {
		errs = append(errs, fmt.Errorf("rule %s: no quiet example", r.ID))
	}
	for i, ex := range r.Examples.Fires {
		name := fmt.Sprintf("%s fires example %d", r.ID, i+1)
		ts, err := r.runExample(parse, rules, name, ex)
		on := threatElements(ts)
		switch {
		case err != nil:
			errs = append(errs, err)
		case len(on) == 0:
			errs = append(errs, fmt.Errorf("%s: the rule does not fire", name))
		case ex.Element != "" && !slices.Contains(on, ex.Element):
			errs = append(errs, fmt.Errorf("%s: the rule fires on %s, not on %q", name, strings.Join(on, ", "), ex.Element))
		default:
			errs = append(errs, checkRecommends(name, ex, ts)...)
		}
	}
	for i, ex := range r.Examples.Quiet {
		name := fmt.Sprintf("%s quiet example %d", r.ID, i+1)
		ts, err := r.runExample(parse, rules, name, ex)
		on := threatElements(ts)
		switch {
		case err != nil:
			errs = append(errs, err)
		case len(on) > 0:
			errs = append(errs, fmt.Errorf("%s: the rule fires on %s", name, strings.Join(on, ", ")))
		}
	}
	return errors.Join(errs...)
}

// threatElements are the names of the threats' elements.
func threatElements(ts []Threat) []string {
	var on []string
	for _, t := range ts {
		on = append(on, t.ElementName)
	}
	return on
}

// checkRecommends checks a fires example's Recommends and Omits against
// the mitigations of the threat on its element (of every threat when it
// names none).
func checkRecommends(name string, ex RuleExample, ts []Threat) []error {
	var errs []error
	var ctls []string
	for _, t := range ts {
		if ex.Element == "" || t.ElementName == ex.Element {
			for _, m := range t.Mitigations {
				ctls = append(ctls, m.Control)
			}
		}
	}
	has := func(piece string) bool {
		return slices.ContainsFunc(ctls, func(c string) bool { return strings.Contains(c, piece) })
	}
	for _, p := range ex.Recommends {
		if !has(p) {
			errs = append(errs, fmt.Errorf("%s: no mitigation says %q; it recommends: %s", name, p, strings.Join(ctls, " | ")))
		}
	}
	for _, p := range ex.Omits {
		if has(p) {
			errs = append(errs, fmt.Errorf("%s: a mitigation says %q, which its condition should exclude", name, p))
		}
	}
	return errs
}

// runExample analyses one example with rules and returns the threats r
// raises.
func (r *Rule) runExample(parse ParseDiagram, rules []Rule, name string, ex RuleExample) ([]Threat, error) {
	d, err := parse(name, []byte(ex.Mermaid))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var cfg *Config
	if ex.Config != "" {
		if cfg, err = ParseConfig(name+" config", []byte(ex.Config)); err != nil {
			return nil, err
		}
	}
	rep, err := Analyze(d, Options{Config: cfg, Rules: rules, Unfolded: true})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var ts []Threat
	for _, t := range rep.Threats {
		if t.Rule == r.ID {
			ts = append(ts, t)
		}
	}
	return ts, nil
}
