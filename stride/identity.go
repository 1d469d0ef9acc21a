package stride

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Identity says what a threat or an entry point is, independently of the
// order of the diagram or of the other threats. Matching one run against
// another (a baseline) tries Element first, then Label; see
// docs/identity.md.
type Identity struct {
	// Element is the key of the element from the ids the source gives it:
	// "component:apigw", or for a flow "flow:apigw>webapp" (the source and
	// target component ids; "#2", "#3"... for further flows between the
	// same two components, ordered by flow label). Flow ids themselves
	// are not used: Mermaid and DOT number edges by position.
	Element string `json:"element"`
	// Label is the same key from labels (lower case, spaces folded):
	// "component:api gateway", "flow:api gateway>web app". It matches a
	// re-drawn diagram whose ids changed, or another format.
	Label string `json:"label"`
	// Kind is the component kind (external, process, datastore) or "flow".
	Kind string `json:"kind"`
}

// Numbering carries the ids an earlier run assigned, so that they stay.
type Numbering struct {
	// Threats and EntryPoints map a fingerprint to the id to keep.
	Threats     map[string]string
	EntryPoints map[string]string
	// Reserved ids are never given to another threat or entry point
	// (those of closed threats, kept in the register).
	Reserved []string
}

// Id prefixes and the smallest number widths: threats are T-0001..T-9999
// and entry points EP-001..EP-999 until a diagram has more than a quarter
// of that many, when the width grows by a digit.
const (
	threatPrefix  = "T-"
	epPrefix      = "EP-"
	threatDigits  = 4
	epDigits      = 3
	fingerprintV1 = "threatmap/v1"
)

// FingerprintKey is the key of the stable fingerprint in SARIF
// partialFingerprints.
const FingerprintKey = fingerprintV1

// Identify fills the Identity and Fingerprint of every threat and entry
// point of r from the report's components and flows. Two threats of the
// same rule on the same element get "#2", "#3"... in report order.
func Identify(r *Report) {
	comps := make(map[string]*Component, len(r.Components))
	for i := range r.Components {
		comps[r.Components[i].ID] = &r.Components[i]
	}
	flowIdent := flowIdentities(r, comps)
	compKeys := make(map[string]string, len(r.Components))
	seen := map[string]int{}
	for i := range r.Threats {
		t := &r.Threats[i]
		switch {
		case strings.HasPrefix(t.Identity.Element, groupPrefix):
			// A folded threat is keyed by its concern (group.go), not by
			// its first element; drop an ordinal an earlier pass added.
			t.Identity.Element = trimOrdinal(t.Identity.Element)
			t.Identity.Label = trimOrdinal(t.Identity.Label)
		case t.Element.Type == "flow":
			t.Identity = flowIdent[t.Element.ID]
		case t.Element.Type == AppliesSystem:
			t.Identity = Identity{Element: AppliesSystem, Label: AppliesSystem, Kind: AppliesSystem}
		default:
			t.Identity = componentIdentity(comps[t.Element.ID], t.Element.ID, t.ElementName)
		}
		if len(t.Elements) > 0 {
			t.ElementKeys = make([]string, len(t.Elements))
			for j, e := range t.Elements {
				switch e.Type {
				case "flow":
					t.ElementKeys[j] = flowIdent[e.ID].Element
				case AppliesSystem:
					t.ElementKeys[j] = AppliesSystem
				default:
					// Made once per component: folded threats list
					// thousands of elements, each component in several.
					k, ok := compKeys[e.ID]
					if !ok {
						k = "component:" + e.ID
						compKeys[e.ID] = k
					}
					t.ElementKeys[j] = k
				}
			}
		}
		key := t.Rule + "\x00" + t.Identity.Element
		seen[key]++
		if n := seen[key]; n > 1 {
			t.Identity.Element += "#" + strconv.Itoa(n)
			t.Identity.Label += "#" + strconv.Itoa(n)
		}
		t.Fingerprint = ThreatFingerprint(t.Rule, t.Identity.Element)
	}
	for i := range r.EntryPoints {
		ep := &r.EntryPoints[i]
		ep.Identity = flowIdent[ep.Flow]
		ep.Fingerprint = EntryPointFingerprint(ep.Identity.Element)
	}
}

// trimOrdinal drops a "#n" suffix from a group identity key.
func trimOrdinal(k string) string {
	if i := strings.LastIndexByte(k, '#'); i > 0 {
		if _, err := strconv.Atoi(k[i+1:]); err == nil {
			return k[:i]
		}
	}
	return k
}

// ThreatFingerprint is the stable fingerprint of a threat of rule on the
// element with the given identity key: 16 hex digits of a SHA-256.
func ThreatFingerprint(rule, element string) string {
	return digest("threat\x00" + rule + "\x00" + element)
}

// EntryPointFingerprint is the stable fingerprint of the entry point on
// the flow with the given identity key.
func EntryPointFingerprint(element string) string {
	return digest("entry-point\x00" + element)
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(fingerprintV1 + "\x00" + s))
	return hex.EncodeToString(sum[:8])
}

// NormalizeLabel folds a label for matching: lower case, runs of spaces
// and line breaks as one space.
func NormalizeLabel(s string) string {
	// ASCII labels (nearly all) in one pass and at most one allocation;
	// anything else as strings.Fields and ToLower fold it.
	norm, ascii := true, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			ascii = false
		case 'A' <= c && c <= 'Z', asciiSpace(c) && (c != ' ' || i == 0 || i == len(s)-1 || s[i+1] == ' '):
			norm = false
		}
	}
	if !ascii {
		return strings.Join(strings.Fields(strings.ToLower(s)), " ")
	}
	if norm {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if asciiSpace(c) {
			continue
		}
		if len(b) > 0 && i > 0 && asciiSpace(s[i-1]) {
			b = append(b, ' ')
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// asciiSpace reports whether c is white space as strings.Fields splits
// ASCII text.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func componentIdentity(c *Component, id, name string) Identity {
	if c == nil {
		return Identity{Element: "component:" + id, Label: "component:" + NormalizeLabel(name)}
	}
	return Identity{Element: "component:" + c.ID, Label: "component:" + NormalizeLabel(c.Label), Kind: c.Kind}
}

// flowIdentities keys every flow by its end points: ids for Element,
// labels for Label, with an ordinal for parallel flows.
func flowIdentities(r *Report, comps map[string]*Component) map[string]Identity {
	// Each end's label is folded once, not once per flow.
	labels := make(map[string]string, len(comps))
	label := func(id string) string {
		if l, ok := labels[id]; ok {
			return l
		}
		var l string
		if c := comps[id]; c != nil {
			l = NormalizeLabel(c.Label)
		} else {
			l = NormalizeLabel(id)
		}
		labels[id] = l
		return l
	}
	type fl struct {
		f           *Flow
		byID, byLbl string
	}
	fs := make([]fl, len(r.Flows))
	for i := range r.Flows {
		f := &r.Flows[i]
		// The keys are made with their "flow:" prefix: one string each.
		fs[i] = fl{f, "flow:" + f.Source + ">" + f.Target, "flow:" + label(f.Source) + ">" + label(f.Target)}
	}
	// Parallel flows are told apart by label, then id.
	slices.SortStableFunc(fs, func(a, b fl) int {
		if a.f.Label != b.f.Label {
			return strings.Compare(a.f.Label, b.f.Label)
		}
		return strings.Compare(a.f.ID, b.f.ID)
	})
	out := make(map[string]Identity, len(fs))
	nID, nLbl := map[string]int{}, map[string]int{}
	for _, x := range fs {
		nID[x.byID]++
		nLbl[x.byLbl]++
		e, l := x.byID, x.byLbl
		if n := nID[x.byID]; n > 1 {
			e += "#" + strconv.Itoa(n)
		}
		if n := nLbl[x.byLbl]; n > 1 {
			l += "#" + strconv.Itoa(n)
		}
		if _, dup := out[x.f.ID]; !dup {
			out[x.f.ID] = Identity{Element: e, Label: l, Kind: "flow"}
		}
	}
	return out
}

// Renumber gives every threat and entry point of r its display id: the
// one n keeps for its fingerprint, else one derived from the fingerprint
// (so that adding a component elsewhere does not move it), the next free
// one when that is taken. Every reference in r follows. n may be nil.
func Renumber(r *Report, n *Numbering) {
	if n == nil {
		n = &Numbering{}
	}
	// Numbers derive from what the diagram says (rule, labels, kind), so
	// that every format and a re-drawn diagram number alike; the
	// fingerprint breaks ties.
	ts := make([]idItem, len(r.Threats))
	for i, t := range r.Threats {
		ts[i] = idItem{fp: t.Fingerprint, home: t.Rule + "\x00" + t.Identity.Label + "\x00" + t.Identity.Kind}
	}
	es := make([]idItem, len(r.EntryPoints))
	for i, ep := range r.EntryPoints {
		es[i] = idItem{fp: ep.Fingerprint, home: ep.Identity.Label}
	}
	tids := assignIDs(ts, n.Threats, n.Reserved, threatPrefix, threatDigits)
	eids := assignIDs(es, n.EntryPoints, n.Reserved, epPrefix, epDigits)
	tre := newRemapping(r.Threats, tids, func(t *Threat) *string { return &t.ID })
	ere := newRemapping(r.EntryPoints, eids, func(ep *EntryPoint) *string { return &ep.ID })
	// remap writes a new slice: lists may share their backing array (the
	// threats on one element share its entry points), and remapping a
	// shared array once per owner would map an id twice when the old and
	// new numbers overlap, as they do when a baseline renumbers.
	var s remapScratch
	for i := range r.Threats {
		r.Threats[i].EntryPoints = ere.remap(r.Threats[i].EntryPoints, &s)
	}
	for i := range r.EntryPoints {
		r.EntryPoints[i].Threats = tre.remap(r.EntryPoints[i].Threats, &s)
	}
	for i := range r.Components {
		r.Components[i].Threats = tre.remap(r.Components[i].Threats, &s)
	}
	for i := range r.Flows {
		f := &r.Flows[i]
		f.Threats = tre.remap(f.Threats, &s)
		if j, ok := ere.index[f.EntryPoint]; ok {
			f.EntryPoint = ere.ids[j]
		}
	}
	for i := range r.OpenQuestions {
		r.OpenQuestions[i].Threats = tre.remap(r.OpenQuestions[i].Threats, &s)
	}
}

// remapping maps the ids a report's threats (or entry points) had before
// Renumber to the ones it gave them. Every list of ids in the report is
// remapped and sorted as SortIDs orders the new ids; rank holds each new
// id's place in that order, so a list whose ids are all known is sorted
// as integers, without splitting an id per comparison (Finish remaps
// thousands of lists at 2,000 components).
type remapping struct {
	// index is the position of each old id (the last one holding it,
	// when two did); ids and rank are the new id and its rank at each
	// position; sorted is the new ids in order, so sorted[rank[i]] is
	// ids[i].
	index  map[string]int
	ids    []string
	rank   []int
	sorted []string
}

// newRemapping maps the old ids of items (read through id, then
// overwritten with the new ones) to ids, the new id of each item.
func newRemapping[T any](items []T, ids []string, id func(*T) *string) *remapping {
	m := &remapping{index: make(map[string]int, len(items)), ids: ids, rank: make([]int, len(ids))}
	for i := range items {
		p := id(&items[i])
		m.index[*p] = i
		*p = ids[i]
	}
	order := make([]idKey, len(ids))
	for i, s := range ids {
		p, n := splitID(s)
		order[i] = idKey{p, n, s}
	}
	pos := make([]int, len(ids))
	for i := range pos {
		pos[i] = i
	}
	slices.SortStableFunc(pos, func(a, b int) int { return compareIDKeys(order[a], order[b]) })
	m.sorted = make([]string, len(ids))
	for r, i := range pos {
		m.rank[i] = r
		m.sorted[r] = ids[i]
	}
	return m
}

// remapScratch is space remap reuses from list to list, and the space
// it cuts the lists it returns from.
type remapScratch struct {
	ranks []int
	keys  []idKey
	slab  []string
}

// list returns a list of n ids cut from one larger allocation (thousands
// of short lists, one allocation per thousand ids); its capacity is its
// length, so appending to it never writes into the next list.
func (s *remapScratch) list(n int) []string {
	if cap(s.slab)-len(s.slab) < n {
		s.slab = make([]string, 0, max(n, 1024))
	}
	l := len(s.slab)
	s.slab = s.slab[:l+n]
	return s.slab[l : l+n : l+n]
}

// remap returns a new list of the new ids of ids, sorted as SortIDs
// sorts; an id the mapping does not know stays as it is.
func (m *remapping) remap(ids []string, s *remapScratch) []string {
	if len(ids) == 0 {
		return ids
	}
	out := s.list(len(ids))
	s.ranks = s.ranks[:0]
	known := true
	for _, id := range ids {
		i, ok := m.index[id]
		if !ok {
			known = false
			break
		}
		s.ranks = append(s.ranks, m.rank[i])
	}
	if known {
		slices.Sort(s.ranks)
		for k, r := range s.ranks {
			out[k] = m.sorted[r]
		}
		return out
	}
	for k, id := range ids {
		if i, ok := m.index[id]; ok {
			id = m.ids[i]
		}
		out[k] = id
	}
	sortIDs(out, &s.keys)
	return out
}

// idItem is a threat or entry point to number: its fingerprint and the
// key its preferred number is derived from.
type idItem struct{ fp, home string }

// assignIDs returns the id of each item: the one kept for its
// fingerprint, else the first free number from the home key's slot on.
// Items are placed in (home, fingerprint) order, so the result does not
// depend on input order.
func assignIDs(items []idItem, kept map[string]string, reserved []string, prefix string, digits int) []string {
	out := make([]string, len(items))
	used := map[int]bool{}
	for _, id := range reserved {
		if n, ok := idNumber(id, prefix); ok {
			used[n] = true
		}
	}
	for i, it := range items {
		if id, ok := kept[it.fp]; ok && it.fp != "" {
			if n, ok := idNumber(id, prefix); ok && !used[n] {
				used[n] = true
				out[i] = id
			}
		}
	}
	width := digits
	for space(width) < 4*(len(items)+len(used)) {
		width++
	}
	size := space(width)
	order := make([]int, 0, len(items))
	for i := range items {
		if out[i] == "" {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := items[order[a]], items[order[b]]
		if x.home != y.home {
			return x.home < y.home
		}
		return x.fp < y.fp
	})
	for _, i := range order {
		n := home(items[i].home, size)
		for used[n] {
			n = n%size + 1
		}
		used[n] = true
		out[i] = fmt.Sprintf("%s%0*d", prefix, width, n)
	}
	return out
}

// space is the count of numbers of width digits, 1..10^width-1.
func space(width int) int {
	s := 1
	for range width {
		s *= 10
	}
	return s - 1
}

// home is a key's preferred number in 1..size.
func home(key string, size int) int {
	s := sha256.Sum256([]byte(fingerprintV1 + "\x00number\x00" + key))
	var h uint64
	for _, b := range s[:8] {
		h = h<<8 | uint64(b)
	}
	return int(h%uint64(size)) + 1
}

// idNumber parses the number of an id such as "T-0042" or "EP-07".
func idNumber(id, prefix string) (int, bool) {
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok || rest == "" {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// SortIDs sorts ids such as "T-0042", "EP-007" by prefix, then number,
// so that ids of different widths (kept from older runs) still sort as
// people read them.
//
// The order is total (ties fall to the text), so any sort gives the same
// result. Each id is split once, not once per comparison: Finish sorts the
// id lists of every threat, entry point, component and flow, some of them
// thousands long.
func SortIDs(ids []string) {
	sortIDs(ids, nil)
}

// sortIDs is SortIDs splitting the ids into *scratch, reused from call to
// call when not nil (Renumber sorts thousands of lists).
func sortIDs(ids []string, scratch *[]idKey) {
	if len(ids) < 2 {
		return
	}
	// Most lists are in order already (numbered in order, or sorted by a
	// caller): that is checked without allocating.
	p, n := splitID(ids[0])
	prev := idKey{p, n, ids[0]}
	i := 1
	for ; i < len(ids); i++ {
		p, n := splitID(ids[i])
		k := idKey{p, n, ids[i]}
		if compareIDKeys(prev, k) > 0 {
			break
		}
		prev = k
	}
	if i == len(ids) {
		return
	}
	var keys []idKey
	if scratch != nil {
		keys = slices.Grow((*scratch)[:0], len(ids))[:len(ids)]
		defer func() { *scratch = keys[:0] }()
	} else {
		keys = make([]idKey, len(ids))
	}
	for i, id := range ids {
		p, n := splitID(id)
		keys[i] = idKey{p, n, id}
	}
	slices.SortFunc(keys, compareIDKeys)
	for i := range keys {
		ids[i] = keys[i].id
	}
}

// idKey is an id split as LessID compares it.
type idKey struct {
	prefix string
	n      int
	id     string
}

// compareIDKeys orders as LessID does.
func compareIDKeys(a, b idKey) int {
	// Field by field, stopping at the first that differs (cmp.Or would
	// compare all three every time: ids mostly share their prefix and
	// differ in number).
	if a.prefix != b.prefix {
		return strings.Compare(a.prefix, b.prefix)
	}
	if a.n != b.n {
		return cmp.Compare(a.n, b.n)
	}
	return strings.Compare(a.id, b.id)
}

// LessID orders two ids by prefix, then number, then text.
func LessID(a, b string) bool {
	pa, na := splitID(a)
	pb, nb := splitID(b)
	if pa != pb {
		return pa < pb
	}
	if na != nb {
		return na < nb
	}
	return a < b
}

func splitID(id string) (string, int) {
	i := len(id)
	for i > 0 && id[i-1] >= '0' && id[i-1] <= '9' {
		i--
	}
	n, _ := strconv.Atoi(id[i:])
	return id[:i], n
}
