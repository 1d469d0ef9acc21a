package catalog

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/threatmap/threatmap/graph"
)

// Input is what the matcher reads of one diagram element. Every field is
// optional; pass what the importer kept (graph.Component has all four).
type Input struct {
	// Label is the element's plain-text label, lines separated by "\n".
	Label string
	// Shape is the shape hint (draw.io shape, Mermaid bracket form, DOT
	// shape).
	Shape string
	// Style is the raw draw.io style string.
	Style string
	// Attributes are the element's free-form properties (draw.io custom
	// data such as c4Technology, DOT and Mermaid attributes).
	Attributes map[string]string
}

// InputOf is the Input for an imported component.
func InputOf(c *graph.Component) Input {
	return Input{Label: c.Label, Shape: c.Shape, Style: c.Style, Attributes: c.Attributes}
}

// Source says which part of the Input a match came from, strongest first.
type Source int

// Sources of evidence, strongest first.
const (
	// FromAttribute: an explicit technology attribute (technology, tech,
	// c4Technology) or a Mermaid icon.
	FromAttribute Source = iota
	// FromC4: the technology of a C4 label ("[Container: PostgreSQL]").
	FromC4
	// FromStyle: a draw.io icon style.
	FromStyle
	// FromLabel: words of the label.
	FromLabel
)

// String names the source: "attribute", "c4", "style", "label".
func (s Source) String() string {
	switch s {
	case FromAttribute:
		return "attribute"
	case FromC4:
		return "c4"
	case FromStyle:
		return "style"
	case FromLabel:
		return "label"
	}
	return fmt.Sprintf("Source(%d)", int(s))
}

// Match is a recognised technology and why.
type Match struct {
	Tech *Tech
	// Source is where the evidence was found.
	Source Source
	// Evidence is the text that matched: the label words as written, the
	// style key, or the attribute value.
	Evidence string
	// Reason is a short phrase for reports: "label word 'postgres'",
	// "draw.io style mxgraph.aws4.rds", "C4 technology 'PostgreSQL'".
	Reason string

	what  string // "" for label words, else "c4" or the attribute key
	text  string // the attribute or C4 text the evidence was found in
	exact bool   // the evidence is the whole text
	order int    // attribute key order (attribute matches only)
	span  int    // words the alias covers
	pos   int    // byte offset of the evidence in its text
	end   int    // byte offset after the evidence (label words only)
	of    string // for a head noun, the technology words before it
}

// Matcher recognises catalog technologies on diagram elements. It is
// immutable once built and safe for concurrent use.
type Matcher struct {
	techs []*Tech
	idx   *index

	nearMemo sync.Map     // word -> nearResult
	nearSize atomic.Int64 // words stored in nearMemo (at most nearMemoMax)
}

// nearMemoMax bounds Near's memo: a long fuzzing run sees endless words.
const nearMemoMax = 1 << 14

func newMatcher(name string, techs []*Tech) (*Matcher, error) {
	x, err := buildIndex(name, techs)
	if err != nil {
		return nil, err
	}
	return &Matcher{techs: techs, idx: x}, nil
}

// Techs returns every technology in data-file order. The slice is shared:
// do not modify it.
func (m *Matcher) Techs() []*Tech { return m.techs }

// Lookup returns the technology with the given id.
func (m *Matcher) Lookup(id string) (*Tech, bool) {
	if i := find(&m.idx.IDs, id); i >= 0 {
		return m.techs[i], true
	}
	return nil, false
}

// Match returns the best technology for the element, with its reason, or
// false when nothing in the catalog names it. The best is, in order: a
// named product over a generic entry; stronger evidence (attribute, C4
// technology, draw.io style, label words; for generic entries label words
// before styles); the attribute key order; the longer phrase; the earlier
// position; the lower id.
func (m *Matcher) Match(in Input) (Match, bool) {
	var c collector
	m.collect(in, &c)
	if !c.found {
		return Match{}, false
	}
	c.best.Reason = c.best.reason()
	return c.best, true
}

// MatchAll returns every technology found on the element, best first, one
// match per technology (its strongest evidence).
func (m *Matcher) MatchAll(in Input) []Match {
	c := collector{keepAll: true}
	m.collect(in, &c)
	if c.headFirst {
		h := c.all[len(c.all)-1]
		copy(c.all[1:], c.all[:len(c.all)-1])
		c.all[0] = h
	}
	rest := c.all
	if c.headFirst {
		rest = c.all[1:]
	}
	slices.SortStableFunc(rest, func(a, b Match) int {
		if better(&a, &b) {
			return -1
		}
		if better(&b, &a) {
			return 1
		}
		return 0
	})
	for i := range c.all {
		c.all[i].Reason = c.all[i].reason()
	}
	return c.all
}

// collector keeps the best candidate, or every technology's best.
type collector struct {
	best      Match
	found     bool
	keepAll   bool
	all       []Match
	headFirst bool // the last of all is a head noun that ranks first
}

func (c *collector) add(x *Match) {
	if !c.found || better(x, &c.best) {
		c.best, c.found = *x, true
	}
	if !c.keepAll {
		return
	}
	for i := range c.all {
		if c.all[i].Tech == x.Tech {
			if better(x, &c.all[i]) {
				c.all[i] = *x
			}
			return
		}
	}
	c.all = append(c.all, *x)
}

// better reports whether a ranks before b.
func better(a, b *Match) bool {
	if a.Tech.Generic != b.Tech.Generic {
		return !a.Tech.Generic
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra < rb
	}
	if a.order != b.order {
		return a.order < b.order
	}
	if a.span != b.span {
		return a.span > b.span
	}
	if a.pos != b.pos {
		return a.pos < b.pos
	}
	return a.Tech.ID < b.Tech.ID
}

// rank orders sources. For named products an icon style is stronger than
// label words; for generic entries the label is: a generic icon (a laptop,
// a firewall) says less than the words its author wrote under it.
func rank(m *Match) int {
	if m.Tech.Generic {
		switch m.Source {
		case FromLabel:
			return int(FromStyle)
		case FromStyle:
			return int(FromLabel)
		}
	}
	return int(m.Source)
}

// reason renders the match's reason; only winners pay for it.
func (x *Match) reason() string {
	switch {
	case x.Source == FromStyle:
		return "draw.io style " + x.Evidence
	case x.of != "":
		return "label word '" + x.Evidence + "' after '" + x.of + "', which names what it is for"
	case x.what == "":
		if x.span > 1 {
			return "label words '" + x.Evidence + "'"
		}
		return "label word '" + x.Evidence + "'"
	}
	what := "C4 technology"
	if x.Source == FromAttribute && !strings.EqualFold(x.what, "c4technology") {
		what = "attribute " + x.what
	}
	if x.exact {
		return what + " '" + x.Evidence + "'"
	}
	return what + " '" + strings.TrimSpace(x.text) + "' (word '" + x.Evidence + "')"
}

// techAttrs are the attribute keys (lower case) that state a technology,
// in order of strength: DOT or draw.io data "technology"/"tech", C4's
// c4Technology, then a Mermaid icon ("logos:postgresql", "fa:fa-database").
var techAttrs = []string{"technology", "tech", "c4technology", "technologies", "icon"}

func (m *Matcher) collect(in Input, c *collector) {
	// 1. Explicit attributes, in a fixed key order.
	if len(in.Attributes) > 0 {
		m.attributes(in.Attributes, c)
	}
	// 2. C4 technology written in the label. A C4 label's own words are
	// only its name (the c4Name attribute, or the lines before the
	// "[Container: ...]" bracket), never its description, which names
	// what it talks to.
	name := in.Label
	if tech, before, ok := c4Bracket(in.Label); ok {
		if tech != "" {
			m.phrases(tech, FromC4, "c4", 0, c)
		}
		name = before
	}
	if v, ok := in.Attributes["c4Name"]; ok {
		name = v
	}
	// 3. draw.io styles.
	if in.Style != "" || in.Shape != "" {
		m.styleMatches(in.Style, in.Shape, c)
	}
	// 4. Label words.
	m.phrases(name, FromLabel, "", 0, c)
	// 5. A role noun ending the name after a named technology says what
	// the element is ("TF-A repo").
	if c.found && len(m.idx.Heads.Keys) > 0 && !c.best.Tech.Generic && c.best.Source == FromLabel && c.best.what == "" {
		m.head(name, c)
	}
}

// head looks for a head noun of a generic entry that ends a line of the
// label after the best match's words, and makes it the best match when
// the named technology is not itself such a thing. In MatchAll the head
// comes first, the technology it names stays in the list.
func (m *Matcher) head(text string, c *collector) {
	named := c.best
	lower := strings.ToLower(text)
	var fixed [64]token
	toks := tokenize(lower, &fixed)
	for i := len(toks) - 1; i >= 0; i-- {
		tk := toks[i]
		if tk.start < named.end {
			return
		}
		if !endsPhrase(lower, toks, i) {
			continue
		}
		w := tk.s
		k := find(&m.idx.Heads, w)
		if k < 0 && len(w) > 3 && strings.HasSuffix(w, "s") {
			k = find(&m.idx.Heads, w[:len(w)-1])
		}
		if k < 0 {
			continue
		}
		for _, ti := range m.idx.HeadTechs[k] {
			t := m.techs[ti]
			if named.Tech.Role == t.Role || slices.Contains(t.Heads.Unless, named.Tech.Role) {
				continue
			}
			ev := tk.s
			if len(lower) == len(text) {
				ev = text[tk.start:tk.end]
			}
			x := Match{Tech: t, Source: FromLabel, Evidence: ev, text: text, span: 1, pos: tk.start, end: tk.end, of: named.Evidence}
			c.best = x
			if c.keepAll {
				c.all = slices.DeleteFunc(c.all, func(y Match) bool { return y.Tech == t })
				c.all = append(c.all, x)
				c.headFirst = true
			}
			return
		}
	}
}

// endsPhrase reports whether toks[i] is the last word of its line, or
// the last before a bracket ("TF-A repo (GitHub)").
func endsPhrase(lower string, toks []token, i int) bool {
	if i+1 == len(toks) {
		return true
	}
	return strings.ContainsAny(lower[toks[i].end:toks[i+1].start], "\n([{")
}

func (m *Matcher) attributes(attrs map[string]string, c *collector) {
	// Technology keys in a fixed order: by techAttrs, then by spelling.
	var fixed [8]string
	keys := fixed[:0]
	for k := range attrs {
		if attrRank(k) >= 0 && len(keys) < len(fixed) {
			keys = append(keys, k)
		}
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && attrLess(keys[j], keys[j-1]); j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	for i, k := range keys {
		v := attrs[k]
		if t, ok := m.Lookup(strings.ToLower(strings.TrimSpace(v))); ok {
			c.add(&Match{Tech: t, Source: FromAttribute, Evidence: v, what: k, exact: true, order: i, span: 1 << 10})
			continue
		}
		m.phrases(v, FromAttribute, k, i, c)
	}
}

// attrRank is the position of k in techAttrs, or -1.
func attrRank(k string) int {
	for i, a := range techAttrs {
		if strings.EqualFold(a, k) {
			return i
		}
	}
	return -1
}

func attrLess(a, b string) bool {
	if ra, rb := attrRank(a), attrRank(b); ra != rb {
		return ra < rb
	}
	return a < b
}

// phrases adds the aliases found in text. what is "" for label words,
// otherwise the attribute or C4 context used in the reason.
func (m *Matcher) phrases(text string, src Source, what string, order int, c *collector) {
	if text == "" {
		return
	}
	lower := strings.ToLower(text)
	sameOffsets := len(lower) == len(text)
	var fixed [64]token
	toks := tokenize(lower, &fixed)
	for i := range toks {
		k := find(&m.idx.Words, toks[i].s)
		if k < 0 && len(toks[i].s) > 3 && strings.HasSuffix(toks[i].s, "s") {
			k = find(&m.idx.Words, toks[i].s[:len(toks[i].s)-1]) // plural of a one-word alias
		}
		if k < 0 {
			continue
		}
		for _, a := range m.idx.Aliases[k] {
			n, ok := a.matchAt(toks, i)
			if !ok {
				continue
			}
			start, end := toks[i].start, toks[i+n-1].end
			ev := lower[start:end]
			if sameOffsets {
				ev = text[start:end]
			}
			if n > 1 && strings.ContainsAny(ev, " \t\r\n") {
				ev = strings.Join(strings.Fields(ev), " ")
			}
			x := Match{Tech: m.techs[a.Tech], Source: src, Evidence: ev, what: what, text: text, order: order, span: n, pos: start, end: end}
			x.exact = what != "" && strings.EqualFold(strings.TrimSpace(text), ev)
			c.add(&x)
			break // aliases are longest first: one match per start word
		}
	}
}

// matchAt reports whether the alias's words start at toks[i], allowing a
// plural "s" on its last word, and how many words it covers.
func (a *alias) matchAt(toks []token, i int) (int, bool) {
	if i+len(a.Words) > len(toks) {
		return 0, false
	}
	last := len(a.Words) - 1
	for j, w := range a.Words {
		got := toks[i+j].s
		if got == w {
			continue
		}
		if j == last && len(w) >= 3 && len(got) == len(w)+1 && got[len(w)] == 's' &&
			strings.HasPrefix(got, w) && isLetter(w[len(w)-1]) && w[len(w)-1] != 's' {
			continue
		}
		return 0, false
	}
	return len(a.Words), true
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' }

// token is one word of a lower-cased text and its byte span.
type token struct {
	s          string
	start, end int
}

// tokenize splits s into maximal runs of letters and digits, into fixed
// while it has room.
func tokenize(s string, fixed *[64]token) []token {
	toks := fixed[:0]
	start := -1
	for i, r := range s {
		word := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			toks = append(toks, token{s[start:i], start, i})
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, token{s[start:], start, len(s)})
	}
	return toks
}

// c4Bracket finds a C4 element bracket such as "[Container: PostgreSQL]"
// or "[Software System]" and returns the technology after the colon (empty
// when there is none) and the label text before the bracket.
func c4Bracket(label string) (tech, before string, ok bool) {
	for from := 0; from < len(label); {
		open := strings.IndexByte(label[from:], '[')
		if open < 0 {
			return "", "", false
		}
		open += from
		closeAt := strings.IndexByte(label[open:], ']')
		if closeAt < 0 {
			return "", "", false
		}
		inner := label[open+1 : open+closeAt]
		kind, t, _ := strings.Cut(inner, ":")
		if c4Element(strings.TrimSpace(kind)) {
			return strings.TrimSpace(t), label[:open], true
		}
		from = open + 1
	}
	return "", "", false
}

// c4Elements are the C4 element types a bracket starts with.
var c4Elements = []string{"container", "component", "software system", "system", "database", "queue", "person", "external"}

// c4Element reports whether s is a C4 element type ("Container",
// "Component", "Software System", "Container Db", ...).
func c4Element(s string) bool {
	for _, p := range c4Elements {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return true
		}
	}
	return false
}

// styleMatches looks up the element's draw.io style keys, most specific
// first: resIcon, prIcon (alone when it is a full name, with its shape, and
// in its shape's family), shape, grIcon, image path, bare style names, then
// the Shape hint. The first key in the catalog decides.
func (m *Matcher) styleMatches(style, shape string, c *collector) {
	var sh, res, pr, gr, img string
	var bare [2]string
	nbare := 0
	for style != "" {
		var part string
		part, style, _ = strings.Cut(style, ";")
		part = strings.TrimSpace(part)
		k, v, hasEq := strings.Cut(part, "=")
		if !hasEq {
			if nbare < len(bare) && hasPrefixFold(part, "mxgraph.") {
				bare[nbare] = part
				nbare++
			}
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case strings.EqualFold(k, "shape"):
			sh = v
		case strings.EqualFold(k, "resIcon"):
			res = v
		case strings.EqualFold(k, "prIcon"):
			pr = v
		case strings.EqualFold(k, "grIcon"):
			gr = v
		case strings.EqualFold(k, "image"):
			if i := strings.Index(v, "img/lib/"); i >= 0 {
				img = v[i:]
			}
		}
	}
	pos := 0
	try := func(a, b, d string) bool {
		if a == "" {
			return false
		}
		pos++
		if sk, ok := m.lookupStyle(a, b, d); ok {
			c.add(&Match{Tech: m.techs[sk.Tech], Source: FromStyle, Evidence: sk.Key, span: 1, pos: pos})
			return true
		}
		return false
	}
	if try(res, "", "") {
		return
	}
	if pr != "" {
		if hasPrefixFold(pr, "mxgraph.") {
			if try(pr, "", "") {
				return
			}
		} else if sh != "" {
			if try(sh, ";pricon=", pr) {
				return
			}
			if dot := strings.LastIndexByte(sh, '.'); dot > 0 && try(sh[:dot+1], pr, "") {
				return
			}
		}
	}
	if try(sh, "", "") || try(gr, "", "") || try(img, "", "") {
		return
	}
	for _, b := range bare[:nbare] {
		if try(b, "", "") {
			return
		}
	}
	if shape = strings.TrimSpace(shape); !strings.EqualFold(shape, sh) {
		try(shape, "", "")
	}
}

// lookupStyle finds the style key a+b+d, compared in ASCII lower case,
// without allocating.
func (m *Matcher) lookupStyle(a, b, d string) (styleRef, bool) {
	var buf [256]byte
	n := 0
	for _, part := range [3]string{a, b, d} {
		if n+len(part) > len(buf) {
			return styleRef{}, false
		}
		for i := 0; i < len(part); i++ {
			ch := part[i]
			if ch >= 'A' && ch <= 'Z' {
				ch += 'a' - 'A'
			}
			buf[n] = ch
			n++
		}
	}
	if k := find(&m.idx.Styles, buf[:n]); k >= 0 {
		return m.idx.StyleOf[k], true
	}
	return styleRef{}, false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// nearMinLen is the shortest word Near reads: shorter words are one
// letter from too many others.
const nearMinLen = 6

// nearAnyEditLen is the shortest word read through any single edit; a
// shorter one only through two swapped letters. Below it, one insertion,
// deletion or substitution turns many products into ordinary words
// ("linkerd" and "linked", "datadog" and "datalog").
const nearAnyEditLen = 8

// swapped reports whether a and b differ only by two adjacent letters
// exchanged.
func swapped(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

// Near finds a named product whose one-word alias is one edit (two for
// words of ten letters or more) from a word of the label: a misspelling
// such as "PostgresSQL" or "Postgrse". It is for labels Match finds
// nothing in. The word must start with the alias's letter, and the
// nearest alias must be unique; the match's Reason says what was assumed.
func (m *Matcher) Near(label string) (Match, bool) {
	lower := strings.ToLower(label)
	var fixed [64]token
	toks := tokenize(lower, &fixed)
	var best Match
	bestD, found, ambiguous := 3, false, false
	for _, tk := range toks {
		w := tk.s
		if len(w) < nearMinLen || !lettersOnly(w) || find(&m.idx.Known, w) >= 0 || find(&m.idx.Known, strings.TrimSuffix(w, "s")) >= 0 {
			// A word some alias uses ("container" in "container
			// registry") is a word, not a misspelt product ("containerd").
			continue
		}
		n := m.nearWord(w)
		switch {
		case n.tech == nil:
		case n.d < bestD:
			ev := w
			if len(lower) == len(label) {
				ev = label[tk.start:tk.end]
			}
			best = Match{Tech: n.tech, Source: FromLabel, Evidence: ev, span: 1, pos: tk.start, end: tk.end}
			best.Reason = fmt.Sprintf("label word '%s' read as '%s' (%d letter%s apart)", ev, n.alias, n.d, plural(n.d))
			bestD, found, ambiguous = n.d, true, n.ambiguous
		case n.d == bestD && n.tech != best.Tech:
			ambiguous = true
		}
	}
	if !found || ambiguous {
		return Match{}, false
	}
	return best, true
}

// nearResult is the nearest alias of one word: tech nil when none is
// within reach.
type nearResult struct {
	tech      *Tech
	alias     string
	d         int
	ambiguous bool
}

// nearWord finds the alias nearest word w, memoised: labels of large
// diagrams repeat their words.
func (m *Matcher) nearWord(w string) nearResult {
	if v, ok := m.nearMemo.Load(w); ok {
		return v.(nearResult)
	}
	limit := 1
	if len(w) >= 10 {
		limit = 2
	}
	r := nearResult{d: limit + 1}
	for _, a := range m.idx.Near[w[0]-'a'] {
		if d := len(a.Word) - len(w); d > limit || -d > limit {
			continue
		}
		d := editDistance(w, a.Word, limit)
		if d == 1 && len(w) < nearAnyEditLen && !swapped(w, a.Word) {
			// "linked" is one letter from "linkerd" and an ordinary
			// word: a short word is read as a product only when two of
			// its letters are swapped ("mongobd"), the typo that does
			// not make another word.
			continue
		}
		switch {
		case d > limit || d == 0:
		case d < r.d:
			r = nearResult{tech: m.techs[a.Tech], alias: a.Word, d: d}
		case d == r.d && m.techs[a.Tech] != r.tech:
			r.ambiguous = true
		}
	}
	if r.tech == nil {
		r = nearResult{}
	}
	if m.nearSize.Add(1) <= nearMemoMax {
		m.nearMemo.Store(w, r)
	}
	return r
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func lettersOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// editDistance is the optimal string alignment distance of a and b
// (insertions, deletions, substitutions and adjacent transpositions),
// or limit+1 once it must exceed limit.
func editDistance(a, b string, limit int) int {
	if len(a) > 32 || len(b) > 32 {
		return limit + 1
	}
	var rows [3][33]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		lo := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			lo = min(lo, v)
		}
		if lo > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
