package stride

import (
	"slices"

	"github.com/threatmap/threatmap/stride/catalog"
)

// rated is one match as rated on its element, without texts: what
// decides its concern and its place in a group (group.go), and what a
// folded threat keeps of it (its element, entry points and own rating:
// Threat.Members, Threat.Views). applyRules makes one per match; only
// the threats that are shown (those that stand alone or head a group)
// are made in full, as threatCands.
//
// A rated is about half the size of a threatCand, which carries a whole
// Threat: at 20,000 components there are about 210,000 of them, all live
// until the threats are folded.
type rated struct {
	rule *Rule
	comp *compInfo
	flow *flowInfo
	env  *Env
	// element is the element type the rule applied to (match.element).
	element string
	// actor is the external entity the threat is about when it sits on
	// another element (threathost.go); nil otherwise.
	actor   *compInfo
	epFirst int
	// key is the tie-break key (threatCand.key).
	key         [4]string
	ref         ElementRef
	elementName string
	// The outcome, as the fields of Threat of the same names.
	existingControls                                  []string
	controls                                          []CreditedControl
	entryPoints                                       []string
	likelihood, impact, score                         int
	residualLikelihood, residualImpact, residualScore int
	severity, residualRisk                            Severity
	status                                            string
}

// rate writes tc's element and outcome into x.
func (tc *threatCand) rate(x *rated) {
	t := &tc.t
	*x = rated{rule: tc.rule, comp: tc.comp, flow: tc.flow, env: tc.env, element: tc.element, actor: tc.actor, epFirst: tc.epFirst,
		ref: t.Element, elementName: t.ElementName,
		existingControls: t.ExistingControls, controls: t.Controls, entryPoints: t.EntryPoints,
		likelihood: t.Likelihood, impact: t.Impact, score: t.Score,
		residualLikelihood: t.ResidualLikelihood, residualImpact: t.ResidualImpact, residualScore: t.ResidualScore,
		severity: t.Severity, residualRisk: t.ResidualRisk, status: t.Status}
	copy(x.key[:], tc.key)
}

// match is the match x was made from: on the entity it is about when
// placeThreat moved it to a host, so that remaking it in full scores and
// places it as before.
func (x *rated) match() match {
	comp := x.comp
	if x.actor != nil {
		comp = x.actor
	}
	return match{rule: x.rule, env: x.env, element: x.element, comp: comp, flow: x.flow}
}

// tech is the technology whose own controls a threat's mitigations name:
// the component's, or the flow's (flowInfo.tech); nil for none.
func (x *rated) tech() *catalog.Tech {
	if fi := x.flow; fi != nil {
		return fi.tech()
	}
	if x.actor != nil {
		return x.actor.tech
	}
	return x.comp.tech
}

// name is the element's name as the group's texts use it: the entity's
// when the threat is about one placed on another element.
func (x *rated) name() string {
	if x.actor != nil {
		return x.actor.label
	}
	return x.elementName
}

// member is x's rating as a Member.
func (x *rated) member() Member {
	m := Member{Element: x.ref, ElementName: x.elementName, Rule: x.rule.ID, Stride: x.rule.Stride,
		Likelihood: x.likelihood, Impact: x.impact, Score: x.score, Severity: x.severity,
		ExistingControls: x.existingControls, ResidualLikelihood: x.residualLikelihood,
		ResidualImpact: x.residualImpact, ResidualScore: x.residualScore, ResidualRisk: x.residualRisk,
		Status: x.status, Controls: x.controls}
	if m.ExistingControls == nil {
		m.ExistingControls = []string{}
	}
	if m.Controls == nil {
		m.Controls = []CreditedControl{}
	}
	if x.actor != nil {
		m.About = x.actor.label
	}
	return m
}

// ratedAlike reports whether a member of a group has its head's outcome:
// the same rule, residual band, status and existing controls. A member
// with its head's outcome is not listed in Members (threats of one
// outcome on sibling elements have always folded without it, and listing
// every member of a thousand-flow group would repeat it a thousand times).
func ratedAlike(head *Threat, x *rated) bool {
	return head.Rule == x.rule.ID && head.ResidualRisk == x.residualRisk && head.Status == x.status &&
		slices.Equal(head.ExistingControls, x.existingControls)
}

// attach records threat i, of rule r, on its element (a flow or a
// component) and raises the highest severity of the component it
// colours to sev: the component, or the flow's end the rule paints
// (flowInfo.paintedEnd).
func attach(r *Rule, flow *flowInfo, comp *compInfo, i int, sev Severity) {
	if flow != nil {
		flow.threats = append(flow.threats, i)
		flow.paintedEnd(r.Paints).raiseSeverity(sev)
		return
	}
	if comp == nil {
		return // a threat on the system as a whole
	}
	comp.threats = append(comp.threats, i)
	comp.raiseSeverity(sev)
}
