package drawio

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/labeltext"
)

// readCells takes the cells read from the page's model (see
// xmlStream.cells), numbering them in document order.
func (b *builder) readCells() error {
	m := b.pg.model
	if !m.hasRoot {
		b.warn("", "page has no <root> element; it is empty")
		return nil
	}
	for _, s := range m.skipped {
		b.warn(s.id, "%s", s.msg)
	}
	b.byID = make(map[string]int, len(m.cells))
	for i, c := range m.cells {
		c.order = i
		if c.id == "" {
			return b.errorf("", "cell #%d has no id", c.order+1)
		}
		if _, dup := b.byID[c.id]; dup {
			return b.errorf(c.id, "duplicate cell id")
		}
		b.byID[c.id] = i
	}
	b.cells = m.cells
	return nil
}

func newCell(mc, wrapper *elem) *cell {
	c := &cell{visible: true, parent: -1, alias: -1, boundary: -1}
	for _, a := range mc.attr {
		if a.Name.Space != "" {
			continue
		}
		switch a.Name.Local {
		case "id":
			c.id = a.Value
		case "parent":
			c.parentID = a.Value
		case "value":
			c.value = a.Value
		case "style":
			c.rawSty = a.Value
		case "vertex":
			c.vertexFlag = a.Value == "1"
		case "edge":
			c.edgeFlag = a.Value == "1"
		case "visible":
			c.visible = a.Value != "0"
		case "source":
			c.source = a.Value
		case "target":
			c.target = a.Value
		}
	}
	if wrapper != nil {
		c.value = ""
		c.props = map[string]string{}
		for _, a := range wrapper.attr {
			if a.Name.Space != "" {
				continue
			}
			switch a.Name.Local {
			case "id":
				c.id = a.Value
			case "label":
				c.value = a.Value
			case "placeholders":
				c.placeholders = a.Value == "1"
			default:
				c.props[a.Name.Local] = a.Value
			}
		}
	}
	c.st = parseStyle(c.rawSty)
	if c.st.get("placeholders") == "1" {
		c.placeholders = true
	}
	if g := mc.child("mxGeometry"); g != nil {
		c.hasGeo = true
		c.geo = readGeometry(g)
	}
	return c
}

func readGeometry(g *elem) geometry {
	var geo geometry
	for _, a := range g.attr {
		switch a.Name.Local {
		case "x":
			geo.x = num(a.Value)
		case "y":
			geo.y = num(a.Value)
		case "width":
			geo.w = num(a.Value)
		case "height":
			geo.h = num(a.Value)
		case "relative":
			geo.relative = a.Value == "1"
		}
	}
	if geo.w < 0 {
		geo.w = 0
	}
	if geo.h < 0 {
		geo.h = 0
	}
	for _, n := range g.kids {
		as, _ := n.get("as")
		switch {
		case n.name == "mxPoint":
			p := readPoint(n)
			switch as {
			case "sourcePoint":
				geo.sp = &p
			case "targetPoint":
				geo.tp = &p
			case "offset":
				geo.offset = &p
			}
		case n.name == "Array" && as == "points":
			for _, m := range n.kids {
				if m.name == "mxPoint" {
					geo.points = append(geo.points, readPoint(m))
				}
			}
		}
	}
	return geo
}

func readPoint(n *elem) point {
	var p point
	for _, a := range n.attr {
		switch a.Name.Local {
		case "x":
			p.x = num(a.Value)
		case "y":
			p.y = num(a.Value)
		}
	}
	return p
}

// num parses a coordinate; anything that is not a finite number is 0.
func num(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	// Keep coordinates in a range where sums and areas stay finite.
	const lim = 1e12
	return math.Max(-lim, math.Min(lim, f))
}

// link connects cells to their parents, finds the root and rejects missing
// parents, parent cycles and nesting deeper than MaxDepth.
func (b *builder) link() error {
	b.root = -1
	for i, c := range b.cells {
		if c.parentID == "" {
			if b.root >= 0 {
				return b.errorf(c.id, "cell has no parent (only the root cell may lack one)")
			}
			b.root = i
			continue
		}
		p, ok := b.byID[c.parentID]
		if !ok {
			return b.errorf(c.id, "parent %q does not exist", c.parentID)
		}
		c.parent = p
	}
	if b.root < 0 {
		return b.errorf(b.cells[0].id, "no root cell: every cell has a parent, so the parents form a cycle")
	}
	// Depths, with cycle detection: 0 unvisited, 1 on the current chain, 2 done.
	state := make([]uint8, len(b.cells))
	var chain []int
	for i := range b.cells {
		chain = chain[:0]
		x := i
		for x >= 0 && state[x] == 0 {
			state[x] = 1
			chain = append(chain, x)
			x = b.cells[x].parent
		}
		if x >= 0 && state[x] == 1 {
			return b.errorf(b.cells[x].id, "parent cycle: the cell is its own ancestor")
		}
		d := -1
		if x >= 0 {
			d = b.cells[x].depth
		}
		for k := len(chain) - 1; k >= 0; k-- {
			d++
			c := b.cells[chain[k]]
			c.depth = d
			state[chain[k]] = 2
			if d > b.limits.MaxDepth {
				return graph.Wrap(b.r.file, b.pos(c.id), fmt.Sprintf("cells nested deeper than %d (MaxDepth)", b.limits.MaxDepth), graph.ErrLimit)
			}
		}
	}
	for i, c := range b.cells {
		if c.parent >= 0 {
			p := b.cells[c.parent]
			p.children = append(p.children, i)
		}
	}
	return nil
}

// walk visits the cells from the root: kinds, hidden cells and absolute
// geometry (a child's geometry is relative to its parent).
func (b *builder) walk() {
	b.topo = make([]int, 0, len(b.cells))
	b.topo = append(b.topo, b.root)
	for k := 0; k < len(b.topo); k++ {
		b.topo = append(b.topo, b.cells[b.topo[k]].children...)
	}
	for _, i := range b.topo {
		c := b.cells[i]
		var p *cell
		if c.parent >= 0 {
			p = b.cells[c.parent]
		}
		switch {
		case p == nil:
			c.kind = kindRoot
		case p.kind == kindRoot:
			c.kind = kindLayer
		case c.edgeFlag:
			c.kind = kindEdge
		case c.vertexFlag || p.kind == kindEdge || c.hasGeo:
			c.kind = kindVertex
		default:
			c.kind = kindOther
		}
		c.hidden = !c.visible || (p != nil && p.hidden)
		if c.kind == kindLayer && c.id == annotationLayerID {
			c.hidden = true // threatmap's own annotations, not the system
		}
		if c.kind == kindVertex && c.hasGeo && p != nil && p.kind != kindEdge {
			g := c.geo
			x, y := g.x, g.y
			if g.relative {
				x, y = g.x*p.abs.W, g.y*p.abs.H
				if g.offset != nil {
					x += g.offset.x
					y += g.offset.y
				}
			}
			c.abs = graph.Rect{X: p.abs.X + x, Y: p.abs.Y + y, W: g.w, H: g.h}
		} else if c.kind == kindVertex && p != nil && p.kind != kindEdge {
			c.abs = graph.Rect{X: p.abs.X, Y: p.abs.Y}
		}
	}
	// Hidden layers and cells: one warning each, counting what they hide.
	for _, i := range b.topo {
		c := b.cells[i]
		if c.visible || c.kind == kindRoot {
			continue
		}
		if c.parent >= 0 && b.cells[c.parent].hidden {
			continue
		}
		n := b.countDescendants(i)
		switch c.kind {
		case kindLayer:
			name := labeltext.OneLine(labeltext.FromHTML(c.value))
			if name == "" {
				name = c.id
			}
			b.warn(c.id, "layer %q is hidden; its %d cells are skipped", name, n)
		default:
			if n > 0 {
				b.warn(c.id, "hidden cell skipped, with the %d cells inside it", n)
			} else {
				b.warn(c.id, "hidden cell skipped")
			}
		}
	}
	for _, i := range b.topo {
		c := b.cells[i]
		if c.kind == kindOther && !c.hidden {
			b.warn(c.id, "cell is neither a vertex nor an edge; skipped")
		}
	}
}

func (b *builder) countDescendants(i int) int {
	n := 0
	stack := append([]int(nil), b.cells[i].children...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n++
		stack = append(stack, b.cells[x].children...)
	}
	return n
}

// labels computes the plain-text label of every visible vertex and edge.
func (b *builder) labels() {
	for _, i := range b.topo {
		c := b.cells[i]
		if c.hidden || (c.kind != kindVertex && c.kind != kindEdge) || c.value == "" {
			continue
		}
		raw := c.value
		isHTML := c.st.get("html") == "1"
		// Bound the work on absurdly long values; the result is truncated
		// to MaxLabelBytes below anyway.
		rawMax := 64 * b.limits.MaxLabelBytes
		if len(raw) > rawMax {
			raw, _ = labeltext.Truncate(raw, rawMax)
		}
		if c.placeholders {
			raw = b.substitute(c, raw, isHTML, rawMax)
		}
		var s string
		if isHTML {
			s = labeltext.FromHTML(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(raw))
		} else {
			s = labeltext.Clean(raw)
		}
		if t, cut := labeltext.Truncate(s, b.limits.MaxLabelBytes); cut {
			b.warn(c.id, "label longer than %d bytes truncated", b.limits.MaxLabelBytes)
			s = t
		}
		if s == c.value {
			// Most labels are plain text that cleaning leaves as it is:
			// share the value's bytes rather than keep a second copy.
			s = c.value
		}
		c.label = s
	}
}

// substitute resolves %name% placeholders from the cell's properties, then
// its ancestors', then the page variables, as draw.io does. Unknown
// placeholders are left as they are.
func (b *builder) substitute(c *cell, s string, isHTML bool, max int) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var out strings.Builder
	// At most 1000 placeholders per label are looked up.
	for n := 0; out.Len() <= max && n < 1000; n++ {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			break
		}
		name := s[i+1 : i+1+j]
		val, ok := b.lookup(c, name)
		if !ok {
			out.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		if isHTML {
			val = html.EscapeString(val)
		}
		out.WriteString(s[:i])
		out.WriteString(val)
		s = s[i+2+j:]
	}
	out.WriteString(s)
	r, _ := labeltext.Truncate(out.String(), max)
	return r
}

func (b *builder) lookup(c *cell, name string) (string, bool) {
	if name == "" || strings.ContainsAny(name, " \t\n<>%") {
		return "", false
	}
	for x, n := c, 0; x != nil && n <= b.limits.MaxDepth; n++ {
		if v, ok := x.props[name]; ok {
			return v, true
		}
		if x.parent < 0 {
			break
		}
		x = b.cells[x.parent]
	}
	switch strings.ToLower(name) {
	case "id":
		return c.id, true
	case "page", "pagename":
		return b.pg.name, true
	case "pagenumber":
		return strconv.Itoa(b.pg.index + 1), true
	}
	return "", false
}

// annotationLayerID is the id of the layer threatmap writes its
// annotations into (exporters/drawio.LayerID). Its cells describe the
// threat model, not the system, so they are skipped and an annotated file
// analyses like the original.
const annotationLayerID = "threatmap-layer"
