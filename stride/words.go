package stride

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// words is a label (or several) broken into lower-case alphanumeric tokens,
// for keyword matching that does not depend on punctuation, case or HTML.
type words struct {
	toks   []string
	joined string // " tok tok tok " for phrase matching
	// hs holds two hashes per token (tokenHash): the token's, and the
	// token's without a plural "s" (0 when it does not end in one), so that
	// kwList.first skips the map lookups of tokens its filter rules out;
	// nil when not made (words built by hand), and every token is looked
	// up.
	hs []uint64
}

// tokenHash hashes a token for kwList filters (64-bit FNV-1a). The
// hashes only decide which lookups are skipped, never a result.
func tokenHash(t string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(t); i++ {
		h ^= uint64(t[i])
		h *= 1099511628211
	}
	return h
}

func newWords(parts ...string) words {
	if len(parts) != 1 {
		return splitWords(parts)
	}
	// One text (a label) is split by several readers in turn (kind,
	// person, data classes, provider, zone): each text's words are made
	// once and shared (words are never written).
	text := parts[0]
	wordMemo.RLock()
	w, ok := wordMemo.m[text]
	wordMemo.RUnlock()
	if ok {
		return w
	}
	w = splitWords(parts)
	wordMemo.Lock()
	if len(wordMemo.m) >= wordMemoMax {
		clear(wordMemo.m) // bounded: a 20,000-component model has as many labels
	}
	wordMemo.m[text] = w
	wordMemo.Unlock()
	return w
}

// wordMemo holds the words of the texts newWords split last, at most
// wordMemoMax of them.
var wordMemo = struct {
	sync.RWMutex
	m map[string]words
}{m: map[string]words{}}

const wordMemoMax = 4096

// splitWords is newWords without the memo.
func splitWords(parts []string) words {
	// joined is built in one buffer and toks are slices of it: two
	// allocations per call instead of one per token append, the join and
	// the padding (classification tokenises every label several times).
	n := 2
	for _, p := range parts {
		n += len(p) + 1
	}
	var buf strings.Builder
	buf.Grow(n)
	buf.WriteByte(' ')
	ntok := 0
	for _, p := range parts {
		if !isASCII(p) {
			// Unicode case mapping may change a string's length: map
			// first, then cut, as for ASCII below.
			p = strings.ToLower(p)
		}
		in := false
		for i := 0; i < len(p); i++ {
			c := p[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80 {
				buf.WriteByte(c)
				in = true
			} else if in {
				buf.WriteByte(' ')
				ntok++
				in = false
			}
		}
		if in {
			buf.WriteByte(' ')
			ntok++
		}
	}
	if ntok == 0 {
		return words{joined: "  "}
	}
	joined := buf.String()
	toks := make([]string, 0, ntok)
	hs := make([]uint64, 0, 2*ntok)
	start := 1
	for i := 1; i < len(joined); i++ {
		if joined[i] == ' ' {
			t := joined[start:i]
			toks = append(toks, t)
			var plural uint64
			if n := len(t); n > 1 && t[n-1] == 's' {
				plural = tokenHash(t[:n-1])
			}
			hs = append(hs, tokenHash(t), plural)
			start = i + 1
		}
	}
	return words{toks: toks, joined: joined, hs: hs}
}

// isASCII reports whether s has only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// has reports whether the keyword occurs. A keyword with a space is a
// phrase matched on token boundaries; a trailing '*' matches a token prefix;
// otherwise a whole token (or the token with a plural "s") must match.
func (w words) has(kw string) bool {
	if strings.Contains(kw, " ") {
		if strings.HasSuffix(kw, "*") {
			return strings.Contains(w.joined, " "+kw[:len(kw)-1])
		}
		return strings.Contains(w.joined, " "+kw+" ") || strings.Contains(w.joined, " "+kw+"s ")
	}
	if strings.HasSuffix(kw, "*") {
		p := kw[:len(kw)-1]
		for _, t := range w.toks {
			if strings.HasPrefix(t, p) {
				return true
			}
		}
		return false
	}
	for _, t := range w.toks {
		if t == kw || (len(t) == len(kw)+1 && t[len(t)-1] == 's' && t[:len(kw)] == kw) {
			return true
		}
	}
	return false
}

// set is a small sorted string set.
type set map[string]bool

func (s set) add(v ...string) {
	for _, x := range v {
		if x != "" {
			s[x] = true
		}
	}
}

func (s set) sorted() []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// sortedDistinct returns what set.add(s...) then sorted would: the
// distinct non-empty strings of s in order, never nil. It reorders s.
func sortedDistinct(s []string) []string {
	slices.Sort(s)
	s = slices.Compact(s)
	if len(s) > 0 && s[0] == "" {
		s = s[1:]
	}
	if s == nil {
		return []string{}
	}
	return s
}

// joinNames renders names as "A", "A and B", "A, B and C" (sorted, unique).
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	u := set{}
	u.add(names...)
	s := u.sorted()
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	if len(s) > 4 {
		return strings.Join(s[:3], ", ") + " and " + itoa(len(s)-3) + " more"
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// oneLine turns a multi-line label into one line for prose.
func oneLine(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' || c == '\r' || c == '\t' || (c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ')) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = strings.ReplaceAll(s, "\r", "")
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.Join(strings.Fields(s), " ")
}

// kwList is a keyword list compiled for matching: whole tokens through a
// map, prefixes ("postgres*") and phrases ("api key") by scanning. first
// returns the earliest keyword of the list that occurs, as a linear scan
// with words.has would. The lists are package variables, so the index is
// built on first use (once), not when the program starts: a run that
// never classifies anything (--version, a DOT syntax error) pays nothing.
type kwList struct {
	kws  []string
	once sync.Once
	kwIndex
}

type kwIndex struct {
	exact map[string]int
	// filter has a bit set for each exact keyword's tokenHash (its low 8
	// bits): a token whose bit is clear is not in exact. Most tokens of a
	// label are in none of the dozens of lists classification reads, so
	// most lookups end at the bit.
	filter [4]uint64
	prefix []kwAt
	phrase []kwAt
}

// mayHave reports whether a token of hash h may be an exact keyword.
func (x *kwIndex) mayHave(h uint64) bool {
	return x.filter[h>>6&3]&(1<<(h&63)) != 0
}

type kwAt struct {
	s    string
	i    int
	p, q string // phrase patterns: " kw " and " kws " (or " kw" for "kw*")
}

// kw returns the keyword list kws; see kwList.
func kw(kws ...string) *kwList { return &kwList{kws: kws} }

// index builds l's index, once.
func (l *kwList) index() *kwIndex {
	l.once.Do(func() {
		x := kwIndex{exact: make(map[string]int, len(l.kws))}
		for i, k := range l.kws {
			switch {
			case strings.Contains(k, " "):
				if strings.HasSuffix(k, "*") {
					p := " " + k[:len(k)-1]
					x.phrase = append(x.phrase, kwAt{k, i, p, p})
				} else {
					x.phrase = append(x.phrase, kwAt{k, i, " " + k + " ", " " + k + "s "})
				}
			case strings.HasSuffix(k, "*"):
				x.prefix = append(x.prefix, kwAt{s: k[:len(k)-1], i: i})
			default:
				if _, dup := x.exact[k]; !dup {
					x.exact[k] = i
					h := tokenHash(k)
					x.filter[h>>6&3] |= 1 << (h & 63)
				}
			}
		}
		l.kwIndex = x
	})
	return &l.kwIndex
}

// first returns the first keyword of l (in list order) that occurs in w.
func (w words) first(kl *kwList) string {
	l := kl.index()
	best := len(kl.kws)
	hashed := len(w.hs) == 2*len(w.toks)
	for j, t := range w.toks {
		if !hashed || l.mayHave(w.hs[2*j]) {
			if i, ok := l.exact[t]; ok && i < best {
				best = i
			}
		}
		if n := len(t); n > 1 && t[n-1] == 's' && (!hashed || l.mayHave(w.hs[2*j+1])) {
			if i, ok := l.exact[t[:n-1]]; ok && i < best {
				best = i
			}
		}
	}
	for _, p := range l.prefix {
		if p.i >= best {
			break
		}
		for _, t := range w.toks {
			if strings.HasPrefix(t, p.s) {
				best = p.i
				break
			}
		}
	}
	for _, p := range l.phrase {
		if p.i >= best {
			break
		}
		if strings.Contains(w.joined, p.p) || strings.Contains(w.joined, p.q) {
			best = p.i
		}
	}
	if best == len(kl.kws) {
		return ""
	}
	return kl.kws[best]
}

// lazyRegexp returns a function that compiles expr on its first call and
// returns the same *regexp.Regexp afterwards: package-level patterns cost
// nothing until the stage that needs them runs.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
