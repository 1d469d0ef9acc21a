package dot

import (
	"fmt"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// clusterEnds makes the components that stand for clusters used as edge
// ends (lhead/ltail with compound=true): Graphviz calls the cluster the
// edge's logical head (or tail) and the node it names its real one, which
// the drawing hides by clipping the arrow at the frame. A frame around
// several components is the end the author drew: the edge ends on a
// component that stands for it. A frame around one component is that
// component: the edge stays on it. The convention is shared by every
// importer: the component's ID is the boundary's ID, its Label the
// boundary's label, its Boundary the boundary itself, and
// Attributes["represents"] is "boundary". It is created once per cluster,
// and one warning per cluster says the edges were attached to it as a
// whole.
type clusterEnds struct {
	order []string
	first map[string]string // cluster id -> first edge, as "a -> b (lhead)"
	at    map[string]graph.Position
	count map[string]int
}

// clusterEnds moves the ends of f named by lhead and ltail to their
// clusters, as Graphviz draws them when the graph sets compound=true.
func (b *builder) clusterEnds(f *graph.Flow) {
	lhead, ltail := f.Attributes["lhead"], f.Attributes["ltail"]
	if lhead == "" && ltail == "" {
		return
	}
	if !isTrue(b.root().attrs["compound"].s) {
		b.d.Warn(f.Pos, "edge %s: lhead/ltail are ignored without compound=true on the graph, as Graphviz does", f.ID)
		return
	}
	desc := f.Source + " " + b.op + " " + f.Target
	if id := b.clusterEnd(lhead, f.Target, "lhead", desc, f.Pos); id != "" {
		f.Target = id
	}
	if id := b.clusterEnd(ltail, f.Source, "ltail", desc, f.Pos); id != "" {
		f.Source = id
	}
}

func isTrue(s string) bool {
	switch strings.ToLower(s) {
	case "true", "yes", "1":
		return true
	}
	return false
}

// clusterEnd returns the component standing for cluster id, where node
// was the edge's end; "" (with a warning) when the end stays on the node.
func (b *builder) clusterEnd(id, node, attr, desc string, at graph.Position) string {
	if id == "" {
		return ""
	}
	if b.d.Boundary(id) == nil {
		b.d.Warn(at, "edge %s: %s=%q names no cluster; the edge stays on node %q", desc, attr, id, node)
		return ""
	}
	if !b.inside(node, id) {
		b.d.Warn(at, "edge %s: node %q is not inside %s cluster %q; the edge stays on the node, as Graphviz draws it", desc, node, attr, id)
		return ""
	}
	if b.holds(id) == 1 {
		// A frame around this one node: the frame and the node are the
		// same end, and the flow stays on the node the edge names. Its
		// lhead/ltail attribute records the frame.
		return ""
	}
	e := &b.ends
	if e.count == nil {
		e.first, e.at, e.count = map[string]string{}, map[string]graph.Position{}, map[string]int{}
	}
	if e.count[id] == 0 {
		if c := b.d.Component(id); c != nil {
			b.d.Warn(at, "edge %s: cluster %q has the name of a node; the edge stays on node %q", desc, id, node)
			return ""
		}
		bd := b.d.Boundary(id)
		// AddComponent cannot fail: no component has this id.
		_ = b.d.AddComponent(&graph.Component{
			ID: id, Label: bd.Label, LabelDerived: bd.LabelDerived, Boundary: id, Pos: bd.Pos,
			Attributes: map[string]string{"represents": "boundary"},
		})
		e.order = append(e.order, id)
		e.first[id] = desc + " (" + attr + ")"
		e.at[id] = at
	}
	e.count[id]++
	return id
}

// holds returns how many components cluster id holds, directly or in the
// clusters nested in it (not counting the components that stand for
// clusters).
func (b *builder) holds(id string) int {
	if b.held == nil {
		b.held = map[string]int{}
		for _, c := range b.d.Components {
			if c.Attributes["represents"] == "boundary" {
				continue
			}
			for _, bd := range b.d.BoundaryPath(c.ID) {
				b.held[bd]++
			}
		}
	}
	return b.held[id]
}

// inside reports whether node's boundary is cluster id or nested in it.
func (b *builder) inside(node, id string) bool {
	for _, p := range b.d.BoundaryPath(node) {
		if p == id {
			return true
		}
	}
	return false
}

func (e *clusterEnds) warn(d *graph.Diagram) {
	for _, id := range e.order {
		more := ""
		if n := e.count[id]; n > 1 {
			more = fmt.Sprintf(" (%d edge ends in all)", n)
		}
		d.Warn(e.at[id], "edge %s attached to cluster %q as a whole, not to a node in it%s", e.first[id], id, more)
	}
}
