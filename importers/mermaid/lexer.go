package mermaid

import (
	"bytes"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// rawMode says how the lexer reads the rest of a keyword statement.
type rawMode uint8

const (
	rawNone   rawMode = iota
	rawLine           // to a newline, ";" or "%%"
	rawHeader         // like rawLine, but ";" inside [...] or "..." does not end it
	rawClick          // like rawLine, but a quoted tooltip may span lines
	rawToEOL          // to a newline (accTitle:, accDescr:)
	rawBlock          // to "}" across lines (accDescr { ... })
)

// lexer turns flowchart source into tokens, one per call to next. Like
// Mermaid's own lexer it is context sensitive: node text inside brackets,
// edge labels and keyword statements are read in dedicated modes, so the
// parser sees whole labels rather than characters.
type lexer struct {
	src       []byte
	off       int
	line      int
	lineStart int // offset of the first byte of the current line

	last      tokKind // kind of the previous token
	lastEnd   int     // offset just past the previous token
	stmtStart bool    // the next token starts a statement
	raw       rawMode // pending rest-of-statement read
	dirEnd    int     // cached offset of the next "}%%" (see directiveEnd)
	// quoteFrom and quoteAt cache the answer of closingQuote: the first
	// '"' at or after quoteFrom is at quoteAt (-1: none).
	quoteFrom, quoteAt int
}

func (l *lexer) init(src []byte, off, line int) {
	*l = lexer{src: src, off: off, line: line, lineStart: off, last: tNewline, lastEnd: -1, stmtStart: true, quoteFrom: -1}
}

// closingQuote returns the offset of the first '"' at or after from, or -1.
// Quoted strings may span lines, as in Mermaid: a string is closed by the
// next quote wherever it is. The answer is cached so that many unterminated
// strings stay linear.
func (l *lexer) closingQuote(from int) int {
	if l.quoteFrom < 0 || from < l.quoteFrom || (l.quoteAt >= 0 && l.quoteAt < from) {
		l.quoteFrom, l.quoteAt = from, -1
		if i := bytes.IndexByte(l.src[from:], '"'); i >= 0 {
			l.quoteAt = from + i
		}
	}
	return l.quoteAt
}

// directiveEnd returns the offset of the first "}%%" at or after from, or
// -1. The answer is cached so that many unterminated "%%{" stay linear.
func (l *lexer) directiveEnd(from int) int {
	if l.dirEnd == 0 || (l.dirEnd >= 0 && l.dirEnd < from) {
		l.dirEnd = -1
		if i := bytes.Index(l.src[from:], []byte("}%%")); i >= 0 {
			l.dirEnd = from + i
		}
	}
	return l.dirEnd
}

func (l *lexer) col() int { return l.off - l.lineStart + 1 }

// advance moves to offset j, counting the line breaks passed.
func (l *lexer) advance(j int) {
	for i := l.off; i < j; i++ {
		if l.src[i] == '\n' {
			l.line++
			l.lineStart = i + 1
		}
	}
	l.off = j
}

// posAt returns the line and column of offset j >= l.off.
func (l *lexer) posAt(j int) (int, int) {
	line, ls := l.line, l.lineStart
	for i := l.off; i < j && i < len(l.src); i++ {
		if l.src[i] == '\n' {
			line++
			ls = i + 1
		}
	}
	return line, j - ls + 1
}

func (l *lexer) illegalAt(j int, text, msg string) token {
	line, col := l.posAt(j)
	return token{kind: tIllegal, line: line, col: col, text: text, msg: msg}
}

// next returns the next token. It always consumes input or returns tEOF, so
// a parser loop driven by it terminates.
func (l *lexer) next() token {
	var t token
	if l.raw != rawNone {
		m := l.raw
		l.raw = rawNone
		t = l.scanRaw(m)
	} else {
		t = l.scan()
	}
	if t.kind == tIllegal {
		// Stop here: the parser reports the error and asks no further.
		l.off = len(l.src)
	}
	l.last = t.kind
	l.lastEnd = l.off
	l.stmtStart = t.kind == tNewline || t.kind == tSemi || t.kind == tEOF
	return t
}

// skipBlank skips spaces, tabs, %% comments and %%{...}%% directives, but
// not line breaks.
func (l *lexer) skipBlank() {
	s := l.src
	for l.off < len(s) {
		switch c := s[l.off]; c {
		case ' ', '\t', '\r', '\f', '\v':
			l.off++
		case '%':
			if l.off+1 >= len(s) || s[l.off+1] != '%' {
				return
			}
			if l.off+2 < len(s) && s[l.off+2] == '{' {
				if end := l.directiveEnd(l.off + 3); end >= 0 {
					l.advance(end + 3)
					continue
				}
			}
			for l.off < len(s) && s[l.off] != '\n' {
				l.off++
			}
		default:
			return
		}
	}
}

func (l *lexer) scan() token {
	l.skipBlank()
	s := l.src
	t := token{line: l.line, col: l.col()}
	if l.off >= len(s) {
		t.kind = tEOF
		return t
	}
	start := l.off
	c := s[start]
	switch {
	case c == '\n':
		l.advance(start + 1)
		t.kind, t.text = tNewline, "\n"
		return t
	case c == ';':
		l.off++
		t.kind, t.text = tSemi, ";"
		return t
	case c == '&':
		l.off++
		t.kind, t.text = tAmp, "&"
		return t
	case c == ':':
		if bytes.HasPrefix(s[start:], []byte(":::")) {
			l.off += 3
			t.kind, t.text = tStyleSep, ":::"
			return t
		}
	case c == '|':
		return l.scanPipe(t)
	case c == '"':
		end := l.closingQuote(start + 1)
		if end < 0 {
			return l.illegalAt(start, `"`, "unterminated string")
		}
		t.kind, t.text = tString, string(s[start+1:end])
		l.advance(end + 1)
		return t
	case c == '@':
		if start+1 < len(s) && s[start+1] == '{' && l.nodeEnd() && l.lastEnd == start {
			return l.scanShapeData(t)
		}
	case c == '[' || c == '(' || c == '{':
		return l.scanShape(t)
	case c == '>':
		if l.last == tID && l.lastEnd == start {
			return l.scanShape(t)
		}
	case c == '<':
		if n, fam, head, open := arrowAt(s, start+1); n > 0 {
			return l.scanLink(t, start, start+1, n, fam, '<', head, open)
		}
	case (c == 'x' || c == 'o') && l.nodeEnd() && start > 0 && (s[start-1] == ' ' || s[start-1] == '\t'):
		if n, fam, head, open := arrowAt(s, start+1); n > 0 {
			return l.scanLink(t, start, start+1, n, fam, c, head, open)
		}
	}
	if n, fam, head, open := arrowAt(s, start); n > 0 {
		return l.scanLink(t, start, start, n, fam, 0, head, open)
	}
	if n := idLen(s, start); n > 0 {
		return l.scanWord(t, start, n)
	}
	r, w := utf8.DecodeRune(s[start:])
	if r == utf8.RuneError && w <= 1 {
		return l.illegalAt(start, string(s[start:start+1]), "invalid UTF-8")
	}
	return l.illegalAt(start, string(s[start:start+w]), "")
}

// nodeEnd reports whether the previous token can end a node reference.
func (l *lexer) nodeEnd() bool {
	return l.last == tID || l.last == tShape || l.last == tShapeData
}

// keywords that start statements; the value is the raw mode of the rest.
var keywords = map[string]rawMode{
	"end": rawNone, "subgraph": rawHeader, "direction": rawLine,
	"classDef": rawLine, "class": rawLine, "style": rawLine, "linkStyle": rawLine, "click": rawClick,
	"flowchart": rawLine, "graph": rawLine, "flowchart-elk": rawLine,
	"accTitle": rawToEOL, "accDescr": rawToEOL,
}

func (l *lexer) scanWord(t token, start, n int) token {
	s := l.src
	end := start + n
	word := string(s[start:end])
	if end < len(s) && s[end] == '@' && (end+1 >= len(s) || (s[end+1] != '{' && s[end+1] != '"')) {
		l.off = end + 1
		t.kind, t.text = tLinkID, word
		return t
	}
	if m, ok := keywords[word]; ok && l.stmtStart {
		next := byte('\n')
		if end < len(s) {
			next = s[end]
		}
		spaceNext := next == ' ' || next == '\t' || next == '\n' || next == '\r' || next == ';'
		switch word {
		case "classDef", "class", "style", "linkStyle", "click", "direction":
			if next != ' ' && next != '\t' {
				m = 255
			}
		case "end", "subgraph":
			if !spaceNext && next != '%' {
				m = 255
			}
		case "accTitle", "accDescr":
			j := end
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			switch {
			case j < len(s) && s[j] == ':':
				end = j + 1
			case word == "accDescr" && j < len(s) && s[j] == '{':
				end, m = j+1, rawBlock
			default:
				m = 255
			}
		}
		if m != 255 {
			l.off = end
			l.raw = m
			t.kind, t.text = tKeyword, word
			return t
		}
	}
	l.off = end
	t.kind, t.text = tID, word
	return t
}

// idLen returns the length of the node id at i, 0 if none starts there.
// Ids follow Mermaid's NODE_STRING: letters, digits and !#$'*+.?\/_ plus
// "-" not followed by "-", ">" or "." and "=" not followed by "=".
func idLen(s []byte, i int) int {
	j := i
	for j < len(s) {
		c := s[j]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			j++
		case c == '_' || c == '!' || c == '#' || c == '$' || c == '\'' || c == '*' || c == '+' || c == '.' || c == '?' || c == '\\' || c == '/':
			j++
		case c == '-':
			if j+1 >= len(s) || s[j+1] == '-' || s[j+1] == '>' || s[j+1] == '.' {
				return j - i
			}
			j++
		case c == '=':
			if j+1 >= len(s) || s[j+1] == '=' {
				return j - i
			}
			j++
		case c >= utf8.RuneSelf:
			r, w := utf8.DecodeRune(s[j:])
			if (r == utf8.RuneError && w <= 1) || unicode.IsSpace(r) || !unicode.IsPrint(r) {
				return j - i
			}
			j += w
		default:
			return j - i
		}
	}
	return j - i
}

func isHead(c byte) bool { return c == '>' || c == 'x' || c == 'o' }

func run(s []byte, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// arrowAt matches an arrow body at i, after any start head. It returns its
// length (0 if none), family ('-', '.', '=', '~'), end head and whether it
// is only the opening "--", "==" or "-." of a "-- text -->" link.
func arrowAt(s []byte, i int) (n int, fam, head byte, open bool) {
	if i >= len(s) {
		return 0, 0, 0, false
	}
	switch s[i] {
	case '-', '=':
		c := s[i]
		d := run(s, i, c)
		if d >= 2 {
			if j := i + d; j < len(s) && isHead(s[j]) {
				return d + 1, c, s[j], false
			}
			if d >= 3 {
				return d, c, 0, false
			}
			return 2, c, 0, true
		}
		if c == '=' {
			return 0, 0, 0, false
		}
		if n, head := dottedAt(s, i+1); n > 0 {
			return n + 1, '.', head, false
		}
		if i+1 < len(s) && s[i+1] == '.' {
			return 2, '.', 0, true
		}
	case '.':
		if n, head := dottedAt(s, i); n > 0 {
			return n, '.', head, false
		}
	case '~':
		if d := run(s, i, '~'); d >= 3 {
			return d, '~', 0, false
		}
	}
	return 0, 0, 0, false
}

// dottedAt matches `\.+-[xo>]?` at i.
func dottedAt(s []byte, i int) (int, byte) {
	k := run(s, i, '.')
	if k == 0 || i+k >= len(s) || s[i+k] != '-' {
		return 0, 0
	}
	j := i + k + 1
	if j < len(s) && isHead(s[j]) {
		return j + 1 - i, s[j]
	}
	return j - i, 0
}

// closeAt matches the closing arrow of a labelled link of family fam at i.
func closeAt(s []byte, i int, fam byte) (int, byte) {
	switch fam {
	case '-', '=':
		d := run(s, i, fam)
		if d < 2 {
			return 0, 0
		}
		if j := i + d; j < len(s) && isHead(s[j]) {
			return d + 1, s[j]
		}
		if d >= 3 {
			return d, 0
		}
	case '.':
		return dottedAt(s, i)
	}
	return 0, 0
}

// scanLink finishes an arrow that starts at start (with its start head,
// if any) and whose body is n bytes at body. For the opening half of a
// labelled link it reads the label and the closing arrow.
func (l *lexer) scanLink(t token, start, body, n int, fam, startHead, endHead byte, open bool) token {
	s := l.src
	t.kind, t.family, t.startHead, t.endHead = tLink, fam, startHead, endHead
	end := body + n
	if !open {
		t.text = string(s[start:end])
		l.off = end
		return t
	}
	from := end
	for from < len(s) && (s[from] == ' ' || s[from] == '\t') {
		from++
	}
	if from < len(s) && s[from] == '"' {
		// A quoted label may hold arrows and line breaks: search after
		// the closing quote.
		if q := l.closingQuote(from + 1); q >= 0 {
			from = q + 1
		}
	}
	for j := from; j < len(s) && s[j] != '\n'; j++ {
		if m, head := closeAt(s, j, fam); m > 0 {
			t.label, t.quote = unquote(trimSpace(string(s[end:j])))
			t.hasLabel = true
			t.endHead = head
			t.text = string(s[start:end]) + " " + string(s[j:j+m])
			l.advance(j + m)
			return t
		}
	}
	want := map[byte]string{'-': "-->", '=': "==>", '.': ".->"}[fam]
	return l.illegalAt(start, string(s[start:end]), "unterminated edge label, expected closing arrow such as "+strconv.Quote(want))
}

func (l *lexer) scanPipe(t token) token {
	s := l.src
	start := l.off
	inStr := false
	for j := start + 1; j < len(s); j++ {
		switch s[j] {
		case '"':
			if !inStr && l.closingQuote(j+1) < 0 {
				j = len(s) // an unterminated string: no closing "|" either
				continue
			}
			inStr = !inStr
		case '|':
			if inStr {
				continue
			}
			t.kind = tPipe
			t.text, t.quote = unquote(trimSpace(string(s[start+1 : j])))
			l.advance(j + 1)
			return t
		case '\n':
			if !inStr {
				j = len(s)
			}
		}
	}
	return l.illegalAt(start, "|", `unterminated edge label, expected closing "|"`)
}

func (l *lexer) scanShapeData(t token) token {
	s := l.src
	start := l.off
	inStr := false
	for j := start + 2; j < len(s); j++ {
		switch s[j] {
		case '"':
			inStr = !inStr
		case '}':
			if !inStr {
				t.kind, t.text = tShapeData, string(s[start+2:j])
				l.advance(j + 1)
				return t
			}
		}
	}
	return l.illegalAt(start, "@{", `unterminated shape data, expected "}"`)
}

// shapeForms lists the bracket forms, longest opener first within each
// leading character.
var shapeForms = []struct{ open, close, shape string }{
	{"(((", ")))", "double-circle"},
	{"((", "))", "circle"},
	{"([", "])", "stadium"},
	{"(-", "-)", "ellipse"},
	{"(", ")", "rounded"},
	{"[[", "]]", "subroutine"},
	{"[(", ")]", "cylinder"},
	{"[/", "/]", "lean-right"},
	{`[\`, `\]`, "lean-left"},
	{"[", "]", "rect"},
	{"{{", "}}", "hexagon"},
	{"{", "}", "diamond"},
	{">", "]", "asymmetric"},
}

// shapeCloser matches the closing bracket of a node shape opened as f.
type shapeCloser struct {
	f struct{ open, close, shape string }
	// trap is set for "[/" and "[\": their closer decides the shape.
	trap bool
}

// at matches a closing bracket at s[j:]; it returns its length and the
// shape it implies.
func (c shapeCloser) at(s []byte, j int) (int, string) {
	rest := s[j:]
	if c.trap {
		switch {
		case bytes.HasPrefix(rest, []byte("/]")):
			if c.f.open == "[/" {
				return 2, "lean-right"
			}
			return 2, "trapezoid-alt"
		case bytes.HasPrefix(rest, []byte(`\]`)):
			if c.f.open == `[\` {
				return 2, "lean-left"
			}
			return 2, "trapezoid"
		}
		return 0, ""
	}
	if bytes.HasPrefix(rest, []byte(c.f.close)) {
		return len(c.f.close), c.f.shape
	}
	return 0, ""
}

func (l *lexer) scanShape(t token) token {
	s := l.src
	start := l.off
	f := shapeForms[len(shapeForms)-1]
	for _, g := range shapeForms {
		if bytes.HasPrefix(s[start:], []byte(g.open)) {
			f = g
			break
		}
	}
	t.kind, t.open, t.shape = tShape, f.open, f.shape
	c := shapeCloser{f: f, trap: f.open == "[/" || f.open == `[\`}
	p := start + len(f.open)
	q := p
	for q < len(s) && (s[q] == ' ' || s[q] == '\t') {
		q++
	}
	if q < len(s) && s[q] == '"' {
		return l.scanQuotedShape(t, c, q)
	}
	for j := p; j < len(s); j++ {
		if n, shape := c.at(s, j); n > 0 {
			t.text, t.shape = string(s[p:j]), shape
			l.advance(j + n)
			return t
		}
		switch s[j] {
		case ']':
			if c.trap {
				// "[/path]" is not a trapezoid: read it as a rectangle.
				t.text, t.shape = string(s[p-1:j]), "rect"
				l.advance(j + 1)
				return t
			}
			return l.unexpectedIn(j, f.close)
		case '[', '(', ')', '{', '}', '"':
			return l.unexpectedIn(j, f.close)
		}
	}
	return l.illegalAt(start, f.open, "unterminated node text, expected "+strconv.Quote(f.close))
}

// scanQuotedShape reads quoted node text starting at the quote at q:
// anything up to the closing quote, then the closing bracket.
func (l *lexer) scanQuotedShape(t token, c shapeCloser, q int) token {
	s := l.src
	var endq int
	if q+1 < len(s) && s[q+1] == '`' {
		i := bytes.Index(s[q+2:], []byte("`\""))
		if i < 0 {
			return l.illegalAt(q, "\"`", "unterminated markdown string, expected \"`\\\"\"")
		}
		t.text, t.quote = string(s[q+2:q+2+i]), qMarkdown
		endq = q + 2 + i + 2
	} else {
		i := l.closingQuote(q + 1)
		if i < 0 {
			return l.illegalAt(q, `"`, "unterminated string")
		}
		t.text, t.quote = string(s[q+1:i]), qString
		endq = i + 1
	}
	j := endq
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	if n, shape := c.at(s, j); n > 0 {
		t.shape = shape
		l.advance(j + n)
		return t
	}
	if c.trap && j < len(s) && s[j] == ']' {
		t.shape = "rect"
		l.advance(j + 1)
		return t
	}
	return l.unexpectedIn(j, c.f.close)
}

func (l *lexer) unexpectedIn(j int, want string) token {
	if j >= len(l.src) {
		return l.illegalAt(j, "", "unexpected end of input in node text, expected "+strconv.Quote(want))
	}
	_, w := utf8.DecodeRune(l.src[j:])
	ch := string(l.src[j : j+w])
	return l.illegalAt(j, ch, "unexpected "+strconv.Quote(ch)+" in node text, expected "+strconv.Quote(want))
}

func (l *lexer) scanRaw(m rawMode) token {
	s := l.src
	for l.off < len(s) && (s[l.off] == ' ' || s[l.off] == '\t' || s[l.off] == '\r') {
		l.off++
	}
	t := token{kind: tRaw, line: l.line, col: l.col()}
	start := l.off
	j := start
	depth, inStr := 0, false
loop:
	for ; j < len(s); j++ {
		c := s[j]
		switch m {
		case rawBlock:
			if c == '}' {
				t.text = trimSpace(string(s[start:j]))
				l.advance(j + 1)
				return t
			}
			continue
		case rawToEOL:
			if c == '\n' {
				break loop
			}
			continue
		}
		switch c {
		case '\n':
			// A quoted string may span lines in subgraph titles and click
			// tooltips, as in Mermaid; an unterminated one ends at the
			// line break, and so does any string of other statements.
			if !inStr || (m != rawHeader && m != rawClick) || l.closingQuote(j) < 0 {
				break loop
			}
		case '%':
			if j+1 < len(s) && s[j+1] == '%' && !inStr && depth == 0 {
				break loop
			}
		case ';':
			if m == rawLine || m == rawClick || (!inStr && depth == 0) {
				break loop
			}
		case '"':
			inStr = !inStr
		case '[':
			if !inStr {
				depth++
			}
		case ']':
			if !inStr && depth > 0 {
				depth--
			}
		}
	}
	if m == rawBlock {
		return l.illegalAt(start, "{", `unterminated accDescr block, expected "}"`)
	}
	t.text = trimSpace(string(s[start:j]))
	l.advance(j)
	return t
}

func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t' || s[j-1] == '\r' || s[j-1] == '\n') {
		j--
	}
	return s[i:j]
}

// unquote strips the quotes of a "string" or "`markdown`" label.
func unquote(s string) (string, quoteKind) {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		in := s[1 : len(s)-1]
		if len(in) >= 2 && in[0] == '`' && in[len(in)-1] == '`' {
			return in[1 : len(in)-1], qMarkdown
		}
		return in, qString
	}
	return s, qNone
}
