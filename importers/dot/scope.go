package dot

import (
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// readScope marks the nodes filled with a colour a legend names as out of
// scope: a cluster captioned "Legend" or "Key" holding a filled node whose
// label says so ("Out of scope", "Existing"). A colour alone marks
// nothing. What every format shares (a property such as outOfScope=true or
// inScope=false, the words of a label or tooltip, an out-of-scope cluster
// around a node) is read by graph's Finalize.
func (b *builder) readScope() {
	legend := map[string]bool{}
	for _, bd := range b.d.Boundaries {
		if l := strings.ToLower(strings.TrimSpace(bd.Label)); !bd.LabelDerived && (l == "legend" || l == "key") {
			legend[bd.ID] = true
		}
	}
	var keys []graph.ScopeLegend
	for _, c := range b.d.Components {
		if legend[c.Boundary] && graph.ScopePhrase(c.Label) != "" {
			if f := fill(c.Attributes); f != "" {
				keys = append(keys, graph.ScopeLegend{Key: "fill", Value: f, Entry: c.Label})
			}
		}
	}
	for _, c := range b.d.Components {
		if legend[c.Boundary] {
			continue
		}
		for _, k := range keys {
			if k.Apply(c, fill(c.Attributes)) {
				break
			}
		}
	}
}

// fill is the colour a node is filled with: fillcolor, else color when
// the style is filled (as Graphviz fills it), "" when not filled.
func fill(attrs map[string]string) string {
	filled := false
	for _, st := range strings.Split(strings.ToLower(attrs["style"]), ",") {
		filled = filled || strings.TrimSpace(st) == "filled"
	}
	if !filled {
		return ""
	}
	if f := strings.TrimSpace(attrs["fillcolor"]); f != "" {
		return f
	}
	return strings.TrimSpace(attrs["color"])
}
