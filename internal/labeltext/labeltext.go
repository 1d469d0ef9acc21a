// Package labeltext turns the label markup found in diagrams (HTML from
// draw.io, DOT HTML-like labels, HTML inside Mermaid labels) into the plain
// text the graph model stores: tags removed, entities decoded, line-break
// elements turned into "\n", whitespace tidied, invalid UTF-8 and control
// characters replaced.
package labeltext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// FromHTML converts an HTML fragment to plain text. Text inside <script> and
// <style> elements is dropped, as a browser would not show it as text.
func FromHTML(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return Clean(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return Clean(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case atom.Br, atom.Hr:
				b.WriteByte('\n')
			case atom.Div, atom.P, atom.Li, atom.Tr, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Ul, atom.Ol, atom.Table:
				if tt != html.SelfClosingTagToken && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
					b.WriteByte('\n')
				}
			case atom.Td, atom.Th:
				if tt == html.EndTagToken {
					b.WriteByte(' ')
				}
			}
		}
	}
}

// Clean tidies plain text: invalid UTF-8 and control characters other than
// newline and tab become U+FFFD or spaces, "\r\n" becomes "\n", runs of
// spaces inside a line collapse to one, lines are trimmed and empty leading,
// trailing and repeated blank lines are dropped.
func Clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = collapse(line)
		if line == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, line)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

func collapse(line string) string {
	var b strings.Builder
	space := false
	for _, r := range line {
		if r == '\u00a0' || unicode.IsSpace(r) || (unicode.IsControl(r)) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Truncate shortens s to at most max bytes on a rune boundary, appending
// "…" when it cut anything. It reports whether it cut.
func Truncate(s string, max int) (string, bool) {
	if max <= 0 || len(s) <= max {
		return s, false
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…", true
}

// OneLine joins the lines of a label with spaces, for places that need a
// single line (file names, table cells, log messages).
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
