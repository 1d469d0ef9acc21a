package xlsx

import (
	"testing"
	"unicode/utf8"
)

// FuzzCellText checks that any text becomes valid cell content: valid
// UTF-8, only characters XML carries, within Excel's cell limit.
func FuzzCellText(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Add("a\x00b\r\n\xff_x0041_")
	f.Fuzz(func(t *testing.T, s string) {
		got := cellText(s)
		if !utf8.ValidString(got) {
			t.Fatalf("cellText(%q) is not UTF-8", s)
		}
		for _, r := range got {
			if !xmlChar(r) || r == '\r' {
				t.Fatalf("cellText(%q) keeps %U", s, r)
			}
		}
		if n := utf16Len(got); n > MaxCellChars {
			t.Fatalf("cellText: %d units", n)
		}
	})
}
