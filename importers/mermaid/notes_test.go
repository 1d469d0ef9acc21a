package mermaid

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestTextOnlyNodes: a node drawn as text (Mermaid 11's text block and
// curly-brace comments) or labelled "..." that is on no link is a note
// with a warning, as in the DOT and draw.io importers; styling it is not
// an unknown-node warning; on a link it stays a component.
func TestTextOnlyNodes(t *testing.T) {
	src := "flowchart LR\n" +
		"  subgraph app [App]\n" +
		"    a[API] --> b[(DB)]\n" +
		"    t@{ shape: text, label: \"Payments v2\" }\n" +
		"    e[\"...\"]\n" +
		"  end\n" +
		"  c@{ shape: braces, label: \"to do\" }\n" +
		"  u[\"...\"] --> a\n" +
		"  x@{ shape: text, label: \"Operator\" } --> a\n" +
		"  s@{ shape: text, label: \"spacer\" } ~~~ a\n" +
		"  style t fill:#fff\n"
	ds, err := Import("notes.mmd", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	var got []string
	for _, c := range d.Components {
		got = append(got, fmt.Sprintf("C %s|%s|%s", c.ID, c.Label, c.Boundary))
	}
	for _, n := range d.Notes {
		got = append(got, fmt.Sprintf("N %s|%s|@%s", n.ID, n.Text, n.Pos))
	}
	for _, w := range d.Warnings {
		got = append(got, "W "+w.String())
	}
	want := []string{
		"C a|API|app", "C b|DB|app", "C u|...|", "C x|Operator|",
		"N t|Payments v2|@4:5", "N e|...|@5:5", "N c|to do|@7:3", "N s|spacer|@10:3",
		`W 4:5: node "t" is drawn as text only (shape: text) and is on no link: imported as a note, not a component`,
		`W 5:5: node "e" is a placeholder (label "...") and is on no link: imported as a note, not a component`,
		`W 7:3: node "c" is drawn as text only (shape: braces) and is on no link: imported as a note, not a component`,
		`W 10:3: node "s" is drawn as text only (shape: text) and is on no link: imported as a note, not a component`,
		"W 10:38: invisible link s ~~~ a skipped: it only guides the layout",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
