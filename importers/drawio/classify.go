package drawio

import "strings"

// isShape reports visible vertices that are shapes on the page (not edge
// labels, not hidden).
func (b *builder) isShape(i int) bool {
	c := b.cells[i]
	return c.kind == kindVertex && !c.hidden && c.parent >= 0 && b.cells[c.parent].kind != kindEdge
}

func (b *builder) shapeChildren(i int) []int {
	var out []int
	for _, k := range b.cells[i].children {
		if b.isShape(k) {
			out = append(out, k)
		}
	}
	return out
}

// classify decides the role of every shape, parents before children.
func (b *builder) classify() {
	// Cells named by edges; text cells on a layer that edges connect to are
	// shapes, not notes.
	for _, c := range b.cells {
		if c.kind != kindEdge || c.hidden {
			continue
		}
		for _, id := range []string{c.source, c.target} {
			if k, ok := b.byID[id]; ok {
				b.cells[k].idRef = true
			}
		}
	}
	for _, i := range b.topo {
		c := b.cells[i]
		if c.kind == kindVertex && !c.hidden && c.parent >= 0 && b.cells[c.parent].kind == kindEdge {
			c.role = roleLabel
			continue
		}
		if !b.isShape(i) || c.role != roleNone {
			continue
		}
		kids := b.shapeChildren(i)
		c.hasKids = len(kids) > 0
		if c.hasKids {
			b.classifyParent(i, kids)
		} else {
			b.classifyLeaf(i)
		}
	}
}

// classifyLeaf decides the role of a shape without shapes inside it.
func (b *builder) classifyLeaf(i int) {
	c := b.cells[i]
	onLayer := b.cells[c.parent].kind == kindLayer
	switch {
	case c.st.isText():
		if onLayer && c.idRef {
			c.role = roleComponent
		} else {
			c.role = roleNote
		}
	case isBadge(c) && (onLayer || b.cells[c.parent].st.isContainer()):
		c.role = roleNote
		c.badge = true
		b.warn(c.id, "step badge %q (a small numbered circle) imported as a note, not a component", c.label)
	case isDot(c):
		c.role = roleComponent
		c.dot = true
	case isC4Boundary(c):
		c.role = roleCandidate
	case b.isCandidate(c):
		c.role = roleCandidate
	case b.isPlainZone(c):
		c.role = roleCandidate
		c.weak = true
	default:
		c.role = roleComponent
	}
}

// classifyParent decides the role of a shape with shapes inside it.
func (b *builder) classifyParent(i int, kids []int) {
	c := b.cells[i]
	switch {
	case b.isLegend(c, kids):
		c.role = roleNote
		c.legend = true
		b.absorb(i, -1)
	case c.st.isList():
		c.role = roleNote
		if b.anyIDRef(i) {
			c.role = roleComponent
		}
		b.absorb(i, i)
	case c.st.isContainer():
		switch {
		case c.st.has("group") && b.foldable(kids):
			b.foldInto(i, kids)
		case c.st.has("group") && c.st.plainGroup() && c.label == "":
			// Ctrl+G: a way to move shapes together, not a zone.
			c.role = roleGroup
		case b.anyNonText(kids):
			c.role = roleBoundary
		default:
			c.role = roleComponent
		}
	case b.isCandidate(c) || isC4Boundary(c):
		c.role = roleBoundary
		c.inferred = true
	case b.foldable(kids):
		b.foldInto(i, kids)
	default:
		c.role = roleComponent
		b.warn(c.id, "shape has shapes inside it but is not a container; they are imported as separate components")
	}
}

// isPlainZone reports a labelled plain rectangle that may be a zone drawn
// behind other shapes ("Payments namespace", "Production"): it becomes an
// inferred boundary only if it encloses labelled shapes drawn after it
// (see qualifyCandidates).
func (b *builder) isPlainZone(c *cell) bool {
	return c.hasGeo && c.abs.W > 0 && c.abs.H > 0 && c.label != "" && !isLegendLabel(c.label) &&
		c.st.isRectLike() && !c.idRef
}

func (b *builder) isCandidate(c *cell) bool {
	if !c.hasGeo || c.abs.W <= 0 || c.abs.H <= 0 || isLegendLabel(c.label) || c.st.isText() {
		return false
	}
	if c.st.isCloudGroup() || c.st.isSwimlane() {
		return true
	}
	return c.st.isRectLike() && (c.st.dashed() || isZoneLabel(c.label))
}

// isLegend reports a legend: a shape labelled "Legend" or "Key" with
// shapes inside, or a plain group (Ctrl+G) holding such a text. A text
// reading "Legend" inside any other container (a frame around the whole
// diagram, a swimlane) is only a note: the container is not a legend.
func (b *builder) isLegend(c *cell, kids []int) bool {
	if isLegendLabel(c.label) {
		return true
	}
	if !c.st.has("group") || c.label != "" {
		return false
	}
	for _, k := range kids {
		if b.cells[k].st.isText() && isLegendLabel(b.cells[k].label) {
			return true
		}
	}
	return false
}

func (b *builder) anyNonText(kids []int) bool {
	for _, k := range kids {
		if !b.cells[k].st.isText() {
			return true
		}
	}
	return false
}

// foldable reports a group of one shape plus text cells, all leaves: the
// shape and its caption, which draw.io users group to move them together.
func (b *builder) foldable(kids []int) bool {
	shapes := 0
	for _, k := range kids {
		if len(b.shapeChildren(k)) > 0 {
			return false
		}
		if !b.cells[k].st.isText() {
			shapes++
		}
	}
	return shapes == 1
}

func (b *builder) foldInto(i int, kids []int) {
	c := b.cells[i]
	c.role = roleComponent
	// The shape first, then its captions in document order.
	for _, k := range kids {
		if !b.cells[k].st.isText() {
			c.fold = append(c.fold, k)
		}
	}
	for _, k := range kids {
		if b.cells[k].st.isText() {
			c.fold = append(c.fold, k)
		}
	}
	parts := []string{c.label}
	for _, k := range c.fold {
		parts = append(parts, b.cells[k].label)
	}
	c.label = joinNonEmpty(parts)
	b.absorb(i, i)
}

// absorb marks every descendant of i as part of unit (or of a legend when
// unit is -1).
func (b *builder) absorb(i, unit int) {
	stack := append([]int(nil), b.cells[i].children...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c := b.cells[x]
		c.role = roleAbsorbed
		c.alias = unit
		stack = append(stack, c.children...)
	}
}

func (b *builder) anyIDRef(i int) bool {
	stack := []int{i}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b.cells[x].idRef {
			return true
		}
		stack = append(stack, b.cells[x].children...)
	}
	return false
}

func joinNonEmpty(parts []string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}
