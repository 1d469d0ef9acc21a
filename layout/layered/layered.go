// Package layered is a native layered (Sugiyama-style) layout for compound
// graphs: boxes nested in boxes, joined by directed edges. It is the engine
// threatmap uses for diagrams too large for Graphviz, written to be close
// to linear in the size of the graph and fully deterministic (no maps
// iterated, no clocks, no randomness).
//
// Nested groups are laid out bottom-up: each group's members (its nodes and
// child groups, the latter as single boxes of their computed size) are
// placed by the classic steps, and edges between members of different
// groups are lifted to the level where their ends meet:
//
//   - cycle removal (depth-first, back edges reversed) and longest-path
//     layer assignment, with sources pulled towards their successors;
//   - layers too deep are compressed and layers too full are split into
//     several, so that the picture keeps a sane aspect ratio;
//   - long edges get one dummy point per layer they cross;
//   - crossing reduction by barycentre sweeps, down and up;
//   - coordinate assignment: each layer is placed as close as possible to
//     the barycentre of its neighbours under the spacing constraints
//     (weighted isotonic regression, exact and linear per layer);
//   - routes are polylines through the dummy points, which lie between
//     boxes of that level, so long edges avoid the boxes they pass.
package layered

import (
	"math"
	"sort"

	"github.com/threatmap/threatmap/graph"
)

// Graph is the input: leaf boxes, nested groups and edges between leaves.
type Graph struct {
	Nodes  []Node
	Groups []Group
	Edges  []Edge
	// Direction is the rank direction: "LR" (default), "RL", "TB" or "BT".
	Direction string
	// RankSep is the gap between layers, NodeSep between neighbouring
	// boxes of a layer and EdgeSep between edges passing side by side.
	RankSep, NodeSep, EdgeSep float64
}

// Node is a leaf box of the given size in group Group (-1: top level).
type Node struct {
	W, H  float64
	Group int
}

// Group is a box around its members, inside group Parent (-1: top level).
// Pad is the room kept between the members and the box's sides (the top
// holds the group's title); MinW and MinH bound the box's size from below.
type Group struct {
	Parent     int
	Pad        Pad
	MinW, MinH float64
}

// Pad is room on each side of a box, in the final (screen) frame.
type Pad struct{ Top, Right, Bottom, Left float64 }

// Edge joins node From to node To.
type Edge struct{ From, To int }

// Result is the placed graph, in the order of the input.
type Result struct {
	Nodes  []graph.Rect
	Groups []graph.Rect
	// Routes are polylines from the From box's border to the To box's
	// border; Labels are where each edge's label goes (between layers
	// where the edge has a bend there).
	Routes [][]graph.Point
	Labels []graph.Point
	Bounds graph.Rect
}

// Layout places g. It never fails: bad group references are treated as top
// level, and edges whose ends are out of range get no route.
func Layout(g *Graph) *Result {
	s := newState(g)
	for _, lv := range s.levelOrder() {
		s.layoutLevel(lv)
	}
	s.place(-1, 0, 0)
	s.route()
	return s.res
}

// Item numbering: node i is item i, group k is item len(Nodes)+k.

type state struct {
	g       *Graph
	lr      bool // rank axis is x
	reverse bool // RL or BT
	parent  []int
	paths   [][]int // groups from the top down to each node's group
	levels  []*level
	// size of each item in the final frame
	w, h []float64
	res  *Result
	// lifted edges: level and the pair of items
	edgeLevel []int
	edgeA     []int
	edgeB     []int
	edgeSlot  []int // position in its pair's edges
}

// level is one group's (or the top level's) own layout.
type level struct {
	id    int   // group, or -1
	items []int // member items
	// placed: item centres relative to the level's box top-left
	cx, cy map[int]float64
	// pairs of lifted edges and their waypoints, in the A→B direction
	pairs    map[[2]int]*pair
	pairKeys [][2]int
	// rank axis extent of each layer, for label placement
	w, h float64
}

type pair struct {
	a, b      int
	edges     []int // input edges, in input order
	waypoints []graph.Point
}

func newState(g *Graph) *state {
	nn, ng := len(g.Nodes), len(g.Groups)
	s := &state{g: g, res: &Result{
		Nodes: make([]graph.Rect, nn), Groups: make([]graph.Rect, ng),
		Routes: make([][]graph.Point, len(g.Edges)), Labels: make([]graph.Point, len(g.Edges)),
	}}
	switch g.Direction {
	case "TB", "TD":
	case "BT":
		s.reverse = true
	case "RL":
		s.lr, s.reverse = true, true
	default:
		s.lr = true
	}
	if g.RankSep <= 0 {
		g.RankSep = 60
	}
	if g.NodeSep <= 0 {
		g.NodeSep = 30
	}
	if g.EdgeSep <= 0 {
		g.EdgeSep = 12
	}
	// Group parents, with cycles and bad references cut to the top.
	s.parent = make([]int, ng)
	for k, gr := range g.Groups {
		s.parent[k] = -1
		if gr.Parent >= 0 && gr.Parent < ng && gr.Parent != k {
			s.parent[k] = gr.Parent
		}
	}
	for k := range s.parent {
		seen := 0
		for p := s.parent[k]; p >= 0; p = s.parent[p] {
			if seen++; seen > ng {
				s.parent[k] = -1
				break
			}
		}
	}
	s.w = make([]float64, nn+ng)
	s.h = make([]float64, nn+ng)
	for i, n := range g.Nodes {
		s.w[i], s.h[i] = sane(n.W), sane(n.H)
	}
	// Levels: one per group plus the top level (index ng).
	s.levels = make([]*level, ng+1)
	for k := range s.levels {
		s.levels[k] = &level{id: k, pairs: map[[2]int]*pair{}}
	}
	s.levels[ng].id = -1
	for i, n := range g.Nodes {
		s.levels[s.levelOf(n.Group)].items = append(s.levels[s.levelOf(n.Group)].items, i)
	}
	for k := range g.Groups {
		lv := s.levelOf(s.parent[k])
		s.levels[lv].items = append(s.levels[lv].items, nn+k)
	}
	s.paths = make([][]int, nn)
	for i, n := range g.Nodes {
		var p []int
		for k := s.groupOf(n.Group); k >= 0; k = s.parent[k] {
			p = append(p, k)
		}
		for a, b := 0, len(p)-1; a < b; a, b = a+1, b-1 {
			p[a], p[b] = p[b], p[a]
		}
		s.paths[i] = p
	}
	s.lift()
	return s
}

func sane(v float64) float64 {
	if math.IsNaN(v) || v < 1 {
		return 1
	}
	return min(v, 1e5)
}

func (s *state) groupOf(k int) int {
	if k < 0 || k >= len(s.g.Groups) {
		return -1
	}
	return k
}

// levelOf maps a group (or -1) to its level index.
func (s *state) levelOf(k int) int {
	if k = s.groupOf(k); k < 0 {
		return len(s.g.Groups)
	}
	return k
}

// lift finds, for each edge, the level where its ends meet and the two
// items of that level that hold them.
func (s *state) lift() {
	nn := len(s.g.Nodes)
	s.edgeLevel = make([]int, len(s.g.Edges))
	s.edgeA = make([]int, len(s.g.Edges))
	s.edgeB = make([]int, len(s.g.Edges))
	s.edgeSlot = make([]int, len(s.g.Edges))
	for i, e := range s.g.Edges {
		s.edgeLevel[i] = -1
		if e.From < 0 || e.From >= nn || e.To < 0 || e.To >= nn || e.From == e.To {
			continue
		}
		pa, pb := s.paths[e.From], s.paths[e.To]
		k := 0
		for k < len(pa) && k < len(pb) && pa[k] == pb[k] {
			k++
		}
		lv := len(s.g.Groups)
		if k > 0 {
			lv = pa[k-1]
		}
		a, b := e.From, e.To
		if k < len(pa) {
			a = nn + pa[k]
		}
		if k < len(pb) {
			b = nn + pb[k]
		}
		s.edgeLevel[i], s.edgeA[i], s.edgeB[i] = lv, a, b
		L := s.levels[lv]
		key := [2]int{a, b}
		p := L.pairs[key]
		if p == nil {
			p = &pair{a: a, b: b}
			L.pairs[key] = p
			L.pairKeys = append(L.pairKeys, key)
		}
		s.edgeSlot[i] = len(p.edges)
		p.edges = append(p.edges, i)
	}
}

// levelOrder lists levels deepest first, the top level last.
func (s *state) levelOrder() []int {
	ng := len(s.g.Groups)
	depth := make([]int, ng)
	order := make([]int, ng)
	for k := range depth {
		for p := s.parent[k]; p >= 0; p = s.parent[p] {
			depth[k]++
		}
		order[k] = k
	}
	sort.SliceStable(order, func(i, j int) bool { return depth[order[i]] > depth[order[j]] })
	return append(order, ng)
}

// place sets absolute rects: level lv's box has its top-left at (x, y).
func (s *state) place(k int, x, y float64) {
	L := s.levels[s.levelOf(k)]
	nn := len(s.g.Nodes)
	for _, it := range L.items {
		cx, cy := x+L.cx[it], y+L.cy[it]
		r := graph.Rect{X: cx - s.w[it]/2, Y: cy - s.h[it]/2, W: s.w[it], H: s.h[it]}
		if it < nn {
			s.res.Nodes[it] = r
			continue
		}
		s.res.Groups[it-nn] = r
		s.place(it-nn, r.X, r.Y)
	}
	for _, key := range L.pairKeys {
		p := L.pairs[key]
		for i := range p.waypoints {
			p.waypoints[i].X += x
			p.waypoints[i].Y += y
		}
	}
	if k < 0 {
		s.res.Bounds = graph.Rect{X: x, Y: y, W: L.w, H: L.h}
	}
}
