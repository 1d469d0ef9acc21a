package drawio

import (
	"fmt"
	"sort"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/labeltext"
)

// dropDecorative drops unlabelled leaf shapes that no edge touches.
func (b *builder) dropDecorative() {
	for _, i := range b.topo {
		c := b.cells[i]
		if c.role == roleComponent && c.label == "" && !c.referenced && (!c.hasKids || c.fold != nil) {
			c.role = roleDecorative
			b.warn(c.id, "unlabelled shape ignored (no label, no connections)")
		}
	}
}

// titleZones names an unlabelled rectangle by the zone-named free text
// drawn inside it ("IT Network" and "OT Network" written along the edges
// of two tinted areas): the text is the area's title, not a note, not the
// caption of the icon next to it and not the label of an arrow under it,
// and the area becomes a candidate boundary like a labelled rectangle
// drawn behind (qualifyCandidates decides whether it encloses anything).
// A text lying in several such areas names the smallest; an area keeps the
// first title drawn. An area that turns out to enclose nothing gives its
// title back (qualifyCandidates).
func (b *builder) titleZones() {
	var zones, texts []int
	for _, i := range b.topo {
		c := b.cells[i]
		switch {
		case !c.hasGeo || c.abs.W <= 0 || c.abs.H <= 0:
		case c.role == roleComponent && c.label == "" && !c.hasKids && c.fold == nil && !c.dot && !c.idRef && c.st.isRectLike():
			zones = append(zones, i)
		case c.role == roleNote && c.st.isText() && !c.legend && !c.badge && len(c.label) <= 80 && isZoneLabel(c.label):
			texts = append(texts, i)
		}
	}
	if len(zones) == 0 || len(texts) == 0 || !b.spend(len(zones)*len(texts)) {
		return
	}
	for _, k := range texts {
		t := b.cells[k]
		best := -1
		for _, i := range zones {
			z := b.cells[i]
			if z.order > t.order || !z.abs.Contains(t.abs) {
				continue
			}
			if best < 0 || area(z.abs) < area(b.cells[best].abs) {
				best = i
			}
		}
		if best < 0 || b.cells[best].titled {
			continue
		}
		z := b.cells[best]
		z.label = t.label
		z.role = roleCandidate
		z.weak = true
		z.titled = true
		if b.zoneTitles == nil {
			b.zoneTitles = map[int]int{}
		}
		b.zoneTitles[best] = k
		t.role = roleAbsorbed
		t.alias = best
	}
}

// qualifyCandidates turns candidate rectangles that fully enclose other
// shapes into inferred boundaries, smallest first so nested candidates
// count for their enclosers. The rest become components (or are dropped
// as decoration).
func (b *builder) qualifyCandidates() {
	var cands, solid []int
	for _, i := range b.topo {
		c := b.cells[i]
		switch c.role {
		case roleCandidate:
			cands = append(cands, i)
		case roleComponent, roleBoundary:
			if c.hasGeo {
				solid = append(solid, i)
			}
		}
	}
	sort.SliceStable(cands, func(x, y int) bool {
		ax, ay := area(b.cells[cands[x]].abs), area(b.cells[cands[y]].abs)
		if ax != ay {
			return ax < ay
		}
		return b.cells[cands[x]].order < b.cells[cands[y]].order
	})
	for _, i := range cands {
		c := b.cells[i]
		if !b.spend(len(solid)) {
			solid = solid[:0]
		}
		encloses := b.encloses(i, solid)
		switch {
		case encloses:
			c.role = roleBoundary
			c.inferred = true
		case c.titled && !c.referenced:
			// Titled by a text but around nothing: the text is a note
			// again, the rectangle decoration.
			t := b.cells[b.zoneTitles[i]]
			t.role, t.alias = roleNote, -1
			c.label, c.titled = "", false
			c.role = roleDecorative
			b.warn(c.id, "unlabelled shape ignored (no label, no connections)")
			continue
		case c.label == "" && !c.referenced:
			c.role = roleDecorative
			b.warn(c.id, "unlabelled shape ignored (no label, no connections)")
			continue
		default:
			c.role = roleComponent
		}
		solid = append(solid, i)
	}
	for _, i := range b.topo {
		c := b.cells[i]
		if c.role == roleBoundary && c.inferred {
			what := "a dashed rectangle"
			switch {
			case c.st.isCloudGroup():
				what = "a cloud group shape"
			case c.st.isSwimlane():
				what = "a swimlane"
			case isC4Boundary(c):
				what = "a C4 " + c.props["c4Type"] + " shape"
			case c.titled:
				what = "a rectangle drawn behind (titled by the text inside it)"
			case c.weak:
				what = "a labelled rectangle drawn behind"
			case !c.st.dashed():
				what = "a rectangle labelled with a zone name"
			}
			b.warn(c.id, "trust boundary %q inferred from %s that encloses other shapes", labeltext.OneLine(c.label), what)
		}
	}
}

// encloses reports whether candidate i fully encloses shapes of solid. A
// dashed, zone-named or C4 candidate needs one; a plain labelled rectangle
// (weak) must be drawn behind what it encloses and enclose a labelled shape
// or two shapes, so that a card with a badge on it stays a card.
func (b *builder) encloses(i int, solid []int) bool {
	c := b.cells[i]
	n := 0
	for _, k := range solid {
		o := b.cells[k]
		if k == i || !c.abs.Contains(o.abs) || b.isAncestor(k, i) {
			continue
		}
		if !c.weak {
			return true
		}
		if o.order < c.order && !b.isAncestor(i, k) {
			continue // drawn before it: under it, not inside it
		}
		n++
		if o.label != "" || n >= 2 {
			return true
		}
	}
	return false
}

// isAncestor reports whether a is a structural ancestor of x.
func (b *builder) isAncestor(a, x int) bool {
	return a != x && b.tin[a] <= b.tin[x] && b.tout[x] <= b.tout[a]
}

// number assigns depth-first entry and exit numbers to the cells.
func (b *builder) number() {
	b.tin = make([]int, len(b.cells))
	b.tout = make([]int, len(b.cells))
	type item struct{ i, next int }
	clock := 0
	stack := []item{{b.root, 0}}
	b.tin[b.root] = clock
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		kids := b.cells[top.i].children
		if top.next < len(kids) {
			k := kids[top.next]
			top.next++
			clock++
			b.tin[k] = clock
			stack = append(stack, item{k, 0})
			continue
		}
		clock++
		b.tout[top.i] = clock
		stack = stack[:len(stack)-1]
	}
}

// findTitles turns a wide, unconnected, labelled rectangle above every
// other shape into a note (the diagram title).
func (b *builder) findTitles() {
	var items []int
	for _, i := range b.topo {
		c := b.cells[i]
		if (c.role == roleComponent || c.role == roleBoundary) && c.hasGeo {
			items = append(items, i)
		}
	}
	if len(items) < 2 {
		return
	}
	// The two highest tops, so each candidate compares with the others.
	top1, top2 := -1, -1
	for _, k := range items {
		y := b.cells[k].abs.Y
		switch {
		case top1 < 0 || y < b.cells[top1].abs.Y:
			top1, top2 = k, top1
		case top2 < 0 || y < b.cells[top2].abs.Y:
			top2 = k
		}
	}
	var titles []int
	for _, i := range items {
		c := b.cells[i]
		if c.role != roleComponent || c.label == "" || c.referenced || c.hasKids || !c.st.isRectLike() ||
			c.abs.H <= 0 || c.abs.W < 4*c.abs.H {
			continue
		}
		other := top1
		if other == i {
			other = top2
		}
		if other >= 0 && b.cells[other].abs.Y >= c.abs.Y+c.abs.H {
			titles = append(titles, i)
		}
	}
	for _, i := range titles {
		c := b.cells[i]
		c.role = roleNote
		if b.d.Title == "" {
			b.d.Title = labeltext.OneLine(c.label)
		}
	}
}

// inner reports whether boundary cell a lies inside boundary cell b:
// structure first, then area (smaller is inner), then drawing order (later
// is on top, so inner).
func (b *builder) inner(a, c int) bool {
	if b.isAncestor(c, a) {
		return true
	}
	if b.isAncestor(a, c) {
		return false
	}
	ra, rc := area(b.cells[a].abs), area(b.cells[c].abs)
	if ra != rc {
		return ra < rc
	}
	return b.cells[a].order > b.cells[c].order
}

// assignBoundaries sets the innermost enclosing boundary of every component
// and boundary: its nearest container ancestor, or an inferred boundary
// that encloses it by geometry if that lies inside the container.
func (b *builder) assignBoundaries() error {
	var bounds, inferred []int
	for _, i := range b.topo {
		c := b.cells[i]
		if c.role == roleBoundary {
			bounds = append(bounds, i)
			if c.inferred && c.hasGeo {
				inferred = append(inferred, i)
			}
		}
	}
	if len(bounds) == 0 {
		return nil
	}
	for _, i := range b.topo {
		c := b.cells[i]
		if c.role != roleComponent && c.role != roleBoundary {
			continue
		}
		best := -1
		for p, n := c.parent, 0; p >= 0 && n <= b.limits.MaxDepth+1; p, n = b.cells[p].parent, n+1 {
			if b.cells[p].role == roleBoundary {
				best = p
				break
			}
		}
		if c.hasGeo {
			isB := c.role == roleBoundary
			cands := inferred
			if isB && c.inferred {
				cands = bounds // an inferred boundary may sit inside any boundary by geometry
			}
			if !b.spend(len(cands)) {
				cands = nil
			}
			for _, g := range cands {
				gc := b.cells[g]
				if g == i || !gc.hasGeo || !gc.abs.Contains(c.abs) || b.isAncestor(i, g) {
					continue
				}
				if isB && !b.inner(i, g) {
					continue
				}
				if best < 0 || b.inner(g, best) {
					best = g
				}
			}
		}
		c.boundary = best
	}
	// Break any cycle (possible only with odd overlapping geometry) and
	// enforce MaxDepth on boundary nesting.
	for _, i := range bounds {
		n := 1
		for x := b.cells[i].boundary; x >= 0; x = b.cells[x].boundary {
			n++
			if x == i {
				b.warn(b.cells[i].id, "boundary nesting by geometry is circular; made top-level")
				b.cells[i].boundary = -1
				break
			}
			if n > b.limits.MaxDepth {
				return graph.Wrap(b.r.file, b.pos(b.cells[i].id), fmt.Sprintf("trust boundaries nested deeper than %d (MaxDepth)", b.limits.MaxDepth), graph.ErrLimit)
			}
		}
	}
	return nil
}
