package graph

import (
	"fmt"
	"sort"
	"strings"
)

// Invisible reports whether r is a character that changes how text is
// shown without being seen: the Unicode bidirectional controls (which can
// make "evil.exe" read as "exe.live"), zero-width characters and the
// C0/C1 control characters other than tab and newline.
func Invisible(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x180e, r == 0x200b, r == 0x200c, r == 0x200d, r == 0x200e, r == 0x200f,
		r >= 0x202a && r <= 0x202e, r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069, r == 0xfeff:
		return true
	}
	return false
}

// StripInvisible removes the Invisible characters from s and returns the
// result and how many were removed.
func StripInvisible(s string) (string, int) {
	if strings.IndexFunc(s, Invisible) < 0 {
		return s, 0
	}
	n := 0
	out := strings.Map(func(r rune) rune {
		if Invisible(r) {
			n++
			return -1
		}
		return r
	}, s)
	return out, n
}

// escapeInvisible replaces each Invisible character of an identifier by a
// visible <U+XXXX>, so that identifiers that differ only by one stay
// distinct.
func escapeInvisible(s string) (string, int) {
	if strings.IndexFunc(s, Invisible) < 0 {
		return s, 0
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		if Invisible(r) {
			fmt.Fprintf(&b, "<U+%04X>", r)
			n++
			continue
		}
		b.WriteRune(r)
	}
	return b.String(), n
}

// CleanText makes every string of d safe to show: Invisible characters are
// removed from names, labels, notes, titles and attributes, and written as
// a visible <U+XXXX> in identifiers (so that two identifiers stay
// distinct). It adds one warning to d when it changed anything and returns
// the number of characters it removed or escaped. Every output (SVG, XLSX,
// JSON, Markdown, terminal) reads the cleaned diagram.
func CleanText(d *Diagram) int {
	n := 0
	text := func(s *string) {
		var k int
		*s, k = StripInvisible(*s)
		n += k
	}
	id := func(s *string) {
		var k int
		*s, k = escapeInvisible(*s)
		n += k
	}
	attrs := func(m map[string]string) map[string]string {
		dirty := false
		for k, v := range m {
			if strings.IndexFunc(k, Invisible) >= 0 || strings.IndexFunc(v, Invisible) >= 0 {
				dirty = true
				break
			}
		}
		if !dirty {
			return m
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(map[string]string, len(m))
		for _, k := range keys {
			v := m[k]
			text(&k)
			text(&v)
			out[k] = v
		}
		return out
	}
	text(&d.Name)
	text(&d.Title)
	for _, c := range d.Components {
		id(&c.ID)
		text(&c.Label)
		id(&c.Boundary)
		c.Attributes = attrs(c.Attributes)
	}
	for _, f := range d.Flows {
		id(&f.ID)
		id(&f.Source)
		id(&f.Target)
		text(&f.Label)
		f.Attributes = attrs(f.Attributes)
	}
	for _, b := range d.Boundaries {
		id(&b.ID)
		text(&b.Label)
		id(&b.Parent)
		for i := range b.Members {
			id(&b.Members[i])
		}
		b.Attributes = attrs(b.Attributes)
	}
	for _, nt := range d.Notes {
		id(&nt.ID)
		text(&nt.Text)
	}
	for i := range d.Warnings {
		text(&d.Warnings[i].Message)
	}
	if n > 0 {
		d.Warnings = append(d.Warnings, Warning{Message: fmt.Sprintf(
			"removed %d invisible characters (bidirectional controls, zero-width or control characters) from names and labels", n)})
	}
	return n
}
