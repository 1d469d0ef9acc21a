package dot

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

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
		"digraph { compound=true; subgraph cluster_a { x } y -> x [lhead=cluster_a, ltail=cluster_b] }",
		"graph { a } graph B { b -- {c d} -- subgraph s { e } }",
		"digraph { charset=latin1; \"caf\xe9\" + \"\\\n!\" -> <<i>x</i>> [key=k] a:p:n -> -1.5 }",
		"# cpp\nSTRICT DiGraph { node [shape=record label=\"{a|<p> b}\"]; edge [dir=back]; a -> b -> a }",
		"digraph { /* c */ {a b c} -> {d e f} -> {g h i} // x\n}",
		"digraph { compound=true; subgraph cluster_1 { label=\"\"; a; subgraph cluster_2 { b } } x -> a [lhead=cluster_1] b -> x [ltail=cluster_2] }",
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
		again, err := Import("fuzz.dot", data, Options{Limits: graph.Limits{MaxDepth: 50}})
		if err != nil || len(again) != len(ds) {
			t.Fatalf("second import differs: %v", err)
		}
		for i, d := range ds {
			if err := d.Validate(); err != nil {
				t.Fatalf("inconsistent model: %v", err)
			}
			if a, b := strings.Join(dumpMeaning(d), "\n"), strings.Join(dumpMeaning(again[i]), "\n"); a != b {
				t.Fatalf("nondeterministic reading:\n%s\n---\n%s", a, b)
			}
			if a, b := strings.Join(dump(d), "\n"), strings.Join(dump(again[i]), "\n"); a != b {
				t.Fatalf("nondeterministic:\n%s\n---\n%s", a, b)
			}
			for _, c := range d.Components {
				if !utf8.ValidString(c.ID) || !utf8.ValidString(c.Label) || !utf8.ValidString(c.KindEvidence) || !utf8.ValidString(c.OutOfScopeReason) {
					t.Fatalf("invalid UTF-8 in component %q", c.ID)
				}
				if (c.KindEvidence != "") && c.Kind == graph.KindUnknown || c.OutOfScope != (c.OutOfScopeReason != "") {
					t.Fatalf("component %q: evidence %q for kind %q, out of scope %v for %q", c.ID, c.KindEvidence, c.Kind, c.OutOfScope, c.OutOfScopeReason)
				}
			}
		}
	})
}

// dumpMeaning lists what the importer read into each element beyond its
// drawing: kind and its evidence, derived labels, scope.
func dumpMeaning(d *graph.Diagram) []string {
	var out []string
	for _, c := range d.Components {
		out = append(out, fmt.Sprintf("C %s|%s|%s|%v|%v|%s", c.ID, c.Kind, c.KindEvidence, c.LabelDerived, c.OutOfScope, c.OutOfScopeReason))
	}
	for _, b := range d.Boundaries {
		out = append(out, fmt.Sprintf("B %s|%v|%v|%s", b.ID, b.LabelDerived, b.OutOfScope, b.OutOfScopeReason))
	}
	for _, f := range d.Flows {
		out = append(out, fmt.Sprintf("F %s|%v|%s", f.ID, f.OutOfScope, f.OutOfScopeReason))
	}
	return out
}
