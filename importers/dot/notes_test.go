package dot

import (
	"fmt"
	"testing"
)

// TestTextOnlyNodes: a node that is only text on the picture and joins no
// edge (a title, a "..." placeholder, an invisible spacer) is a note with
// a warning, as draw.io text cells are; anything drawn as a shape, an
// image or an HTML table, or on an edge, stays a component.
func TestTextOnlyNodes(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"ellipsis placeholder in a cluster (TF-A's DFD)",
			"digraph {\n subgraph cluster_ip {\n  label=\"Hardware IPs\"\n  gic [label=\"GIC\"]\n  etc [label=\"...\" shape=none style=none]\n }\n gic -> cpu\n}",
			[]string{"C gic|GIC||cluster_ip|@4:3", "C cpu|cpu|||@7:9", "F gic->cpu|gic->cpu||-|@7:6", "B cluster_ip|Hardware IPs||gic|@2:2",
				`W 5:3: node "etc" is a placeholder (label "...") and is on no edge: imported as a note, not a component`,
				"N etc|...|@5:3"}},
		{"plaintext title",
			"digraph {\n title [shape=plaintext label=\"Payments, v2\"]\n a -> b\n}",
			[]string{"C a|a|||@3:2", "C b|b|||@3:7", "F a->b|a->b||-|@3:4",
				`W 2:2: node "title" is drawn as text only (shape=plaintext) and is on no edge: imported as a note, not a component`,
				"N title|Payments, v2|@2:2"}},
		{"invisible spacer",
			"digraph {\n s [style=invis]\n a -> b\n}",
			[]string{"C a|a|||@3:2", "C b|b|||@3:7", "F a->b|a->b||-|@3:4",
				`W 2:2: node "s" is invisible (style=invis) and is on no edge: imported as a note, not a component`,
				"N s|s|@2:2"}},
		{"text on an edge is a component",
			"digraph {\n u [shape=plaintext label=\"User\"]\n u -> a\n}",
			[]string{"C u|User|plaintext||@2:2", "C a|a|||@3:7", "F u->a|u->a||-|@3:4"}},
		{"shape=none with an image (pytm data store)",
			"digraph {\n db [shape=none image=\"datastore.png\" xlabel=\"SQL Database\" label=\"\"]\n}",
			[]string{"C db|SQL Database|none||@2:2"}},
		{"HTML table drawn without a shape",
			"digraph {\n t [shape=plaintext label=<<table><tr><td>Orders</td></tr></table>>]\n}",
			[]string{"C t|Orders|plaintext||@2:2"}},
		{"placeholder on an edge stays",
			"digraph {\n a -> \"...\"\n}",
			[]string{"C a|a|||@2:2", "C ...|...|||@2:7", "F a->...|a->...||-|@2:4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustImport(t, tt.src)
			got := dump(d)
			for _, n := range d.Notes {
				got = append(got, fmt.Sprintf("N %s|%s|@%s", n.ID, n.Text, n.Pos))
			}
			diffLines(t, got, tt.want)
		})
	}
}
