package layout

import (
	"math"
	"sort"

	"github.com/threatmap/threatmap/graph"
)

// Grid spacing.
const (
	gridGapX = EdgeLabelMax + 30 // room for a flow label between neighbours
	gridGapY = 80.0
	gridPad  = 22.0
)

// block is a component or a boundary being packed by the grid layout, with
// its position relative to its parent block.
type block struct {
	comp     string // component ID, or
	boundary string // boundary ID
	w, h     float64
	x, y     float64
	rank     int // flow order: the smallest rank inside
	kids     []*block
}

// Grid is the fallback layout: every boundary is a box holding a grid of its
// members and nested boundaries, packed in rows in diagram order; flows are
// straight lines, with room for opts.EdgeNotes under their labels. It is
// linear in the size of the diagram and never fails.
func Grid(d *graph.Diagram, opts Options) *Layout {
	notes := opts.EdgeNotes
	kids := map[string][]*block{}
	for _, b := range d.Boundaries {
		kids[b.Parent] = append(kids[b.Parent], &block{boundary: b.ID})
	}
	ranks := flowRanks(d)
	for _, c := range d.Components {
		w, h := NodeSize(c)
		kids[c.Boundary] = append(kids[c.Boundary], &block{comp: c.ID, w: w, h: h, rank: ranks[c.ID]})
	}
	// Boundaries with an unknown parent would be lost: hang them at the top.
	for _, b := range d.Boundaries {
		if b.Parent != "" && d.Boundary(b.Parent) == nil {
			kids[""] = append(kids[""], &block{boundary: b.ID})
		}
	}
	root := &block{}
	seen := map[string]bool{}
	var build func(b *block, depth int)
	build = func(b *block, depth int) {
		if b.boundary != "" {
			if seen[b.boundary] || depth > 1000 {
				return
			}
			seen[b.boundary] = true
		}
		if b.comp == "" {
			b.kids = kids[b.boundary]
			b.rank = math.MaxInt
			for _, k := range b.kids {
				build(k, depth+1)
				b.rank = min(b.rank, k.rank)
			}
			sort.SliceStable(b.kids, func(i, j int) bool { return b.kids[i].rank < b.kids[j].rank })
			pack(b)
		}
	}
	build(root, 0)

	l := &Layout{Engine: EngineGrid}
	var place func(b *block, ox, oy float64, depth int)
	place = func(b *block, ox, oy float64, depth int) {
		x, y := ox+b.x, oy+b.y
		r := graph.Rect{X: x, Y: y, W: b.w, H: b.h}
		switch {
		case b.comp != "":
			l.Nodes = append(l.Nodes, Node{ID: b.comp, Rect: r})
		case b.boundary != "":
			l.Containers = append(l.Containers, Container{ID: b.boundary, Rect: r, Label: labelStrip(r), Depth: depth})
		}
		for _, k := range b.kids {
			place(k, x, y, depth+1)
		}
	}
	place(root, 0, 0, 0)
	routeEdges(l, d, false, notes)
	attachStandIns(l, d, notes)
	l.computeBounds()
	return l
}

// pack arranges b's children in rows about as wide as the block is tall and
// sets b's size.
func pack(b *block) {
	top, pad := 0.0, 0.0
	if b.boundary != "" {
		top, pad = LabelStrip+8, gridPad
	}
	if len(b.kids) == 0 {
		b.w, b.h = max(NodeMinWidth+2*pad, 160), NodeMinHeight+top+2*pad
		return
	}
	area := 0.0
	for _, k := range b.kids {
		area += (k.w + gridGapX) * (k.h + gridGapY)
	}
	rowMax := max(math.Sqrt(area)*1.6, 200)
	x, y, rowH, maxW := pad, top+pad, 0.0, 0.0
	for _, k := range b.kids {
		if x > pad && x+k.w > rowMax {
			x, y, rowH = pad, y+rowH+gridGapY, 0
		}
		k.x, k.y = x, y
		x += k.w + gridGapX
		rowH = max(rowH, k.h)
		maxW = max(maxW, x-gridGapX)
	}
	b.w, b.h = maxW+pad, y+rowH+pad
}

// flowRanks numbers components in flow order: breadth-first distance from
// the components nothing flows into, so that the grid reads roughly from
// sources to sinks. Components on cycles only get ranks from later walks.
func flowRanks(d *graph.Diagram) map[string]int {
	out := map[string][]string{}
	in := map[string]int{}
	for _, f := range d.Flows {
		if f.Source != f.Target {
			out[f.Source] = append(out[f.Source], f.Target)
			in[f.Target]++
		}
	}
	rank := make(map[string]int, len(d.Components))
	walk := func(starts []string, base int) {
		queue := starts
		for _, s := range starts {
			rank[s] = base
		}
		for len(queue) > 0 {
			c := queue[0]
			queue = queue[1:]
			for _, t := range out[c] {
				if _, seen := rank[t]; !seen {
					rank[t] = rank[c] + 1
					queue = append(queue, t)
				}
			}
		}
	}
	var sources []string
	for _, c := range d.Components {
		if in[c.ID] == 0 {
			sources = append(sources, c.ID)
		}
	}
	walk(sources, 0)
	for _, c := range d.Components {
		if _, seen := rank[c.ID]; !seen {
			walk([]string{c.ID}, 0)
		}
	}
	return rank
}
