package mermaid

import (
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// FuzzParse checks that no input panics, hangs or yields an inconsistent
// model, that every failure is an *graph.InputError naming the file, and
// that importing is deterministic. Seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add([]byte("flowchart LR\nA[x] -->|y| B(z)\n"))
	f.Add([]byte("# H\n```mermaid\ngraph TD\nsubgraph s [S]\na --> b\nend\n```\n"))
	f.Add([]byte("flowchart LR\n  A -- \"x\ny\" --> B\n  A -->|\"p\nq\"| s\n  subgraph s [\"t\nu\"]\n  C\n  end\n  click A \"u\" \"v\nw\"\n"))
	f.Add([]byte("flowchart LR\r  A --> B\r"))
	f.Add([]byte("- item\n\n    ```mermaid\n    flowchart LR\n      A --> B\n    ```\n> ```mermaid\n> graph TD\n>   Q --> R\n"))
	lim := graph.Limits{MaxDepth: 40, MaxElements: 4000, MaxLabelBytes: 64, MaxInputBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		Sniff(data)
		check := func(name string, imp func(string, []byte, Options) ([]*graph.Diagram, error)) {
			ds, err := imp(name, data, Options{Limits: lim})
			if err != nil {
				if !graph.IsInputError(err) {
					t.Fatalf("%s: %T is not an InputError: %v", name, err, err)
				}
				if !strings.HasPrefix(err.Error(), name+":") {
					t.Fatalf("%s: error does not name the file: %v", name, err)
				}
				return
			}
			again, err := imp(name, data, Options{Limits: lim})
			if err != nil || len(again) != len(ds) {
				t.Fatalf("%s: second import differs: %v", name, err)
			}
			for i, d := range ds {
				if err := d.Validate(); err != nil {
					t.Fatalf("%s: invalid model: %v", name, err)
				}
				for _, b := range d.Boundaries {
					if d.Depth(b.ID) > lim.MaxDepth {
						t.Fatalf("%s: boundary %q deeper than the limit", name, b.ID)
					}
				}
				if len(d.Components)+len(d.Flows) > lim.MaxElements {
					t.Fatalf("%s: %d elements", name, len(d.Components)+len(d.Flows))
				}
				if a, b := strings.Join(dump(d), "\n"), strings.Join(dump(again[i]), "\n"); a != b {
					t.Fatalf("%s: nondeterministic:\n%s\n---\n%s", name, a, b)
				}
			}
		}
		check("f.mmd", Import)
		if SniffMarkdown(data) {
			check("f.md", ImportMarkdown)
		}
	})
}
