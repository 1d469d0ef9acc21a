package dot

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/threatmap/threatmap/graph"
)

// decoder turns the raw bytes of a graph's strings into UTF-8, following
// the graph's charset attribute as Graphviz does (UTF-8 by default,
// Latin-1 and Big5 on request). Invalid UTF-8 is replaced by U+FFFD and
// counted, so that build can say so once.
type decoder struct {
	enc      encoding.Encoding // nil for UTF-8
	replaced int               // strings with invalid UTF-8 replaced
	first    graph.Position    // where the first one is in the file
	failed   int               // strings the charset could not decode
}

// newDecoder returns the decoder for a charset value; ok is false for a
// charset Graphviz does not know (the graph is then read as UTF-8).
func newDecoder(charset string) (d *decoder, ok bool) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "", "utf-8", "utf8":
		return &decoder{}, true
	case "latin1", "latin-1", "l1", "iso-8859-1", "iso_8859-1", "iso8859-1", "iso-ir-100", "cp819", "ibm819", "csisolatin1":
		return &decoder{enc: charmap.ISO8859_1}, true
	case "big-5", "big5", "big5-hkscs", "cn-big5", "csbig5":
		return &decoder{enc: traditionalchinese.Big5}, true
	}
	return &decoder{}, false
}

// text decodes s, found at pos.
func (d *decoder) text(s string, pos graph.Position) string {
	if d.enc != nil {
		if isASCII(s) {
			return s
		}
		out, err := d.enc.NewDecoder().String(s)
		if err == nil {
			return out
		}
		d.failed++
	}
	if utf8.ValidString(s) {
		return s
	}
	// The earliest position, whatever the order strings are decoded in.
	if d.replaced == 0 || pos.Line < d.first.Line || (pos.Line == d.first.Line && pos.Column < d.first.Column) {
		d.first = pos
	}
	d.replaced++
	return strings.ToValidUTF8(s, "\uFFFD")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// warn records, once, that bytes had to be replaced.
func (d *decoder) warn(diag *graph.Diagram) {
	if d.replaced == 0 {
		return
	}
	what := "a string"
	if d.replaced > 1 {
		what = strconv.Itoa(d.replaced) + " strings"
	}
	hint := "; if the file is Latin-1, say so with charset=latin1"
	if d.enc != nil {
		hint = ""
	}
	diag.Warn(d.first, "invalid UTF-8 in %s (the first here) replaced by U+FFFD%s", what, hint)
}
