package stride

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// This file is the last stage: threats are ordered and numbered, and the
// Report is assembled in its documented order.

// report assembles the Report from the analysis and its threats.
func (a *analysis) report(opts Options, cands []*threatCand) *Report {
	d := a.d
	threats := a.numberThreats(cands)
	r := &Report{
		SchemaVersion: SchemaVersion,
		Generator:     opts.Generator,
		Source:        Source{File: d.File, Format: d.Format, Diagram: d.Name, SHA256: opts.SourceSHA256},
		Diagram:       d,
		Threats:       threats,
		Warnings:      []string{},
	}
	r.System = a.systemName()
	r.Components = a.reportComponents(threats)
	r.Boundaries = a.reportBoundaries()
	r.Flows = a.reportFlows(threats)
	r.EntryPoints = a.reportEntryPoints(threats)
	r.OpenQuestions = a.openQuestions(threats)
	r.Notes = a.reportNotes()
	r.Assumptions = a.assumptions
	r.OutOfScope = a.outOfScopeList() // scope.go
	r.Warnings = a.reportWarnings()
	r.Summary = a.summary(threats)
	return r
}

// numberThreats orders the threats (score, residual score, first entry
// point, then the tie-break key), numbers them T-001, ... and attaches
// each to its element, raising the element's highest severity.
func (a *analysis) numberThreats(cands []*threatCand) []Threat {
	for _, tc := range cands {
		tc.t.Reasons = trimReasons(tc.t.Reasons)
	}
	sort.Slice(cands, func(i, j int) bool {
		x, y := &cands[i].t, &cands[j].t
		if x.Score != y.Score {
			return x.Score > y.Score
		}
		if x.ResidualScore != y.ResidualScore {
			return x.ResidualScore > y.ResidualScore
		}
		if cands[i].epFirst != cands[j].epFirst {
			return cands[i].epFirst < cands[j].epFirst
		}
		return lessKeys(cands[i].key, cands[j].key)
	})
	width := 3
	if n := len(cands); n >= 1000 {
		width = len(strconv.Itoa(n))
	}
	reserveThreatLists(cands)
	threats := make([]Threat, len(cands))
	for i, tc := range cands {
		tc.t.ID = fmt.Sprintf("T-%0*d", width, i+1)
		threats[i] = tc.t
		if tc.members == nil {
			attach(tc.rule, tc.flow, tc.comp, i, tc.t.ResidualRisk)
		}
		// Each member keeps its own colour: a flow already on TLS
		// folded with one in clear is not raised to the clear one's band.
		for _, m := range tc.members {
			attach(m.rule, m.flow, m.comp, i, m.residualRisk)
		}
		attachActors(tc, i)
	}
	return threats
}

// reserveThreatLists gives every element the threats attach will list
// on it room for them, cut from one array: thousands of elements each
// grew their list by appending, one threat at a time. Only capacity: the
// lists are filled by attach as before (and grow as before past it).
func reserveThreatLists(cands []*threatCand) {
	flows, comps := map[*flowInfo]int{}, map[*compInfo]int{}
	count := func(flow *flowInfo, comp *compInfo) {
		if flow != nil {
			flows[flow]++
		} else if comp != nil {
			comps[comp]++
		}
	}
	total := 0
	for _, tc := range cands {
		if tc.members == nil {
			count(tc.flow, tc.comp)
			total++
		}
		for _, m := range tc.members {
			count(m.flow, m.comp)
			total++
		}
	}
	slab := make([]int, 0, total)
	cut := func(have []int, n int) []int {
		if len(have) > 0 || n == 0 {
			return have
		}
		l := len(slab)
		slab = slab[:l+n]
		return slab[l : l : l+n]
	}
	for fi, n := range flows {
		fi.threats = cut(fi.threats, n)
	}
	for ci, n := range comps {
		ci.threats = cut(ci.threats, n)
	}
}

func (ci *compInfo) raiseSeverity(s Severity) {
	ci.maxSev = MaxSeverity(ci.maxSev, s)
}

// threatIDs returns the sorted IDs of the threats at indexes idx.
func threatIDs(threats []Threat, idx []int) []string {
	out := make([]string, len(idx))
	for i, x := range idx {
		out[i] = threats[x].ID
	}
	sort.Strings(out)
	return out
}

// reportComponents lists the components by label, then ID.
func (a *analysis) reportComponents(threats []Threat) []Component {
	out := make([]Component, 0, len(a.comps))
	for _, ci := range a.comps {
		c := Component{
			ID: ci.c.ID, Label: reportLabel(ci), Kind: string(ci.kind), KindReason: ci.kindReason, Shape: ci.c.Shape,
			Boundary: ci.c.Boundary, Trust: ci.trust, TrustName: TrustName(ci.trust), Zone: ci.zone, ZoneReason: ci.zoneReason,
			Sensitivity: ci.sens.sorted(), Controls: ci.controls.sorted(), Attributes: copyAttrs(ci.c.Attributes),
			MaxSeverity: ci.maxSev, Threats: threatIDs(threats, ci.threats), DataReasons: ci.dataReasons(),
		}
		c.Role, c.RoleReason = ci.role()
		if ci.tech != nil {
			c.Technology, c.TechnologyReason = ci.tech.Name, ci.techReason
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Label != y.Label {
			return x.Label < y.Label
		}
		return x.ID < y.ID
	})
	return out
}

// reportBoundaries lists the boundaries by label, then ID; a boundary
// that lists no members gets the components drawn inside it.
func (a *analysis) reportBoundaries() []Boundary {
	out := make([]Boundary, 0, len(a.d.Boundaries))
	for _, b := range a.d.Boundaries {
		bi := a.bounds[b.ID]
		members := append([]string{}, b.Members...)
		if len(members) == 0 {
			for _, ci := range a.comps {
				if ci.c.Boundary == b.ID {
					members = append(members, ci.c.ID)
				}
			}
		}
		sort.Strings(members)
		out = append(out, Boundary{ID: b.ID, Label: b.Label, Parent: b.Parent, Trust: bi.trust,
			TrustName: TrustName(bi.trust), TrustReason: bi.reason, Members: members, Inferred: b.Inferred})
	}
	for _, id := range []string{ImplicitBoundaryID, ProviderBoundaryID} {
		if bi := a.bounds[id]; bi != nil {
			out = append(out, Boundary{ID: id, Label: bi.b.Label, Trust: bi.trust, TrustName: TrustName(bi.trust),
				TrustReason: bi.reason, Members: a.implicitMembers(id), Implicit: true})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Label != y.Label {
			return x.Label < y.Label
		}
		return x.ID < y.ID
	})
	return out
}

// reportFlows lists the flows by source label, target label, flow label
// and ID.
func (a *analysis) reportFlows(threats []Threat) []Flow {
	order := make([]*flowInfo, len(a.flows))
	copy(order, a.flows)
	// Compared field by field: a key slice per comparison was a visible
	// share of BenchmarkAnalyze2000's allocations.
	sort.Slice(order, func(i, j int) bool {
		x, y := order[i], order[j]
		switch {
		case x.src.label != y.src.label:
			return x.src.label < y.src.label
		case x.dst.label != y.dst.label:
			return x.dst.label < y.dst.label
		case x.label != y.label:
			return x.label < y.label
		}
		return x.f.ID < y.f.ID
	})
	out := make([]Flow, 0, len(a.flows))
	for _, fi := range order {
		out = append(out, Flow{
			ID: fi.f.ID, Source: fi.f.Source, Target: fi.f.Target, Label: fi.f.Label, Bidirectional: fi.f.Bidirectional,
			Protocol: fi.facts.Protocol, Encrypted: fi.facts.Encrypted, EncryptedReason: fi.facts.EncReason,
			Authenticated: fi.facts.Authenticated, Sensitivity: fi.sens.sorted(), DataReasons: fi.dataWhy, Crosses: nonNil(fi.crosses),
			Direction: string(fi.dir), EntryPoint: fi.ep, Controls: fi.controls.sorted(), Attributes: copyAttrs(fi.f.Attributes),
			Threats: threatIDs(threats, fi.threats),
		})
	}
	return out
}

// reportEntryPoints lists the entry points in their numbered order with
// the threats that come through each.
func (a *analysis) reportEntryPoints(threats []Threat) []EntryPoint {
	// Each entry point's threat list is cut from one array, counted
	// first: an append per threat and entry point grew thousands of
	// slices at 2,000 components.
	index := make(map[string]int, len(a.eps))
	for i, fi := range a.eps {
		index[fi.ep] = i
	}
	count := make([]int, len(a.eps))
	total := 0
	for _, t := range threats {
		for _, ep := range t.EntryPoints {
			if i, ok := index[ep]; ok {
				count[i]++
				total++
			}
		}
	}
	all := make([]string, 0, total)
	lists := make([][]string, len(a.eps))
	for i, n := range count {
		lists[i] = all[len(all) : len(all) : len(all)+n]
		all = all[:len(all)+n]
	}
	for _, t := range threats {
		for _, ep := range t.EntryPoints {
			if i, ok := index[ep]; ok {
				lists[i] = append(lists[i], t.ID)
			}
		}
	}
	out := make([]EntryPoint, 0, len(a.eps))
	for i, fi := range a.eps {
		out = append(out, EntryPoint{ID: fi.ep, Flow: fi.f.ID, From: fi.f.Source, To: fi.f.Target,
			Direction: string(fi.dir), Boundaries: nonNil(fi.crosses), Threats: nonNil(lists[i]),
			Name: fi.src.label + " → " + fi.dst.label, Label: fi.label})
	}
	return out
}

// reportNotes returns the diagram's non-empty notes, sorted; nil if none.
func (a *analysis) reportNotes() []string {
	notes := make([]string, 0, len(a.d.Notes))
	for _, n := range a.d.Notes {
		if s := strings.TrimSpace(n.Text); s != "" {
			notes = append(notes, s)
		}
	}
	if len(notes) == 0 {
		return nil
	}
	sort.Strings(notes)
	return notes
}

// reportWarnings returns the importer's warnings, then the readings of
// words the analysis assumed, then the configuration keys that matched no
// element.
func (a *analysis) reportWarnings() []string {
	out := []string{}
	for _, w := range a.d.Warnings {
		out = append(out, w.String())
	}
	out = append(out, a.wordWarnings...)
	for _, k := range a.cfg.unusedKeys(a.d) {
		out = append(out, "configuration "+k+" matches no element")
	}
	return out
}

// summary counts the elements, and the threats by residual severity and by
// category (every severity and category present, zero or not).
func (a *analysis) summary(threats []Threat) Summary {
	d := a.d
	s := Summary{Components: len(d.Components), Flows: len(d.Flows), Boundaries: len(d.Boundaries),
		EntryPoints: len(a.eps), Threats: len(threats),
		BySeverity: map[Severity]int{}, ByCategory: map[Category]int{}}
	for _, v := range Severities {
		s.BySeverity[v] = 0
	}
	for _, c := range Categories {
		s.ByCategory[c] = 0
	}
	for _, t := range threats {
		s.BySeverity[t.ResidualRisk]++
		s.ByCategory[t.Category]++
	}
	return s
}

func trimReasons(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	return in
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func copyAttrs(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// systemName is the configured system name, else the diagram's title or
// name, else the file name without extension.
func (a *analysis) systemName() string {
	d := a.d
	if a.cfg != nil && a.cfg.System != "" {
		return a.cfg.System
	}
	if d.Title != "" {
		return oneLine(d.Title)
	}
	if d.Name != "" {
		return oneLine(d.Name)
	}
	base := filepath.Base(d.File)
	if base == "." || base == "/" || base == "-" || base == "" {
		return "Untitled system"
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// reportLabel is the component's label, or for an unlabelled component the
// name threats use for it, so every output shows the same name.
func reportLabel(ci *compInfo) string {
	if strings.TrimSpace(ci.c.Label) == "" {
		return ci.label
	}
	return ci.c.Label
}
