package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/threatmap/threatmap/internal/testsupport"
)

// FuzzEscape checks the escaping invariants on any label: a table cell
// never holds a raw '<', '>', unescaped '|' or line break, and a Mermaid
// label never holds a raw quote or tag and survives the fence.
func FuzzEscape(f *testing.F) {
	for _, s := range hostileLabels {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		c := strings.ReplaceAll(cell(s), "<br>", "")
		if strings.ContainsAny(c, "<>\n\r") {
			t.Fatalf("cell(%q) = %q", s, c)
		}
		for i := 0; i < len(c); i++ {
			if c[i] == '\\' {
				i++
				continue
			}
			if c[i] == '|' {
				t.Fatalf("cell(%q) = %q has a raw pipe", s, c)
			}
		}
		l := label(s, "id")
		inner := strings.ReplaceAll(l[1:len(l)-1], "<br>", "")
		if strings.ContainsAny(inner, "\"<>`\n") || strings.Contains(inner, "```") || strings.TrimSpace(inner) == "" {
			t.Fatalf("label(%q) = %q", s, l)
		}
		r := testsupport.ExampleReport(t, "telehealth.dot")
		r.Components[0].Label = s
		checkMermaid(t, MermaidBlock(r))
	})
}
