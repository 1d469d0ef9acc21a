package dot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// TestRepeatedWarningsAggregated checks that a file repeating one problem
// thousands of times gives one folded warning with a count, as draw.io
// does, not thousands of lines.
func TestRepeatedWarningsAggregated(t *testing.T) {
	const n = 5000
	var b strings.Builder
	b.WriteString("digraph g {\n  a -> b\n")
	for i := range n {
		// "1x" is a badly delimited number: a warning per occurrence,
		// each with the same message.
		fmt.Fprintf(&b, "  n%d [weight=1x=y]\n", i)
	}
	b.WriteString("}\n")
	d := mustImport(t, b.String())
	if len(d.Components) != n+2 {
		t.Fatalf("got %d components, want %d", len(d.Components), n+2)
	}
	if len(d.Warnings) != 1 {
		t.Fatalf("got %d warnings, want 1 folded warning; first: %v", len(d.Warnings), d.Warnings[:min(3, len(d.Warnings))])
	}
	w := d.Warnings[0].Message
	if !strings.HasPrefix(w, "5,000 times: badly delimited number") || !strings.Contains(w, "; e.g. line 3, line 4, line 5, ...") {
		t.Errorf("folded warning = %q", w)
	}
}

// TestWarningsCapped checks that distinct warnings past graph.MaxWarnings
// are cut with a final count.
func TestWarningsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("digraph g {\n")
	const n = 1000
	for i := range n {
		fmt.Fprintf(&b, "  n%d [weight=%dx=y]\n", i, i)
	}
	b.WriteString("}\n")
	d := mustImport(t, b.String())
	if len(d.Warnings) != graph.MaxWarnings+1 {
		t.Fatalf("got %d warnings, want %d", len(d.Warnings), graph.MaxWarnings+1)
	}
	want := fmt.Sprintf("%d more warnings not listed", n-graph.MaxWarnings)
	if got := d.Warnings[graph.MaxWarnings].Message; !strings.HasPrefix(got, want) {
		t.Errorf("last warning = %q, want prefix %q", got, want)
	}
}
