package cgraph

// Added in threatmap's patched copy (see NOTES.md).

import "context"

// AttachAttrs stores a laid-out graph's geometry in its attributes, as
// Graphviz's dot and json0 renderers do before writing them: "bb" of the
// graph and of every cluster, "lp" of labels, "pos" of nodes and edges
// (the same strings those formats print), "width" and "height" of nodes.
// Call it after a layout and before the layout is freed.
func (g *Graph) AttachAttrs() error {
	return g.wasm.AttachAttrs(context.Background())
}
