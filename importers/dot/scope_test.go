package dot

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// TestScope: what the author takes out of scope in DOT, read from a
// cluster's caption, a node's tooltip, a property, a legend that names a
// fill colour, and an edge's property; the components of an out-of-scope
// cluster inherit it. A colour no legend names marks nothing.
func TestScope(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "scope", "threatmap-scope.dot"))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Import("threatmap-scope.dot", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	var got []string
	for _, c := range d.Components {
		if c.OutOfScope {
			got = append(got, "C "+c.ID+": "+c.OutOfScopeReason)
		}
	}
	for _, b := range d.Boundaries {
		if b.OutOfScope {
			got = append(got, "B "+b.ID+": "+b.OutOfScopeReason)
		}
	}
	for _, f := range d.Flows {
		if f.OutOfScope {
			got = append(got, "F "+f.ID+": "+f.OutOfScopeReason)
		}
	}
	sort.Strings(got)
	diffLines(t, got, []string{
		`B cluster_ci: label says "out of scope"`,
		`C cache: inside "CI runner (out of scope)": label says "out of scope"`,
		`C gv: tooltip says "already threat modelled"`,
		`C oos: label says "out of scope"`,
		`C rules: the legend says "Out of scope" for fill grey85`,
		`C runner: inside "CI runner (out of scope)": label says "out of scope"`,
		`C vendor: Covered by the supplier's assessment (property inScope="false")`,
		`F vendor->cli: property outOfScope="true"`,
	})
}

// TestScopeColourAlone: a grey fill without a legend that names it marks
// nothing.
func TestScopeColourAlone(t *testing.T) {
	d := mustImport(t, `digraph { a [style=filled fillcolor=grey85 label="Old billing"]; b [label="Scope checker"]; a -> b }`)
	for _, c := range d.Components {
		if c.OutOfScope {
			t.Errorf("%s out of scope: %s", c.ID, c.OutOfScopeReason)
		}
	}
}
