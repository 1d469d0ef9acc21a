package mermaid

import (
	"sort"
	"strings"
	"testing"
)

// TestScope: a Mermaid author takes parts out of scope with a class named
// for it, or with words in a node's or subgraph's label; a classDef's
// colour alone marks nothing.
func TestScope(t *testing.T) {
	d := mustImport(t, `flowchart LR
  subgraph ci["CI runner (out of scope)"]
    runner[Runner]
  end
  cli[threatmap CLI] --> gv[Graphviz runtime]
  rules[(Rule library)]:::outOfScope --> cli
  runner --> cli
  vendor[Vendor feed - not in scope] --> cli
  old[Old portal]:::grey --> cli
  classDef outOfScope fill:#eee
  classDef grey fill:#eee
`)
	var got []string
	for _, c := range d.Components {
		if c.OutOfScope {
			got = append(got, c.ID+": "+c.OutOfScopeReason)
		}
	}
	sort.Strings(got)
	want := []string{
		`rules: class "outOfScope"`,
		`runner: inside "CI runner (out of scope)": label says "out of scope"`,
		`vendor: label says "not in scope"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("out of scope:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
