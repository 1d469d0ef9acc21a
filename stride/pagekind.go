package stride

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// NotDataFlow says why a diagram is not a data-flow or architecture
// diagram (an attack tree, an org chart, a UML class or sequence diagram, a
// legend page), so that callers skip it with a warning instead of raising
// threats against "Blackmail" or "Head of Finance". It returns "" for a
// diagram to analyse.
//
// The evidence, strongest first: the page's own name or title; shapes that
// only those diagrams use (logic gates, lifelines); and, for a diagram shaped
// like a tree, what most of its labels are (attack steps, job titles, class
// members). A diagram with a flow that names a protocol is always analysed.
func NotDataFlow(d *graph.Diagram) string {
	if d == nil || len(d.Components) == 0 {
		return ""
	}
	if why := notDataFlowByName(d); why != "" {
		return why
	}
	if hasProtocolFlow(d) {
		return ""
	}
	if why := notDataFlowByShapes(d); why != "" {
		return why
	}
	return notDataFlowByLabels(d)
}

var pageKindNames = []struct {
	re   func() *regexp.Regexp
	kind string
}{
	{lazyRegexp(`(?i)\battack[\s_-]*trees?\b`), "an attack tree"},
	{lazyRegexp(`(?i)\bthreat[\s_-]*trees?\b`), "an attack tree"},
	{lazyRegexp(`(?i)\borg(ani[sz]ation(al)?)?[\s_-]*charts?\b`), "an org chart"},
	{lazyRegexp(`(?i)\bclass[\s_-]*diagrams?\b`), "a UML class diagram"},
	{lazyRegexp(`(?i)\bsequence[\s_-]*diagrams?\b`), "a sequence diagram"},
	{lazyRegexp(`(?i)^\s*(legend|key|notation|glossary)\s*$`), "a legend"},
}

func notDataFlowByName(d *graph.Diagram) string {
	for _, name := range []string{d.Name, d.Title} {
		for _, k := range pageKindNames {
			if k.re().MatchString(name) {
				return "the page " + strconv.Quote(oneLine(name)) + " is named as " + k.kind
			}
		}
	}
	return ""
}

func hasProtocolFlow(d *graph.Diagram) bool {
	for _, f := range d.Flows {
		if f.Label == "" {
			continue
		}
		if ParseFlow(f.Label, nil).Protocol != "" {
			return true
		}
	}
	return false
}

// gateShapes are the logic-gate shapes attack trees use for AND/OR nodes.
var gateShapes = map[string]bool{"xor": true, "or": true, "and": true, "nand": true, "nor": true}

func notDataFlowByShapes(d *graph.Diagram) string {
	gates, lifelines := 0, 0
	for _, c := range d.Components {
		s := strings.ToLower(c.Shape)
		if i := strings.LastIndexByte(s, '.'); i >= 0 {
			s = s[i+1:]
		}
		s = strings.TrimPrefix(s, "logic_gates_")
		switch {
		case gateShapes[s] || strings.HasPrefix(s, "logic_gate"):
			gates++
		case strings.Contains(s, "lifeline"):
			lifelines++
		}
	}
	if gates >= 2 {
		return strconv.Itoa(gates) + " AND/OR gate shapes: the page is an attack tree"
	}
	if lifelines >= 2 {
		return strconv.Itoa(lifelines) + " lifelines: the page is a sequence diagram"
	}
	return ""
}

var (
	attackSteps = kw("steal*", "obtain*", "exploit*", "compromise*", "bribe*", "blackmail*", "threaten*",
		"phish*", "bypass*", "brute*", "guess*", "crack*", "eavesdrop*", "intercept*", "sniff*",
		"coerce*", "social engineering", "learn password", "man in the middle", "mitm", "attacker")
	jobTitles = kw("ceo", "cto", "cfo", "coo", "ciso", "cio", "vp", "vice president", "director", "manager",
		"head of", "president", "chief*", "officer", "secretary", "assistant", "intern", "supervisor")
	umlMember = lazyRegexp(`^\s*[+\-#~]\s*[A-Za-z_][\w]*\s*(\(.*\))?\s*:\s*\S`)
)

// notDataFlowByLabels looks at a tree-shaped diagram's labels: when most of
// them are attack steps, job titles or class members, it is not a system.
func notDataFlowByLabels(d *graph.Diagram) string {
	n := len(d.Components)
	if n < 4 || !treeShaped(d) {
		return ""
	}
	attack, job, member := 0, 0, 0
	for _, c := range d.Components {
		w := newWords(c.Label)
		if w.first(attackSteps) != "" {
			attack++
		}
		if w.first(jobTitles) != "" {
			job++
		}
		for _, line := range strings.Split(c.Label, "\n") {
			if umlMember().MatchString(line) {
				member++
				break
			}
		}
	}
	switch {
	case 3*attack >= n:
		return strconv.Itoa(attack) + " of " + strconv.Itoa(n) + " labels are attack steps in a tree: the page is an attack tree"
	case 2*job >= n:
		return strconv.Itoa(job) + " of " + strconv.Itoa(n) + " labels are job titles in a tree: the page is an org chart"
	case 2*member >= n:
		return strconv.Itoa(member) + " of " + strconv.Itoa(n) + " labels are class members: the page is a UML class diagram"
	}
	return ""
}

// treeShaped reports whether every component has at most one incoming or
// at most one outgoing edge (a tree drawn top-down or bottom-up) and there
// are fewer flows than components.
func treeShaped(d *graph.Diagram) bool {
	if len(d.Flows) >= len(d.Components) {
		return false
	}
	in, out := map[string]int{}, map[string]int{}
	for _, f := range d.Flows {
		in[f.Target]++
		out[f.Source]++
	}
	down, up := true, true
	for _, c := range d.Components {
		if in[c.ID] > 1 {
			down = false
		}
		if out[c.ID] > 1 {
			up = false
		}
	}
	return down || up
}
