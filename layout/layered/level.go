package layered

import (
	"math"
	"sort"

	"github.com/threatmap/threatmap/graph"
)

// vnode is an item or a dummy point of one level's layered layout, in the
// canonical frame: rank axis r (layers), cross axis c.
type vnode struct {
	item       int     // item, or -1 for a dummy
	rs, cs     float64 // size along the rank and cross axes
	rank       int
	pos        float64 // order key, then cross-axis centre
	up, down   []int   // neighbours in the layers before and after
	weight     float64
	pairKey    [2]int // dummies: the pair they belong to
	chainIndex int
}

// layoutLevel places the members of level lv relative to its box and sets
// the box's size (the group's item size in its parent level).
func (s *state) layoutLevel(lv int) {
	L := s.levels[lv]
	L.cx, L.cy = make(map[int]float64, len(L.items)), make(map[int]float64, len(L.items))
	n := len(L.items)
	local := make(map[int]int, n)
	for i, it := range L.items {
		local[it] = i
	}
	vs := make([]*vnode, n)
	for i, it := range L.items {
		rs, cs := s.w[it], s.h[it]
		if !s.lr {
			rs, cs = cs, rs
		}
		vs[i] = &vnode{item: it, rs: rs, cs: cs, weight: 1}
	}
	// Deduplicated directed edges between local items.
	succ := make([][]int, n)
	for _, key := range L.pairKeys {
		a, b := local[key[0]], local[key[1]]
		succ[a] = append(succ[a], b)
	}
	ranks := assignRanks(n, succ)
	rsz, csz := make([]float64, n), make([]float64, n)
	for i, v := range vs {
		rsz[i], csz[i] = v.rs, v.cs
	}
	nl := s.shapeLayers(ranks, succ, rsz, csz)
	if s.reverse {
		for i := range ranks {
			ranks[i] = nl - 1 - ranks[i]
		}
	}
	for i := range vs {
		vs[i].rank = ranks[i]
	}
	// Dummies for edges spanning layers; waypoints of flat edges.
	chains := make(map[[2]int][]int, len(L.pairKeys))
	for _, key := range L.pairKeys {
		p := L.pairs[key]
		a, b := local[key[0]], local[key[1]]
		lo, hi := a, b
		if ranks[a] > ranks[b] {
			lo, hi = b, a
		}
		width := float64(len(p.edges)-1) * s.bundleSep(len(p.edges))
		prev := lo
		var chain []int
		for r := ranks[lo] + 1; r < ranks[hi]; r++ {
			d := len(vs)
			vs = append(vs, &vnode{item: -1, cs: width, rank: r, weight: 2, pairKey: key, chainIndex: len(chain)})
			chain = append(chain, d)
			vs[prev].down = append(vs[prev].down, d)
			vs[d].up = append(vs[d].up, prev)
			prev = d
		}
		if ranks[lo] != ranks[hi] {
			vs[prev].down = append(vs[prev].down, hi)
			vs[hi].up = append(vs[hi].up, prev)
		}
		chains[key] = chain
	}
	layers := make([][]int, nl)
	for i, v := range vs {
		layers[v.rank] = append(layers[v.rank], i)
	}
	for _, layer := range layers {
		for k, i := range layer {
			vs[i].pos = float64(k)
		}
	}
	reduceCrossings(vs, layers)
	s.assignCoordinates(vs, layers)

	// Rank-axis coordinates: layers side by side, items centred.
	rankStart := make([]float64, nl)
	rankSize := make([]float64, nl)
	for r, layer := range layers {
		for _, i := range layer {
			rankSize[r] = max(rankSize[r], vs[i].rs)
		}
	}
	at := 0.0
	for r := range layers {
		rankStart[r] = at
		at += rankSize[r] + s.g.RankSep
	}
	rankExtent := max(at-s.g.RankSep, 0)
	if nl == 1 && s.hasFlat(L) {
		// A single layer with edges inside it: room for their bends.
		rankExtent += s.g.RankSep / 2
	}
	crossExtent := 0.0
	for _, v := range vs {
		crossExtent = max(crossExtent, v.pos+v.cs/2)
	}
	// The box: padding in the screen frame, room for the title.
	var pad Pad
	minW, minH := 0.0, 0.0
	if L.id >= 0 {
		gr := s.g.Groups[L.id]
		pad, minW, minH = gr.Pad, gr.MinW, gr.MinH
	}
	x0, y0 := pad.Left, pad.Top
	mid := func(v *vnode) (float64, float64) {
		r := rankStart[v.rank] + rankSize[v.rank]/2
		if s.lr {
			return x0 + r, y0 + v.pos
		}
		return x0 + v.pos, y0 + r
	}
	for _, v := range vs[:n] {
		L.cx[v.item], L.cy[v.item] = mid(v)
	}
	cw, ch := rankExtent, crossExtent
	if !s.lr {
		cw, ch = ch, cw
	}
	L.w = max(cw+pad.Left+pad.Right, minW)
	L.h = max(ch+pad.Top+pad.Bottom, minH)
	if n == 0 {
		L.w, L.h = max(minW, pad.Left+pad.Right), max(minH, pad.Top+pad.Bottom)
	}
	if L.id >= 0 {
		s.w[len(s.g.Nodes)+L.id], s.h[len(s.g.Nodes)+L.id] = L.w, L.h
	}
	// Waypoints, relative to the box, in the A→B direction of each pair.
	for _, key := range L.pairKeys {
		p := L.pairs[key]
		a, b := local[key[0]], local[key[1]]
		var pts []graph.Point
		switch {
		case vs[a].rank == vs[b].rank:
			// Flat (same layer): bend in the gap beside the layer (after
			// it, or before the last one).
			rk := vs[a].rank
			r := rankStart[rk] + rankSize[rk] + s.g.RankSep/2
			if rk == nl-1 && rk > 0 {
				r = rankStart[rk] - s.g.RankSep/2
			}
			c := (vs[a].pos + vs[b].pos) / 2
			pts = []graph.Point{s.frame(x0, y0, r, c)}
		case len(chains[key]) > 0:
			for _, d := range chains[key] {
				x, y := mid(vs[d])
				pts = append(pts, graph.Point{X: x, Y: y})
			}
			if vs[a].rank > vs[b].rank {
				reversePoints(pts)
			}
		default:
			// Adjacent layers: a bend in the middle of the gap, where
			// the bundle of flows between two groups meets.
			if key[0] < len(s.g.Nodes) && key[1] < len(s.g.Nodes) && len(p.edges) == 1 {
				break
			}
			ra, rb := vs[a].rank, vs[b].rank
			lo := min(ra, rb)
			r := rankStart[lo] + rankSize[lo] + s.g.RankSep/2
			pts = []graph.Point{s.frame(x0, y0, r, (vs[a].pos+vs[b].pos)/2)}
		}
		p.waypoints = pts
	}
}

// hasFlat reports whether level L has an edge between two of its items
// (all of them share the one layer when there is a single layer).
func (s *state) hasFlat(L *level) bool { return len(L.pairKeys) > 0 }

// frame turns canonical (rank, cross) coordinates into screen ones.
func (s *state) frame(x0, y0, r, c float64) graph.Point {
	if s.lr {
		return graph.Point{X: x0 + r, Y: y0 + c}
	}
	return graph.Point{X: x0 + c, Y: y0 + r}
}

func reversePoints(p []graph.Point) {
	for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
		p[i], p[j] = p[j], p[i]
	}
}

// assignRanks removes cycles (reversing depth-first back edges) and gives
// each item its longest-path layer; sources are then pulled next to their
// nearest successor so that they do not all crowd the first layer.
func assignRanks(n int, succ [][]int) []int {
	const (
		white = iota
		grey
		black
	)
	colour := make([]int, n)
	dag := make([][]int, n)
	type frame struct{ v, next int }
	for root := 0; root < n; root++ {
		if colour[root] != white {
			continue
		}
		stack := []frame{{root, 0}}
		colour[root] = grey
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next == len(succ[f.v]) {
				colour[f.v] = black
				stack = stack[:len(stack)-1]
				continue
			}
			w := succ[f.v][f.next]
			f.next++
			switch colour[w] {
			case white:
				dag[f.v] = append(dag[f.v], w)
				colour[w] = grey
				stack = append(stack, frame{w, 0})
			case black:
				dag[f.v] = append(dag[f.v], w)
			default: // back edge: reversed
				dag[w] = append(dag[w], f.v)
			}
		}
	}
	indeg := make([]int, n)
	for _, ws := range dag {
		for _, w := range ws {
			indeg[w]++
		}
	}
	rank := make([]int, n)
	queue := make([]int, 0, n)
	for v := 0; v < n; v++ {
		if indeg[v] == 0 {
			queue = append(queue, v)
		}
	}
	for q := 0; q < len(queue); q++ {
		v := queue[q]
		for _, w := range dag[v] {
			rank[w] = max(rank[w], rank[v]+1)
			if indeg[w]--; indeg[w] == 0 {
				queue = append(queue, w)
			}
		}
	}
	// Pull sources (no predecessors) towards their successors, in
	// reverse topological order.
	hasPred := make([]bool, n)
	for _, ws := range dag {
		for _, w := range ws {
			hasPred[w] = true
		}
	}
	for q := len(queue) - 1; q >= 0; q-- {
		v := queue[q]
		if hasPred[v] || len(dag[v]) == 0 {
			continue
		}
		m := math.MaxInt
		for _, w := range dag[v] {
			m = min(m, rank[w])
		}
		rank[v] = m - 1
	}
	return rank
}

// Aspect is the width:height ratio the layered engine aims at for every
// box it lays out (a landscape page).
const Aspect = 16.0 / 9.0

// shapeLayers keeps a level's picture near Aspect, in place, and returns
// the number of layers: a long chain of layers is compressed (consecutive
// layers merged; edges inside a merged layer get a bend beside it) and a
// layer too long across is split into several side by side. Items without
// any edge at this level go to the shortest layers. rs and cs are the
// items' sizes along the rank and cross axes.
func (s *state) shapeLayers(rank []int, succ [][]int, rs, cs []float64) int {
	n := len(rank)
	if n == 0 {
		return 1
	}
	target := Aspect // rank extent : cross extent
	if !s.lr {
		target = 1 / Aspect
	}
	linked := make([]bool, n)
	for v, ws := range succ {
		for _, w := range ws {
			linked[v], linked[w] = true, true
		}
	}
	depth := 0
	area, free := 0.0, 0.0
	for v := range rank {
		area += (rs[v] + s.g.RankSep) * (cs[v] + s.g.NodeSep)
		if linked[v] {
			depth = max(depth, rank[v]+1)
		} else {
			rank[v] = 0
			free += cs[v] + s.g.NodeSep
		}
	}
	// The cross extent that gives the target aspect for this area.
	ideal := math.Sqrt(area / target)
	if depth > 1 {
		k := s.bestDepth(rank, linked, depth, rs, cs, free, target)
		if k < depth {
			for v := range rank {
				if linked[v] {
					rank[v] = rank[v] * k / depth
				}
			}
			depth = k
		}
	}
	depth = max(depth, 1)
	// Unlinked items go to the shortest layers.
	extent := make([]float64, depth)
	for v := range rank {
		if linked[v] {
			extent[rank[v]] += cs[v] + s.g.NodeSep
		}
	}
	for v := range rank {
		if !linked[v] {
			best := 0
			for r := range extent {
				if extent[r] < extent[best] {
					best = r
				}
			}
			rank[v] = best
			extent[best] += cs[v] + s.g.NodeSep
		}
	}
	// Split layers much longer than the ideal extent into sub-layers,
	// in the items' order.
	parts := make([]int, depth)
	offset := make([]int, depth+1)
	for r := 0; r < depth; r++ {
		parts[r] = 1
		if extent[r] > 1.3*ideal {
			parts[r] = int(math.Ceil(extent[r] / ideal))
		}
		offset[r+1] = offset[r] + parts[r]
	}
	filled := make([]float64, depth)
	for v := range rank {
		r := rank[v]
		if parts[r] == 1 {
			rank[v] = offset[r]
			continue
		}
		share := extent[r] / float64(parts[r])
		part := min(int(filled[r]/share), parts[r]-1)
		filled[r] += cs[v] + s.g.NodeSep
		rank[v] = offset[r] + part
	}
	return offset[depth]
}

// depthScore is how far (log ratio) the estimated extents with depth
// layers merged into k are from the target aspect.
func (s *state) depthScore(rank []int, linked []bool, depth, k int, rs, cs []float64, free, target float64) float64 {
	layerRS := make([]float64, k)
	layerCS := make([]float64, k)
	for v := range rank {
		if !linked[v] {
			continue
		}
		r := rank[v] * k / depth
		layerRS[r] = max(layerRS[r], rs[v])
		layerCS[r] += cs[v] + s.g.NodeSep
	}
	rankExt, crossExt := s.g.RankSep*float64(k-1), free/float64(k)
	for r := 0; r < k; r++ {
		rankExt += layerRS[r]
		crossExt = max(crossExt, layerCS[r])
	}
	return math.Abs(math.Log(max(rankExt, 1) / max(crossExt, 1) / target))
}

// bestDepth picks the number of layers (at most depth, merging
// consecutive ones evenly) whose estimated extents come closest to the
// target aspect; free is the cross extent of the unlinked items, spread
// over the layers.
func (s *state) bestDepth(rank []int, linked []bool, depth int, rs, cs []float64, free, target float64) int {
	best, bestScore := depth, math.Inf(1)
	// Layers are folded only when the picture would otherwise be far
	// off: a diagram drawn in its own direction reads better.
	const tolerance = 2.2 // times the target, either way
	if sc := s.depthScore(rank, linked, depth, depth, rs, cs, free, target); sc <= math.Log(tolerance) {
		return depth
	}
	for k := depth; k >= 1; k = min(k-1, int(float64(k)*0.85)) {
		score := s.depthScore(rank, linked, depth, k, rs, cs, free, target)
		if score < bestScore-1e-9 {
			best, bestScore = k, score
		}
	}
	return best
}

// reduceCrossings orders each layer by the barycentre of its neighbours,
// sweeping down and up a fixed number of times.
func reduceCrossings(vs []*vnode, layers [][]int) {
	const sweeps = 8
	for it := 0; it < sweeps; it++ {
		down := it%2 == 0
		for k := range layers {
			r := k
			if !down {
				r = len(layers) - 1 - k
			}
			layer := layers[r]
			bary := make([]float64, len(layer))
			for j, i := range layer {
				nb := vs[i].up
				if !down {
					nb = vs[i].down
				}
				if len(nb) == 0 {
					bary[j] = vs[i].pos
					continue
				}
				sum := 0.0
				for _, w := range nb {
					sum += vs[w].pos
				}
				bary[j] = sum / float64(len(nb))
			}
			idx := make([]int, len(layer))
			for j := range idx {
				idx[j] = j
			}
			sort.SliceStable(idx, func(a, b int) bool { return bary[idx[a]] < bary[idx[b]] })
			sorted := make([]int, len(layer))
			for j, k := range idx {
				sorted[j] = layer[k]
				vs[layer[k]].pos = float64(j)
			}
			layers[r] = sorted
		}
	}
}

// assignCoordinates sets each vnode's pos to its cross-axis centre: layers
// stacked with the spacing rules, then pulled towards the mean of their
// neighbours in alternating sweeps.
func (s *state) assignCoordinates(vs []*vnode, layers [][]int) {
	sep := func(a, b *vnode) float64 {
		gap := s.g.NodeSep
		if a.item < 0 || b.item < 0 {
			gap = s.g.EdgeSep
		}
		return (a.cs+b.cs)/2 + gap
	}
	for _, layer := range layers {
		at := 0.0
		for j, i := range layer {
			if j > 0 {
				at += sep(vs[layer[j-1]], vs[i])
			} else {
				at = vs[i].cs / 2
			}
			vs[i].pos = at
		}
	}
	const sweeps = 8
	for it := 0; it < sweeps; it++ {
		down := it%2 == 0
		for k := range layers {
			r := k
			if !down {
				r = len(layers) - 1 - k
			}
			layer := layers[r]
			want := make([]float64, len(layer))
			wt := make([]float64, len(layer))
			gaps := make([]float64, len(layer))
			for j, i := range layer {
				v := vs[i]
				sum, cnt := 0.0, 0
				for _, w := range v.up {
					sum += vs[w].pos
					cnt++
				}
				for _, w := range v.down {
					sum += vs[w].pos
					cnt++
				}
				if cnt == 0 {
					want[j], wt[j] = v.pos, 0.01
				} else {
					want[j], wt[j] = sum/float64(cnt), v.weight*float64(cnt)
				}
				if j > 0 {
					gaps[j] = sep(vs[layer[j-1]], v)
				}
			}
			pos := placeLayer(want, wt, gaps)
			for j, i := range layer {
				vs[i].pos = pos[j]
			}
		}
	}
	// Shift so that the smallest extent starts at zero.
	lo := math.Inf(1)
	for _, v := range vs {
		lo = min(lo, v.pos-v.cs/2)
	}
	if math.IsInf(lo, 1) {
		return
	}
	for _, v := range vs {
		v.pos -= lo
	}
}

// placeLayer returns positions p minimising sum wt[j]*(p[j]-want[j])^2
// subject to p[j]-p[j-1] >= gaps[j]: with q[j] = p[j] - S[j] (S the
// running sum of gaps) it is a weighted isotonic regression, solved by
// pooling adjacent violators in linear time.
func placeLayer(want, wt, gaps []float64) []float64 {
	n := len(want)
	S := make([]float64, n)
	for j := 1; j < n; j++ {
		S[j] = S[j-1] + gaps[j]
	}
	type block struct {
		sum, w float64
		size   int
	}
	blocks := make([]block, 0, n)
	for j := 0; j < n; j++ {
		b := block{sum: wt[j] * (want[j] - S[j]), w: wt[j], size: 1}
		for len(blocks) > 0 {
			top := blocks[len(blocks)-1]
			if top.sum/top.w <= b.sum/b.w {
				break
			}
			b = block{sum: top.sum + b.sum, w: top.w + b.w, size: top.size + b.size}
			blocks = blocks[:len(blocks)-1]
		}
		blocks = append(blocks, b)
	}
	out := make([]float64, 0, n)
	for _, b := range blocks {
		v := b.sum / b.w
		for k := 0; k < b.size; k++ {
			out = append(out, v+S[len(out)])
		}
	}
	return out
}
