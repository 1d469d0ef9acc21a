package drawio

import (
	"math"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// readScope marks the components filled with a colour that a legend names
// as out of scope. A legend (a shape labelled "Legend" or "Key" with shapes
// inside, see isLegend) names a style when one of its entries says "out
// of scope" (or another phrase graph.ScopePhrase knows): a filled shape whose own
// label says so, or a text beside a filled swatch on the same row. Every
// component drawn with that fill is out of scope, with the entry as the
// reason. A colour no legend names marks nothing. Properties (outOfScope,
// inScope), tooltips and the words of labels are read by graph's Finalize,
// as for every format.
func (b *builder) readScope() {
	var keys []graph.ScopeLegend
	for i, c := range b.cells {
		if c.legend {
			keys = append(keys, b.legendScope(i)...)
		}
	}
	if len(keys) == 0 {
		return
	}
	for _, comp := range b.d.Components {
		f := parseStyle(comp.Style).get("fillColor")
		for _, k := range keys {
			if k.Apply(comp, f) {
				break
			}
		}
	}
}

// legendScope returns the out-of-scope entries of legend i.
func (b *builder) legendScope(i int) []graph.ScopeLegend {
	var texts, swatches []*cell
	stack := append([]int(nil), b.cells[i].children...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c := b.cells[x]
		stack = append(stack, c.children...)
		if c.hidden || c.kind != kindVertex {
			continue
		}
		fill := legendFill(c)
		switch {
		case graph.ScopePhrase(c.label) != "" && fill != "":
			// A swatch with its meaning written inside.
			return []graph.ScopeLegend{{Key: "fillColor", Value: fill, Entry: c.label}}
		case graph.ScopePhrase(c.label) != "":
			texts = append(texts, c)
		case fill != "" && c.hasGeo:
			swatches = append(swatches, c)
		}
	}
	var out []graph.ScopeLegend
	for _, t := range texts {
		if !t.hasGeo {
			continue
		}
		// The swatch on the text's row nearest to it.
		var best *cell
		bestGap := math.Inf(1)
		ty := t.abs.Y + t.abs.H/2
		for _, s := range swatches {
			if sy := s.abs.Y + s.abs.H/2; math.Abs(sy-ty) > math.Max(t.abs.H, s.abs.H)/2 {
				continue
			}
			gap := math.Max(t.abs.X-(s.abs.X+s.abs.W), s.abs.X-(t.abs.X+t.abs.W))
			if gap < bestGap {
				best, bestGap = s, gap
			}
		}
		if best != nil {
			out = append(out, graph.ScopeLegend{Key: "fillColor", Value: legendFill(best), Entry: t.label})
		}
	}
	return out
}

// legendFill is a legend shape's fill colour, "" when it has none (text,
// no fill, the default white).
func legendFill(c *cell) string {
	if c.st.isText() || c.st.noFill() {
		return ""
	}
	f := strings.TrimSpace(c.st.get("fillColor"))
	switch strings.ToLower(f) {
	case "", "default", "#ffffff", "white", "#fff":
		return ""
	}
	return f
}
