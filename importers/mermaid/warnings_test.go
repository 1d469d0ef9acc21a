package mermaid

import (
	"strings"
	"testing"
)

// TestRepeatedWarningsAggregated checks that a flowchart repeating one
// problem thousands of times gives one folded warning with a count, as
// draw.io does, not thousands of lines.
func TestRepeatedWarningsAggregated(t *testing.T) {
	const n = 3000
	src := "flowchart LR\n  A --> B\n" + strings.Repeat("  linkStyle 7 stroke:red\n", n)
	d := mustImport(t, src)
	if len(d.Warnings) != 1 {
		t.Fatalf("got %d warnings, want 1 folded warning", len(d.Warnings))
	}
	want := "3,000 times: linkStyle names link 7 but the diagram has 1 links; e.g. line 3, line 4, line 5, ..."
	if got := d.Warnings[0].Message; got != want {
		t.Errorf("warning = %q\nwant      %q", got, want)
	}
}

// TestMarkdownRepeatedWarningsAggregated checks the same for a Markdown
// file: a thousand empty Mermaid blocks warn once.
func TestMarkdownRepeatedWarningsAggregated(t *testing.T) {
	const n = 1000
	src := strings.Repeat("```mermaid\n```\n", n) + "# Flow\n```mermaid\nflowchart LR\n  A --> B\n```\n"
	ds, err := ImportMarkdown("test.md", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || len(ds[0].Components) != 2 {
		t.Fatalf("got %d diagrams, want 1 with 2 components", len(ds))
	}
	if len(ds[0].Warnings) != 1 {
		t.Fatalf("got %d warnings, want 1 folded warning", len(ds[0].Warnings))
	}
	want := "1,000 times: empty Mermaid block skipped; e.g. line 1, line 3, line 5, ..."
	if got := ds[0].Warnings[0].Message; got != want {
		t.Errorf("warning = %q\nwant      %q", got, want)
	}
}
