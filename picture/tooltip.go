package picture

import (
	"fmt"
	"strings"

	"github.com/threatmap/threatmap/internal/english"
)

// An element's tooltip is kept as its parts, its heading lines
// (TooltipHead) and its threats (Threats), and made when a writer writes
// it (Tooltip): made while the picture was built and held for the whole
// document, the tooltips were 100 MB of a 160 MB picture at 20,000
// components.

// Tooltip is the component's hover text: its heading lines, then its
// threats (tooltip).
func (c *Component) Tooltip() string { return tooltip(c.TooltipHead, c.Threats) }

// Tooltip is the flow's hover text: its heading lines, then its threats
// (tooltip).
func (f *Flow) Tooltip() string { return tooltip(f.TooltipHead, f.Threats) }

// Tooltip is the entry point's hover text: its heading lines, then its
// threats (tooltip).
func (b *Badge) Tooltip() string { return tooltip(b.TooltipHead, b.Threats) }

// Tooltips list at most this many threats.
const maxTooltipThreats = 15

// tooltip is a heading line followed by the threats, at most
// maxTooltipThreats of them, each on one line of bounded length (see
// threatLine), so that a tooltip's size does not grow with the system.
func tooltip(head []string, refs []ThreatRef) string {
	var b strings.Builder
	for i, h := range head {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(h)
	}
	line := func(s string) {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s)
	}
	if len(refs) == 0 {
		line("No threats identified")
	}
	for i, t := range refs {
		if i == maxTooltipThreats {
			line(fmt.Sprintf("… and %d more: see the register", len(refs)-i))
			break
		}
		line(threatLine(t))
	}
	return b.String()
}

// maxTooltipTitle is the most characters of a threat's title a tooltip
// line shows. A grouped threat's title names its members ("Data altered
// in transit on A → B, C → D, ..."), so at 1,000 components one title can
// run to tens of thousands of characters, repeated in the tooltip of
// every element it touches; the register and the JSON keep it whole.
// 240 is about three lines of a browser's tooltip: room for a grouped
// title that names a handful of members.
const maxTooltipTitle = 240

// threatLine is "ID [Severity] Title" with the title cut to
// maxTooltipTitle characters at a list separator or a word boundary. A
// cut title of a grouped threat says how many elements it stands for.
func threatLine(t ThreatRef) string {
	s := t.ID
	if t.Severity != "" {
		s += " [" + t.Severity + "]"
	}
	if t.Title == "" {
		return s
	}
	title, cut := shorten(t.Title, maxTooltipTitle)
	s += " " + title
	if !cut {
		return s
	}
	var parts []string
	if t.Flows > 0 {
		parts = append(parts, english.Plural(t.Flows, "flow"))
	}
	if t.Components > 0 {
		parts = append(parts, english.Plural(t.Components, "component"))
	}
	if len(parts) > 0 {
		return s + " (one threat on " + strings.Join(parts, " and ") + ": see the register)"
	}
	return s + " (see the register)"
}

// shorten cuts s to at most max characters (runes), ending in "…": after
// the last ", " in the second half of the allowance, else the last space
// there, else at max. It reports whether it cut.
func shorten(s string, max int) (string, bool) {
	end := byteOffset(s, max) // reads at most max+1 runes of a title that may be long
	if end == len(s) {
		return s, false
	}
	head := s[:end]
	half := byteOffset(head, max/2)
	if k := strings.LastIndex(head, ", "); k >= half {
		head = head[:k]
	} else if k := strings.LastIndexByte(head, ' '); k >= half {
		head = head[:k]
	}
	return strings.TrimRight(head, " ,;:") + "…", true
}

// byteOffset is the byte offset in s of rune number n (len(s) past the end).
func byteOffset(s string, n int) int {
	i := 0
	for k := range s {
		if i == n {
			return k
		}
		i++
	}
	return len(s)
}
