package baseline

import (
	"sort"

	"github.com/threatmap/threatmap/stride"
)

// Pair pairs an old threat (or entry point) with a new one, by index.
type Pair struct{ Old, New int }

// MatchThreats pairs old and new threats in passes (docs/identity.md):
// same fingerprint; same rule and element key; same rule and label key;
// for old threats without any identity (a register whose identity
// columns were removed), same rule and id. Each pass considers only
// threats left unpaired; threats sharing a key pair in id order (old)
// and fingerprint order (new). The result is sorted by New.
func MatchThreats(old, new []stride.Threat) []Pair {
	keys := []func(t stride.Threat) string{
		func(t stride.Threat) string { return t.Fingerprint },
		func(t stride.Threat) string { return ruleKey(t.Rule, t.Identity.Element) },
		func(t stride.Threat) string { return ruleKey(t.Rule, t.Identity.Label) },
	}
	pairs := match(len(old), len(new), func(level, i int, isOld bool) string {
		t := pick(old, new, i, isOld)
		if level < len(keys) {
			return keys[level](t)
		}
		if isOld && t.Fingerprint == "" && t.Identity.Element == "" && t.Rule != "" {
			return ruleKey(t.Rule, "id:"+t.ID)
		}
		if !isOld {
			return ruleKey(t.Rule, "id:"+t.ID)
		}
		return ""
	}, len(keys)+1, func(i int) string { return old[i].ID }, func(i int) string { return new[i].Fingerprint })
	return pairs
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
