package xlsx

import (
	"testing"
	"unicode/utf8"
)

// FuzzCellText checks that any text becomes valid cell content: valid
// UTF-8, only characters XML carries, within Excel's cell limit, in normal
// and in streamed sheets.
func FuzzCellText(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Add("a\x00b\r\n\xff_x0041_")
	f.Fuzz(func(t *testing.T, s string) {
		for name, clean := range map[string]func(string) string{"cellText": cellText, "streamText": streamText} {
			got := clean(s)
			if !utf8.ValidString(got) {
				t.Fatalf("%s(%q) is not UTF-8", name, s)
			}
			for _, r := range got {
				if !xmlChar(r) || r == '\r' {
					t.Fatalf("%s(%q) keeps %U", name, s, r)
				}
			}
			if n := utf16Len(got); n > MaxCellChars {
				t.Fatalf("%s: %d units", name, n)
			}
		}
	})
}
