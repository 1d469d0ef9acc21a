package catalog

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
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

// Source says which part of the Input a match came from, strongest first.
type Source int

// Sources of evidence, strongest first.
const (
	// FromAttribute: an explicit technology attribute
	// (technology, tech, c4Technology).
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

	order int // attribute key order (attribute matches only)
	span  int // words the alias covers
	pos   int // byte offset of the evidence in its text
}

// Matcher recognises catalog technologies on diagram elements. It is
// immutable once built and safe for concurrent use.
type Matcher struct {
	techs  []*Tech
	byID   map[string]*Tech
	words  map[string][]*alias // first word of an alias -> aliases, longest first
	styles map[string]styleKey // lower-case style key -> technology
}

// styleKey is a style of a technology as the data file writes it.
type styleKey struct {
	tech *Tech
	key  string
}

type alias struct {
	words []string
	tech  *Tech
}

func newMatcher(name string, techs []*Tech) (*Matcher, error) {
	m := &Matcher{
		techs:  techs,
		byID:   make(map[string]*Tech, len(techs)),
		words:  map[string][]*alias{},
		styles: map[string]styleKey{},
	}
	aliasOwner := map[string]*Tech{}
	for _, t := range techs {
		m.byID[t.ID] = t
		for _, a := range t.Aliases {
			var buf [16]token
			toks := tokens(strings.ToLower(a), buf[:0])
			ws := make([]string, len(toks))
			for i, tk := range toks {
				ws[i] = tk.s
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
			m.words[ws[0]] = append(m.words[ws[0]], &alias{words: ws, tech: t})
		}
		for _, s := range t.Styles {
			key := strings.ToLower(s)
			if prev, ok := m.styles[key]; ok && prev.tech != t {
				return nil, &graph.InputError{File: name, Pos: graph.Position{Line: t.Line},
					Msg: fmt.Sprintf("style %q of %q is also a style of %q (line %d)", s, t.ID, prev.tech.ID, prev.tech.Line)}
			}
			m.styles[key] = styleKey{t, s}
		}
	}
	for _, list := range m.words {
		slices.SortStableFunc(list, func(a, b *alias) int {
			if c := cmp.Compare(len(b.words), len(a.words)); c != 0 {
				return c
			}
			return cmp.Compare(a.tech.ID, b.tech.ID)
		})
	}
	return m, nil
}

// Techs returns every technology in data-file order. The slice is shared:
// do not modify it.
func (m *Matcher) Techs() []*Tech { return m.techs }

// Lookup returns the technology with the given id.
func (m *Matcher) Lookup(id string) (*Tech, bool) {
	t, ok := m.byID[id]
	return t, ok
}

// Match returns the best technology for the element, with its reason, or
// false when nothing in the catalog names it. The best is, in order: a
// named product over a generic entry; stronger evidence (attribute, C4
// technology, draw.io style, label words); the longer phrase; the earlier
// position; the lower id.
func (m *Matcher) Match(in Input) (Match, bool) {
	var best Match
	found := false
	m.each(in, func(c Match) {
		if !found || better(c, best) {
			best, found = c, true
		}
	})
	return best, found
}

// MatchAll returns every technology found on the element, best first, one
// match per technology (its strongest evidence).
func (m *Matcher) MatchAll(in Input) []Match {
	var all []Match
	m.each(in, func(c Match) {
		for i := range all {
			if all[i].Tech == c.Tech {
				if better(c, all[i]) {
					all[i] = c
				}
				return
			}
		}
		all = append(all, c)
	})
	slices.SortStableFunc(all, func(a, b Match) int {
		if better(a, b) {
			return -1
		}
		if better(b, a) {
			return 1
		}
		return 0
	})
	return all
}

// better reports whether a ranks before b.
func better(a, b Match) bool {
	if a.Tech.Generic != b.Tech.Generic {
		return !a.Tech.Generic
	}
	if a.Source != b.Source {
		return rank(a) < rank(b)
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
func rank(m Match) int {
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

// techAttrs are the attribute keys (lower case) that state a technology.
var techAttrs = []string{"technology", "tech", "c4technology", "technologies"}

func (m *Matcher) each(in Input, emit func(Match)) {
	// 1. Explicit attributes, in a fixed key order.
	if len(in.Attributes) > 0 {
		var keys []string
		for k := range in.Attributes {
			if slices.Contains(techAttrs, strings.ToLower(k)) {
				keys = append(keys, k)
			}
		}
		slices.SortFunc(keys, func(a, b string) int {
			ia := slices.Index(techAttrs, strings.ToLower(a))
			ib := slices.Index(techAttrs, strings.ToLower(b))
			if ia != ib {
				return cmp.Compare(ia, ib)
			}
			return cmp.Compare(a, b)
		})
		for i, k := range keys {
			v := in.Attributes[k]
			what := "attribute " + k
			if strings.EqualFold(k, "c4technology") {
				what = "C4 technology"
			}
			if t, ok := m.byID[strings.ToLower(strings.TrimSpace(v))]; ok {
				emit(Match{Tech: t, Source: FromAttribute, Evidence: v, Reason: fmt.Sprintf("%s '%s'", what, v), order: i, span: 1 << 10})
				continue
			}
			m.phrases(v, FromAttribute, what, func(c Match) {
				c.order = i
				emit(c)
			})
		}
	}
	// 2. C4 technology written in the label. A C4 label's own words are
	// only its name (the c4Name attribute, or the lines before the
	// "[Container: ...]" bracket), never its description, which names
	// what it talks to.
	name := in.Label
	if tech, before, ok := c4Bracket(in.Label); ok {
		if tech != "" {
			m.phrases(tech, FromC4, "C4 technology", emit)
		}
		name = before
	}
	if v, ok := in.Attributes["c4Name"]; ok {
		name = v
	}
	// 3. draw.io styles.
	m.styleMatches(in, emit)
	// 4. Label words.
	m.phrases(name, FromLabel, "", emit)
}

// phrases emits the aliases found in text. what is "" for label words,
// otherwise the attribute or C4 context used in the reason.
func (m *Matcher) phrases(text string, src Source, what string, emit func(Match)) {
	if text == "" {
		return
	}
	lower := strings.ToLower(text)
	sameOffsets := len(lower) == len(text)
	var buf [64]token
	toks := tokens(lower, buf[:0])
	for i := range toks {
		cands := m.words[toks[i].s]
		if cands == nil && len(toks[i].s) > 3 && strings.HasSuffix(toks[i].s, "s") {
			cands = m.words[toks[i].s[:len(toks[i].s)-1]] // plural of a one-word alias
		}
		for _, a := range cands {
			n, ok := a.matchAt(toks, i)
			if !ok {
				continue
			}
			start, end := toks[i].start, toks[i+n-1].end
			ev := lower[start:end]
			if sameOffsets {
				ev = text[start:end]
			}
			if n > 1 {
				ev = strings.Join(strings.Fields(ev), " ")
			}
			var reason string
			switch {
			case what == "":
				word := "word"
				if n > 1 {
					word = "words"
				}
				reason = fmt.Sprintf("label %s '%s'", word, ev)
			case strings.EqualFold(strings.TrimSpace(text), ev):
				reason = fmt.Sprintf("%s '%s'", what, ev)
			default:
				reason = fmt.Sprintf("%s '%s' (word '%s')", what, strings.TrimSpace(text), ev)
			}
			emit(Match{Tech: a.tech, Source: src, Evidence: ev, Reason: reason, span: n, pos: start})
			break // aliases are longest first: one match per start word
		}
	}
}

// matchAt reports whether the alias's words start at toks[i], allowing a
// plural "s" on its last word, and how many words it covers.
func (a *alias) matchAt(toks []token, i int) (int, bool) {
	if i+len(a.words) > len(toks) {
		return 0, false
	}
	last := len(a.words) - 1
	for j, w := range a.words {
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
	return len(a.words), true
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' }

// token is one word of a lower-cased text and its byte span.
type token struct {
	s          string
	start, end int
}

// tokens splits s into maximal runs of letters and digits.
func tokens(s string, buf []token) []token {
	start := -1
	for i, r := range s {
		word := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			buf = append(buf, token{s[start:i], start, i})
			start = -1
		}
	}
	if start >= 0 {
		buf = append(buf, token{s[start:], start, len(s)})
	}
	return buf
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

// c4Element reports whether s is a C4 element type ("Container",
// "Component", "Software System", "Container Db", ...).
func c4Element(s string) bool {
	s = strings.ToLower(s)
	for _, p := range []string{"container", "component", "software system", "system", "database", "queue", "person", "external"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// styleKeys lists the draw.io style keys of an element, most specific
// first: resIcon, prIcon (alone when it is a full name, with its shape,
// and in its shape's family), shape, grIcon, image path, bare style names,
// then the Shape hint.
func styleKeys(style, shape string, buf []string) []string {
	var sh, res, pr, gr, img string
	var bare []string
	for part := range strings.SplitSeq(style, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, hasEq := strings.Cut(part, "=")
		if !hasEq {
			if strings.HasPrefix(strings.ToLower(part), "mxgraph.") {
				bare = append(bare, strings.ToLower(part))
			}
			continue
		}
		v = strings.ToLower(strings.TrimSpace(v))
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "shape":
			sh = v
		case "resicon":
			res = v
		case "pricon":
			pr = v
		case "gricon":
			gr = v
		case "image":
			if i := strings.Index(v, "img/lib/"); i >= 0 {
				img = v[i:]
			}
		}
	}
	if res != "" {
		buf = append(buf, res)
	}
	if pr != "" {
		if strings.HasPrefix(pr, "mxgraph.") {
			buf = append(buf, pr)
		} else if sh != "" {
			buf = append(buf, sh+";pricon="+pr)
			if dot := strings.LastIndexByte(sh, '.'); dot > 0 {
				buf = append(buf, sh[:dot+1]+pr)
			}
		}
	}
	if sh != "" {
		buf = append(buf, sh)
	}
	if gr != "" {
		buf = append(buf, gr)
	}
	if img != "" {
		buf = append(buf, img)
	}
	buf = append(buf, bare...)
	if shape = strings.ToLower(strings.TrimSpace(shape)); shape != "" && shape != sh {
		buf = append(buf, shape)
	}
	return buf
}

func (m *Matcher) styleMatches(in Input, emit func(Match)) {
	if in.Style == "" && in.Shape == "" {
		return
	}
	var buf [8]string
	for i, k := range styleKeys(in.Style, in.Shape, buf[:0]) {
		if sk, ok := m.styles[k]; ok {
			emit(Match{Tech: sk.tech, Source: FromStyle, Evidence: sk.key, Reason: "draw.io style " + sk.key, span: 1, pos: i})
			return // the most specific key decides
		}
	}
}
