package stride

import (
	"cmp"
	"slices"
	"sort"
	"strings"
)

// Index answers the questions a Report's readers (the exporters and the
// picture stages) ask of it: elements by ID, their display names, threats
// by ID and in risk order, and per-component authentication. Build it once
// with Report.Index; it reads the report as it is then and is safe for
// concurrent use.
type Index struct {
	r          *Report
	components map[string]*Component
	boundaries map[string]*Boundary
	flows      map[string]*Flow
	threats    map[string]*Threat
	auth       map[string]*Authentication
	byResidual []*Threat
}

// Authentication says how callers authenticate to a component.
type Authentication struct {
	// Declared is the component's own "auth" (or "authentication")
	// attribute; "" when it has none.
	Declared string
	// Inbound and Outbound list the authentication of the flows into and
	// out of the component (a bidirectional flow counts both ways),
	// sorted, without duplicates; "unknown" stands for a flow that does
	// not say.
	Inbound, Outbound []string
}

// Index builds the lookups over r. When IDs repeat (hand-made reports),
// the first element with an ID wins.
func (r *Report) Index() *Index {
	x := &Index{r: r,
		components: make(map[string]*Component, len(r.Components)),
		boundaries: make(map[string]*Boundary, len(r.Boundaries)),
		flows:      make(map[string]*Flow, len(r.Flows)),
		threats:    make(map[string]*Threat, len(r.Threats)),
		auth:       map[string]*Authentication{},
	}
	for i := range r.Components {
		addFirst(x.components, r.Components[i].ID, &r.Components[i])
	}
	for i := range r.Boundaries {
		addFirst(x.boundaries, r.Boundaries[i].ID, &r.Boundaries[i])
	}
	for i := range r.Flows {
		f := &r.Flows[i]
		addFirst(x.flows, f.ID, f)
		x.addFlowAuth(f)
	}
	for _, a := range x.auth {
		sort.Strings(a.Inbound)
		sort.Strings(a.Outbound)
	}
	// Risk order, ties kept in report order: a total order on indexes
	// sorts like a stable sort, in O(n log n) comparisons without
	// reflection (sort.SliceStable was a third of Index's time).
	order := make([]int, len(r.Threats))
	for i := range r.Threats {
		t := &r.Threats[i]
		addFirst(x.threats, t.ID, t)
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		a, b := &r.Threats[i], &r.Threats[j]
		switch {
		case residualFirst(a, b):
			return -1
		case residualFirst(b, a):
			return 1
		}
		return cmp.Compare(i, j)
	})
	x.byResidual = make([]*Threat, len(order))
	for k, i := range order {
		x.byResidual[k] = &r.Threats[i]
	}
	return x
}

func addFirst[T any](m map[string]*T, id string, v *T) {
	if _, dup := m[id]; !dup {
		m[id] = v
	}
}

func (x *Index) addFlowAuth(f *Flow) {
	a := f.Authenticated
	if a == "" {
		a = "unknown"
	}
	add := func(id string, in bool) {
		fa := x.auth[id]
		if fa == nil {
			fa = &Authentication{}
			x.auth[id] = fa
		}
		list := &fa.Outbound
		if in {
			list = &fa.Inbound
		}
		if !slices.Contains(*list, a) {
			*list = append(*list, a)
		}
	}
	add(f.Target, true)
	add(f.Source, false)
	if f.Bidirectional {
		add(f.Source, true)
		add(f.Target, false)
	}
}

// residualFirst orders threats by residual risk, then residual score, then
// inherent score, highest first, then by ID.
func residualFirst(a, b *Threat) bool {
	if ra, rb := a.ResidualRisk.Rank(), b.ResidualRisk.Rank(); ra != rb {
		return ra > rb
	}
	if a.ResidualScore != b.ResidualScore {
		return a.ResidualScore > b.ResidualScore
	}
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.ID < b.ID
}

// Component returns the component with id, or nil.
func (x *Index) Component(id string) *Component { return x.components[id] }

// Boundary returns the trust boundary with id, or nil.
func (x *Index) Boundary(id string) *Boundary { return x.boundaries[id] }

// Flow returns the data flow with id, or nil.
func (x *Index) Flow(id string) *Flow { return x.flows[id] }

// Threat returns the threat with id, or nil.
func (x *Index) Threat(id string) *Threat { return x.threats[id] }

// ComponentName is a component's label, or id when it has none or is
// unknown.
func (x *Index) ComponentName(id string) string {
	if c := x.components[id]; c != nil && c.Label != "" {
		return c.Label
	}
	return id
}

// BoundaryName is a trust boundary's label, or id when it has none or is
// unknown.
func (x *Index) BoundaryName(id string) string {
	if b := x.boundaries[id]; b != nil && b.Label != "" {
		return b.Label
	}
	return id
}

// FlowName names a flow by its ends: "A → B", or "A ↔ B" when it is
// bidirectional.
func (x *Index) FlowName(f *Flow) string {
	arrow := " → "
	if f.Bidirectional {
		arrow = " ↔ "
	}
	return x.ComponentName(f.Source) + arrow + x.ComponentName(f.Target)
}

// ElementName names the component or flow a threat is about.
func (x *Index) ElementName(e ElementRef) string {
	if e.Type == AppliesSystem {
		return SystemElementName
	}
	if e.Type == "flow" {
		if f := x.flows[e.ID]; f != nil {
			return x.FlowName(f)
		}
	}
	return x.ComponentName(e.ID)
}

// RatedElementNames names each element threat t lists (its one element,
// or every element of a folded threat), on one line each. An element
// rated apart from the threat (Threat.Members) carries its own rating
// after its name: "Fulcio → Client (Low, Mitigated)", with the rule when
// the threat folds several rules ("IAM (S-IDP-01: Medium, Unmitigated)")
// and the external entity a threat placed on a host is about ("Auth
// Service (Patient: Critical, Unmitigated; Clinician: High, Partial)"),
// so that no reader takes the threat's rating for every element's.
func (x *Index) RatedElementNames(t *Threat) []string {
	els := t.Elements
	if len(els) == 0 {
		els = []ElementRef{t.Element}
	}
	own := map[ElementRef][]string{}
	for _, m := range t.Members {
		r := string(m.ResidualRisk) + ", " + m.Status
		if m.About != "" {
			r = strings.Join(strings.Fields(m.About), " ") + ": " + r
		}
		if m.Rule != t.Rule {
			r = m.Rule + " " + r
			if m.About == "" {
				r = m.Rule + ": " + r[len(m.Rule)+1:]
			}
		}
		own[m.Element] = append(own[m.Element], r)
	}
	names := make([]string, len(els))
	for i, e := range els {
		names[i] = strings.Join(strings.Fields(x.ElementName(e)), " ")
		if r := own[e]; len(r) > 0 {
			names[i] += " (" + strings.Join(r, "; ") + ")"
		}
	}
	return names
}

// MaxResidual is the highest residual risk among the threats with the
// given IDs ("" for none; unknown IDs are ignored).
func (x *Index) MaxResidual(ids []string) Severity {
	var best Severity
	for _, id := range ids {
		if t := x.threats[id]; t != nil {
			best = MaxSeverity(best, t.ResidualRisk)
		}
	}
	return best
}

// ByResidualRisk lists the threats by residual risk, residual score and
// inherent score, highest first, then by ID: the order of a review
// agenda. (Report.Threats itself is in register order: inherent score
// first, numbered in that order.) The slice is shared; do not modify it.
func (x *Index) ByResidualRisk() []*Threat { return x.byResidual }

// Authentication says how callers authenticate to component id: its own
// attribute and the authentication of its flows.
func (x *Index) Authentication(id string) Authentication {
	var a Authentication
	if c := x.components[id]; c != nil {
		for _, k := range []string{"auth", "authentication"} {
			if v := c.Attributes[k]; v != "" {
				a.Declared = v
				break
			}
		}
	}
	if fa := x.auth[id]; fa != nil {
		a.Inbound, a.Outbound = fa.Inbound, fa.Outbound
	}
	return a
}
