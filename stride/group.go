package stride

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
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
//     the same zone (every service behind the gateway), and components of
//     the same kind that take requests straight from the internet
//     whatever their zone (the attacker is on the internet for each);
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
func (a *analysis) groupConcerns(cands []*rated) ([]*threatCand, error) {
	type groupKey struct{ concern, sibling string }
	groups := map[groupKey][]*rated{}
	var order []groupKey
	// A component's sibling key for specific rules is the same for every
	// rule: worked out once per component (it builds strings).
	sibs := map[*compInfo]string{}
	for _, tc := range cands {
		var sib string
		if ci := tc.comp; ci != nil && tc.flow == nil && !tc.rule.Coverage {
			s, ok := sibs[ci]
			if !ok {
				s = a.siblingKey(tc).id
				sibs[ci] = s
			}
			sib = s
		} else {
			sib = a.siblingKey(tc).id
		}
		k := groupKey{concernKey(tc), sib}
		if tc.actor != nil {
			// Threats about several entities placed on one host
			// (threathost.go) are one concern there, whatever each
			// entity's own rating: the host stops all of them; and
			// on hosts that are siblings (a developer's account taken
			// over at the Kubernetes API, an operator's at IAM, both
			// taking requests from the internet) one concern too.
			k = groupKey{"placed\x00" + tc.rule.ID, a.siblingKey(&rated{rule: tc.rule, comp: tc.comp, env: tc.comp.env}).id}
		}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], tc)
	}
	// The threat that stands alone or heads its group (the first after
	// sortMembers) is the one whose texts are shown: make it in full.
	members := make([][]*rated, len(order))
	for i, k := range order {
		g := groups[k]
		sortMembers(g)
		members[i] = g
	}
	heads := make([]*threatCand, len(order))
	errs := make([]error, len(heads))
	inParallel(a.workers, len(heads), 16, func(lo, hi int) {
		var m vm.VM
		var sb bytes.Buffer
		for i := lo; i < hi; i++ {
			heads[i], errs[i] = a.makeThreat(&m, &sb, members[i][0].match(), true)
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	out := make([]*threatCand, 0, len(order))
	var sb bytes.Buffer
	var scratch mergeScratch
	for i, g := range members {
		if len(g) == 1 {
			out = append(out, heads[i])
			continue
		}
		merged, err := a.mergeConcern(&sb, &scratch, heads[i], g)
		if err != nil {
			return nil, err
		}
		out = append(out, merged)
	}
	return out, nil
}

// concernKey identifies the concern of a threat: its rule. Residual band,
// status and existing controls are left out: sibling elements where one
// rule fires are one concern however far each element's controls take it
// (a reviewer writes "eavesdropping on the internet-facing flows" once,
// noting the flows already on TLS), so the folded threat is rated as the
// member most at risk after controls and every member whose own rating
// differs keeps it in Threat.Members.
func concernKey(x *rated) string {
	return x.rule.ID
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
func (a *analysis) siblingKey(tc *rated) sibling {
	if fi := tc.flow; fi != nil {
		switch {
		case tc.rule.Coverage:
			return sibling{id: "flow", label: "flow", kind: "flow", where: "flows",
				attacker: "an attacker positioned on the network path"}
		case tc.rule.Family == "partitions" && partitionCaller(fi) != nil:
			// Calls from the partitions a manager serves
			// (partitionmgr.go), whichever zone each partition is
			// drawn in: the attacker is the calling partition's code.
			// Other rules keep their own siblings (isolation rules
			// fold every call across an isolation boundary).
			return sibling{id: "flow:partition-call", label: "flow:partition-call", kind: "flow", where: "calls from partitions to their partition manager",
				attacker: "code running in a partition the manager serves"}
		case fi.src.partition != "" && fi.dst.partition != "" && fi.src.partition != fi.dst.partition:
			// Two sides of one machine (isolation.go): the path is a call
			// gate, not a network, whatever trust the sides have.
			return sibling{id: "flow:partition", label: "flow:partition", kind: "flow", where: "flows across an isolation boundary",
				attacker: "code running on the less trusted side"}
		case fi.src.local != "" || fi.dst.local != "":
			// A world or port of the device (local.go): reaching it takes
			// code on the device or hands on it, not the internet.
			return sibling{id: "flow:local", label: "flow:local", kind: "flow", where: "flows from other worlds and ports of the device",
				attacker: "code in a less privileged world, or an attacker with physical access"}
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
	if tc.rule.FoldSystem && tc.actor == nil {
		// The attacker reaches every such element the same way,
		// whichever zone it is drawn in (Rule.FoldSystem).
		return sibling{id: kind + "@system", label: kind + "@system", kind: kind, where: kindPlural(kind)}
	}
	if tc.env != nil && tc.env.InternetFacing && tc.actor == nil {
		// Components that take requests straight from the internet are
		// siblings whatever zone they are drawn in (the edge, the
		// provider's, the DMZ): the attacker is on the internet for each,
		// as for internet-facing flows.
		return sibling{id: kind + "@internet", label: kind + "@internet", kind: kind,
			where: "internet-facing " + kindPlural(kind)}
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

// sortMembers orders the threats of one concern most at risk after
// controls first (residual band, and for entities placed on one host
// residual score), then highest score, then by element key.
func sortMembers(g []*rated) {
	placed := g[0].actor != nil
	// The rank, score and status fields compared first are packed into
	// one number per member before sorting (groups of thousands are
	// sorted, each comparison mapped two severities and two statuses to
	// their ranks); the tie-break key decides between equal numbers.
	type sortable struct {
		order uint64
		x     *rated
	}
	items := make([]sortable, len(g))
	for i, x := range g {
		rs := 0
		if placed {
			rs = x.residualScore
		}
		if rs < 0 || rs > 0xffff || x.score < 0 || x.score > 0xffff {
			sortMembersSlow(g, placed)
			return
		}
		items[i] = sortable{uint64(x.residualRisk.Rank())<<48 | uint64(rs)<<32 | uint64(statusRank(x.status))<<16 | uint64(x.score), x}
	}
	slices.SortFunc(items, func(a, b sortable) int {
		if a.order != b.order {
			return cmp.Compare(b.order, a.order)
		}
		return compareKeys(a.x.key[:], b.x.key[:])
	})
	for i := range items {
		g[i] = items[i].x
	}
}

// sortMembersSlow is sortMembers comparing the fields themselves, for
// scores out of the packed number's range.
func sortMembersSlow(g []*rated, placed bool) {
	sort.Slice(g, func(i, j int) bool {
		x, y := g[i], g[j]
		if rx, ry := x.residualRisk.Rank(), y.residualRisk.Rank(); rx != ry {
			return rx > ry
		}
		// Entities placed on one host may be rated apart (one signs in
		// with MFA, one without): the one at most risk after controls
		// stands for them.
		if placed && x.residualScore != y.residualScore {
			return x.residualScore > y.residualScore
		}
		// In one band, an unmitigated member before a partly mitigated
		// one before a mitigated one.
		if sx, sy := statusRank(x.status), statusRank(y.status); sx != sy {
			return sx > sy
		}
		if x.score != y.score {
			return x.score > y.score
		}
		return lessKeys(x.key[:], y.key[:])
	})
}

// statusRank orders statuses by what is left to do.
func statusRank(s string) int {
	switch s {
	case StatusUnmitigated:
		return 2
	case StatusPartial:
		return 1
	}
	return 0
}

// mergeConcern folds the threats of one concern, g in sortMembers order
// and head the first of them made in full, into one, listing every
// element. A rule with group texts renders them over the joined element
// names; otherwise the first element's texts stand for all, with the
// others named.
func (a *analysis) mergeConcern(sb *bytes.Buffer, sc *mergeScratch, head *threatCand, g []*rated) (*threatCand, error) {
	m := *head
	m.members = g
	t := &m.t
	names := slices.Grow(sc.names[:0], len(g))[:len(g)]
	// Entry points and data classes are collected with repeats and made
	// distinct once (sortedDistinct): a map insert per member's entry
	// point was a tenth of the pass at 2,000 components.
	eps, sens, techs := sc.eps[:0], sc.sens[:0], sc.techs[:0]
	defer func() {
		// Kept for the next group: names, data classes and technologies
		// are read while the texts are made, not kept; the entry
		// points are copied out.
		sc.names, sc.eps, sc.sens, sc.techs = names[:0], eps[:0], sens[:0], techs[:0]
	}()
	t.Elements = make([]ElementRef, len(g))
	var ctls []CreditedControl
	var seenCtl map[CreditedControl]bool
	var hosts []string
	for i, x := range g {
		names[i] = x.elementName
		t.Elements[i] = x.ref
		if x.actor != nil {
			// Placed on the element that must act on it: the texts
			// speak of the entities, the threat sits on the hosts.
			names[i] = x.actor.label
			hosts = append(hosts, x.elementName)
		}
		for _, c := range x.controls {
			if !slices.Contains(head.t.ExistingControls, c.Control) {
				// A member's control the head lacks is the member's
				// own (Members), not the threat's.
				continue
			}
			if seenCtl == nil {
				seenCtl = map[CreditedControl]bool{}
			}
			if !seenCtl[c] {
				seenCtl[c] = true
				ctls = append(ctls, c)
			}
		}
		eps = append(eps, x.entryPoints...)
		sens = append(sens, x.env.Sensitivity...)
		techs = append(techs, x.tech())
		if x.epFirst < m.epFirst {
			m.epFirst = x.epFirst
		}
	}
	if ctls != nil && len(hosts) == 0 {
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
	fillSens(&env, sortedDistinct(sens))
	env.Hardening = hardeningOf(techs)
	r := m.rule
	if r.GroupTitle != "" {
		if err := render(sb, r.tx.groupTitle, nil, &env); err != nil {
			return nil, fmt.Errorf("rule %s: group_title: %v", r.ID, err)
		}
		t.Title = oneLine(sb.String())
	} else {
		if others := names[1:]; len(others) <= 3 {
			t.Title = head.t.Title + " (also " + joinDistinct(others) + ")"
		} else {
			t.Title = head.t.Title + " (and " + strconv.Itoa(len(others)) + " more " + sib.where + ")"
		}
	}
	if r.GroupDescription != "" {
		if err := render(sb, r.tx.groupDesc, nil, &env); err != nil {
			return nil, fmt.Errorf("rule %s: group_description: %v", r.ID, err)
		}
		t.Description = strings.TrimSpace(sb.String())
	} else {
		t.Description = head.t.Description + "\n\nThe same holds for " + joinDistinct(names[1:]) + "."
	}
	var apart string
	t.Members, apart = membersApart(&head.t, g)
	if apart != "" {
		t.Description += "\n\n" + apart
	}
	t.ElementName = env.Name
	hostCount := 0
	if hosts != nil {
		t.ElementName = joinAll(uniqueNames(hosts))
		t.Elements = uniqueRefs(t.Elements)
		hostCount = len(t.Elements)
		if r.GroupDescription != "" {
			t.Description += placedText(t.ElementName)
		}
		if listsOnActor(r) {
			var actors []string
			for _, x := range g {
				if x.actor != nil {
					t.Elements = append(t.Elements, ElementRef{Type: "component", ID: x.actor.c.ID})
					actors = append(actors, x.actor.label)
				}
			}
			t.Elements = uniqueRefs(t.Elements)
			if r.GroupDescription != "" {
				t.Description += actorText(joinDistinct(actors))
			}
		}
	}
	distinctEps := sortedDistinct(eps)
	t.EntryPoints = append(make([]string, 0, len(distinctEps)), distinctEps...)
	var vmach vm.VM
	if err := t.recommend(&vmach, sb, r, &env, g); err != nil {
		return nil, err
	}
	if hosts == nil {
		t.Identity = Identity{Element: groupPrefix + sib.id, Label: groupPrefix + sib.label, Kind: sib.kind}
	} else if hostCount > 1 {
		hs := a.siblingKey(&rated{rule: r, comp: g[0].comp, env: g[0].comp.env})
		t.Identity = Identity{Element: groupPrefix + hs.id, Label: groupPrefix + hs.label, Kind: hs.kind}
	}
	// A placed threat on one host keeps its host's identity however many
	// entities it stands for, so adding a partner does not renumber
	// Stripe's threat; on several hosts it is keyed by their sibling set.
	if hosts != nil {
		t.Reasons = append(append([]string{}, t.Reasons...), fmt.Sprintf("the same concern for %d external entities (%s), listed together on %s", len(g), joinDistinct(names), t.ElementName))
	} else {
		t.Reasons = append(append([]string{}, t.Reasons...), fmt.Sprintf("the same concern on %d %s, listed together", len(g), sib.where))
	}
	return &m, nil
}

// mergeScratch is the space mergeConcern gathers a group's names, entry
// points, data classes and technologies in, reused from group to group
// (a group of thousands of flows gathers thousands of each).
type mergeScratch struct {
	names, eps, sens []string
	techs            []*catalog.Tech
}

// Member is one element of a folded threat rated apart from it: the
// rule that fired there and its own score, residual risk and status.
type Member struct {
	Element     ElementRef `json:"element"`
	ElementName string     `json:"element_name"`
	// About is the external entity the member is about when the threat
	// sits on another element (threathost.go); "" otherwise.
	About            string   `json:"about,omitempty"`
	Rule             string   `json:"rule"`
	Stride           string   `json:"stride"`
	Likelihood       int      `json:"likelihood"`
	Impact           int      `json:"impact"`
	Score            int      `json:"score"`
	Severity         Severity `json:"severity"`
	ExistingControls []string `json:"existing_controls"`
	// Controls are the existing controls with what each does and where
	// it comes from, as Threat.Controls, for Views. Not written: a
	// thousand-flow group would repeat each control's source a thousand
	// times (ExistingControls names them).
	Controls           []CreditedControl `json:"-"`
	ResidualLikelihood int               `json:"residual_likelihood"`
	ResidualImpact     int               `json:"residual_impact"`
	ResidualScore      int               `json:"residual_score"`
	ResidualRisk       Severity          `json:"residual_risk"`
	Status             string            `json:"status"`
}

// ElementView is a threat as rated on one of its elements.
type ElementView struct {
	Element ElementRef
	// Threat is the threat with the rule, STRIDE letter and rating of
	// its member on Element (Threat.Members), or the threat itself.
	Threat *Threat
}

// Views lists the threat as rated on each of its elements: a member
// rated apart (Members) with its own rule and rating, every other
// element with the threat's. An element where several rules of one
// concern fired has a view per rule.
func (t *Threat) Views() []ElementView {
	els := t.Elements
	if len(els) == 0 {
		els = []ElementRef{t.Element}
	}
	if len(t.Members) == 0 {
		out := make([]ElementView, len(els))
		for i, e := range els {
			out[i] = ElementView{e, t}
		}
		return out
	}
	complete := false
	apart := map[ElementRef]bool{}
	for _, m := range t.Members {
		complete = complete || m.Rule != t.Rule
		apart[m.Element] = true
	}
	var out []ElementView
	if !complete {
		for _, e := range els {
			if !apart[e] {
				out = append(out, ElementView{e, t})
			}
		}
	}
	for _, m := range t.Members {
		mt := *t
		mt.Rule, mt.Stride = m.Rule, m.Stride
		mt.Likelihood, mt.Impact, mt.Score, mt.Severity = m.Likelihood, m.Impact, m.Score, m.Severity
		mt.ExistingControls, mt.Controls = m.ExistingControls, m.Controls
		mt.ResidualLikelihood, mt.ResidualImpact, mt.ResidualScore = m.ResidualLikelihood, m.ResidualImpact, m.ResidualScore
		mt.ResidualRisk, mt.Status = m.ResidualRisk, m.Status
		out = append(out, ElementView{m.Element, &mt})
	}
	return out
}

// membersApart lists the members of g (head's first) rated apart from
// head, and a sentence naming them with their outcome for the threat's
// description ("" when none).
func membersApart(head *Threat, g []*rated) ([]Member, string) {
	// Counted first: the list is kept in the report, at its length.
	n := 0
	for _, x := range g[1:] {
		if !ratedAlike(head, x) {
			n++
		}
	}
	if n == 0 {
		return nil, ""
	}
	out := make([]Member, 0, n)
	// The sentence names at most namedMax+1 of them (joinSome): only
	// those names are made.
	names := make([]string, 0, min(n, namedMax+1))
	for _, x := range g[1:] {
		if ratedAlike(head, x) {
			continue
		}
		out = append(out, x.member())
		if len(names) < cap(names) {
			names = append(names, x.name()+" (residual "+string(x.residualRisk)+", "+x.status+")")
		}
	}
	if n > len(names) {
		return out, "Rated apart after their own controls: " + joinFew(names[:namedMax], n-namedMax) + "."
	}
	return out, "Rated apart after their own controls: " + joinSome(names) + "."
}

// namedMax is how many names a group's prose (its title, description,
// mitigations and ends) names before it counts the rest: a threat folding
// 1,000 flows would otherwise carry all 1,000 names in each of its texts,
// and every output repeats them (the texts grew with the group, 0.6 MB
// for one title at 20,000 components). The threat's Elements list every
// member, so each stays findable in the JSON and the register.
const namedMax = 5

// joinDistinct renders names in order, each once: a name that several
// elements share (four components labelled "M4") is "M4 (×4)". Beyond
// namedMax distinct names (one more is named rather than counted), the
// first namedMax are named and the elements of the rest counted: "A, B,
// C, D, E and 995 more".
//
// Only the first namedMax+2 distinct names matter (the named ones, and
// whether there are more than namedMax+1): they are counted in a small
// array, not a map over a group's thousand names.
func joinDistinct(names []string) string {
	const slots = namedMax + 2
	var uniqArr [slots]string
	var count [slots]int
	nu := 0
	for _, n := range names {
		found := false
		for i := 0; i < nu; i++ {
			if uniqArr[i] == n {
				count[i]++
				found = true
				break
			}
		}
		if !found && nu < slots {
			uniqArr[nu], count[nu] = n, 1
			nu++
		}
	}
	uniq := uniqArr[:nu]
	rest := 0
	if nu > namedMax+1 {
		rest = len(names)
		for _, c := range count[:namedMax] {
			rest -= c
		}
		uniq = uniq[:namedMax]
	}
	for i, n := range uniq {
		if c := count[i]; c > 1 {
			uniq[i] = n + " (×" + strconv.Itoa(c) + ")"
		}
	}
	return joinFew(uniq, rest)
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

// joinFew renders names followed by "and N more" when rest is not 0,
// else as joinAll.
func joinFew(names []string, rest int) string {
	if rest == 0 {
		return joinAll(names)
	}
	return strings.Join(names, ", ") + " and " + strconv.Itoa(rest) + " more"
}

// joinSome renders distinct names as joinAll, or beyond namedMax+1 names
// the first namedMax and how many more.
func joinSome(names []string) string {
	if len(names) > namedMax+1 {
		return joinFew(names[:namedMax], len(names)-namedMax)
	}
	return joinAll(names)
}

// groupEndpoints are the ends of a folded flow threat for its group texts
// and mitigations: the first member's, named after the members' sources
// and targets ("Patient Records DB and Session Cache"; beyond namedMax+1
// names, the first namedMax and how many more), so a mitigation does not
// speak of one flow's end for all of them.
func groupEndpoints(g []*rated) (*Endpoint, *Endpoint) {
	src, dst := *g[0].env.Source, *g[0].env.Target
	var srcs, dsts nameSet
	for _, x := range g {
		srcs.add(x.env.Source.Name)
		dsts.add(x.env.Target.Name)
	}
	src.Name, dst.Name = srcs.joinSome(), dsts.joinSome()
	return &src, &dst
}

// nameSet is joinSome(uniqueNames(names)) for names added one at a
// time: the first namedMax+1 distinct names in order, and how many
// distinct names there are (a set only once there are more than those).
type nameSet struct {
	first [namedMax + 1]string
	n     int
	more  map[string]bool
}

func (d *nameSet) add(name string) {
	if d.more != nil {
		if !d.more[name] {
			d.more[name] = true
			d.n++
		}
		return
	}
	for _, x := range d.first[:min(d.n, len(d.first))] {
		if x == name {
			return
		}
	}
	if d.n < len(d.first) {
		d.first[d.n] = name
		d.n++
		return
	}
	d.more = make(map[string]bool, 2*len(d.first))
	for _, x := range d.first {
		d.more[x] = true
	}
	d.more[name] = true
	d.n++
}

// joinSome renders the names as joinSome does.
func (d *nameSet) joinSome() string {
	if d.n > namedMax+1 {
		return joinFew(d.first[:namedMax], d.n-namedMax)
	}
	return joinAll(d.first[:d.n])
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

// uniqueRefs keeps the first of each element, in order: several
// entities' threats placed on one host list it once.
func uniqueRefs(refs []ElementRef) []ElementRef {
	seen := map[ElementRef]bool{}
	out := refs[:0:0]
	for _, r := range refs {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}
