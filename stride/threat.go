package stride

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/vm"
)

// This file is the sixth stage: a rule that matched an element becomes a
// threat with its texts, score, existing controls, residual risk,
// mitigations and entry points.

// threatCand is a threat before numbering, with what the report needs to
// order it and to attach it to its element.
type threatCand struct {
	t       Threat
	rule    *Rule
	comp    *compInfo
	flow    *flowInfo
	epFirst int
	key     []string
	env     *Env
	// members are the folded threats a coverage threat stands for
	// (group.go); nil otherwise.
	members []*threatCand
}

// makeThreat renders the threat of one match. m and sb are scratch space
// reused by the caller's goroutine.
func (a *analysis) makeThreat(m *vm.VM, sb *bytes.Buffer, x match) (*threatCand, error) {
	tc := &threatCand{rule: x.rule, comp: x.comp, flow: x.flow, env: x.env}
	t := &tc.t
	r := x.rule
	t.Rule, t.Stride, t.Category = r.ID, r.Stride, r.Category
	tc.setElement(x.env)
	if err := t.renderTexts(sb, r, x.env); err != nil {
		return nil, err
	}
	if err := t.score(m, r, x.env); err != nil {
		return nil, err
	}
	t.applyControls(r, x.env)
	if err := t.recommend(sb, r, x.env); err != nil {
		return nil, err
	}
	tc.setEntryPoints()
	return tc, nil
}

// setElement names the threatened element and the tie-break key: element
// label, then rule, then what distinguishes elements with equal labels.
func (tc *threatCand) setElement(env *Env) {
	t := &tc.t
	if fi := tc.flow; fi != nil {
		t.Element = ElementRef{Type: "flow", ID: fi.f.ID}
		t.ElementName = env.Name
		tc.key = []string{t.ElementName, t.Rule, fi.label, fi.f.ID}
		return
	}
	t.Element = ElementRef{Type: "component", ID: tc.comp.c.ID}
	t.ElementName = tc.comp.label
	tc.key = []string{t.ElementName, t.Rule, "", tc.comp.c.ID}
}

// renderTexts renders the title, description and the rule's "why".
func (t *Threat) renderTexts(sb *bytes.Buffer, r *Rule, env *Env) error {
	if err := render(sb, r.title, r.titleF, env); err != nil {
		return fmt.Errorf("rule %s: title: %v", r.ID, err)
	}
	t.Title = oneLine(sb.String())
	if err := render(sb, r.desc, r.descF, env); err != nil {
		return fmt.Errorf("rule %s: description: %v", r.ID, err)
	}
	t.Description = strings.TrimSpace(sb.String())
	t.Reasons = []string{}
	if r.why != nil {
		if err := render(sb, r.why, r.whyF, env); err != nil {
			return fmt.Errorf("rule %s: why: %v", r.ID, err)
		}
		if s := oneLine(sb.String()); s != "" {
			t.Reasons = append(t.Reasons, s)
		}
	}
	return nil
}

// score applies the rule's modifiers to its likelihood and impact.
func (t *Threat) score(m *vm.VM, r *Rule, env *Env) error {
	l, im := r.Likelihood, r.Impact
	for i := range r.Modifiers {
		md := &r.Modifiers[i]
		ok, err := runBool(m, md.prog, env)
		if err != nil {
			return fmt.Errorf("rule %s: modifier %d: %v", r.ID, i+1, err)
		}
		if ok {
			l += md.Likelihood
			im += md.Impact
			if md.Reason != "" {
				t.Reasons = append(t.Reasons, md.Reason+" ("+strings.TrimSuffix(signed(md.Likelihood, "likelihood")+signed(md.Impact, "impact"), ", ")+")")
			}
		}
	}
	t.Likelihood, t.Impact = clamp(l), clamp(im)
	t.Score = t.Likelihood * t.Impact
	t.Severity = Band(t.Score)
	return nil
}

// applyControls records the existing controls (those the rule lists that
// the element shows), the residual risk they leave and the status.
func (t *Threat) applyControls(r *Rule, env *Env) {
	t.ExistingControls = []string{}
	reduce := 0
	ctlNames := r.ctlNames
	if ctlNames == nil && len(r.MitigatedBy) > 0 {
		ctlNames = sortedKeys(r.MitigatedBy)
	}
	for _, c := range ctlNames {
		if hasControl(env, c) {
			t.ExistingControls = append(t.ExistingControls, c)
			reduce += r.MitigatedBy[c]
			t.Reasons = append(t.Reasons, "existing control "+c+" lowers likelihood by "+strconv.Itoa(r.MitigatedBy[c]))
		}
	}
	t.ResidualLikelihood = min(clamp(t.Likelihood-reduce), t.Likelihood)
	t.ResidualScore = t.ResidualLikelihood * t.Impact
	t.ResidualRisk = Band(t.ResidualScore)
	switch {
	case len(t.ExistingControls) == 0:
		t.Status = "Unmitigated"
	case t.ResidualRisk == SeverityLow:
		t.Status = "Mitigated"
	default:
		t.Status = "Partial"
	}
}

// recommend lists the rule's mitigations the element does not already
// show, with the priority of the residual risk.
func (t *Threat) recommend(sb *bytes.Buffer, r *Rule, env *Env) error {
	prio := t.ResidualRisk.Priority()
	t.Mitigations = []Mitigation{}
	for _, rm := range r.Mitigations {
		if rm.SatisfiedBy != "" && hasControl(env, rm.SatisfiedBy) {
			continue
		}
		ctl := rm.Control
		if rm.tmpl != nil {
			if err := render(sb, rm.tmpl, rm.tmplF, env); err != nil {
				return fmt.Errorf("rule %s: mitigation: %v", r.ID, err)
			}
			ctl = sb.String()
		}
		t.Mitigations = append(t.Mitigations, Mitigation{Control: oneLine(ctl), Type: rm.Type, Effort: rm.Effort, Priority: prio})
	}
	return nil
}

// setEntryPoints records the entry points the threat comes through: the
// flow's own, or the component's (componentEntryPoints).
func (tc *threatCand) setEntryPoints() {
	t := &tc.t
	if fi := tc.flow; fi != nil {
		tc.epFirst = 1 << 30
		t.EntryPoints = []string{}
		if fi.ep != "" {
			t.EntryPoints = []string{fi.ep}
			tc.epFirst = fi.epIndex
		}
		return
	}
	t.EntryPoints, tc.epFirst = tc.comp.eps, tc.comp.epFirst
}

// hasControl reports whether the element shows control c.
func hasControl(env *Env, c string) bool {
	for _, x := range env.Controls {
		if x == c {
			return true
		}
	}
	return false
}

// clamp limits a likelihood or impact to 1..5.
func clamp(v int) int {
	if v < 1 {
		return 1
	}
	if v > 5 {
		return 5
	}
	return v
}

// signed is "+n what, " or "-n what, ", or "" for zero.
func signed(n int, what string) string {
	switch {
	case n > 0:
		return "+" + strconv.Itoa(n) + " " + what + ", "
	case n < 0:
		return strconv.Itoa(n) + " " + what + ", "
	}
	return ""
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
