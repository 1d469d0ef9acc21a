package baseline

import (
	"slices"
	"sort"
	"strings"

	"github.com/threatmap/threatmap/stride"
)

// Pair pairs an old threat (or entry point) with a new one, by index.
type Pair struct{ Old, New int }

// MatchThreats pairs old and new threats in passes (docs/identity.md):
// same fingerprint; same rule and element key; same rule and label key;
// same rule and a shared element (a threat that folded several elements
// and the threat on one of them, when a group forms or dissolves); for
// old threats without any identity (a register whose identity columns
// were removed), same rule and id. Each pass considers only threats left
// unpaired; threats sharing a key pair in id order (old) and fingerprint
// order (new). The result is sorted by New.
func MatchThreats(old, new []stride.Threat) []Pair {
	keys := []func(t stride.Threat) string{
		func(t stride.Threat) string { return t.Fingerprint },
		func(t stride.Threat) string { return ruleKey(t.Rule, t.Identity.Element) },
		func(t stride.Threat) string { return ruleKey(t.Rule, t.Identity.Label) },
	}
	oldOrder := func(i int) string { return old[i].ID }
	newOrder := func(i int) string { return new[i].Fingerprint }
	pairs := match(len(old), len(new), func(level, i int, isOld bool) string {
		return keys[level](pick(old, new, i, isOld))
	}, len(keys), oldOrder, newOrder)
	oldDone, newDone := make([]bool, len(old)), make([]bool, len(new))
	mark := func(ps []Pair) {
		for _, p := range ps {
			oldDone[p.Old], newDone[p.New] = true, true
		}
	}
	mark(pairs)
	shared := matchShared(old, new, oldDone, newDone)
	mark(shared)
	pairs = append(pairs, shared...)
	pairs = append(pairs, match(len(old), len(new), func(_, i int, isOld bool) string {
		t := pick(old, new, i, isOld)
		switch {
		case isOld && oldDone[i], !isOld && newDone[i]:
			return ""
		case isOld && t.Fingerprint == "" && t.Identity.Element == "" && t.Rule != "":
			return ruleKey(t.Rule, "id:"+t.ID)
		case !isOld:
			return ruleKey(t.Rule, "id:"+t.ID)
		}
		return ""
	}, 1, oldOrder, newOrder)...)
	sort.Slice(pairs, func(a, b int) bool { return pairs[a].New < pairs[b].New })
	return pairs
}

// matchShared pairs unpaired threats of the same rule that share an
// element, where one of them folds several elements (Threat.Elements):
// the group that formed from, or dissolved into, a threat on one of its
// members. Old threats are taken in id order, new in fingerprint order.
func matchShared(old, new []stride.Threat, oldDone, newDone []bool) []Pair {
	var olds, news []int
	for i := range old {
		if !oldDone[i] && len(elems(old[i])) > 0 {
			olds = append(olds, i)
		}
	}
	for j := range new {
		if !newDone[j] && len(elems(new[j])) > 0 {
			news = append(news, j)
		}
	}
	sort.SliceStable(olds, func(a, b int) bool { return stride.LessID(old[olds[a]].ID, old[olds[b]].ID) })
	sort.SliceStable(news, func(a, b int) bool { return new[news[a]].Fingerprint < new[news[b]].Fingerprint })
	var pairs []Pair
	used := make([]bool, len(new))
	for _, i := range olds {
		o := old[i]
		for _, j := range news {
			n := new[j]
			if used[j] || n.Rule != o.Rule || (len(o.Elements) == 0 && len(n.Elements) == 0) {
				continue
			}
			if shareElement(elems(o), elems(n)) {
				used[j] = true
				pairs = append(pairs, Pair{Old: i, New: j})
				break
			}
		}
	}
	return pairs
}

// elems lists the identity keys of the elements a threat is on:
// ElementKeys for a threat that folds several, else its own element key;
// nil when the threat does not say. Keys, not ids: Mermaid and DOT
// number flows by position.
func elems(t stride.Threat) []string {
	if len(t.ElementKeys) > 0 {
		return t.ElementKeys
	}
	// A register row whose Affected element cell lists several elements
	// (one a line) folds several without saying their keys: a concern's
	// threat keyed by its first rule's element (stride's concern.go) is
	// on more than that element.
	if len(t.Elements) > 0 || t.Identity.Element == "" || strings.HasPrefix(t.Identity.Element, "group:") ||
		strings.Contains(t.ElementName, "\n") {
		return nil
	}
	k := t.Identity.Element
	if i := strings.LastIndexByte(k, '#'); i > 0 {
		k = k[:i]
	}
	return []string{k}
}

// addedElements lists the elements n is on that o was not, when o says
// which elements it was on.
func addedElements(o, n stride.Threat) []string {
	old := elems(o)
	if old == nil {
		return nil
	}
	var out []string
	for _, e := range elems(n) {
		if !slices.Contains(old, e) {
			out = append(out, e)
		}
	}
	return out
}

// Worse reports whether n, paired with o, is worse: its residual risk
// rose, or the same unmitigated concern now reaches an element it did not
// (a folded threat that gained a member the diagram does not protect).
func Worse(o, n stride.Threat) bool {
	if n.ResidualRisk.Rank() > o.ResidualRisk.Rank() {
		return true
	}
	return n.Status != "Mitigated" && len(addedElements(o, n)) > 0
}

// shareElement reports whether two element lists have an element in common.
func shareElement(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// MatchEntryPoints pairs old and new entry points: same fingerprint, same
// element key, same label key.
func MatchEntryPoints(old, new []stride.EntryPoint) []Pair {
	get := func(i int, isOld bool) stride.EntryPoint {
		if isOld {
			return old[i]
		}
		return new[i]
	}
	return match(len(old), len(new), func(level, i int, isOld bool) string {
		ep := get(i, isOld)
		switch level {
		case 0:
			return ep.Fingerprint
		case 1:
			return ep.Identity.Element
		}
		return ep.Identity.Label
	}, 3, func(i int) string { return old[i].ID }, func(i int) string { return new[i].Fingerprint })
}

func pick(old, new []stride.Threat, i int, isOld bool) stride.Threat {
	if isOld {
		return old[i]
	}
	return new[i]
}

func ruleKey(rule, key string) string {
	if rule == "" || key == "" {
		return ""
	}
	return rule + "\x00" + key
}

// match runs the passes; key returns "" for "no key at this level".
func match(nOld, nNew int, key func(level, i int, isOld bool) string, levels int, oldOrder, newOrder func(int) string) []Pair {
	oldDone, newDone := make([]bool, nOld), make([]bool, nNew)
	var pairs []Pair
	for level := 0; level < levels; level++ {
		byKey := map[string][]int{}
		for i := 0; i < nOld; i++ {
			if !oldDone[i] {
				if k := key(level, i, true); k != "" {
					byKey[k] = append(byKey[k], i)
				}
			}
		}
		if len(byKey) == 0 {
			continue
		}
		for _, l := range byKey {
			sort.SliceStable(l, func(a, b int) bool { return stride.LessID(oldOrder(l[a]), oldOrder(l[b])) })
		}
		var news []int
		for j := 0; j < nNew; j++ {
			if !newDone[j] {
				news = append(news, j)
			}
		}
		sort.SliceStable(news, func(a, b int) bool { return newOrder(news[a]) < newOrder(news[b]) })
		for _, j := range news {
			k := key(level, j, false)
			if k == "" || len(byKey[k]) == 0 {
				continue
			}
			i := byKey[k][0]
			byKey[k] = byKey[k][1:]
			oldDone[i], newDone[j] = true, true
			pairs = append(pairs, Pair{Old: i, New: j})
		}
	}
	sort.Slice(pairs, func(a, b int) bool { return pairs[a].New < pairs[b].New })
	return pairs
}
