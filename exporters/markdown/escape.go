package markdown

import "strings"

// text escapes s for inline Markdown: HTML is neutralised (< > & become
// entities), Markdown punctuation that could start emphasis, links, code,
// tables or block structure is backslash-escaped, and line breaks become
// spaces.
func text[S ~string](str S) string {
	s := strings.Join(strings.Fields(string(str)), " ")
	var sb strings.Builder
	sb.Grow(len(s) + 8)
	for i, r := range s {
		switch r {
		case '<':
			sb.WriteString("&lt;")
		case '>':
			sb.WriteString("&gt;")
		case '&':
			sb.WriteString("&amp;")
		case '\\', '`', '*', '_', '[', ']', '|', '~', '$':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case '#', '-', '+', '=', '!':
			if i == 0 {
				sb.WriteByte('\\')
			}
			sb.WriteRune(r)
		case '.', ')':
			// "1. item" and "1) item" start ordered lists.
			if i > 0 && allDigits(s[:i]) {
				sb.WriteByte('\\')
			}
			sb.WriteRune(r)
		default:
			if invisible(r) {
				continue
			}
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// invisible reports control characters and the bidirectional overrides
// that could make a label display differently from what it says.
func invisible(r rune) bool {
	return r < 0x20 || r == 0x7f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// cell escapes s for a table cell: as text, keeping line breaks as <br>.
func cell[S ~string](s S) string {
	lines := strings.Split(strings.ReplaceAll(string(s), "\r\n", "\n"), "\n")
	out := lines[:0]
	for _, l := range lines {
		if t := text(l); t != "" {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return "—"
	}
	return strings.Join(out, "<br>")
}

// cells escapes a list for a table cell, comma separated.
func cells(v []string) string {
	if len(v) == 0 {
		return "—"
	}
	return cell(strings.Join(v, ", "))
}
