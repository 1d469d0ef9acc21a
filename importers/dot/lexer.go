package dot

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tID             // identifier, numeral, "quoted" or <HTML> string
	tEdgeOp         // -> or --
	tLBrace         // {
	tRBrace         // }
	tLBrack         // [
	tRBrack         // ]
	tSemi           // ;
	tComma          // ,
	tEqual          // =
	tColon          // :
)

var kindNames = [...]string{
	tEOF: "end of input", tID: "identifier", tEdgeOp: "edge operator", tLBrace: `"{"`,
	tRBrace: `"}"`, tLBrack: `"["`, tRBrack: `"]"`, tSemi: `";"`, tComma: `","`,
	tEqual: `"="`, tColon: `":"`,
}

func (k tokKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "token(" + strconv.Itoa(int(k)) + ")"
}

// idForm says how an identifier was written.
type idForm uint8

const (
	idPlain   idForm = iota // a name: letters, digits, underscore, bytes >= 0x80
	idNumeral               // -1.5, .5, 42
	idQuoted                // "text", possibly concatenated with +
	idHTML                  // <text>
)

// token is one lexical token. Line and col are 1-based; col counts bytes,
// as go/scanner does.
type token struct {
	kind      tokKind
	line, col int
	// text is the value of a tID (quotes, escaped quotes, line
	// continuations and the outer <> removed) or the source of any other
	// token.
	text string
	form idForm
}

// keyword reports whether t is the unquoted keyword kw (DOT keywords are
// case-insensitive).
func (t token) keyword(kw string) bool {
	return t.kind == tID && t.form == idPlain && strings.EqualFold(t.text, kw)
}

// describe renders t for "unexpected X" messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tID:
		s := t.text
		if len(s) > 40 {
			cut := 40
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
			s = s[:cut] + "…"
		}
		switch t.form {
		case idQuoted:
			return "string " + strconv.Quote(s)
		case idHTML:
			return "HTML string " + strconv.Quote("<"+s+">")
		}
		return strconv.Quote(s)
	}
	return strconv.Quote(t.text)
}

// lexError is a lexical error at a position.
type lexError struct {
	line, col int
	msg       string
}

// lexer turns DOT source into tokens, one per call to next, in one pass.
type lexer struct {
	src       []byte
	off       int
	line      int
	lineStart int // offset of the first byte of the current line
	err       *lexError
	// warn receives lexical warnings (badly delimited numbers).
	warn func(line, col int, msg string)
}

func (l *lexer) init(src []byte, off int) {
	*l = lexer{src: src, off: off, line: 1, lineStart: off, warn: l.warn}
}

func (l *lexer) col() int { return l.off - l.lineStart + 1 }

// newline records a line break at offset i (the '\n').
func (l *lexer) newline(i int) {
	l.line++
	l.lineStart = i + 1
}

func (l *lexer) fail(line, col int, msg string) token {
	if l.err == nil {
		l.err = &lexError{line: line, col: col, msg: msg}
	}
	l.off = len(l.src)
	return token{kind: tEOF, line: line, col: col}
}

// skipSpace skips white space and comments: // and /* */ comments, and
// '#' to the end of the line, wherever it starts outside a quoted string:
// Graphviz's scanner reads a '#' line as C preprocessor output and any
// other '#' as a shell-style comment, so indented "# ..." lines, common in
// hand-written files, are comments too.
func (l *lexer) skipSpace() {
	s := l.src
	for l.off < len(s) {
		switch c := s[l.off]; {
		case c == '\n':
			l.newline(l.off)
			l.off++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			l.off++
		case c == '#':
			l.skipLine()
		case c == '/' && l.off+1 < len(s) && s[l.off+1] == '/':
			l.skipLine()
		case c == '/' && l.off+1 < len(s) && s[l.off+1] == '*':
			if !l.skipComment() {
				return
			}
		default:
			return
		}
	}
}

func (l *lexer) skipLine() {
	if i := bytes.IndexByte(l.src[l.off:], '\n'); i >= 0 {
		l.off += i
		return
	}
	l.off = len(l.src)
}

// skipComment skips a /* */ comment; it reports false (and records an
// error) when the comment is not closed.
func (l *lexer) skipComment() bool {
	line, col := l.line, l.col()
	end := bytes.Index(l.src[l.off+2:], []byte("*/"))
	if end < 0 {
		l.fail(line, col, `unterminated comment, expected "*/"`)
		return false
	}
	stop := l.off + 2 + end + 2
	for i := l.off; i < stop; i++ {
		if l.src[i] == '\n' {
			l.newline(i)
		}
	}
	l.off = stop
	return true
}

// next returns the next token; after an error it returns tEOF and l.err
// is set.
func (l *lexer) next() token {
	l.skipSpace()
	if l.err != nil {
		return token{kind: tEOF, line: l.err.line, col: l.err.col}
	}
	t := token{line: l.line, col: l.col()}
	s := l.src
	if l.off >= len(s) {
		t.kind = tEOF
		return t
	}
	c := s[l.off]
	if k, ok := punct[c]; ok {
		l.off++
		t.kind, t.text = k, string(c)
		return t
	}
	switch {
	case c == '-' && l.off+1 < len(s) && (s[l.off+1] == '>' || s[l.off+1] == '-'):
		t.kind, t.text = tEdgeOp, string(s[l.off:l.off+2])
		l.off += 2
		return t
	case c == '"':
		return l.quoted(t)
	case c == '<':
		return l.html(t)
	case c == '-' || c == '.' || (c >= '0' && c <= '9'):
		return l.numeral(t)
	case isNameStart(c):
		start := l.off
		for l.off < len(s) && isNameByte(s[l.off]) {
			l.off++
		}
		t.kind, t.text = tID, string(s[start:l.off])
		return t
	}
	r, _ := utf8.DecodeRune(s[l.off:])
	return l.fail(t.line, t.col, "syntax error: unexpected character "+strconv.QuoteRune(r))
}

var punct = map[byte]tokKind{
	'{': tLBrace, '}': tRBrace, '[': tLBrack, ']': tRBrack,
	';': tSemi, ',': tComma, '=': tEqual, ':': tColon,
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isNameByte(c byte) bool { return isNameStart(c) || (c >= '0' && c <= '9') }

// numeral reads [-]?(.[0-9]+ | [0-9]+(.[0-9]*)?). A numeral directly
// followed by a name byte is split there, with Graphviz's warning.
func (l *lexer) numeral(t token) token {
	s := l.src
	start := l.off
	if s[l.off] == '-' {
		l.off++
	}
	digits, dot := 0, false
	for l.off < len(s) {
		c := s[l.off]
		if c >= '0' && c <= '9' {
			digits++
		} else if c == '.' && !dot {
			dot = true
		} else {
			break
		}
		l.off++
	}
	if digits == 0 {
		return l.fail(t.line, t.col, "syntax error: unexpected "+strconv.Quote(string(s[start:l.off])))
	}
	t.kind, t.text, t.form = tID, string(s[start:l.off]), idNumeral
	if l.off < len(s) && (isNameStart(s[l.off]) || s[l.off] == '.') && l.warn != nil {
		l.warn(t.line, t.col, "badly delimited number "+strconv.Quote(t.text+string(s[l.off]))+": read as two identifiers, "+strconv.Quote(t.text)+" first")
	}
	return t
}

// quoted reads a "string": \" is a quote, a backslash before a line break
// joins the lines, other escapes are kept for the label pass. Strings
// joined with + are one identifier.
func (l *lexer) quoted(t token) token {
	var b strings.Builder
	for {
		if !l.quotedPart(&b, t) {
			return token{kind: tEOF, line: t.line, col: t.col}
		}
		save, saveLine, saveStart := l.off, l.line, l.lineStart
		l.skipSpace()
		if l.err == nil && l.off < len(l.src) && l.src[l.off] == '+' {
			l.off++
			l.skipSpace()
			if l.err == nil && l.off < len(l.src) && l.src[l.off] == '"' {
				continue
			}
			if l.err != nil {
				return token{kind: tEOF, line: t.line, col: t.col}
			}
			return l.fail(l.line, l.col(), `syntax error: expected a quoted string after "+"`)
		}
		if l.err != nil {
			return token{kind: tEOF, line: t.line, col: t.col}
		}
		l.off, l.line, l.lineStart = save, saveLine, saveStart
		t.kind, t.text, t.form = tID, b.String(), idQuoted
		return t
	}
}

// quotedPart reads one "..." at l.off into b.
func (l *lexer) quotedPart(b *strings.Builder, t token) bool {
	s := l.src
	line, col := l.line, l.col()
	i := l.off + 1
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			l.off = i + 1
			return true
		case c == '\\' && i+1 < len(s) && s[i+1] == '"':
			b.WriteByte('"')
			i += 2
			continue
		case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
			l.newline(i + 1)
			i += 2
			continue
		case c == '\\' && i+2 < len(s) && s[i+1] == '\r' && s[i+2] == '\n':
			l.newline(i + 2)
			i += 3
			continue
		case c == '\n':
			l.newline(i)
		}
		b.WriteByte(c)
		i++
	}
	l.fail(line, col, "syntax error: unterminated string")
	return false
}

// html reads a <...> string with balanced angle brackets.
func (l *lexer) html(t token) token {
	s := l.src
	depth := 0
	start := l.off
	for i := l.off; i < len(s); i++ {
		switch s[i] {
		case '<':
			depth++
		case '>':
			depth--
			if depth == 0 {
				l.off = i + 1
				t.kind, t.text, t.form = tID, string(s[start+1:i]), idHTML
				return t
			}
		case '\n':
			l.newline(i)
		}
	}
	return l.fail(t.line, t.col, "syntax error: unterminated HTML string")
}
