package catalog

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// index is what the matcher looks words, styles and ids up in. Every
// table is plain data: slices of strings and integers, technologies
// named by their position in the matcher's list. For the built-in
// catalog it is generated with the entries (builtinIndex in techs_gen.go,
// laid out by the compiler, nothing built at run time: a small run looks
// up a handful of words, and building maps of every alias cost more than
// the rest of its analysis); for a catalog parsed from a file it is built
// by buildIndex, which the generator runs too.
//
// Its fields are exported only for golit, which writes exported fields.
type index struct {
	// IDs holds every technology's id, in list order (key i is techs[i]).
	IDs table
	// Words holds the first words of the aliases; Aliases[k] are the
	// aliases starting with Words' key k, longest first, then by id.
	Words   table
	Aliases [][]alias
	// Styles holds the lower-case draw.io style keys; StyleOf[k] is the
	// technology of key k and the key as the data file writes it.
	Styles  table
	StyleOf []styleRef
	// Heads holds the head nouns (lower case); HeadTechs[k] are the
	// generic entries that key k names, in list order.
	Heads     table
	HeadTechs [][]int32
	// Near holds, per letter a-z, the one-word aliases of named products
	// of at least nearMinLen letters, sorted (Matcher.Near).
	Near [][]nearAlias
	// Known holds every word of every alias.
	Known table
}

// alias is one alias of a technology, as lower-case words.
type alias struct {
	Words []string
	Tech  int32
}

// styleRef is the technology of a style key and the key as written.
type styleRef struct {
	Tech int32
	Key  string
}

// nearAlias is a one-word alias of a named product, for Near.
type nearAlias struct {
	Word string
	Tech int32
}

// table is a set of strings stored as an open-addressing hash table:
// Slots has a power-of-two length, each slot 0 (empty) or one more than
// the index in Keys of a key hashing there (linear probing). It is built
// once (buildTable) and only read after, and holds nothing but strings
// and integers, so a generated one is static data.
type table struct {
	Keys  []string
	Slots []uint32
}

// hashOf is 32-bit FNV-1a.
func hashOf[S string | []byte](s S) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// buildTable indexes keys, which must be distinct.
func buildTable(keys []string) table {
	n := 8
	for n < 2*len(keys) {
		n *= 2
	}
	t := table{Keys: keys, Slots: make([]uint32, n)}
	for i, k := range keys {
		j := hashOf(k) & uint32(n-1)
		for t.Slots[j] != 0 {
			j = (j + 1) & uint32(n-1)
		}
		t.Slots[j] = uint32(i + 1)
	}
	return t
}

// find returns the index in Keys of s, or -1.
func find[S string | []byte](t *table, s S) int {
	if len(t.Slots) == 0 {
		return -1
	}
	mask := uint32(len(t.Slots) - 1)
	for j := hashOf(s) & mask; ; j = (j + 1) & mask {
		k := t.Slots[j]
		if k == 0 {
			return -1
		}
		if t.Keys[k-1] == string(s) {
			return int(k - 1)
		}
	}
}

// buildIndex indexes techs; an alias or style given to two technologies
// is an error naming the second's line in the file name.
func buildIndex(name string, techs []*Tech) (*index, error) {
	x := &index{Near: make([][]nearAlias, 26)}
	pos := make(map[*Tech]int32, len(techs))
	ids := make([]string, len(techs))
	var (
		words, styles, heads []string
		wordAt               = map[string]int{}
		styleAt              = map[string]int{}
		headAt               = map[string]int{}
		known                = map[string]bool{}
		knownList            []string
		aliasOwner           = map[string]*Tech{}
	)
	for i, t := range techs {
		pos[t] = int32(i)
		ids[i] = t.ID
	}
	for i, t := range techs {
		for _, a := range t.Aliases {
			var fixed [64]token
			toks := tokenize(strings.ToLower(a), &fixed)
			if len(toks) == 0 {
				continue
			}
			ws := make([]string, len(toks))
			for j, tk := range toks {
				ws[j] = tk.s
			}
			key := strings.Join(ws, " ")
			if prev := aliasOwner[key]; prev != nil {
				if prev == t {
					continue
				}
				return nil, &graph.InputError{File: name, Pos: graph.Position{Line: t.Line},
					Msg: fmt.Sprintf("alias %q of %q is also an alias of %q (line %d): matching would be ambiguous", a, t.ID, prev.ID, prev.Line)}
			}
			aliasOwner[key] = t
			k, ok := wordAt[ws[0]]
			if !ok {
				k = len(words)
				wordAt[ws[0]] = k
				words = append(words, ws[0])
				x.Aliases = append(x.Aliases, nil)
			}
			x.Aliases[k] = append(x.Aliases[k], alias{Words: ws, Tech: int32(i)})
			for _, w := range ws {
				if !known[w] {
					known[w] = true
					knownList = append(knownList, w)
				}
			}
			if first := ws[0]; len(ws) == 1 && !t.Generic && len(first) >= nearMinLen && lettersOnly(first) {
				x.Near[first[0]-'a'] = append(x.Near[first[0]-'a'], nearAlias{first, int32(i)})
			}
		}
		for _, h := range t.Heads.Words {
			key := strings.ToLower(h)
			k, ok := headAt[key]
			if !ok {
				k = len(heads)
				headAt[key] = k
				heads = append(heads, key)
				x.HeadTechs = append(x.HeadTechs, nil)
			}
			x.HeadTechs[k] = append(x.HeadTechs[k], int32(i))
		}
		for _, s := range t.Styles {
			key := strings.ToLower(s)
			if k, ok := styleAt[key]; ok {
				if prev := techs[x.StyleOf[k].Tech]; prev != t {
					return nil, &graph.InputError{File: name, Pos: graph.Position{Line: t.Line},
						Msg: fmt.Sprintf("style %q of %q is also a style of %q (line %d)", s, t.ID, prev.ID, prev.Line)}
				}
				x.StyleOf[k] = styleRef{int32(i), s}
				continue
			}
			styleAt[key] = len(styles)
			styles = append(styles, key)
			x.StyleOf = append(x.StyleOf, styleRef{int32(i), s})
		}
	}
	for _, list := range x.Aliases {
		slices.SortStableFunc(list, func(a, b alias) int {
			if c := cmp.Compare(len(b.Words), len(a.Words)); c != 0 {
				return c
			}
			return cmp.Compare(techs[a.Tech].ID, techs[b.Tech].ID)
		})
	}
	for _, l := range x.Near {
		slices.SortFunc(l, func(a, b nearAlias) int { return cmp.Compare(a.Word, b.Word) })
	}
	x.IDs = buildTable(ids)
	x.Words = buildTable(words)
	x.Styles = buildTable(styles)
	x.Heads = buildTable(heads)
	x.Known = buildTable(knownList)
	return x, nil
}
