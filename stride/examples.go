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
		on, err := r.runExample(parse, rules, name, ex)
		switch {
		case err != nil:
			errs = append(errs, err)
		case len(on) == 0:
			errs = append(errs, fmt.Errorf("%s: the rule does not fire", name))
		case ex.Element != "" && !slices.Contains(on, ex.Element):
			errs = append(errs, fmt.Errorf("%s: the rule fires on %s, not on %q", name, strings.Join(on, ", "), ex.Element))
		}
	}
	for i, ex := range r.Examples.Quiet {
		name := fmt.Sprintf("%s quiet example %d", r.ID, i+1)
		on, err := r.runExample(parse, rules, name, ex)
		switch {
		case err != nil:
			errs = append(errs, err)
		case len(on) > 0:
			errs = append(errs, fmt.Errorf("%s: the rule fires on %s", name, strings.Join(on, ", ")))
		}
	}
	return errors.Join(errs...)
}

// runExample analyses one example with rules and returns the names of the
// elements r fires on.
func (r *Rule) runExample(parse ParseDiagram, rules []Rule, name string, ex RuleExample) ([]string, error) {
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
	rep, err := Analyze(d, Options{Config: cfg, Rules: rules})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var on []string
	for _, t := range rep.Threats {
		if t.Rule == r.ID {
			on = append(on, t.ElementName)
		}
	}
	return on, nil
}
