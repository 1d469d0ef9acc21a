package mermaid

import (
	"strings"

	"github.com/threatmap/threatmap/internal/labeltext"
)

// cleanLabel turns label source text into the model's plain text: markdown
// markers removed from "`...`" strings, Mermaid entity codes (#quot;,
// #9829;) decoded, Font Awesome icon tokens (fa:fa-car) dropped, HTML
// reduced to text with <br/> as a line break.
func cleanLabel(raw string, q quoteKind) string {
	s := raw
	if q == qMarkdown {
		s = stripMarkdown(s)
	}
	s = entityCodes(s)
	s = stripIcons(s)
	return labeltext.FromHTML(s)
}

// entityCodes rewrites Mermaid's "#name;" and "#123;" entity codes as HTML
// entities ("&name;", "&#123;") for labeltext to decode.
func entityCodes(s string) string {
	if !strings.Contains(s, "#") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '#' {
			j := i + 1
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			if j > i+1 && j < len(s) && s[j] == ';' {
				name := s[i+1 : j]
				b.WriteByte('&')
				if allDigits(name) {
					b.WriteByte('#')
				}
				b.WriteString(name)
				b.WriteByte(';')
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// stripIcons removes Font Awesome tokens such as "fa:fa-car" and
// "fab:fa-docker" (Mermaid's fa[bklrs]?:fa-[\w-]+).
func stripIcons(s string) string {
	if !strings.Contains(s, ":fa-") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if n := iconAt(s, i); n > 0 && (i == 0 || !isWordByte(s[i-1])) {
			i += n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func iconAt(s string, i int) int {
	if !strings.HasPrefix(s[i:], "fa") {
		return 0
	}
	j := i + 2
	if j < len(s) && strings.IndexByte("bklrs", s[j]) >= 0 {
		j++
	}
	if !strings.HasPrefix(s[j:], ":fa-") {
		return 0
	}
	j += 4
	k := j
	for k < len(s) && (isWordByte(s[k]) || s[k] == '-') {
		k++
	}
	if k == j {
		return 0
	}
	return k - i
}

// stripMarkdown removes the emphasis markers Mermaid's markdown strings
// support: **bold**, __bold__, *italic* and _italic_ (an underscore inside a
// word, as in snake_case, is kept).
func stripMarkdown(s string) string {
	s = strings.ReplaceAll(s, "**", "")
	s = strings.ReplaceAll(s, "__", "")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '*' {
			continue
		}
		if c == '_' {
			inWord := i > 0 && isWordByte(s[i-1]) && i+1 < len(s) && isWordByte(s[i+1])
			if !inWord {
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}
