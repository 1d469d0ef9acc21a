package stride

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/vm"
	"github.com/threatmap/threatmap/stride/catalog"
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
	// key is the tie-break key (setElement); keyArr holds it, so that
	// making a candidate is one allocation rather than two.
	key    []string
	keyArr [4]string
	env    *Env
	// element is the element type the rule applied to (match.element).
	element string
	// members are the ratings of the threats a folded threat stands for
	// (group.go, concern.go), its own first; nil otherwise.
	members []*rated
	// rec is the rating a threat that stands alone was made from; nil
	// for a folded one (members) and when threats are not folded.
	rec *rated
	// actor is the external entity a threat is about when it sits on
	// another element (threathost.go); nil otherwise.
	actor *compInfo
}

// makeThreat makes the threat of one match. m and sb are scratch space
// reused by the caller's goroutine.
//
// With full false it makes only what decides the threat's concern and its
// place in a group (group.go): element, score, existing controls, residual
// risk, status and entry points. Most matches end up as members of a
// folded threat, which never shows their own texts, scoring words,
// reasons or mitigations, so those are made (full true) only for the
// threats that stand alone or head a group: at 2,000 components that is
// 522 of 20,867 matches. A rule whose texts or mitigations could fail to
// render (a template or condition without its fast form, fasttmpl.go and
// fastcond.go) is always made in full, so an error surfaces on whichever
// element it occurs, as before.
func (a *analysis) makeThreat(m *vm.VM, sb *bytes.Buffer, x match, full bool) (*threatCand, error) {
	return a.makeThreatInto(new(threatCand), m, sb, x, full)
}

// makeThreatInto is makeThreat into tc, a zero threatCand: applyRules
// makes every match's threat in one scratch candidate and keeps only its
// rating.
func (a *analysis) makeThreatInto(tc *threatCand, m *vm.VM, sb *bytes.Buffer, x match, full bool) (*threatCand, error) {
	r := x.rule
	// Built-in rules compile their templates and conditions on first use
	// (prepare): before rendersWithoutError looks at their fast forms.
	if err := r.prepare(); err != nil {
		return nil, fmt.Errorf("rule %s: %v", r.ID, err)
	}
	tc.rule, tc.comp, tc.flow, tc.env, tc.element = x.rule, x.comp, x.flow, x.env, x.element
	t := &tc.t
	full = full || !r.rendersWithoutError()
	t.Rule, t.Stride, t.Category = r.ID, r.Stride, r.Category
	tc.setElement(x.env)
	if full {
		t.Refs = refsOf(r)
		if err := t.renderTexts(sb, r, x.env); err != nil {
			return nil, err
		}
	}
	v, xp, isolated := a.scoringFacts(x)
	if err := t.score(m, r, x.env, x.element, v, xp, full); err != nil {
		return nil, err
	}
	t.applyControls(r, tc.controlView(x.env), x.env, x.element, isolated, full)
	if full {
		if err := t.recommend(m, sb, r, x.env, nil); err != nil {
			return nil, err
		}
	}
	tc.setEntryPoints(full)
	a.placeThreat(tc)
	return tc, nil
}

// rendersWithoutError reports whether every text and mitigation of the
// rule renders through its fast form, which cannot fail: only then may a
// threat's texts be left unmade (makeThreat). The rule must be prepared.
func (r *Rule) rendersWithoutError() bool {
	tx := r.tx
	if tx == nil || tx.titleF == nil || tx.descF == nil || (tx.why != nil && tx.whyF == nil) {
		return false
	}
	for i := range r.Mitigations {
		rm := &r.Mitigations[i]
		if (rm.tmpl != nil && rm.tmplF == nil) || (rm.cond != nil && rm.cond.fast == nil) {
			return false
		}
	}
	return true
}

// setElement names the threatened element and the tie-break key: element
// label, then rule, then what distinguishes elements with equal labels.
func (tc *threatCand) setElement(env *Env) {
	t := &tc.t
	if fi := tc.flow; fi != nil {
		t.Element = ElementRef{Type: "flow", ID: fi.f.ID}
		t.ElementName = env.Name
		tc.keyArr = [4]string{t.ElementName, t.Rule, fi.label, fi.f.ID}
		tc.key = tc.keyArr[:]
		return
	}
	if tc.comp == nil {
		t.Element = ElementRef{Type: AppliesSystem}
		t.ElementName = SystemElementName
		tc.keyArr = [4]string{"", t.Rule, "", ""}
		tc.key = tc.keyArr[:]
		return
	}
	t.Element = ElementRef{Type: "component", ID: tc.comp.c.ID}
	t.ElementName = tc.comp.label
	tc.keyArr = [4]string{t.ElementName, t.Rule, "", tc.comp.c.ID}
	tc.key = tc.keyArr[:]
}

// renderTexts renders the title, description and the rule's "why".
func (t *Threat) renderTexts(sb *bytes.Buffer, r *Rule, env *Env) error {
	if err := render(sb, r.tx.title, r.tx.titleF, env); err != nil {
		return fmt.Errorf("rule %s: title: %v", r.ID, err)
	}
	t.Title = oneLine(sb.String())
	if err := render(sb, r.tx.desc, r.tx.descF, env); err != nil {
		return fmt.Errorf("rule %s: description: %v", r.ID, err)
	}
	t.Description = strings.TrimSpace(sb.String())
	t.Reasons = []string{}
	if r.tx.why != nil {
		if err := render(sb, r.tx.why, r.tx.whyF, env); err != nil {
			return fmt.Errorf("rule %s: why: %v", r.ID, err)
		}
		if s := oneLine(sb.String()); s != "" {
			t.Reasons = append(t.Reasons, s)
		}
	}
	return nil
}

// scoringFacts returns the asset, the exposure and the network isolation
// of the element a match is on: the flow's, or else the component's. A
// flow is isolated when both its ends are. A model-level match (the
// system as a whole) takes the most valuable asset and the widest
// exposure of any component, with their reasons; it is never isolated.
func (a *analysis) scoringFacts(x match) (asset, exposure, string) {
	fi, ci := x.flow, x.comp
	if fi == nil && ci == nil {
		var v asset
		var xp exposure
		for i, c := range a.comps {
			if i == 0 || c.value.value > v.value {
				v = c.value
				v.reason = c.label + ": " + c.value.reason
			}
			if i == 0 || c.reach.reach > xp.reach {
				xp = c.reach
				xp.reason = c.label + ": " + c.reach.reason
			}
		}
		return v, xp, ""
	}
	if fi == nil {
		return ci.value, ci.reach, ci.isolated
	}
	iso := ""
	if fi.src.isolated != "" && fi.dst.isolated != "" {
		iso = fi.dst.isolated
	}
	return fi.value, fi.reach, iso
}

// score rates the threat from the asset and the exposure of its element,
// of type element (match.element), and the rule's skill and weight
// (scoreBase), then applies the rule's modifiers.
//
// With words false (makeThreat's outcome only) the Scoring and the
// modifiers' reasons are left out.
func (t *Threat) score(m *vm.VM, r *Rule, env *Env, element string, v asset, x exposure, words bool) error {
	var sc Scoring
	l, im := scoreInto(&sc, r, element, v, x)
	if words && v.assumed != "" && valueCounts(r.Stride) {
		t.Reasons = append(t.Reasons, "impact assumed, no data class drawn: "+v.assumed+"; label the data to correct it")
	}
	ml, mi := 0, 0
	for i := range r.Modifiers {
		md := &r.Modifiers[i]
		ok, err := runBool(m, md.prog, env)
		if err != nil {
			return fmt.Errorf("rule %s: modifier %d: %v", r.ID, i+1, err)
		}
		if ok {
			ml += md.Likelihood
			mi += md.Impact
			l += md.Likelihood
			im += md.Impact
			if words && md.Reason != "" {
				t.Reasons = append(t.Reasons, md.Reason+" ("+strings.TrimSuffix(signed(md.Likelihood, "likelihood")+signed(md.Impact, "impact"), ", ")+")")
			}
		}
	}
	t.Likelihood, t.Impact = clamp(l), clamp(im)
	if words {
		sc.finish(ml, mi, t.Likelihood, t.Impact)
		kept := sc // (a copy escapes; sc stays on the stack)
		t.Scoring = &kept
	}
	t.Score = t.Likelihood * t.Impact
	t.Severity = Band(t.Score)
	return nil
}

// isolationSource is the Source of the network isolation credited for
// isolated: made once per component (compInfo.isolatedSrc) rather than
// per match when it is the component's, or a flow target's, own.
func isolationSource(v controlView, isolated string) string {
	if ci := v.comp; ci != nil && ci.isolatedSrc != "" && ci.isolated == isolated {
		return ci.isolatedSrc
	}
	if fi := v.flow; fi != nil && fi.dst.isolatedSrc != "" && fi.dst.isolated == isolated {
		return fi.dst.isolatedSrc
	}
	return "diagram: " + isolated
}

// impactControls limit what a successful attack costs rather than how
// likely it is: a backup or a versioned, locked copy brings lost data
// back, less data kept is less data lost, a key in an HSM cannot be
// copied out.
var impactControls = map[string]bool{"backup": true, "replication": true, "versioning": true,
	"object-lock": true, "data-minimization": true, "hsm": true}

// isolationLimits reports whether network isolation limits a threat of
// category cat on an element of type element (Env.Element): impostors
// anywhere, eavesdroppers and floods on a flow's path, all of whom need a
// network position outside reach of the isolated network. It does nothing
// against tampering, repudiation or elevation by someone already inside,
// nor against what arrives as input through the components in front.
func isolationLimits(cat, element string) bool {
	return cat == "S" || (element == AppliesFlow && (cat == "I" || cat == "D"))
}

// applyControls records the existing controls (those the rule lists that
// the element shows, v), each with its effect and source (Controls), the
// residual likelihood and impact they leave and the status. A control the
// rule credits with two points or more addresses the threat: the residual
// likelihood is 1 (the control failing or being misconfigured) and the
// threat is Mitigated when that leaves a Low risk. A control worth one
// point, and network isolation always, leave it Partial. element is the
// element's type (match.element); isolated says why the element sits in
// an isolated network ("" if it does not). With words false (makeThreat's
// outcome only) the Reasons are left out.
func (t *Threat) applyControls(r *Rule, v controlView, env *Env, element, isolated string, words bool) {
	t.ExistingControls = []string{}
	t.Controls = []CreditedControl{}
	reduceL, reduceI, full := 0, 0, false
	ctlNames := r.ctlNames
	if ctlNames == nil && len(r.MitigatedBy) > 0 {
		ctlNames = sortedKeys(r.MitigatedBy)
	}
	credit := func(c, effect string) {
		t.ExistingControls = append(t.ExistingControls, c)
		t.Controls = append(t.Controls, CreditedControl{Control: c, Effect: effect, Source: v.source(c)})
	}
	for _, c := range ctlNames {
		if c == "network-isolation" || !v.has(c) {
			continue
		}
		pts := r.MitigatedBy[c]
		if pts > 1 && offeredOnly(v.source(c)) {
			// The product offers it; nothing says this deployment
			// enforces it: worth one point, so Partial at best.
			pts = 1
		}
		if impactControls[c] {
			reduceI += pts
			credit(c, "lowers impact by "+strconv.Itoa(pts))
			if words {
				t.Reasons = append(t.Reasons, "existing control "+c+" lowers impact by "+strconv.Itoa(pts))
			}
			continue
		}
		reduceL += pts
		if pts >= 2 {
			full = true
			credit(c, "addresses the threat: residual likelihood 1")
			if words {
				t.Reasons = append(t.Reasons, "existing control "+c+" addresses the threat: residual likelihood 1")
			}
		} else {
			credit(c, "lowers likelihood by "+strconv.Itoa(pts))
			if words {
				t.Reasons = append(t.Reasons, "existing control "+c+" lowers likelihood by "+strconv.Itoa(pts))
			}
		}
	}
	_, listed := r.MitigatedBy["network-isolation"]
	if isolated == "" && listed && v.has("network-isolation") {
		isolated = env.Name + " lists network isolation"
	}
	if isolated != "" && (listed || !r.ViaFrontDoor && isolationLimits(r.Stride, element)) {
		t.ExistingControls = append(t.ExistingControls, "network-isolation")
		t.Controls = append(t.Controls, CreditedControl{Control: "network-isolation",
			Effect: "lowers likelihood by 1: keeps attackers on the internet away, not an insider or a compromised neighbour",
			Source: isolationSource(v, isolated)})
		reduceL++
		if words {
			t.Reasons = append(t.Reasons, isolated+": keeps attackers on the internet away, not an insider or a compromised neighbour, so it lowers likelihood by 1 only")
		}
	}
	t.ResidualLikelihood = min(clamp(t.Likelihood-reduceL), t.Likelihood)
	if full {
		t.ResidualLikelihood = 1
	}
	t.ResidualImpact = min(clamp(t.Impact-reduceI), t.Impact)
	t.ResidualScore = t.ResidualLikelihood * t.ResidualImpact
	t.ResidualRisk = Band(t.ResidualScore)
	switch {
	case len(t.ExistingControls) == 0:
		t.Status = StatusUnmitigated
	case t.ResidualRisk == SeverityLow && (full || reduceI > 0):
		t.Status = StatusMitigated
	default:
		t.Status = StatusPartial
	}
	if words && t.Status != StatusMitigated {
		t.MitigatedIf = closingControls(r, v, env, ctlNames, t)
	}
}

// closingControls lists, in ctlNames order, the controls of the rule that
// the element does not show and that would each, alone, leave t Mitigated
// with a Low residual risk: a control worth two points or more brings the
// residual likelihood to 1, an impact control lowers the residual impact
// by its worth. Network isolation only ever lowers likelihood by one and
// is never listed; hardware isolation only where the element (a flow: one
// of its ends) runs in an isolation partition, since a secure world or
// enclave is not a control a web service can add. nil when none would.
func closingControls(r *Rule, v controlView, env *Env, ctlNames []string, t *Threat) []string {
	var out []string
	for _, c := range ctlNames {
		if c == "network-isolation" || v.has(c) || c == "hardware-isolation" && !inPartition(env) {
			continue
		}
		pts := r.MitigatedBy[c]
		var score int
		switch {
		case impactControls[c]:
			score = t.ResidualLikelihood * clamp(t.ResidualImpact-pts)
		case pts >= 2:
			score = t.ResidualImpact
		default:
			continue
		}
		if Band(score) == SeverityLow {
			out = append(out, c)
		}
	}
	return out
}

// inPartition reports whether the element of env runs in an isolation
// partition (Env.Partition): a component itself, a flow either end.
func inPartition(env *Env) bool {
	if env.Partition != "" {
		return true
	}
	return env.Source != nil && env.Source.Partition != "" || env.Target != nil && env.Target.Partition != ""
}

// recommend lists the rule's mitigations that apply to the element (their
// when condition holds) and that it does not already show, each with the
// priority its effort and the residual risk give (MitigationPriority).
// members are the folded threats a group threat stands for (nil for one
// element): a conditional mitigation is then recommended for the members
// where its condition holds, and its text names only them.
func (t *Threat) recommend(m *vm.VM, sb *bytes.Buffer, r *Rule, env *Env, members []*rated) error {
	t.Mitigations = []Mitigation{}
	for i := range r.Mitigations {
		rm := &r.Mitigations[i]
		if members == nil && rm.SatisfiedBy != "" && hasControl(env, rm.SatisfiedBy) {
			continue
		}
		menv, err := rm.applies(m, env, members)
		if err != nil {
			return fmt.Errorf("rule %s: mitigation %d: when: %v", r.ID, i+1, err)
		}
		if menv == nil {
			continue
		}
		ctl := rm.Control
		if rm.tmpl != nil {
			if err := render(sb, rm.tmpl, rm.tmplF, menv); err != nil {
				return fmt.Errorf("rule %s: mitigation: %v", r.ID, err)
			}
			ctl = sb.String()
		}
		t.Mitigations = append(t.Mitigations, Mitigation{Control: oneLine(ctl), Type: rm.Type, Effort: rm.Effort,
			Priority: MitigationPriority(t.ResidualRisk, rm.Effort)})
	}
	return nil
}

// applies returns the Env to render the mitigation with, or nil when its
// condition excludes it: env itself when it has no condition or the
// condition holds on every element; on a group threat where it holds on
// some members only, a copy of env naming those members. A member that
// already shows the control the mitigation asks for (SatisfiedBy) does
// not need it and is not named: a group of hops where one already has
// TLS is told to encrypt the others.
func (rm *RuleMitigation) applies(m *vm.VM, env *Env, members []*rated) (*Env, error) {
	if rm.cond == nil && (members == nil || rm.SatisfiedBy == "") {
		return env, nil
	}
	if members == nil {
		ok, err := runBool(m, rm.cond, env)
		if !ok || err != nil {
			return nil, err
		}
		return env, nil
	}
	// The members where it holds are counted first; their names and
	// technologies are gathered only when that is some of them.
	var holds []*rated
	n := 0
	for pass := 0; pass < 2; pass++ {
		for _, x := range members {
			if rm.SatisfiedBy != "" && hasControl(x.env, rm.SatisfiedBy) {
				continue
			}
			ok := true
			if rm.cond != nil {
				var err error
				if ok, err = runBool(m, rm.cond, x.env); err != nil {
					return nil, err
				}
			}
			if !ok {
				continue
			}
			if pass == 0 {
				n++
			} else {
				holds = append(holds, x)
			}
		}
		switch n {
		case 0:
			return nil, nil
		case len(members):
			return env, nil
		}
		if pass == 0 {
			holds = make([]*rated, 0, n)
		}
	}
	names := make([]string, len(holds))
	techs := make([]*catalog.Tech, len(holds))
	for i, x := range holds {
		names[i], techs[i] = x.elementName, x.tech()
	}
	sub := *env
	sub.Name, sub.Count = joinDistinct(names), len(names)
	sub.Hardening = hardeningOf(techs)
	if members[0].flow != nil {
		sub.Source, sub.Target = groupEndpoints(holds)
	}
	return &sub, nil
}

// setEntryPoints records the entry points the threat comes through: the
// flow's own, or the component's (componentEntryPoints). A threat that is
// shown (full) gets its own list of a flow's entry point, which Renumber
// rewrites in place; an outcome-only one (a group member, read by
// mergeConcern only) shares the flow's.
func (tc *threatCand) setEntryPoints(full bool) {
	t := &tc.t
	if fi := tc.flow; fi != nil {
		tc.epFirst = 1 << 30
		t.EntryPoints = []string{}
		if fi.ep != "" {
			if full {
				t.EntryPoints = []string{fi.ep}
			} else {
				t.EntryPoints = fi.epL
			}
			tc.epFirst = fi.epIndex
		}
		return
	}
	if tc.comp == nil {
		t.EntryPoints, tc.epFirst = []string{}, 1<<30
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
