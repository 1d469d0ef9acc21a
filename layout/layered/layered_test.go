package layered

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// generated builds a compound graph like testsupport.Generated: n nodes
// over n/10 groups two levels deep, about 1.3 edges per node.
func generated(n int, dir string) *Graph {
	g := &Graph{Direction: dir, RankSep: 170, NodeSep: 34, EdgeSep: 16}
	nb := max(n/10, 1)
	for b := 0; b < nb; b++ {
		parent := -1
		if b%4 != 0 {
			parent = b - b%4
		}
		g.Groups = append(g.Groups, Group{Parent: parent, Pad: Pad{Top: 54, Right: 22, Bottom: 22, Left: 22}, MinW: 200, MinH: 140})
	}
	for i := 0; i < n; i++ {
		g.Nodes = append(g.Nodes, Node{W: 128 + float64(i%3)*20, H: 64, Group: i % nb})
	}
	for i := 1; i < n; i++ {
		g.Edges = append(g.Edges, Edge{From: (i - 1) / 2, To: i})
		if i%3 == 0 {
			g.Edges = append(g.Edges, Edge{From: i, To: (i * 7) % n})
		}
	}
	return g
}

func overlap(a, b graph.Rect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

func inside(outer, inner graph.Rect) bool {
	const eps = 1e-6
	return inner.X >= outer.X-eps && inner.Y >= outer.Y-eps && inner.X+inner.W <= outer.X+outer.W+eps && inner.Y+inner.H <= outer.Y+outer.H+eps
}

// check asserts the engine's invariants: every node and group placed
// with its size, members inside their group (with its padding), no two
// boxes of the same group overlapping, every edge routed from its source's
// border to its target's, and everything inside Bounds.
func check(t *testing.T, g *Graph, r *Result) {
	t.Helper()
	parentOf := func(item int) int {
		if item < len(g.Nodes) {
			return g.Nodes[item].Group
		}
		return g.Groups[item-len(g.Nodes)].Parent
	}
	rect := func(item int) graph.Rect {
		if item < len(g.Nodes) {
			return r.Nodes[item]
		}
		return r.Groups[item-len(g.Nodes)]
	}
	items := len(g.Nodes) + len(g.Groups)
	byParent := map[int][]int{}
	for it := 0; it < items; it++ {
		byParent[parentOf(it)] = append(byParent[parentOf(it)], it)
	}
	for i, n := range g.Nodes {
		if r.Nodes[i].W != n.W || r.Nodes[i].H != n.H {
			t.Fatalf("node %d size %+v, want %vx%v", i, r.Nodes[i], n.W, n.H)
		}
	}
	for k, gr := range g.Groups {
		box := r.Groups[k]
		if box.W < gr.MinW || box.H < gr.MinH {
			t.Errorf("group %d %+v under its minimum", k, box)
		}
		inner := graph.Rect{X: box.X + gr.Pad.Left, Y: box.Y + gr.Pad.Top, W: box.W - gr.Pad.Left - gr.Pad.Right, H: box.H - gr.Pad.Top - gr.Pad.Bottom}
		for _, it := range byParent[k] {
			if !inside(inner, rect(it)) {
				t.Errorf("item %d %+v outside group %d's inner box %+v", it, rect(it), k, inner)
			}
		}
	}
	for p, its := range byParent {
		for a := range its {
			for b := a + 1; b < len(its); b++ {
				if overlap(rect(its[a]), rect(its[b])) {
					t.Fatalf("in group %d, items %d %+v and %d %+v overlap", p, its[a], rect(its[a]), its[b], rect(its[b]))
				}
			}
		}
	}
	for i, e := range g.Edges {
		pts := r.Routes[i]
		if len(pts) < 2 {
			t.Fatalf("edge %d (%d→%d) has no route", i, e.From, e.To)
		}
		for _, p := range pts {
			if math.IsNaN(p.X) || math.IsNaN(p.Y) || !r.Bounds.ContainsPoint(p) && e.From != e.To {
				t.Fatalf("edge %d point %+v outside bounds %+v", i, p, r.Bounds)
			}
		}
		if e.From != e.To && (!onBorder(r.Nodes[e.From], pts[0]) || !onBorder(r.Nodes[e.To], pts[len(pts)-1])) {
			t.Errorf("edge %d ends %+v %+v not on its boxes %+v %+v", i, pts[0], pts[len(pts)-1], r.Nodes[e.From], r.Nodes[e.To])
		}
	}
}

func onBorder(r graph.Rect, p graph.Point) bool {
	const eps = 1e-6
	in := p.X >= r.X-eps && p.X <= r.X+r.W+eps && p.Y >= r.Y-eps && p.Y <= r.Y+r.H+eps
	edge := math.Abs(p.X-r.X) < eps || math.Abs(p.X-r.X-r.W) < eps || math.Abs(p.Y-r.Y) < eps || math.Abs(p.Y-r.Y-r.H) < eps
	return in && edge
}

func TestLayout(t *testing.T) {
	chain := &Graph{Nodes: []Node{{100, 50, -1}, {100, 50, -1}, {100, 50, -1}}, Edges: []Edge{{0, 1}, {1, 2}}}
	tests := []struct {
		name string
		g    *Graph
	}{
		{"empty", &Graph{}},
		{"chain", chain},
		{"cycle", &Graph{Nodes: []Node{{80, 40, -1}, {80, 40, -1}, {80, 40, -1}}, Edges: []Edge{{0, 1}, {1, 2}, {2, 0}}}},
		{"self loop and parallel edges", &Graph{Nodes: []Node{{80, 40, -1}, {80, 40, -1}}, Edges: []Edge{{0, 0}, {0, 1}, {0, 1}, {1, 0}}}},
		{"empty and nested groups", &Graph{
			Groups: []Group{{Parent: -1, Pad: Pad{30, 10, 10, 10}, MinW: 150, MinH: 90}, {Parent: 0, MinW: 60, MinH: 60}, {Parent: -1, MinW: 100, MinH: 100}},
			Nodes:  []Node{{80, 40, 1}, {80, 40, -1}, {80, 40, 0}},
			Edges:  []Edge{{1, 0}, {0, 2}, {2, 1}},
		}},
		{"long edge across a group", &Graph{
			Groups: []Group{{Parent: -1, Pad: Pad{30, 10, 10, 10}}},
			Nodes:  []Node{{80, 40, -1}, {80, 40, 0}, {80, 40, 0}, {80, 40, 0}, {80, 40, -1}},
			Edges:  []Edge{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {0, 4}},
		}},
		{"no edges", &Graph{Nodes: make([]Node, 30)}},
		{"generated 200 LR", generated(200, "LR")},
		{"generated 200 TB", generated(200, "TB")},
		{"generated 200 RL", generated(200, "RL")},
		{"generated 200 BT", generated(200, "BT")},
		{"generated 1000", generated(1000, "LR")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range tt.g.Nodes {
				if tt.g.Nodes[i].W == 0 {
					tt.g.Nodes[i] = Node{W: 90, H: 40, Group: -1}
				}
			}
			r := Layout(tt.g)
			check(t, tt.g, r)
			if !reflect.DeepEqual(r, Layout(tt.g)) {
				t.Error("not deterministic")
			}
		})
	}
}

func TestDirection(t *testing.T) {
	for _, tt := range []struct {
		dir          string
		later        func(a, b graph.Rect) bool
		alsoNotLater func(a, b graph.Rect) bool
	}{
		{"LR", func(a, b graph.Rect) bool { return b.X > a.X+a.W }, nil},
		{"RL", func(a, b graph.Rect) bool { return b.X+b.W < a.X }, nil},
		{"TB", func(a, b graph.Rect) bool { return b.Y > a.Y+a.H }, nil},
		{"BT", func(a, b graph.Rect) bool { return b.Y+b.H < a.Y }, nil},
	} {
		g := &Graph{Direction: tt.dir, Nodes: []Node{{100, 50, -1}, {100, 50, -1}}, Edges: []Edge{{0, 1}}}
		r := Layout(g)
		if !tt.later(r.Nodes[0], r.Nodes[1]) {
			t.Errorf("%s: %+v then %+v", tt.dir, r.Nodes[0], r.Nodes[1])
		}
	}
}

// TestLongEdgeAvoidsBoxes: an edge skipping a layer bends around the box
// in between instead of crossing it.
func TestLongEdgeAvoidsBoxes(t *testing.T) {
	// Tall boxes: three layers are nearer the aspect than two.
	g := &Graph{Nodes: []Node{{40, 200, -1}, {40, 200, -1}, {40, 200, -1}}, Edges: []Edge{{0, 1}, {1, 2}, {0, 2}}}
	r := Layout(g)
	pts := r.Routes[2]
	if len(pts) != 3 {
		t.Fatalf("route %+v, want one bend", pts)
	}
	mid := r.Nodes[1]
	if pts[1].X < mid.X || pts[1].X > mid.X+mid.W || (pts[1].Y > mid.Y && pts[1].Y < mid.Y+mid.H) {
		t.Errorf("bend %+v does not pass beside %+v", pts[1], mid)
	}
}

// TestAspect: a long chain is folded and many unconnected boxes are
// wrapped, so that neither becomes a ribbon.
func TestAspect(t *testing.T) {
	for _, n := range []int{40, 400} {
		chain := &Graph{}
		loose := &Graph{}
		for i := 0; i < n; i++ {
			chain.Nodes = append(chain.Nodes, Node{128, 64, -1})
			loose.Nodes = append(loose.Nodes, Node{128, 64, -1})
			if i > 0 {
				chain.Edges = append(chain.Edges, Edge{i - 1, i})
			}
		}
		for name, g := range map[string]*Graph{"chain": chain, "loose": loose} {
			b := Layout(g).Bounds
			if ratio := b.W / b.H; ratio < 0.5 || ratio > 4 {
				t.Errorf("%s of %d: %vx%v", name, n, b.W, b.H)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	g := &Graph{
		Groups: []Group{{Parent: 1}, {Parent: 0}, {Parent: 7}},
		Nodes:  []Node{{math.NaN(), -5, 0}, {80, 40, 9}},
		Edges:  []Edge{{0, 1}, {0, 5}, {-1, 0}},
	}
	r := Layout(g)
	if len(r.Routes[0]) < 2 || r.Routes[1] != nil || r.Routes[2] != nil {
		t.Errorf("routes %v", r.Routes)
	}
	for _, n := range r.Nodes {
		if math.IsNaN(n.X) || math.IsNaN(n.W) {
			t.Errorf("node %+v", n)
		}
	}
}

func BenchmarkLayered(b *testing.B) {
	for _, n := range []int{200, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			g := generated(n, "LR")
			b.ReportAllocs()
			for b.Loop() {
				Layout(g)
			}
		})
	}
}
