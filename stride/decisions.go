package stride

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// TrackingSourceConfig is Tracking.Source of a decision taken in the
// configuration (threatmap.yaml "threats") rather than in the register or
// a baseline.
const TrackingSourceConfig = "config"

// Decision is one entry of the configuration's "threats" section: a
// threat accepted or transferred by its owner. It names the threat by
// its id (T-0042) or by Rule and Element (a component, flow or boundary
// id, or "system" for a model-level threat).
//
//	threats:
//	  - id: T-0042
//	    status: Accepted
//	    owner: Ana Lima
//	    reason: Internal tool, two users, replaced in Q3.
//	  - rule: I-FLOW-01
//	    element: f-billing
//	    status: Transferred
//	    owner: Payments team
//	    reason: The PSP carries this risk under contract.
//	    expires: 2027-06-30
type Decision struct {
	ID      string
	Rule    string
	Element string
	// Status is StatusAccepted or StatusTransferred.
	Status string
	Owner  string
	Reason string
	// Expires, when set, is the last day (YYYY-MM-DD) the decision holds:
	// a run dated later (Options.Date) ignores it with a warning. A run
	// without a date never expires a decision, so that output stays
	// reproducible.
	Expires string
	// Line is the decision's line in the configuration, for messages.
	Line int
}

// decisionKeys are the keys a decision may have.
var decisionKeys = map[string]bool{"id": true, "rule": true, "element": true, "status": true, "owner": true, "reason": true, "expires": true}

// UnmarshalYAML reads one decision, rejecting unknown keys, a status other
// than Accepted or Transferred, a missing reason and a decision that names
// no threat, each with its line.
func (d *Decision) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a threat decision must be a mapping (id or rule and element, status, owner, reason)", n.Line)
	}
	*d = Decision{Line: n.Line}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !decisionKeys[k.Value] {
			return fmt.Errorf("line %d: field %s not found in a threat decision (want id, rule, element, status, owner, reason, expires)", k.Line, k.Value)
		}
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: %s must be a string", v.Line, k.Value)
		}
		val := strings.TrimSpace(v.Value)
		switch k.Value {
		case "id":
			d.ID = val
		case "rule":
			d.Rule = val
		case "element":
			d.Element = val
		case "status":
			switch strings.ToLower(val) {
			case "accepted":
				d.Status = StatusAccepted
			case "transferred":
				d.Status = StatusTransferred
			default:
				return fmt.Errorf("line %d: threat status must be Accepted or Transferred, not %q (the analysis derives the others from the controls)", v.Line, v.Value)
			}
		case "owner":
			d.Owner = val
		case "reason":
			d.Reason = val
		case "expires":
			if _, err := time.Parse("2006-01-02", val); err != nil {
				return fmt.Errorf("line %d: expires must be a date YYYY-MM-DD, not %q", v.Line, v.Value)
			}
			d.Expires = val
		}
	}
	switch {
	case d.ID == "" && (d.Rule == "" || d.Element == ""):
		return fmt.Errorf("line %d: a threat decision needs id, or rule and element", n.Line)
	case d.ID != "" && (d.Rule != "" || d.Element != ""):
		return fmt.Errorf("line %d: a threat decision names its threat by id or by rule and element, not both", n.Line)
	case d.Status == "":
		return fmt.Errorf("line %d: a threat decision needs status (Accepted or Transferred)", n.Line)
	case d.Reason == "":
		return fmt.Errorf("line %d: a threat decision needs reason (why the risk is %s)", n.Line, strings.ToLower(d.Status))
	}
	return nil
}

// DecisionTreatment is the treatment a decided status stands for: Accept
// for Accepted, Transfer for Transferred, "" for any other status.
func DecisionTreatment(status string) string {
	switch status {
	case StatusAccepted:
		return "Accept"
	case StatusTransferred:
		return "Transfer"
	}
	return ""
}

// matches reports whether d names t.
func (d *Decision) matches(t *Threat) bool {
	if d.ID != "" {
		return strings.EqualFold(d.ID, t.ID)
	}
	if !strings.EqualFold(d.Rule, t.Rule) {
		return false
	}
	if strings.EqualFold(d.Element, "system") && t.Element.Type == "system" {
		return true
	}
	if t.Element.ID == d.Element {
		return true
	}
	for _, e := range t.Elements {
		if e.ID == d.Element {
			return true
		}
	}
	return false
}

// name is how messages refer to d.
func (d *Decision) name() string {
	if d.ID != "" {
		return d.ID
	}
	return d.Rule + " on " + d.Element
}

// applyDecisions gives the threats the configuration decides their status
// and who decided why, keeping the scores the analysis derived (which
// Analysis records). It returns a warning for every decision that matches
// no threat, for a threat two decisions name (the first one wins) and for
// a decision that expired before date (YYYY-MM-DD; "" for none).
func applyDecisions(r *Report, c *Config, date string) []string {
	if c == nil || len(c.Threats) == 0 {
		return nil
	}
	var warns []string
	file := c.Path
	if file == "" {
		file = "configuration"
	}
	decidedBy := map[int]int{}
	for di := range c.Threats {
		d := &c.Threats[di]
		if d.Expires != "" && date != "" && d.Expires < date {
			warns = append(warns, fmt.Sprintf("%s:%d: threat decision for %s expired on %s and is ignored: decide again",
				file, d.Line, d.name(), d.Expires))
			continue
		}
		matched := false
		for i := range r.Threats {
			t := &r.Threats[i]
			if !d.matches(t) {
				continue
			}
			matched = true
			if prev, ok := decidedBy[i]; ok {
				warns = append(warns, fmt.Sprintf("%s:%d: threat decision for %s ignored: %s is already decided on line %d",
					file, d.Line, d.name(), t.ID, c.Threats[prev].Line))
				continue
			}
			decidedBy[i] = di
			t.Tracking = &Tracking{Status: d.Status, Treatment: DecisionTreatment(d.Status), Justification: d.Reason,
				Owner: d.Owner, Source: TrackingSourceConfig,
				Config: &ConfigDecision{Status: d.Status, Owner: d.Owner, Reason: d.Reason}}
			ApplyOverrides(t)
		}
		if !matched {
			warns = append(warns, fmt.Sprintf("%s:%d: threat decision for %s matches no threat", file, d.Line, d.name()))
		}
	}
	return warns
}
