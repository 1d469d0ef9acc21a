package graph

import (
	"fmt"
	"strings"
)

// Warning aggregation: an importer can see the same thing thousands of
// times (every unlabelled shape of a generated diagram, every edge of a
// broken export), and a list of 190,000 lines helps nobody. AggregateWarnings
// folds repeats into one line with a count and a few examples, and caps the
// list.

const (
	// AggregateAfter is how many warnings with the same message on the same
	// page are listed one by one; more than that are folded into one.
	AggregateAfter = 3
	// MaxWarnings caps the warnings of one diagram after aggregation; the
	// rest are counted in a final warning.
	MaxWarnings = 200
	// aggregateExamples is how many cell ids a folded warning names.
	aggregateExamples = 3
)

// AggregateWarnings returns ws with repeated warnings folded and the list
// capped. Warnings repeat when they have the same page and the same
// message and differ only in the cell (or line) they point at. A group of
// more than AggregateAfter becomes one warning at the first one's page:
// "1,204 times: unlabelled shape ignored (no label, no connections); e.g.
// cells a, b, c". Order is kept (a folded group stands where its first
// member stood). Past MaxWarnings the list ends with one warning counting
// what was left out. ws itself is not modified.
func AggregateWarnings(ws []Warning) []Warning {
	type key struct{ page, msg string }
	count := make(map[key]int, len(ws))
	for _, w := range ws {
		count[key{w.Pos.Page, w.Message}]++
	}
	examples := map[key][]string{}
	for _, w := range ws {
		k := key{w.Pos.Page, w.Message}
		if count[k] > AggregateAfter && len(examples[k]) < aggregateExamples {
			if where := w.Pos.where(); where != "" {
				examples[k] = append(examples[k], where)
			}
		}
	}
	out := make([]Warning, 0, min(len(ws), MaxWarnings+1))
	done := map[key]bool{}
	dropped := 0
	for _, w := range ws {
		k := key{w.Pos.Page, w.Message}
		n := count[k]
		if n > AggregateAfter {
			if done[k] {
				continue
			}
			done[k] = true
			w = Warning{
				Pos:     Position{Page: w.Pos.Page},
				Message: foldedMessage(n, w.Message, examples[k]),
			}
		}
		if len(out) >= MaxWarnings {
			dropped++
			continue
		}
		out = append(out, w)
	}
	if dropped > 0 {
		out = append(out, Warning{Message: fmt.Sprintf("%s more warnings not listed (at most %d are kept)", Thousands(dropped), MaxWarnings)})
	}
	return out
}

func foldedMessage(n int, msg string, examples []string) string {
	s := Thousands(n) + " times: " + msg
	if len(examples) > 0 {
		s += "; e.g. " + strings.Join(examples, ", ")
		if n > len(examples) {
			s += ", ..."
		}
	}
	return s
}

// where names a position without its file and page: "cell a" or "line 3".
func (p Position) where() string {
	switch {
	case p.Cell != "":
		return fmt.Sprintf("cell %q", p.Cell)
	case p.Line > 0:
		return fmt.Sprintf("line %d", p.Line)
	}
	return ""
}

// Thousands formats n with comma thousands separators: 1204 -> "1,204".
func Thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// EmptyModelWarning is the warning every output of a diagram without
// components carries (the JSON and Markdown warning lists, the workbook's
// Summary, the picture's title block, the run summary): a threat model of
// nothing must never pass for a clean one.
const EmptyModelWarning = "the diagram has no components: nothing was analysed (is it the right file, page or format?)"

// AggregateWarnings folds and caps d.Warnings in place; see the function of
// the same name. Importers call it once a diagram is built.
func (d *Diagram) AggregateWarnings() {
	d.Warnings = AggregateWarnings(d.Warnings)
}
