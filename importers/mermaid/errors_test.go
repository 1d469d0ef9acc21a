package mermaid

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

func TestSyntaxErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"flowchart LR\n  A --> B\n  C --> ]", `arch.mmd:3:9: unexpected "]", expected node id`},
		{"sequenceDiagram\n  A->>B: hi", `arch.mmd:1:1: unexpected "sequenceDiagram", expected "flowchart" or "graph"`},
		{"", `arch.mmd:1:1: unexpected end of input, expected "flowchart" or "graph"`},
		{"flowchart XY\nA", `arch.mmd:1:11: unexpected "XY", expected direction TB, TD, BT, LR or RL`},
		{"flowchart LR A-->B", `arch.mmd:1:14: unexpected "A-->B", expected newline or ";" after the direction`},
		{"flowchart LR\nA -->\nB", `arch.mmd:2:6: unexpected newline, expected node id`},
		{"flowchart LR\nA B", `arch.mmd:2:3: unexpected "B", expected link, newline or ";"`},
		{"flowchart LR\nA & --> B", `arch.mmd:2:5: unexpected "-->", expected node id after "&"`},
		{"flowchart LR\nA[abc\n", `arch.mmd:2:2: unterminated node text, expected "]"`},
		{"flowchart LR\nA[a(b)]", `arch.mmd:2:4: unexpected "(" in node text, expected "]"`},
		{"flowchart LR\nA((a)]", `arch.mmd:2:5: unexpected ")" in node text, expected "))"`},
		{"flowchart LR\nA[\"x\" y]", `arch.mmd:2:7: unexpected "y" in node text, expected "]"`},
		{"flowchart LR\nA -- label\nB", `arch.mmd:2:3: unterminated edge label, expected closing arrow such as "-->"`},
		{"flowchart LR\nA -->|label B", `arch.mmd:2:6: unterminated edge label, expected closing "|"`},
		{"flowchart LR\nA --> \"B\"", `arch.mmd:2:7: unexpected string "B", expected node id`},
		{"flowchart LR\nA e1@ B", `arch.mmd:2:7: unexpected "B", expected link after edge id "e1@"`},
		{"flowchart LR\nA:::", `arch.mmd:2:5: unexpected end of input, expected class name after ":::"`},
		{"flowchart LR\nA@{ shape: cyl", `arch.mmd:2:2: unterminated shape data, expected "}"`},
		{"flowchart LR\n[x]", `arch.mmd:2:1: unexpected "[", expected node id or statement`},
		{"flowchart LR\nA --> B\nend", `arch.mmd:3:1: unexpected "end", expected a statement (no subgraph is open)`},
		{"flowchart LR\nsubgraph S\n  A\n", `arch.mmd:4:1: unexpected end of input, expected "end" closing the subgraph opened at 2:1`},
		{"flowchart LR\nsubgraph\nend", `arch.mmd:2:9: unexpected newline, expected subgraph id or title`},
		{"flowchart LR\nsubgraph a [T\nend", `arch.mmd:2:14: unexpected newline, expected "]" closing the subgraph title`},
		{"flowchart LR\nsubgraph S\ndirection XY\nend", `arch.mmd:3:11: unexpected "XY", expected direction TB, TD, BT, LR or RL`},
		{"flowchart LR\nclass A", `arch.mmd:2:8: unexpected end of input, expected class name`},
		{"flowchart LR\nstyle A", `arch.mmd:2:8: unexpected end of input, expected styles`},
		{"flowchart LR\nlinkStyle 0,x stroke:red", `arch.mmd:2:13: unexpected "x", expected link number or "default"`},
		{"flowchart LR\nA\nflowchart TB", `arch.mmd:3:1: unexpected "flowchart", expected a statement (the diagram header is already given)`},
		{"flowchart LR\nA\xff", `arch.mmd:2:2: unexpected "\xff" (invalid UTF-8), expected link, newline or ";"`},
		{"---\ntitle: x\nflowchart LR\nA", `arch.mmd:1:1: unterminated front matter, expected a closing "---" line`},
		{"---\ntitle: x\n---\nflowchart LR\nA -->", `arch.mmd:5:6: unexpected end of input, expected node id`},
	}
	for _, tc := range tests {
		_, err := Import("arch.mmd", []byte(tc.src), Options{})
		if err == nil {
			t.Errorf("Import(%q): no error, want %s", tc.src, tc.want)
			continue
		}
		var ie *graph.InputError
		if !errors.As(err, &ie) {
			t.Errorf("Import(%q): %T is not an *graph.InputError", tc.src, err)
		}
		if err.Error() != tc.want {
			t.Errorf("Import(%q):\n got %s\nwant %s", tc.src, err, tc.want)
		}
	}
}

func TestLimits(t *testing.T) {
	// A 100,000-deep subgraph nest fails cleanly at the limit.
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for i := 0; i < 100000; i++ {
		b.WriteString("subgraph s\n")
	}
	b.WriteString("A\n")
	for i := 0; i < 100000; i++ {
		b.WriteString("end\n")
	}
	_, err := Import("deep.mmd", []byte(b.String()), Options{})
	if err == nil || err.Error() != "deep.mmd:202:1: subgraphs nested deeper than 200: limit exceeded" || !errors.Is(err, graph.ErrLimit) {
		t.Errorf("deep nest: %v", err)
	}
	_, err = Import("deep.mmd", []byte("flowchart LR\nsubgraph a\nsubgraph b\nsubgraph c\nx\nend\nend\nend"), Options{Limits: graph.Limits{MaxDepth: 2}})
	if err == nil || err.Error() != "deep.mmd:4:1: subgraphs nested deeper than 2: limit exceeded" {
		t.Errorf("MaxDepth 2: %v", err)
	}
	// A repeated id cannot build a chain deeper than the limit either.
	_, err = Import("rep.mmd", []byte("flowchart LR\nsubgraph a\nsubgraph b\nx\nend\nend\nsubgraph b\nsubgraph c\ny\nend\nend"), Options{Limits: graph.Limits{MaxDepth: 2}})
	if err == nil || !errors.Is(err, graph.ErrLimit) {
		t.Errorf("chained repeated ids: %v", err)
	}

	_, err = Import("big.mmd", []byte("flowchart LR\nA --> B\n"), Options{Limits: graph.Limits{MaxInputBytes: 10}})
	if err == nil || err.Error() != "big.mmd: input is 21 bytes, more than the 10 allowed: limit exceeded" || !errors.Is(err, graph.ErrLimit) {
		t.Errorf("MaxInputBytes: %v", err)
	}
	_, err = Import("many.mmd", []byte("flowchart LR\nA & B & C --> D & E & F"), Options{Limits: graph.Limits{MaxElements: 10}})
	if err == nil || err.Error() != "many.mmd:2:11: more than 10 nodes and links: limit exceeded" {
		t.Errorf("MaxElements: %v", err)
	}

	ds, err := Import("long.mmd", []byte("flowchart LR\nA[\"abcdefghij\"] -- \"klmnopqrstuv\" --> B\nsubgraph S [0123456789abc]\nB\nend"), Options{Limits: graph.Limits{MaxLabelBytes: 8}})
	if err != nil {
		t.Fatal(err)
	}
	diffLines(t, dump(ds[0]), []string{
		"C A|abcdefgh…|rect||", "C B|B||S|", "F L-A-B-0|A->B|klmnopqr…|-|solid", "B S|01234567…||B",
		`W 2:2: label of node "A" truncated to 8 bytes`,
		"W 2:17: label of link truncated to 8 bytes",
		`W 3:10: label of subgraph "S" truncated to 8 bytes`,
	})
}

// A label far over MaxLabelBytes is cut before it is cleaned: markup that
// cleans to nothing still warns (the text after the cut is lost; the node
// is then named by its id),
// and a 10 MB label costs a few MB, not the 90 MB cleaning it whole did.
func TestHugeLabelCutBeforeCleaning(t *testing.T) {
	tags := strings.Repeat("<b></b>", 20) + "tail"
	ds, err := Import("tags.mmd", []byte("flowchart LR\nA[\""+tags+"\"] --> B\n"), Options{Limits: graph.Limits{MaxLabelBytes: 8}})
	if err != nil {
		t.Fatal(err)
	}
	diffLines(t, dump(ds[0]), []string{"C A|A|rect||", "C B|B|||", "F L-A-B-0|A->B||-|solid", `W 2:2: label of node "A" truncated to 8 bytes`})

	data := []byte("flowchart LR\n  user --> api[\"" + strings.Repeat("A", 10<<20) + "\"]\n")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, err := Import("huge.mmd", data, Options{}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 30<<20 {
		t.Errorf("a 10 MB label allocated %d MB, want under 30", got>>20)
	}
}

func TestNULByte(t *testing.T) {
	_, err := Import("nul.mmd", []byte("flowchart LR\n  A[Web] --> B[\x00DB]\n"), Options{})
	if err == nil || err.Error() != "nul.mmd:2:16: NUL byte in Mermaid input" {
		t.Errorf("err = %v", err)
	}
	_, err = ImportMarkdown("n.md", []byte("# T\n\n```mermaid\nflowchart LR\n  A --> \x00B\n```\n"), Options{})
	if err == nil || err.Error() != "n.md:5:9: NUL byte in Mermaid input" {
		t.Errorf("markdown err = %v", err)
	}
}
