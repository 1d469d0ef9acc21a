package stride

import (
	"bytes"
	"fmt"
	"sort"
	"sync"

	"github.com/expr-lang/expr/vm"
)

// This file is the fifth stage: every enabled rule's condition runs on the
// elements it applies to, and every match becomes a threat (threat.go).

// match is one rule whose condition holds on one element: a component
// (comp set) or a flow (flow set). env is the Env the rule read and
// element the element type it applied to: Env.Element, except for an
// interaction rule on a flow, which reads the flow's Env (one per flow)
// unless the rule reads Element itself (analysis.interactionEnvs).
type match struct {
	rule    *Rule
	env     *Env
	element string
	comp    *compInfo
	flow    *flowInfo
}

// applyRules evaluates every rule's condition on the elements it applies
// to, then rates the matches (makeThreat with full false, kept as a
// rated: groupConcerns makes in full the threats that are shown). Both
// steps run in parallel over independent pieces whose results are kept
// in order, so the result is the same whatever the scheduling.
func (a *analysis) applyRules(rules []Rule) ([]*rated, error) {
	sorted, err := enabledRules(rules)
	if err != nil {
		return nil, err
	}
	a.interactionEnvs(sorted)
	matches, err := a.matchAll(sorted)
	if err != nil {
		return nil, err
	}
	findHosts(matches)
	out := make([]*rated, len(matches))
	errs := make([]error, len(matches))
	// One allocation for the ratings of every match (tens of thousands
	// at 2,000 components) rather than one each; each goroutine makes
	// its threats in one scratch candidate and keeps their ratings.
	slab := make([]rated, len(matches))
	inParallel(a.workers, len(matches), 64, func(lo, hi int) {
		var m vm.VM
		var sb bytes.Buffer
		var tc threatCand
		for i := lo; i < hi; i++ {
			tc = threatCand{}
			if _, errs[i] = a.makeThreatInto(&tc, &m, &sb, matches[i], false); errs[i] == nil {
				tc.rate(&slab[i])
				out[i] = &slab[i]
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return a.dropOutOfScope(out), nil // scope.go
}

// enabledRules returns the rules that are not disabled, sorted by ID and
// compiled.
func enabledRules(rules []Rule) ([]*Rule, error) {
	var sorted []*Rule
	for i := range rules {
		if !rules[i].Disabled {
			sorted = append(sorted, &rules[i])
		}
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	for _, r := range sorted {
		if r.when == nil {
			if err := r.compile(); err != nil {
				return nil, fmt.Errorf("rule %s: %v", r.ID, err)
			}
		}
	}
	return sorted, nil
}

// matchAll runs every rule's condition, then the coverage rules where no
// other rule of their category matched the element (see Rule.Coverage).
func (a *analysis) matchAll(rules []*Rule) ([]match, error) {
	var specific, coverage []*Rule
	for _, r := range rules {
		if r.Coverage {
			coverage = append(coverage, r)
		} else {
			specific = append(specific, r)
		}
	}
	// Each rule's matches come in a slice of their own size; they are
	// copied once into a result with room for all of them.
	spec, err := a.matchRules(specific)
	if err != nil {
		return nil, err
	}
	var base [][]match
	if len(coverage) > 0 {
		if base, err = a.matchRules(coverage); err != nil {
			return nil, err
		}
	}
	n := 0
	for _, l := range spec {
		n += len(l)
	}
	for _, l := range base {
		n += len(l)
	}
	matches := make([]match, 0, n)
	for _, l := range spec {
		matches = append(matches, l...)
	}
	if len(coverage) == 0 {
		return matches, nil
	}
	cv := a.newCoverage(rules)
	for _, m := range matches {
		cv.cover(m)
	}
	for _, l := range base {
		for _, m := range l {
			if m.flow != nil && m.flow.respOf != nil {
				continue // a response is covered with its request
			}
			if cv.cover(m) {
				matches = append(matches, m)
			}
		}
	}
	return matches, nil
}

// coverage records which elements have a threat of which STRIDE category:
// a flag per element (the system, then the components, then the flows, by
// their position, elemIndex) and category, rather than a map entry per
// match (tens of thousands at 2,000 components).
type coverage struct {
	cats    map[Category]int
	covered []bool
}

// newCoverage sizes a coverage for the analysis's elements and the
// categories of rules, and numbers every component and flow (elemIndex).
func (a *analysis) newCoverage(rules []*Rule) *coverage {
	cv := &coverage{cats: map[Category]int{}}
	for _, r := range rules {
		if _, ok := cv.cats[r.Category]; !ok {
			cv.cats[r.Category] = len(cv.cats)
		}
	}
	for i, ci := range a.comps {
		ci.elemIndex = 1 + i
	}
	for i, fi := range a.flows {
		fi.elemIndex = 1 + len(a.comps) + i
	}
	cv.covered = make([]bool, (1+len(a.comps)+len(a.flows))*len(cv.cats))
	return cv
}

// cover marks the element the match threatens (a component for component
// rules, the flow for flow and interaction rules, else the system) as
// having a threat of its rule's category, and reports whether it had none.
func (cv *coverage) cover(m match) bool {
	e := 0
	if m.flow != nil {
		e = m.flow.elemIndex
	} else if m.comp != nil {
		e = m.comp.elemIndex
	}
	k := e*len(cv.cats) + cv.cats[m.rule.Category]
	if cv.covered[k] {
		return false
	}
	cv.covered[k] = true
	return true
}

// matchRules runs the rules' conditions; each rule's matches are kept in
// element order, in a slice of their own size (gathered in a buffer each
// goroutine reuses from rule to rule).
func (a *analysis) matchRules(rules []*Rule) ([][]match, error) {
	perRule := make([][]match, len(rules))
	ruleErr := make([]error, len(rules))
	inParallel(a.workers, len(rules), 1, func(lo, hi int) {
		var m vm.VM
		var buf []match
		for i := lo; i < hi; i++ {
			buf, ruleErr[i] = a.matchRule(&m, rules[i], buf[:0])
			if len(buf) > 0 {
				perRule[i] = append(make([]match, 0, len(buf)), buf...)
			}
		}
	})
	for i := range rules {
		if ruleErr[i] != nil {
			return nil, ruleErr[i]
		}
	}
	return perRule, nil
}

// asInteractionEnv is a copy of a flow's Env as an interaction's
// (interactionEnvs).
func asInteractionEnv(e *Env) *Env {
	c := *e
	c.Element = AppliesInteraction
	return &c
}

// inParallel splits [0, n) into contiguous chunks of at least minChunk
// indexes, at most workers of them, and calls work on each chunk in its
// own goroutine. work must only write results at its own indexes.
func inParallel(workers, n, minChunk int, work func(lo, hi int)) {
	workers = min(workers, n/minChunk+1)
	if workers <= 1 {
		work(0, n)
		return
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(lo, hi)
		}()
	}
	wg.Wait()
}

// matchRule runs r's condition on every element it applies to and
// appends its matches to out.
func (a *analysis) matchRule(m *vm.VM, r *Rule, out []match) ([]match, error) {
	for _, at := range r.AppliesTo {
		switch at {
		case AppliesSystem:
			ok, err := runBool(m, r.when, a.sysEnv)
			if err != nil {
				return nil, fmt.Errorf("rule %s on the system: %v", r.ID, err)
			}
			if ok {
				out = append(out, match{rule: r, env: a.sysEnv, element: a.sysEnv.Element})
			}
		case AppliesFlow, AppliesInteraction:
			for i, fi := range a.flows {
				env := fi.env
				if at == AppliesInteraction && a.interEnvs != nil && r.readsElement() {
					env = &a.interEnvs[i]
				}
				ok, err := runBool(m, r.when, env)
				if err == nil && !ok && fi.backEnv != nil && (!r.Coverage || at == AppliesInteraction) {
					// A two-way flow read from its less trusted end
					// (callers.go): its requests into the other end.
					env = fi.backEnv
					if at == AppliesInteraction && a.interEnvs != nil && r.readsElement() {
						env = asInteractionEnv(env)
					}
					ok, err = runBool(m, r.when, env)
				}
				if err != nil {
					return nil, fmt.Errorf("rule %s on flow %q: %v", r.ID, fi.f.ID, err)
				}
				if ok {
					out = append(out, match{rule: r, env: env, element: at, flow: fi})
				}
			}
		default:
			for _, ci := range a.byKind[at] {
				ok, err := runBool(m, r.when, ci.env)
				if err != nil {
					return nil, fmt.Errorf("rule %s on component %q: %v", r.ID, ci.c.ID, err)
				}
				if ok {
					out = append(out, match{rule: r, env: ci.env, element: ci.env.Element, comp: ci})
				}
			}
		}
	}
	return out, nil
}
