package xlsx

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxCellChars is Excel's limit on the characters in one cell, counted in
// UTF-16 code units.
const MaxCellChars = 32767

// TruncationMarker ends a text that was cut to fit in a cell.
const TruncationMarker = " …[truncated]"

// cellText makes s safe to store in a cell: invalid UTF-8 becomes U+FFFD,
// line ends become "\n", characters XML cannot carry are dropped, and a text
// longer than MaxCellChars is cut and ends with TruncationMarker.
func cellText(s string) string { return cleanText(s, true) }

// streamText is cellText for a cell written by a StreamWriter, which
// escapes text that looks like an OOXML escape itself (see escapeBstr).
func streamText(s string) string { return cleanText(s, false) }

func cleanText(s string, bstr bool) string {
	if isPlain(s, bstr) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var sb strings.Builder
	sb.Grow(len(s))
	units := 0
	for _, r := range s {
		if r == '\r' {
			r = '\n'
		}
		if !xmlChar(r) {
			continue
		}
		units += utf16.RuneLen(r)
		sb.WriteRune(r)
	}
	clean := sb.String()
	if bstr {
		clean = escapeBstr(clean)
	}
	units += len(clean) - sb.Len()
	if units <= MaxCellChars {
		return clean
	}
	limit := MaxCellChars - utf16Len(TruncationMarker)
	units = 0
	for i, r := range clean {
		if units+utf16.RuneLen(r) > limit {
			return clean[:i] + TruncationMarker
		}
		units += utf16.RuneLen(r)
	}
	return clean
}

// isPlain reports whether s needs no cleaning: short, valid and free of
// control characters other than tab and newline (and, when bstr is set, of
// text that looks like an OOXML escape).
func isPlain(s string, bstr bool) bool {
	if len(s) > MaxCellChars/2 || !utf8.ValidString(s) || (bstr && strings.Contains(s, "_x")) {
		return false
	}
	for _, r := range s {
		if !xmlChar(r) || r == '\r' {
			return false
		}
	}
	return true
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return r <= 0x10FFFF
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// bstrEscape matches the OOXML escape of a character, _xHHHH_.
var bstrEscape = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`_x[0-9A-Fa-f]{4}_`) })

// escapeBstr keeps text that looks like an OOXML escape literal by escaping
// its underscore (_x005F_), which excelize does not do for shared strings.
func escapeBstr(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	return bstrEscape().ReplaceAllStringFunc(s, func(m string) string { return "_x005F" + m })
}
