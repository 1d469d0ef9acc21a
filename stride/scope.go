package stride

import "github.com/threatmap/threatmap/graph"

// This file decides what the analysis reads as the author's: labels an
// importer derived (graph.Component.LabelDerived) name an element without
// being read for its context.

// authorComponents returns the components as context reading must see
// them: a component whose label the importer derived (a frame named
// after what it holds) is a copy without a label, so that its roles,
// data classes, technology and kind come from its shape, attributes and
// flows, never from words the author did not write about it. It returns
// cs itself when no label is derived.
func authorComponents(cs []*graph.Component) []*graph.Component {
	var out []*graph.Component
	for i, c := range cs {
		if !c.LabelDerived {
			if out != nil {
				out[i] = c
			}
			continue
		}
		if out == nil {
			out = make([]*graph.Component, len(cs))
			copy(out, cs[:i])
		}
		v := *c
		v.Label = ""
		out[i] = &v
	}
	if out == nil {
		return cs
	}
	return out
}

// nameDerived gives ci, read from view (authorComponents), back its
// component c and the name the importer derived for it, which every output
// shows.
func (ci *compInfo) nameDerived(c, view *graph.Component) {
	if c == view {
		return
	}
	ci.c = c
	if l := oneLine(c.Label); l != "" {
		ci.label = l
	}
}

// authorLabel is the boundary label context reading reads: "" when the
// importer derived it.
func authorLabel(b *graph.Boundary) string {
	if b.LabelDerived {
		return ""
	}
	return b.Label
}

// statedKindReason says why an importer's kind stands: what in the
// source stated it.
func statedKindReason(c *graph.Component) string {
	if c.KindEvidence != "" {
		return c.KindEvidence
	}
	return "kind " + string(c.Kind) + " stated in the source diagram"
}
