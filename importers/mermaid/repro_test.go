package mermaid

import (
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// The inputs below are the reproducers ml1.mmd … ml5.mmd, cr-only.mmd,
// list-fence.md and quote-fence.md of ../shared/repro (issue 15, item 9),
// written inline, plus cases of our own. All are valid Mermaid.

// TestMultiLineStrings checks that quoted strings may span lines in node
// text, edge labels of both forms, subgraph titles and click tooltips, and
// that positions after them stay exact.
func TestMultiLineStrings(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"ml1 node text", "flowchart LR\n  A[\"line one\nline two\"] --> B\n", []string{
			"C A|line one\nline two|rect||", "C B|B|||", "F L-A-B-0|A->B||-|solid"}},
		{"ml2 click tooltip", "flowchart LR\n  A --> B\n  click A \"https://x\" \"tip\nmore\"\n", []string{
			"C A|A|||", "C B|B|||", "F L-A-B-0|A->B||-|solid"}},
		{"ml3 dash label", "flowchart LR\n  A -- \"label\nmore\" --> B\n", []string{
			"C A|A|||", "C B|B|||", "F L-A-B-0|A->B|label\nmore|-|solid"}},
		{"ml4 pipe label", "flowchart LR\n  A -->|\"label\nmore\"| B\n", []string{
			"C A|A|||", "C B|B|||", "F L-A-B-0|A->B|label\nmore|-|solid"}},
		{"ml5 subgraph title", "flowchart LR\n  subgraph s1 [\"title\nmore\"]\n  A\n  end\n", []string{
			"C A|A||s1|", "B s1|title\nmore||A"}},
		{"three lines, arrow inside", "flowchart TB\n  A -- \"a --> b\nc\nd\" --> B\n  C --> D\n", []string{
			"C A|A|||", "C B|B|||", "C C|C|||", "C D|D|||",
			"F L-A-B-0|A->B|a --> b\nc\nd|-|solid", "F L-C-D-0|C->D||-|solid"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustImport(t, tc.src)
			diffLines(t, dump(d), tc.want)
		})
	}
	d := mustImport(t, "flowchart LR\n  A -->|\"x\ny\"| B\n  C --> D\n")
	if got := d.Component("C").Pos; got != (graph.Position{Line: 4, Column: 3}) {
		t.Errorf("C after a two-line label at %v, want 4:3", got)
	}
	d = mustImport(t, "flowchart LR\n  A --> B\n  click A \"https://x\" \"tip\nmore\"\n  E --> F\n")
	if got := d.Component("A").Attributes["click"]; got != "\"https://x\" \"tip\nmore\"" {
		t.Errorf("click = %q", got)
	}
	if got := d.Component("E").Pos; got != (graph.Position{Line: 5, Column: 3}) {
		t.Errorf("E after a two-line tooltip at %v, want 5:3", got)
	}
	// Only tooltips and titles span lines: an open quote in a style
	// statement does not swallow the statements after it.
	d = mustImport(t, "flowchart LR\n  A --> B\n  style A fill:\"#f9f\n  C --> D[\"x\"]\n")
	if len(d.Flows) != 2 {
		t.Errorf("flows after an open quote in style: %v", dump(d))
	}
	// An unterminated string is still an error at its opening quote.
	for src, want := range map[string]string{
		"flowchart LR\n  A -->|\"x| B\n":       `t.mmd:2:8: unterminated edge label, expected closing "|"`,
		"flowchart LR\n  A --> B\n  \"loose\n": `t.mmd:3:3: unterminated string`,
	} {
		_, err := Import("t.mmd", []byte(src), Options{})
		if err == nil || len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
			t.Errorf("%q: err = %v, want prefix %q", src, err, want)
		}
	}
}

// TestCROnly reads a file with old Mac line endings (cr-only.mmd): every
// CR is a line break, and positions count them as lines.
func TestCROnly(t *testing.T) {
	src := "flowchart LR\r  A --> B\r  B --> C\r"
	if !Sniff([]byte(src)) {
		t.Error("Sniff = false")
	}
	d := mustImport(t, src)
	diffLines(t, dump(d), []string{"C A|A|||", "C B|B|||", "C C|C|||",
		"F L-A-B-0|A->B||-|solid", "F L-B-C-0|B->C||-|solid"})
	if got := d.Component("C").Pos; got != (graph.Position{Line: 3, Column: 9}) {
		t.Errorf("C at %v, want 3:9", got)
	}
	// Mixed endings: CRLF stays one line break.
	d = mustImport(t, "flowchart LR\r\n  A --> B\r  C --> D\n  E\n")
	if got := d.Component("E").Pos; got != (graph.Position{Line: 4, Column: 3}) {
		t.Errorf("E at %v, want 4:3", got)
	}
}

// TestFencesInContainers finds fences inside list items and block quotes
// (list-fence.md, quote-fence.md) with file positions.
func TestFencesInContainers(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
		pos       graph.Position // of the first component
	}{
		{"list-fence.md", "- item\n\n    ```mermaid\n    flowchart LR\n      A --> B\n    ```\n",
			[]string{"C A|A|||", "C B|B|||", "F L-A-B-0|A->B||-|solid"}, graph.Position{Line: 5, Column: 7}},
		{"quote-fence.md", "> note\n>\n> ```mermaid\n> flowchart LR\n>   Q --> R\n> ```\n",
			[]string{"C Q|Q|||", "C R|R|||", "F L-Q-R-0|Q->R||-|solid"}, graph.Position{Line: 5, Column: 5}},
		{"fence on the list marker line", "1. ```mermaid\n   flowchart LR\n   A --> B\n   ```\n",
			[]string{"C A|A|||", "C B|B|||", "F L-A-B-0|A->B||-|solid"}, graph.Position{Line: 3, Column: 4}},
		{"nested quotes, open fence ends with the quote", "> > ```mermaid\n> > flowchart LR\n> >   X --> Y\n\nafter\n",
			[]string{"C X|X|||", "C Y|Y|||", "F L-X-Y-0|X->Y||-|solid"}, graph.Position{Line: 3, Column: 7}},
		{"quote in a list item", "- item\n  > ```mermaid\n  > flowchart LR\n  >   P --> Q\n  > ```\n",
			[]string{"C P|P|||", "C Q|Q|||", "F L-P-Q-0|P->Q||-|solid"}, graph.Position{Line: 4, Column: 7}},
		{"multi-line label in a quote", "> ```mermaid\n> flowchart LR\n>   A -->|\"x\n>   y\"| B\n> ```\n",
			[]string{"C A|A|||", "C B|B|||", "F L-A-B-0|A->B|x\ny|-|solid"}, graph.Position{Line: 3, Column: 5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !SniffMarkdown([]byte(tc.src)) {
				t.Error("SniffMarkdown = false")
			}
			ds, err := ImportMarkdown("doc.md", []byte(tc.src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != 1 {
				t.Fatalf("%d diagrams, want 1", len(ds))
			}
			diffLines(t, dump(ds[0]), tc.want)
			if got := ds[0].Components[0].Pos; got != tc.pos {
				t.Errorf("first component at %v, want %v", got, tc.pos)
			}
		})
	}
	// Indented code is not a fence, inside a list item or not.
	for _, src := range []string{
		"text\n\n    ```mermaid\n    flowchart LR\n    A --> B\n    ```\n",
		"- item\n\n        ```mermaid\n        flowchart LR\n        A --> B\n        ```\n",
	} {
		if SniffMarkdown([]byte(src)) {
			t.Errorf("SniffMarkdown(%q) = true: indented code is not a fence", src)
		}
	}
}

// TestLinksToSubgraphs checks the shared convention for an edge that ends
// at a container: one component per subgraph standing for it, one warning.
func TestLinksToSubgraphs(t *testing.T) {
	d := mustImport(t, `flowchart LR
  subgraph db [Data tier]
    pg[(Postgres)]
  end
  app --> db
  app -->|backup| db
  db --> audit`)
	diffLines(t, dump(d), []string{
		"C pg|Postgres|cylinder|db|", "C app|app|||", "C audit|audit|||", "C db|Data tier||db|",
		"F L-app-db-0|app->db||-|solid", "F L-app-db-1|app->db|backup|-|solid", "F L-db-audit-0|db->audit||-|solid",
		"B db|Data tier||db,pg",
		`W 5:7: link app --> db ends at subgraph "db": attached to the subgraph as a whole, not to a node in it (3 links in all)`,
	})
	c := d.Component("db")
	if c.Attributes["represents"] != "boundary" || c.Boundary != "db" || c.Label != "Data tier" {
		t.Errorf("boundary component = %+v", c)
	}
	if got := d.Crossings("app", "db"); len(got) != 1 || got[0] != "db" {
		t.Errorf("app -> db crosses %v, want [db]", got)
	}
}
