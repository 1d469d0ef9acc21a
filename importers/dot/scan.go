package dot

import (
	"fmt"
	"strings"

	"github.com/threatmap/threatmap/internal/labeltext"
)

// The scanner below is not a DOT parser: go-graphviz parses. It is a single
// lexical pass over the source that recovers what cgraph does not expose:
// whether the graph is directed, source lines for nodes, edges and
// subgraphs, which label values were HTML strings, and the brace depth
// (checked before cgraph sees hostile nesting).

type tokKind int

const (
	tokEOF    tokKind = iota
	tokID             // identifier, numeral or quoted string (value unquoted)
	tokHTML           // <...> string (value without the outer brackets)
	tokEdgeOp         // -> or --
	tokPunct          // { } [ ] ; , = :
)

type token struct {
	kind tokKind
	val  string
	line int
	// start and end are the token's byte span in the source.
	start, end int
	quoted     bool
}

type scanner struct {
	src  string
	off  int
	line int
}

func (s *scanner) next() (token, error) {
	s.skipSpace()
	start := s.off
	t, err := s.lex()
	t.start, t.end = start, s.off
	return t, err
}

func (s *scanner) lex() (token, error) {
	if s.off >= len(s.src) {
		return token{kind: tokEOF, line: s.line}, nil
	}
	line := s.line
	c := s.src[s.off]
	switch {
	case c == '-' && s.off+1 < len(s.src) && (s.src[s.off+1] == '>' || s.src[s.off+1] == '-'):
		s.off += 2
		return token{kind: tokEdgeOp, val: s.src[s.off-2 : s.off], line: line}, nil
	case strings.IndexByte("{}[];,=:", c) >= 0:
		s.off++
		return token{kind: tokPunct, val: string(c), line: line}, nil
	case c == '"':
		t, err := s.quoted(line)
		t.quoted = true
		return t, err
	case c == '<':
		return s.html(line)
	case isIDByte(c) || c == '-' || c == '.':
		start := s.off
		for s.off < len(s.src) && (isIDByte(s.src[s.off]) || s.src[s.off] == '.' || (s.off == start && s.src[s.off] == '-')) {
			s.off++
		}
		return token{kind: tokID, val: s.src[start:s.off], line: line}, nil
	}
	s.off++
	return token{kind: tokPunct, val: string(c), line: line}, nil
}

func isIDByte(c byte) bool {
	return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func (s *scanner) skipSpace() {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == '\n':
			s.line++
			s.off++
			// A line starting with '#' is a preprocessor line: skipped.
			if s.off < len(s.src) && s.src[s.off] == '#' {
				s.skipLine()
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			s.off++
		case c == '/' && s.off+1 < len(s.src) && s.src[s.off+1] == '/':
			s.skipLine()
		case c == '/' && s.off+1 < len(s.src) && s.src[s.off+1] == '*':
			end := strings.Index(s.src[s.off+2:], "*/")
			if end < 0 {
				end = len(s.src) - s.off - 2
			} else {
				end += 2
			}
			s.line += strings.Count(s.src[s.off:s.off+2+end], "\n")
			s.off += 2 + end
		default:
			return
		}
	}
}

func (s *scanner) skipLine() {
	for s.off < len(s.src) && s.src[s.off] != '\n' {
		s.off++
	}
}

func (s *scanner) quoted(line int) (token, error) {
	var b strings.Builder
	s.off++ // opening quote
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch c {
		case '"':
			s.off++
			// "a" + "b" concatenation
			save, saveLine := s.off, s.line
			s.skipSpace()
			if s.off < len(s.src) && s.src[s.off] == '+' {
				s.off++
				s.skipSpace()
				if s.off < len(s.src) && s.src[s.off] == '"' {
					t, err := s.quoted(line)
					if err != nil {
						return t, err
					}
					b.WriteString(t.val)
					return token{kind: tokID, val: b.String(), line: line}, nil
				}
			}
			s.off, s.line = save, saveLine
			return token{kind: tokID, val: b.String(), line: line}, nil
		case '\\':
			if s.off+1 < len(s.src) {
				switch s.src[s.off+1] {
				case '"':
					b.WriteByte('"')
					s.off += 2
					continue
				case '\n':
					s.line++
					s.off += 2
					continue
				}
			}
			b.WriteByte(c)
			s.off++
		case '\n':
			s.line++
			b.WriteByte(c)
			s.off++
		default:
			b.WriteByte(c)
			s.off++
		}
	}
	return token{}, &scanError{line, "unterminated string"}
}

func (s *scanner) html(line int) (token, error) {
	depth := 0
	start := s.off
	for s.off < len(s.src) {
		c := s.src[s.off]
		s.off++
		switch c {
		case '<':
			depth++
		case '>':
			depth--
			if depth == 0 {
				return token{kind: tokHTML, val: s.src[start+1 : s.off-1], line: line}, nil
			}
		case '\n':
			s.line++
		}
	}
	return token{}, &scanError{line, "unterminated HTML string"}
}

// scanError is a lexical error at a line.
type scanError struct {
	line int
	msg  string
}

func (e *scanError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// facts is what the lexical pass learned about the source.
type facts struct {
	directed  bool
	strict    bool
	nodeLine  map[string]int
	edgeLine  map[[2]string]int
	subgLine  map[string]int
	htmlVals  map[string]bool
	maxDepth  int
	depthLine int
	// rewrites replace over-long attribute strings before cgraph parses
	// them (its lexer is quadratic in a token's length).
	rewrites []rewrite
	// tooLong is the first over-long identifier, which cannot be
	// shortened without changing what it names.
	tooLong *token
}

type rewrite struct {
	start, end int
	text       string
	line       int
	was        int
}

// operand is one side of an edge statement: the node IDs it stands for.
type operand struct {
	ids []string
}

// scan makes the lexical pass. Errors are left to cgraph, which reports
// them with its own wording, except for depth, which is checked here.
func scan(src string, maxToken int) (*facts, error) {
	f := &facts{
		nodeLine: map[string]int{},
		edgeLine: map[[2]string]int{},
		subgLine: map[string]int{},
		htmlVals: map[string]bool{},
	}
	s := &scanner{src: src, line: 1}
	if strings.HasPrefix(src, "#") {
		s.skipLine()
	}
	var toks []token
	for {
		t, err := s.next()
		if err != nil {
			return f, err
		}
		if t.kind == tokEOF {
			break
		}
		if maxToken > 0 && len(t.val) > maxToken && f.tooLong == nil {
			prevEq := len(toks) > 0 && toks[len(toks)-1].kind == tokPunct && toks[len(toks)-1].val == "="
			if (t.quoted || t.kind == tokHTML) && prevEq {
				f.rewrites = append(f.rewrites, shorten(t, maxToken))
				t.val = f.rewrites[len(f.rewrites)-1].text
			} else {
				tt := t
				f.tooLong = &tt
			}
		}
		if t.kind == tokHTML {
			f.htmlVals[t.val] = true
		}
		toks = append(toks, t)
	}
	// Header: [strict] (graph|digraph) [ID] {
	i := 0
	if i < len(toks) && toks[i].kind == tokID && strings.EqualFold(toks[i].val, "strict") {
		f.strict = true
		i++
	}
	if i < len(toks) && toks[i].kind == tokID && strings.EqualFold(toks[i].val, "digraph") {
		f.directed = true
	}
	w := &walker{f: f, toks: toks, i: i}
	w.walk()
	return f, nil
}

// walker tracks edge chains (a -> b -> {c d}) over the token list. Each
// brace level has its own chain; a closed brace group becomes an operand of
// the enclosing chain.
type walker struct {
	f     *facts
	toks  []token
	i     int
	depth int
	level []*level
}

type level struct {
	ids   []string  // every node ID mentioned at this level or below
	chain []operand // operands of the edge statement being read
	ops   []int     // line of each edge operator after chain[k]
}

func (w *walker) cur() *level { return w.level[len(w.level)-1] }

func (w *walker) peekEdgeOp() bool {
	return w.i+1 < len(w.toks) && w.toks[w.i+1].kind == tokEdgeOp
}

// operand adds op to the current chain, or starts a new statement.
func (w *walker) operand(op operand) {
	l := w.cur()
	if len(l.chain) == 0 || len(l.ops) < len(l.chain) {
		w.flush()
	}
	l.chain = append(l.chain, op)
	if !w.peekEdgeOp() {
		w.flush()
	}
}

func (w *walker) flush() {
	l := w.cur()
	for k := 0; k+1 < len(l.chain) && k < len(l.ops); k++ {
		for _, a := range l.chain[k].ids {
			for _, b := range l.chain[k+1].ids {
				key := [2]string{a, b}
				if _, ok := w.f.edgeLine[key]; !ok {
					w.f.edgeLine[key] = l.ops[k]
				}
			}
		}
	}
	l.chain, l.ops = nil, nil
}

func (w *walker) mention(id string, line int) {
	if _, ok := w.f.nodeLine[id]; !ok {
		w.f.nodeLine[id] = line
	}
	for _, l := range w.level {
		l.ids = append(l.ids, id)
	}
}

func (w *walker) walk() {
	w.level = []*level{{}}
	for ; w.i < len(w.toks); w.i++ {
		t := w.toks[w.i]
		switch {
		case t.kind == tokPunct && t.val == "{":
			w.depth++
			if w.depth > w.f.maxDepth {
				w.f.maxDepth, w.f.depthLine = w.depth, t.line
			}
			w.level = append(w.level, &level{})
		case t.kind == tokPunct && t.val == "}":
			w.depth--
			if len(w.level) > 1 {
				w.flush()
				inner := w.cur()
				w.level = w.level[:len(w.level)-1]
				if w.depth > 0 || len(w.level) > 1 {
					w.operand(operand{ids: inner.ids})
				}
			}
		case t.kind == tokPunct && t.val == "[":
			for w.i++; w.i < len(w.toks) && !(w.toks[w.i].kind == tokPunct && w.toks[w.i].val == "]"); w.i++ {
			}
		case t.kind == tokPunct && (t.val == ";" || t.val == ","):
			w.flush()
		case t.kind == tokEdgeOp:
			l := w.cur()
			if len(l.chain) == 0 {
				l.chain = append(l.chain, operand{})
			}
			l.ops = append(l.ops, t.line)
		case t.kind == tokID || t.kind == tokHTML:
			low := strings.ToLower(t.val)
			if t.kind == tokID && low == "subgraph" {
				if w.i+1 < len(w.toks) && w.toks[w.i+1].kind == tokID {
					if _, ok := w.f.subgLine[w.toks[w.i+1].val]; !ok {
						w.f.subgLine[w.toks[w.i+1].val] = t.line
					}
					w.i++
				}
				continue
			}
			if t.kind == tokID && (low == "graph" || low == "digraph" || low == "node" || low == "edge" || low == "strict") {
				continue
			}
			if w.i+1 < len(w.toks) && w.toks[w.i+1].kind == tokPunct && w.toks[w.i+1].val == "=" {
				w.i += 2 // a = b
				continue
			}
			w.mention(t.val, t.line)
			for w.i+2 < len(w.toks) && w.toks[w.i+1].kind == tokPunct && w.toks[w.i+1].val == ":" {
				w.i += 2 // port
			}
			w.operand(operand{ids: []string{t.val}})
		}
	}
}

// shorten replaces an over-long attribute value by a quoted string of at
// most max bytes: HTML values become their plain text first.
func shorten(t token, max int) rewrite {
	v := t.val
	if t.kind == tokHTML {
		v = labeltext.FromHTML(v)
	}
	// Leave room for the ellipsis so that the label is not cut again.
	v, _ = labeltext.Truncate(v, max-len("…"))
	v = strings.TrimRight(v, "\\")
	v = strings.ReplaceAll(v, `"`, `\"`)
	return rewrite{start: t.start, end: t.end, text: `"` + v + `"`, line: t.line, was: len(t.val)}
}

// apply returns src with the rewrites made.
func apply(src string, rw []rewrite) string {
	var b strings.Builder
	last := 0
	for _, r := range rw {
		b.WriteString(src[last:r.start])
		b.WriteString(r.text)
		last = r.end
	}
	b.WriteString(src[last:])
	return b.String()
}
