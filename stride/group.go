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

// This file folds threats by concern: one rule with one outcome (inherent
// and residual band, status, existing controls) on sibling elements is one
// concern, so it becomes one threat that lists its elements
// (Threat.Elements) instead of a wall of near-identical rows.
//
// Siblings are defined by mechanism, never by counts:
//   - a coverage rule (a STRIDE-per-element baseline) folds across the
//     whole system: the missing baseline is the same everywhere;
//   - a specific rule on components folds components of the same kind in
//     the same zone (every service behind the gateway);
//   - a specific rule on flows (and interactions) folds flows by where the
//     attacker must be: flows with an end on the internet (the attacker is
//     on the internet path) and internal hops (the attacker has a foothold
//     inside the network, whichever zone).
//
// A folded threat is identified by its rule and its sibling key (the
// Identity "group:..." below), not by its first element, so it keeps its
// fingerprint and id when members come and go.

// groupPrefix starts the identity key of a folded threat.
const groupPrefix = "group:"

// groupConcerns returns cands with the threats of one concern folded.
func (a *analysis) groupConcerns(cands []*threatCand) ([]*threatCand, error) {
	groups := map[string][]*threatCand{}
	var order []string
	for _, tc := range cands {
		k := concernKey(tc) + "\x00" + a.siblingKey(tc).id
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], tc)
	}
	out := make([]*threatCand, 0, len(order))
	var sb bytes.Buffer
	for _, k := range order {
		g := groups[k]
		if len(g) == 1 {
			out = append(out, g[0])
			continue
		}
		merged, err := a.mergeConcern(&sb, g)
		if err != nil {
			return nil, err
		}
		out = append(out, merged)
	}
	return out, nil
}

// concernKey identifies an outcome of a rule: the rule, the residual
// band, the status and the existing controls. The inherent band is left
// out: threats that end at the same residual risk with the same controls
// call for the same action.
func concernKey(tc *threatCand) string {
	t := &tc.t
	return strings.Join([]string{t.Rule, string(t.ResidualRisk), t.Status,
		strings.Join(t.ExistingControls, ",")}, "\x00")
}

// sibling is the key of a threat's siblings from source ids (id), from
// labels (label), and how the group is described in text (where): "internal
// hops", "flows into Application Tier", "processes in DMZ".
type sibling struct {
	id, label, kind string
	where           string
	// attacker is who is positioned to attack every sibling (Env.Attacker
	// in group texts); "" keeps the first element's.
	attacker string
}

// siblingKey says which elements are siblings of the threat's element for
// its rule (see the file comment).
func (a *analysis) siblingKey(tc *threatCand) sibling {
	if fi := tc.flow; fi != nil {
		switch {
		case tc.rule.Coverage:
			return sibling{id: "flow", label: "flow", kind: "flow", where: "flows",
				attacker: "an attacker positioned on the network path"}
		case fi.src.partition != "" && fi.dst.partition != "" && fi.src.partition != fi.dst.partition:
			// Two sides of one machine (isolation.go): the path is a call
			// gate, not a network, whatever trust the sides have.
			return sibling{id: "flow:partition", label: "flow:partition", kind: "flow", where: "flows across an isolation boundary",
				attacker: "code running on the less trusted side"}
		case fi.src.trust == TrustUntrusted || fi.dst.trust == TrustUntrusted:
			return sibling{id: "flow:internet", label: "flow:internet", kind: "flow", where: "internet-facing flows",
				attacker: "an attacker on the internet path"}
		}
		return sibling{id: "flow:internal", label: "flow:internal", kind: "flow", where: "internal hops",
			attacker: "an attacker with a foothold inside the network"}
	}
	ci := tc.comp
	if ci == nil {
		// A model-level threat (the system as a whole) fires once per
		// diagram: it has no siblings.
		return sibling{id: AppliesSystem, label: AppliesSystem, kind: AppliesSystem, where: "the system"}
	}
	kind := string(ci.kind)
	if tc.rule.Coverage {
		return sibling{id: kind, label: kind, kind: kind, where: kindPlural(kind)}
	}
	zoneID := ci.c.Boundary
	if zoneID == "" {
		zoneID = "~" + NormalizeLabel(ci.zone)
	}
	in := " in " + ci.zone
	if strings.HasPrefix(ci.zone, "outside ") {
		in = " " + ci.zone
	}
	return sibling{id: kind + "@" + zoneID, label: kind + "@" + NormalizeLabel(ci.zone), kind: kind,
		where: kindPlural(kind) + in}
}

// kindPlural names several components of a kind.
func kindPlural(kind string) string {
	switch kind {
	case "external":
		return "external entities"
	case "datastore":
		return "data stores"
	case "process":
		return "processes"
	}
	return kind + "s"
}

// mergeConcern folds the threats of one concern into one, listing every
// element, highest score first (then by element key). A rule with group
// texts renders them over the joined element names; otherwise the first
// element's texts stand for all, with the others named.
func (a *analysis) mergeConcern(sb *bytes.Buffer, g []*threatCand) (*threatCand, error) {
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
	var techs []*catalog.Tech
	t.Elements = make([]ElementRef, len(g))
	var ctls []CreditedControl
	seenCtl := map[CreditedControl]bool{}
	for i, x := range g {
		names[i] = x.t.ElementName
		t.Elements[i] = x.t.Element
		for _, c := range x.t.Controls {
			if !seenCtl[c] {
				seenCtl[c] = true
				ctls = append(ctls, c)
			}
		}
		eps.add(x.t.EntryPoints...)
		sens.add(x.env.Sensitivity...)
		techs = append(techs, x.techs()...)
		if x.epFirst < m.epFirst {
			m.epFirst = x.epFirst
		}
	}
	if ctls != nil {
		t.Controls = ctls
	}
	sib := a.siblingKey(g[0])
	env := *g[0].env
	env.Name = joinDistinct(names)
	env.Count = len(g)
	env.Members = sib.where
	if sib.attacker != "" {
		env.Attacker = sib.attacker
	}
	env.Senders, env.Receivers, env.Writers, env.Readers = "", "", "", ""
	if g[0].flow != nil {
		env.Source, env.Target = groupEndpoints(g)
	}
	fillSens(&env, sens.sorted())
	env.Hardening = hardeningOf(techs)
	r := m.rule
	if r.GroupTitle != "" {
		if err := render(sb, r.tx.groupTitle, nil, &env); err != nil {
			return nil, fmt.Errorf("rule %s: group_title: %v", r.ID, err)
		}
		t.Title = oneLine(sb.String())
	} else {
		if others := names[1:]; len(others) <= 3 {
			t.Title = g[0].t.Title + " (also " + joinDistinct(others) + ")"
		} else {
			t.Title = g[0].t.Title + " (and " + strconv.Itoa(len(others)) + " more " + sib.where + ")"
		}
	}
	if r.GroupDescription != "" {
		if err := render(sb, r.tx.groupDesc, nil, &env); err != nil {
			return nil, fmt.Errorf("rule %s: group_description: %v", r.ID, err)
		}
		t.Description = strings.TrimSpace(sb.String())
	} else {
		t.Description = g[0].t.Description + "\n\nThe same holds, with the same outcome, for " + joinDistinct(names[1:]) + "."
	}
	t.ElementName = env.Name
	t.EntryPoints = nonNil(eps.sorted())
	var vmach vm.VM
	if err := t.recommend(&vmach, sb, r, &env, g); err != nil {
		return nil, err
	}
	t.Identity = Identity{Element: groupPrefix + sib.id, Label: groupPrefix + sib.label, Kind: sib.kind}
	t.Reasons = append(append([]string{}, t.Reasons...), fmt.Sprintf("the same concern on %d %s, listed together", len(g), sib.where))
	return &m, nil
}

// joinDistinct renders names in order, each once: a name that several
// elements share (four components labelled "M4") is "M4 (×4)".
func joinDistinct(names []string) string {
	count := map[string]int{}
	var uniq []string
	for _, n := range names {
		if count[n] == 0 {
			uniq = append(uniq, n)
		}
		count[n]++
	}
	for i, n := range uniq {
		if c := count[n]; c > 1 {
			uniq[i] = n + " (×" + strconv.Itoa(c) + ")"
		}
	}
	return joinAll(uniq)
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

// techs are the technologies whose own controls a threat's mitigations
// name: the component's, or the flow's (flowInfo.techs).
func (tc *threatCand) techs() []*catalog.Tech {
	if fi := tc.flow; fi != nil {
		return fi.techs()
	}
	return []*catalog.Tech{tc.comp.tech}
}

// groupEndpoints are the ends of a folded flow threat for its group texts
// and mitigations: the first member's, named after every member's
// sources and targets ("Patient Records DB and Session Cache"), so a
// mitigation does not speak of one flow's end for all of them.
func groupEndpoints(g []*threatCand) (*Endpoint, *Endpoint) {
	src, dst := *g[0].env.Source, *g[0].env.Target
	var srcs, dsts []string
	for _, x := range g {
		srcs = append(srcs, x.env.Source.Name)
		dsts = append(dsts, x.env.Target.Name)
	}
	src.Name, dst.Name = joinAll(uniqueNames(srcs)), joinAll(uniqueNames(dsts))
	return &src, &dst
}

// uniqueNames keeps the first of each name, in order.
func uniqueNames(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}
