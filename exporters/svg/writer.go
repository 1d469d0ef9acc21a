package svg

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xw writes SVG markup. Every piece of text and every attribute value goes
// through escape; element and attribute names are constants of this
// package.
type xw struct {
	w   *bufio.Writer
	err error
}

func (x *xw) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

// open writes <name a1="v1" ...> (or a self-closing tag when empty).
func (x *xw) open(name string, empty bool, attrs ...string) {
	x.raw("<" + name)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" && attrs[i] != "fill" {
			continue
		}
		x.raw(" " + attrs[i] + `="` + escape(attrs[i+1]) + `"`)
	}
	if empty {
		x.raw("/>\n")
	} else {
		x.raw(">")
	}
}

func (x *xw) el(name string, attrs ...string) { x.open(name, true, attrs...) }

func (x *xw) close(name string) { x.raw("</" + name + ">\n") }

// title writes a <title> tooltip.
func (x *xw) title(s string) {
	if s == "" {
		return
	}
	x.raw("<title>" + escapeText(s) + "</title>")
}

// text writes a <text> element with one line, or tspans for several.
func (x *xw) text(lines []string, px, py, size float64, attrs ...string) {
	a := append([]string{"x", num(px), "y", num(py), "font-size", num(size)}, attrs...)
	x.open("text", false, a...)
	if len(lines) == 1 {
		x.raw(escapeText(lines[0]))
	} else {
		for i, l := range lines {
			dy := "0"
			if i > 0 {
				dy = num(size * lineHeight)
			}
			x.raw(`<tspan x="` + num(px) + `" dy="` + dy + `">` + escapeText(l) + "</tspan>")
		}
	}
	x.close("text")
}

// escapeText is escape for character data that may come from the input.
// It also writes ':', '(', '@' and '=' as character references, so that the
// document's bytes never spell "javascript:", "url(", "@import" or "on...="
// even inside inert text, for scanners that look at raw markup; the text
// itself is unchanged.
func escapeText(s string) string {
	s = escape(s)
	if !strings.ContainsAny(s, ":(@=") {
		return s
	}
	return textReplacer.Replace(s)
}

var textReplacer = strings.NewReplacer(":", "&#58;", "(", "&#40;", "@", "&#64;", "=", "&#61;")

// escape makes s safe as XML character data and as a quoted attribute
// value: markup characters become entities and characters XML forbids
// (controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD. Newlines are
// kept (titles use them).
func escape(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\n':
			b.WriteString("&#10;")
		case r == '\t':
			b.WriteByte(' ')
		case r == utf8.RuneError && n == 1, !xmlChar(r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x80 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' {
			return true
		}
	}
	return false
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// num formats a coordinate with at most two decimals.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	v = math.Round(v*100) / 100
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// newXW returns a buffered markup writer on w.
func newXW(w io.Writer) *xw { return &xw{w: bufio.NewWriterSize(w, 64<<10)} }

func (x *xw) flush() error {
	if x.err != nil {
		return x.err
	}
	return x.w.Flush()
}
