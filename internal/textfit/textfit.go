// Package textfit measures and wraps text for drawings without access to the
// font that will render it. Widths come from an approximate character-width
// table for a generic sans-serif face (Helvetica/Arial metrics with a safety
// margin for wider fallbacks such as DejaVu Sans), so text laid out with it
// stays inside its box in any common browser.
package textfit

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// widths holds advance widths of ASCII 32..126 in thousandths of an em
// (Helvetica AFM values).
var widths = [95]uint16{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space .. /
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
	278, 278, 584, 584, 584, 556, 1015, // : ; < = > ? @
	667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A-M
	722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N-Z
	278, 278, 278, 469, 556, 333, // [ \ ] ^ _ `
	556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a-m
	556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n-z
	334, 260, 334, 584, // { | } ~
}

// Safety widens every measurement so that wider fallback fonts still fit.
const Safety = 1.10

// BoldFactor is how much wider bold text is than regular text.
const BoldFactor = 1.07

// runeWidth returns the advance of r in thousandths of an em.
func runeWidth(r rune) float64 {
	switch {
	case r >= 32 && r < 127:
		return float64(widths[r-32])
	case r < 32 || unicode.Is(unicode.Mn, r):
		return 0
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || r >= 0x1F300:
		return 1000
	}
	return 600
}

// Width returns the approximate rendered width of s at font size size.
func Width(s string, size float64, bold bool) float64 {
	w := 0.0
	for _, r := range s {
		w += runeWidth(r)
	}
	w = w * size / 1000 * Safety
	if bold {
		w *= BoldFactor
	}
	return w
}

// wider reports whether Width(s, size, bold) > maxWidth, with the same
// arithmetic, stopping at the first prefix that is already wider: widths
// only grow, so the answer is the same, and wrapping a long word costs
// the width of a line per break rather than the width of the word.
func wider(s string, size, maxWidth float64, bold bool) bool {
	w := 0.0
	for _, r := range s {
		w += runeWidth(r)
		x := w * size / 1000 * Safety
		if bold {
			x *= BoldFactor
		}
		if x > maxWidth {
			return true
		}
	}
	return false
}

// twoRunes reports whether s holds at least two runes (an invalid byte
// counts as one, as in utf8.RuneCountInString) without counting them all.
func twoRunes(s string) bool {
	_, n := utf8.DecodeRuneInString(s)
	return n < len(s)
}

// Wrap breaks s into lines no wider than maxWidth at font size size,
// breaking at spaces and after '/', '-', ',' where possible and inside a
// word only when the word alone is too wide, with a hyphen (Hyphen) at
// the break. Existing "\n" are kept.
func Wrap(s string, size, maxWidth float64, bold bool) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wrapLine(strings.Join(strings.Fields(para), " "), size, maxWidth, bold)...)
	}
	return out
}

func wrapLine(s string, size, maxWidth float64, bold bool) []string {
	if s == "" {
		return []string{""}
	}
	var lines []string
	cur := ""
	for _, word := range splitWords(s) {
		cand := cur + word
		if cur == "" || !wider(strings.TrimRight(cand, " "), size, maxWidth, bold) {
			cur = cand
			continue
		}
		lines = append(lines, strings.TrimRight(cur, " "))
		cur = word
	}
	if cur != "" {
		lines = append(lines, strings.TrimRight(cur, " "))
	}
	// Break words that are still too wide, with a hyphen where the break
	// falls between two letters or digits, so that no word reads as two.
	var res []string
	for _, l := range lines {
		for wider(l, size, maxWidth, bold) && twoRunes(l) {
			piece, rest := hyphenate(l, size, maxWidth, bold)
			res = append(res, piece)
			l = strings.TrimLeft(rest, " ")
		}
		res = append(res, l)
	}
	return res
}

// Hyphen marks a word broken across lines.
const Hyphen = "-"

// hyphenate splits the too-wide word l into a first piece no wider than
// maxWidth and the rest. Inside a word the piece ends with a hyphen (and
// keeps at least two characters); at a separator it ends there.
func hyphenate(l string, size, maxWidth float64, bold bool) (piece, rest string) {
	n := fitPrefix(l, size, maxWidth-Width(Hyphen, size, bold), bold)
	if n < len(l) && midWord(l, n) && utf8.RuneCountInString(l[:n]) >= 2 {
		return l[:n] + Hyphen, l[n:]
	}
	n = fitPrefix(l, size, maxWidth, bold)
	return l[:n], l[n:]
}

// midWord reports whether byte offset n of s falls between two letters or
// digits.
func midWord(s string, n int) bool {
	a, _ := utf8.DecodeLastRuneInString(s[:n])
	b, _ := utf8.DecodeRuneInString(s[n:])
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	return word(a) && word(b)
}

// splitWords splits s into words keeping their trailing separator, so that
// joining the pieces gives s back.
func splitWords(s string) []string {
	var words []string
	start := 0
	for i, r := range s {
		if r == ' ' || ((r == '/' || r == '-' || r == ',') && i > start) {
			end := i + utf8.RuneLen(r)
			words = append(words, s[start:end])
			start = end
		}
	}
	if start < len(s) {
		words = append(words, s[start:])
	}
	return words
}

// fitPrefix returns the byte length of the longest prefix of s (at least one
// rune) no wider than maxWidth.
func fitPrefix(s string, size, maxWidth float64, bold bool) int {
	n, w := 0, 0.0
	scale := size / 1000 * Safety
	if bold {
		scale *= BoldFactor
	}
	for i, r := range s {
		w += runeWidth(r) * scale
		if w > maxWidth && i > 0 {
			return i
		}
		n = i + utf8.RuneLen(r)
	}
	return n
}

// Truncate shortens s with an ellipsis so that it is no wider than maxWidth.
func Truncate(s string, size, maxWidth float64, bold bool) string {
	if Width(s, size, bold) <= maxWidth {
		return s
	}
	ell := "…"
	avail := maxWidth - Width(ell, size, bold)
	if avail <= 0 {
		return ell
	}
	return strings.TrimRight(s[:fitPrefix(s, size, avail, bold)], " ") + ell
}

// Block is text fitted into a box: its lines and font size.
type Block struct {
	Lines []string
	Size  float64
}

// LineHeight is the line advance as a multiple of the font size.
const LineHeight = 1.25

// Height returns the height of the block's lines.
func (b Block) Height() float64 { return float64(len(b.Lines)) * b.Size * LineHeight }

// Width returns the width of the widest line.
func (b Block) Width(bold bool) float64 {
	w := 0.0
	for _, l := range b.Lines {
		w = max(w, Width(l, b.Size, bold))
	}
	return w
}

// Fit wraps s into a w x h box, shrinking the font from size down to
// minSize until the lines fit and no word has to be broken; at minSize
// long words are broken and, if the text still does not fit, the last line
// that fits ends with an ellipsis. Truncated reports whether text was
// dropped.
func Fit(s string, size, minSize, w, h float64, bold bool) (b Block, truncated bool) {
	longest := ""
	for _, f := range strings.Fields(s) {
		if Width(f, 10, bold) > Width(longest, 10, bold) {
			longest = f
		}
	}
	for sz := size; ; sz -= 0.5 {
		if sz < minSize {
			sz = minSize
		}
		lines := Wrap(s, sz, w, bold)
		b = Block{Lines: lines, Size: sz}
		if (b.Height() <= h && Width(longest, sz, bold) <= w) || sz <= minSize {
			break
		}
	}
	maxLines := int(h / (b.Size * LineHeight))
	if maxLines < 1 {
		maxLines = 1
	}
	if len(b.Lines) > maxLines {
		last := b.Lines[maxLines-1] + " " + b.Lines[maxLines]
		b.Lines = append(b.Lines[:maxLines-1:maxLines-1], Truncate(last+"…", b.Size, w, bold))
		truncated = true
	}
	return b, truncated
}
