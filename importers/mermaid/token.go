package mermaid

import (
	"strconv"
	"strings"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF       tokKind = iota
	tNewline           // one or more line breaks
	tSemi              // ;
	tID                // node id (Mermaid's NODE_STRING)
	tKeyword           // statement keyword at the start of a statement
	tRaw               // the rest of a keyword statement, unparsed
	tShape             // a node shape with its text: [text], ((text)), ...
	tShapeData         // the body of an @{ ... } block
	tStyleSep          // :::
	tAmp               // &
	tLinkID            // an edge id followed by @, as in e1@-->
	tLink              // an arrow, with its label for the "-- text -->" form
	tPipe              // |text|, an edge label
	tString            // "text" where no string is expected
	tIllegal           // anything else; msg says what went wrong
)

var kindNames = [...]string{
	tEOF: "end of input", tNewline: "newline", tSemi: `";"`, tID: "node id",
	tKeyword: "keyword", tRaw: "text", tShape: "node shape", tShapeData: "@{...}",
	tStyleSep: `":::"`, tAmp: `"&"`, tLinkID: "edge id", tLink: "link",
	tPipe: "|label|", tString: "string", tIllegal: "illegal character",
}

func (k tokKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "token(" + strconv.Itoa(int(k)) + ")"
}

// quoteKind says how label text was written.
type quoteKind uint8

const (
	qNone     quoteKind = iota // bare text
	qString                    // "text"
	qMarkdown                  // "`text`"
)

// token is one lexical token. Line and col are 1-based; col counts bytes.
type token struct {
	kind      tokKind
	line, col int
	// text is the token's source text (tID, tKeyword, tLinkID without "@",
	// tLink arrow, tIllegal character) or its content (tRaw, tShapeData,
	// tPipe, tString, tShape label).
	text  string
	quote quoteKind // tShape, tPipe, tLink label
	// shape is the Mermaid shape name of a tShape token; open is its
	// opening bracket as written.
	shape, open string
	// Link details (tLink).
	family    byte // '-' solid, '.' dotted, '=' thick, '~' invisible
	startHead byte // 0, '<', 'x' or 'o'
	endHead   byte // 0, '>', 'x' or 'o'
	label     string
	hasLabel  bool
	// msg explains a tIllegal token.
	msg string
}

// describe renders a token for "unexpected X" messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF, tNewline:
		return t.kind.String()
	case tShape:
		return strconv.Quote(t.open)
	case tShapeData:
		return `"@{"`
	case tPipe:
		return `"|"`
	case tString:
		return "string " + strconv.Quote(shorten(t.text))
	case tRaw:
		return strconv.Quote(shorten(t.text))
	case tLinkID:
		return strconv.Quote(t.text + "@")
	}
	return strconv.Quote(shorten(t.text))
}

func shorten(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + "…"
	}
	if len(s) > 40 {
		cut := 40
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
