package stride

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// This file folds coverage threats: the same coverage rule with the same
// outcome (severity, residual risk, status and existing controls) on
// several elements is one concern, so it becomes one threat that lists its
// elements (Threat.Elements) instead of a wall of near-identical rows.
// Specific rules are never folded: their text is about one element.

// groupCoverage returns cands with coverage threats folded by concern.
func (a *analysis) groupCoverage(cands []*threatCand) ([]*threatCand, error) {
	groups := map[string][]*threatCand{}
	var order []string
	out := cands[:0:0]
	for _, tc := range cands {
		if !tc.rule.Coverage {
			out = append(out, tc)
			continue
		}
		k := concernKey(tc)
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], tc)
	}
	var sb bytes.Buffer
	for _, k := range order {
		g := groups[k]
		if len(g) == 1 {
			out = append(out, g[0])
			continue
		}
		merged, err := mergeConcern(&sb, g)
		if err != nil {
			return nil, err
		}
		out = append(out, merged)
	}
	return out, nil
}

// concernKey identifies a concern: the rule and its outcome.
func concernKey(tc *threatCand) string {
	t := &tc.t
	return strings.Join([]string{t.Rule, string(t.Severity), string(t.ResidualRisk), t.Status,
		strings.Join(t.ExistingControls, ",")}, "\x00")
}

// mergeConcern folds the threats of one concern into the first (by element
// key), rendering the rule's group texts over the joined element names.
func mergeConcern(sb *bytes.Buffer, g []*threatCand) (*threatCand, error) {
	sort.Slice(g, func(i, j int) bool {
		if g[i].t.Score != g[j].t.Score {
			return g[i].t.Score > g[j].t.Score
		}
		return lessKeys(g[i].key, g[j].key)
	})
	m := *g[0]
	m.members = g
	t := &m.t
	names := make([]string, len(g))
	eps := set{}
	sens := set{}
	t.Elements = make([]ElementRef, len(g))
	for i, x := range g {
		names[i] = x.t.ElementName
		t.Elements[i] = x.t.Element
		eps.add(x.t.EntryPoints...)
		sens.add(x.env.Sensitivity...)
		if x.epFirst < m.epFirst {
			m.epFirst = x.epFirst
		}
	}
	env := *g[0].env
	env.Name = joinAll(names)
	env.Senders, env.Receivers, env.Writers, env.Readers = "", "", "", ""
	fillSens(&env, sens.sorted())
	r := m.rule
	if err := render(sb, r.groupTitle, nil, &env); err != nil {
		return nil, fmt.Errorf("rule %s: group_title: %v", r.ID, err)
	}
	t.Title = oneLine(sb.String())
	if err := render(sb, r.groupDesc, nil, &env); err != nil {
		return nil, fmt.Errorf("rule %s: group_description: %v", r.ID, err)
	}
	t.Description = strings.TrimSpace(sb.String())
	t.ElementName = env.Name
	t.EntryPoints = nonNil(eps.sorted())
	if err := t.recommend(sb, r, &env); err != nil {
		return nil, err
	}
	t.Reasons = append(append([]string{}, t.Reasons...), fmt.Sprintf("the same concern on %d elements, listed together", len(g)))
	return &m, nil
}

// joinAll renders every name: "A", "A and B", "A, B and C", in order.
func joinAll(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
