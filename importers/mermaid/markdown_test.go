package mermaid

import (
	"errors"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

const mdDoc = "Intro text, no heading yet.\n" + // 1
	"\n" + // 2
	"```mermaid\n" + // 3
	"graph TD\n" + // 4
	"  A --> B\n" + // 5
	"```\n" + // 6
	"# Payments `API`\n" + // 7
	"```go\n" + // 8
	"// ```mermaid inside another fence is not a fence\n" + // 9
	"```\n" + // 10
	"~~~mermaid\n" + // 11
	"---\n" + // 12
	"title: First\n" + // 13
	"---\n" + // 14
	"flowchart LR\n" + // 15
	"  C[Pay] --> D\n" + // 16
	"~~~\n" + // 17
	"## Payments API ##\n" + // 18
	"```mermaid\n" + // 19
	"%% comment\n" + // 20
	"classDiagram\n" + // 21
	"  class X\n" + // 22
	"```\n" + // 23
	"````Mermaid\n" + // 24
	"flowchart TB\n" + // 25
	"  E --> F\n" + // 26
	"````\n" + // 27
	"```mermaid\n" + // 28
	"```\n" // 29

func TestImportMarkdown(t *testing.T) {
	ds, err := ImportMarkdown("doc.md", []byte(mdDoc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.Name+"|"+d.Title+"|"+d.Direction+"|"+strings.Join(dump(d), "; "))
	}
	diffLines(t, got, []string{
		"diagram 1||TB|C A|A|||; C B|B|||; F L-A-B-0|A->B||-|solid; " +
			"W 21: Mermaid classDiagram block at line 21 skipped: only flowcharts are imported; W 28: empty Mermaid block skipped",
		"Payments API|First|LR|C C|Pay|rect||; C D|D|||; F L-C-D-0|C->D||-|solid",
		"Payments API (2)||TB|C E|E|||; C F|F|||; F L-E-F-0|E->F||-|solid",
	})
	// Positions are file positions.
	if c := ds[1].Component("C"); c.Pos.Line != 16 || c.Pos.Column != 3 {
		t.Errorf("C at %v, want 16:3", c.Pos)
	}
}

func TestImportMarkdownErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"# T\n\n```mermaid\nflowchart LR\n  A --> ]\n```\n", `doc.md:5:9: unexpected "]", expected node id`},
		{"# T\n```mermaid\nsequenceDiagram\n  A->>B: x\n```\n", "doc.md: no Mermaid flowchart block (```mermaid fence starting with flowchart or graph) found; skipped sequenceDiagram at line 3"},
		{"# Just prose\n", "doc.md: no Mermaid flowchart block (```mermaid fence starting with flowchart or graph) found"},
		{"```mermaid\nflowchart LR\nsubgraph S\n", `doc.md:4:1: unexpected end of input, expected "end" closing the subgraph opened at 3:1`},
	}
	for _, tc := range tests {
		_, err := ImportMarkdown("doc.md", []byte(tc.src), Options{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("ImportMarkdown(%q):\n got %v\nwant %s", tc.src, err, tc.want)
		}
		var ie *graph.InputError
		if err != nil && !errors.As(err, &ie) {
			t.Errorf("%T is not an *graph.InputError", err)
		}
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		src     string
		mmd, md bool
	}{
		{"flowchart LR\nA", true, false},
		{"\n\n%% c\n%%{init: {\n 'x': 1}}%%\ngraph TD;A", true, false},
		{"---\ntitle: x\n---\nflowchart-elk TB\nA", true, false},
		{"\uFEFFgraph\nA", true, false},
		{"sequenceDiagram\nA->>B: x", false, false},
		{"graphviz", false, false},
		{"digraph G { a -> b }", false, false},
		{"graph G {\n  a -- b\n}", false, false},
		{"graph LR foo", false, false},
		{"graph TD;A-->B", true, false},
		{"graph TD %% note\nA", true, false},
		{"flowchart v\nA", true, false},
		{"# Doc\n```mermaid\nflowchart LR\n```", false, true},
		{"# Doc\n  ~~~ mermaid\nflowchart LR\n~~~", false, true},
		{"# Doc\n```js\nmermaid()\n```", false, false},
	}
	for _, tc := range tests {
		if got := Sniff([]byte(tc.src)); got != tc.mmd {
			t.Errorf("Sniff(%q) = %v", tc.src, got)
		}
		if got := SniffMarkdown([]byte(tc.src)); got != tc.md {
			t.Errorf("SniffMarkdown(%q) = %v", tc.src, got)
		}
	}
}
