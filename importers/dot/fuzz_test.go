package dot

import (
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// FuzzImport feeds arbitrary bytes to the DOT importer: it must never panic,
// and whatever it accepts must be a consistent model.
func FuzzImport(f *testing.F) {
	for _, s := range []string{
		"digraph { a -> b -> c }",
		"strict graph { a -- {b c} }",
		nested,
		"digraph { a [label=<<b>x</b>>]; b [shape=record label=\"{a|<p>b}\"] }",
		"digraph {\n a -> b\n b -> ;\n}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Import("fuzz.dot", data, Options{Limits: graph.Limits{MaxDepth: 50}})
		if err != nil {
			if !graph.IsInputError(err) {
				t.Fatalf("error is not an InputError: %T %v", err, err)
			}
			return
		}
		for _, d := range ds {
			if err := d.Validate(); err != nil {
				t.Fatalf("inconsistent model: %v", err)
			}
		}
	})
}
