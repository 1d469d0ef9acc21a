package stride

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/expr-lang/expr/vm"
)

// This file folds threats of different rules that raise one concern on
// the same elements (group.go folds one rule's threats across sibling
// elements). A reviewer writes "someone signs in who should not" once for
// an identity provider, not once for account takeover, once for
// credential stuffing and once for a lax tenant policy; "the log is not
// tamper-evident" once, not as erasure by a writer and as a log that
// cannot prove its integrity.
//
// A concern is a list of rules, its primary first. Threats of one concern
// fold when they touch: they share an element, a flow of one ends at a
// component of the other, or one is a model-level threat (about the whole
// system, such as "no audit log in the design"), which touches all of its
// concern's threats. The folded threat keeps the texts and the identity of
// the first rule of the concern present (so its fingerprint does not move
// when ratings change), takes the rating of the member most at risk after
// controls, lists the elements of all and names every element and rule
// with its own rating in Threat.Members.

// concerns are the rules that raise one concern, primary first.
var concerns = [][]string{
	// Someone signs in at an identity provider who should not: a person's
	// account taken over, credentials stuffed, a lax tenant policy.
	{"S-EXT-01", "S-IDP-02", "S-IDP-01"},
	// A service trusts identity set upstream instead of checking it.
	{"E-PRC-01", "E-FWD-01", "T-FWD-02"},
	// An internet-facing service is made unavailable by its callers.
	{"D-PRC-01", "D-PRC-04"},
	// A log or ledger is not tamper-evident.
	{"T-DS-01", "R-DS-02", "R-BASE-DS"},
	// Actions cannot be attributed: no audit trail; on an interaction,
	// its requests can be denied or replayed.
	{"R-SYS-04", "R-PRC-01", "R-PRC-02", "R-BASE-INT", "R-BASE-PRC", "R-EXT-01", "R-BASE-EXT"},
	// Requests come from someone posing as their sender: on an
	// unauthenticated hop into a more trusted zone, on any other
	// boundary-crossing interaction, and at a process that cannot tell
	// its callers apart (STRIDE per interaction and per element, one
	// concern: the flows and the processes are listed together).
	{"S-INT-01", "S-BASE-INT", "S-BASE-PRC"},
	// A caller gets a process to act with the process's privileges: on
	// the interaction, an operation or resource it is not entitled to; at
	// the process, a flaw that hands over its privileges.
	{"E-BASE-INT", "E-BASE-PRC"},
	// Internals and credentials leak through error, debug or health output.
	{"I-PRC-04", "I-SEC-01", "I-BASE-PRC"},
	// Crafted media or documents attack the decoders that read them: code
	// execution through memory corruption, or exhaustion by bombs.
	{"E-PAR-03", "D-PAR-04"},
}

// concernOf maps a rule to its concern's index and its rank in it (made
// on first use: package initialisation stays free of work).
var concernOf = sync.OnceValue(func() map[string][2]int {
	m := map[string][2]int{}
	for i, c := range concerns {
		for j, r := range c {
			m[r] = [2]int{i, j}
		}
	}
	return m
})

// foldConcerns returns cands with the threats of one concern that touch
// folded into one (see the file comment).
func (a *analysis) foldConcerns(cands []*threatCand) []*threatCand {
	byConcern := map[int][]int{}
	for i, tc := range cands {
		if c, ok := concernOf()[tc.t.Rule]; ok {
			byConcern[c[0]] = append(byConcern[c[0]], i)
		}
	}
	drop := make([]bool, len(cands))
	for ci := range concerns {
		idx := byConcern[ci]
		if len(idx) < 2 {
			continue
		}
		xs := make([]*threatCand, len(idx))
		for i, x := range idx {
			xs[i] = cands[x]
		}
		root := touchSets(xs)
		sets := map[int][]*threatCand{}
		var roots []int
		for i, x := range idx {
			r := root[i]
			if sets[r] == nil {
				roots = append(roots, r)
			}
			sets[r] = append(sets[r], cands[x])
			if r != i {
				drop[x] = true
			}
		}
		for _, r := range roots {
			if g := sets[r]; len(g) > 1 {
				cands[idx[r]] = foldOne(g)
			}
		}
	}
	out := cands[:0]
	for i, tc := range cands {
		if !drop[i] {
			out = append(out, tc)
		}
	}
	return out
}

// unfolded returns cands made in full, each on its own (Options.Unfolded).
func (a *analysis) unfolded(cands []*rated) ([]*threatCand, error) {
	var m vm.VM
	var sb bytes.Buffer
	out := make([]*threatCand, len(cands))
	for i, x := range cands {
		full, err := a.makeThreat(&m, &sb, x.match(), true)
		if err != nil {
			return nil, err
		}
		out[i] = full
	}
	return out, nil
}

// elementsOf are the elements a threat candidate is on.
func (tc *threatCand) elementsOf() []ElementRef {
	if len(tc.t.Elements) > 0 {
		return tc.t.Elements
	}
	return []ElementRef{tc.t.Element}
}

// touchKeys are the elements a candidate touches: its own, and the
// components its flows end at.
func (tc *threatCand) touchKeys() []ElementRef {
	out := append([]ElementRef{}, tc.elementsOf()...)
	if tc.members == nil {
		if tc.flow != nil {
			out = append(out, ElementRef{Type: "component", ID: tc.flow.dst.c.ID})
		}
		return out
	}
	for _, x := range tc.members {
		if x.flow != nil {
			out = append(out, ElementRef{Type: "component", ID: x.flow.dst.c.ID})
		}
	}
	return out
}

// memberCands are the ratings of the single-element threats a candidate
// stands for: its members, or its own.
func (tc *threatCand) memberCands() []*rated {
	if tc.members != nil {
		return tc.members
	}
	if tc.rec == nil {
		tc.rec = new(rated)
		tc.rate(tc.rec)
	}
	return []*rated{tc.rec}
}

// touchSets partitions threats of one concern into the sets that touch,
// directly or through others (see the file comment): root[i] is the
// first threat of i's set. Threats are joined through the elements they
// touch (touchKeys), each element's first threat standing for it, so the
// work grows with the elements, not with the pairs of threats: at 2,000
// components a concern has hundreds of threats, and comparing every pair
// built a map per pair.
func touchSets(xs []*threatCand) []int {
	parent := make([]int, len(xs))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(i, j int) {
		ri, rj := find(i), find(j)
		if rj < ri {
			ri, rj = rj, ri
		}
		parent[rj] = ri
	}
	owner := map[ElementRef]int{}
	system := -1
	for i, x := range xs {
		if x.t.Element.Type == AppliesSystem {
			// A model-level threat touches every threat of its concern.
			if system < 0 {
				system = i
			}
			continue
		}
		for _, e := range x.touchKeys() {
			if o, ok := owner[e]; ok {
				union(o, i)
			} else {
				owner[e] = i
			}
		}
	}
	if system >= 0 {
		for i := range xs {
			union(system, i)
		}
	}
	root := make([]int, len(xs))
	for i := range root {
		root[i] = find(i)
	}
	return root
}

// foldOne folds threats of one concern into one: the texts and identity
// of the first rule of the concern, the rating of the member most at risk
// after controls, every element, and every member's own rating.
func foldOne(g []*threatCand) *threatCand {
	of := concernOf()
	rank := func(tc *threatCand) int { return of[tc.t.Rule][1] }
	sort.SliceStable(g, func(i, j int) bool {
		if ri, rj := rank(g[i]), rank(g[j]); ri != rj {
			return ri < rj
		}
		return lessKeys(g[i].key, g[j].key)
	})
	m := *g[0]
	t := &m.t
	worst := g[0]
	for _, x := range g[1:] {
		if moreAtRisk(&x.t, &worst.t) {
			worst = x
		}
	}
	if worst != g[0] {
		w := &worst.t
		t.Likelihood, t.Impact, t.Score, t.Severity = w.Likelihood, w.Impact, w.Score, w.Severity
		t.ExistingControls, t.Controls = w.ExistingControls, w.Controls
		t.ResidualLikelihood, t.ResidualImpact, t.ResidualScore = w.ResidualLikelihood, w.ResidualImpact, w.ResidualScore
		t.ResidualRisk, t.Status, t.Scoring = w.ResidualRisk, w.Status, w.Scoring
	}
	var members []*rated
	var ratings []Member
	elems := []ElementRef{}
	var others []string
	for _, x := range g {
		for _, mc := range x.memberCands() {
			members = append(members, mc)
			ratings = append(ratings, mc.member())
		}
		elems = append(elems, x.elementsOf()...)
		if x != g[0] {
			others = append(others, x.t.Title+" ("+x.t.Rule+")")
			t.Mitigations = appendNewMitigations(t.Mitigations, x.t.Mitigations)
			t.EntryPoints = append(t.EntryPoints, x.t.EntryPoints...)
		}
		if x.epFirst < m.epFirst {
			m.epFirst = x.epFirst
		}
	}
	m.members = members
	t.Members = ratings
	t.Elements = uniqueRefs(elems)
	if len(t.Elements) == 1 {
		t.Elements = nil
	}
	t.EntryPoints = sortedDistinct(t.EntryPoints)
	names := make([]string, 0, len(t.Elements))
	for _, mc := range members {
		names = append(names, mc.elementName)
	}
	if len(t.Elements) > 1 && t.Element.Type != AppliesSystem {
		t.ElementName = joinDistinct(uniqueNames(names))
	}
	t.Description += "\n\nThe same concern, raised on the same elements: " + strings.Join(others, "; ") + "."
	if worst != g[0] {
		t.Description += " The rating is " + worst.t.Rule + "'s on " + worst.t.ElementName + ", the most at risk after controls."
	}
	t.Reasons = append(append([]string{}, t.Reasons...),
		"one concern with "+strings.Join(ruleIDs(g[1:]), ", ")+", listed together")
	return &m
}

// moreAtRisk orders threats by residual band, residual score, then score.
func moreAtRisk(x, y *Threat) bool {
	if rx, ry := x.ResidualRisk.Rank(), y.ResidualRisk.Rank(); rx != ry {
		return rx > ry
	}
	if x.ResidualScore != y.ResidualScore {
		return x.ResidualScore > y.ResidualScore
	}
	return x.Score > y.Score
}

// ruleIDs are the rules of g, each once, in order.
func ruleIDs(g []*threatCand) []string {
	var out []string
	for _, x := range g {
		if !slices.Contains(out, x.t.Rule) {
			out = append(out, x.t.Rule)
		}
	}
	return out
}

// appendNewMitigations appends the mitigations of more whose control is
// not already in ms.
func appendNewMitigations(ms, more []Mitigation) []Mitigation {
	ms = slices.Clone(ms)
	for _, x := range more {
		if !slices.ContainsFunc(ms, func(y Mitigation) bool { return y.Control == x.Control }) {
			ms = append(ms, x)
		}
	}
	return ms
}
