package drawio

import (
	"fmt"
	"html"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/antchfx/xmlquery"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/labeltext"
)

type cellKind uint8

const (
	kindOther cellKind = iota
	kindRoot
	kindLayer
	kindVertex
	kindEdge
)

// role is what a vertex becomes in the model.
type role uint8

const (
	roleNone       role = iota
	roleComponent       // a component (also folded groups and list units)
	roleBoundary        // a container or a qualified inferred boundary
	roleCandidate       // a leaf rectangle that may enclose shapes by geometry
	roleNote            // text, notes, titles, legends, lists without flows
	roleAbsorbed        // part of a fold, list or legend (see cell.alias)
	roleDecorative      // unlabelled, unconnected shape (warned and dropped)
	roleLabel           // an edge label cell
)

type point struct{ x, y float64 }

type geometry struct {
	x, y, w, h float64
	relative   bool
	offset     *point
	points     []point
	sp, tp     *point
}

type cell struct {
	id, parentID   string
	value, rawSty  string
	st             style
	kind           cellKind
	visible        bool
	edgeFlag       bool
	vertexFlag     bool
	source, target string
	props          map[string]string
	placeholders   bool
	hasGeo         bool
	geo            geometry
	order          int

	parent   int
	children []int
	depth    int
	hidden   bool
	abs      graph.Rect // absolute bounds of a vertex; origin for children

	label      string // plain text
	role       role
	alias      int  // for roleAbsorbed: the unit it belongs to, -1 for legends
	inferred   bool // boundary derived from geometry or a zone label
	referenced bool // an edge ends on it
	idRef      bool // an edge names it (or a cell inside it) by id
	legend     bool
	fold       []int // cells folded into this component (shape first)
	hasKids    bool  // has visible vertex children (before folding)
	boundary   int   // enclosing boundary cell, -1 for none
}

// builder turns one page into a diagram.
type builder struct {
	r      *reader
	pg     page
	limits graph.Limits
	d      *graph.Diagram
	cells  []*cell
	byID   map[string]int
	root   int
	topo   []int // cells in breadth-first order from the root
	// tin/tout number the cells in a depth-first walk, so that ancestry is
	// an O(1) interval test.
	tin, tout []int
	// budget bounds the pairwise geometric comparisons on a page, so that
	// hostile input with many overlapping shapes cannot take quadratic time.
	budget       int
	budgetWarned bool
}

// geometryBudget is the number of shape-to-shape geometric comparisons
// allowed per page (a few hundred milliseconds of work).
const geometryBudget = 20_000_000

// spend takes n comparisons from the budget. Once it is exhausted it warns
// once and returns false; callers then skip the geometric inference.
func (b *builder) spend(n int) bool {
	if n <= b.budget {
		b.budget -= n
		return true
	}
	if !b.budgetWarned {
		b.budgetWarned = true
		b.warn("", "too many overlapping shapes: geometric inference (boundaries drawn around shapes, edge ends attached by position) stopped after %d comparisons", geometryBudget)
	}
	return false
}

func (b *builder) pos(id string) graph.Position {
	return graph.Position{Page: b.pg.name, Cell: id}
}

func (b *builder) warn(id string, format string, args ...any) {
	b.d.Warn(b.pos(id), format, args...)
}

func (b *builder) errorf(id string, format string, args ...any) error {
	return b.r.errorf(b.pg.name, id, format, args...)
}

// build imports one page.
func (b *builder) build() error {
	b.d = graph.New(b.r.file, "drawio")
	b.d.Name = b.pg.name
	b.d.HasLayout = true
	if b.pg.model == nil {
		return nil // an empty page
	}
	if err := b.readCells(); err != nil {
		return err
	}
	if len(b.cells) == 0 {
		return nil
	}
	if err := b.link(); err != nil {
		return err
	}
	b.walk()
	b.number()
	b.budget = geometryBudget
	b.labels()
	b.classify()
	edges := b.resolveEdges()
	b.dropDecorative()
	b.qualifyCandidates()
	b.findTitles()
	if err := b.assignBoundaries(); err != nil {
		return err
	}
	return b.emit(edges)
}

// readCells reads the cells below <root>, unwrapping <object> and
// <UserObject> elements whose attributes are custom properties.
func (b *builder) readCells() error {
	rootEl := childElement(b.pg.model, "root")
	if rootEl == nil {
		b.warn("", "page has no <root> element; it is empty")
		return nil
	}
	b.byID = make(map[string]int)
	for n := rootEl.FirstChild; n != nil; n = n.NextSibling {
		if n.Type != xmlquery.ElementNode {
			continue
		}
		var c *cell
		switch n.Data {
		case "mxCell":
			c = newCell(n, nil)
		case "object", "UserObject":
			mc := childElement(n, "mxCell")
			if mc == nil {
				id, _ := attr(n, "id")
				b.warn(id, "<%s> without an <mxCell> skipped", n.Data)
				continue
			}
			c = newCell(mc, n)
		default:
			b.warn("", "unexpected element <%s> in the model skipped", n.Data)
			continue
		}
		c.order = len(b.cells)
		if c.id == "" {
			return b.errorf("", "cell #%d has no id", c.order+1)
		}
		if _, dup := b.byID[c.id]; dup {
			return b.errorf(c.id, "duplicate cell id")
		}
		b.byID[c.id] = c.order
		b.cells = append(b.cells, c)
	}
	return nil
}

func newCell(mc, wrapper *xmlquery.Node) *cell {
	c := &cell{visible: true, parent: -1, alias: -1, boundary: -1}
	for _, a := range mc.Attr {
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
		for _, a := range wrapper.Attr {
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
	if g := childElement(mc, "mxGeometry"); g != nil {
		c.hasGeo = true
		c.geo = readGeometry(g)
	}
	return c
}

func readGeometry(g *xmlquery.Node) geometry {
	var geo geometry
	for _, a := range g.Attr {
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
	for n := g.FirstChild; n != nil; n = n.NextSibling {
		if n.Type != xmlquery.ElementNode {
			continue
		}
		as, _ := attr(n, "as")
		switch {
		case n.Data == "mxPoint":
			p := readPoint(n)
			switch as {
			case "sourcePoint":
				geo.sp = &p
			case "targetPoint":
				geo.tp = &p
			case "offset":
				geo.offset = &p
			}
		case n.Data == "Array" && as == "points":
			for m := n.FirstChild; m != nil; m = m.NextSibling {
				if m.Type == xmlquery.ElementNode && m.Data == "mxPoint" {
					geo.points = append(geo.points, readPoint(m))
				}
			}
		}
	}
	return geo
}

func readPoint(n *xmlquery.Node) point {
	var p point
	for _, a := range n.Attr {
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

// annotationLayerID is the id of the layer threatmap writes its
// annotations into (exporters/drawio.LayerID). Its cells describe the
// threat model, not the system, so they are skipped without a warning and
// an annotated file analyses like the original.
const annotationLayerID = "threatmap-layer"

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
		onLayer := b.cells[c.parent].kind == kindLayer
		switch {
		case c.st.isText():
			if onLayer && c.idRef {
				c.role = roleComponent
			} else {
				c.role = roleNote
			}
		case c.hasKids && b.isLegend(c, kids):
			c.role = roleNote
			c.legend = true
			b.absorb(i, -1)
		case c.hasKids && c.st.isList():
			c.role = roleNote
			if b.anyIDRef(i) {
				c.role = roleComponent
			}
			b.absorb(i, i)
		case c.hasKids && c.st.isContainer():
			switch {
			case c.st.has("group") && b.foldable(kids):
				b.foldInto(i, kids)
			case b.anyNonText(kids):
				c.role = roleBoundary
			default:
				c.role = roleComponent
			}
		case c.hasKids:
			switch {
			case b.isCandidate(c):
				c.role = roleBoundary
				c.inferred = true
			case b.foldable(kids):
				b.foldInto(i, kids)
			default:
				c.role = roleComponent
				b.warn(c.id, "shape has shapes inside it but is not a container; they are imported as separate components")
			}
		case b.isCandidate(c):
			c.role = roleCandidate
		default:
			c.role = roleComponent
		}
	}
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

func (b *builder) isLegend(c *cell, kids []int) bool {
	if isLegendLabel(c.label) {
		return true
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

// edge is a resolved edge: its two ends and why an end failed.
type edge struct {
	cell     int
	src, dst int    // unit cells, -1 when unresolved
	srcWhy   string // reason an end did not resolve
	dstWhy   string
	skip     bool // inside a legend: covered by the legend warning
}

// resolveEdges finds the shape at each end of every visible edge: by the
// source/target attribute, else by where its end point lies.
func (b *builder) resolveEdges() []edge {
	var attachable []int
	for _, i := range b.topo {
		c := b.cells[i]
		if c.role == roleComponent && c.hasGeo && !(c.label == "" && c.st.isRectLike() && !c.idRef) {
			attachable = append(attachable, i)
		}
	}
	var edges []edge
	for _, i := range b.topo {
		c := b.cells[i]
		if c.kind != kindEdge || c.hidden {
			continue
		}
		e := edge{cell: i}
		if b.insideLegend(i) {
			e.skip = true
			edges = append(edges, e)
			continue
		}
		origin := point{}
		if c.parent >= 0 {
			origin = point{b.cells[c.parent].abs.X, b.cells[c.parent].abs.Y}
		}
		e.src, e.srcWhy = b.resolveEnd(c.source, c.geo.sp, origin, "source", attachable)
		e.dst, e.dstWhy = b.resolveEnd(c.target, c.geo.tp, origin, "target", attachable)
		for _, u := range []int{e.src, e.dst} {
			if u >= 0 {
				b.cells[u].referenced = true
			}
		}
		edges = append(edges, e)
	}
	return edges
}

func (b *builder) insideLegend(i int) bool {
	for x, n := b.cells[i].parent, 0; x >= 0 && n <= b.limits.MaxDepth; x, n = b.cells[x].parent, n+1 {
		c := b.cells[x]
		if c.legend || (c.role == roleAbsorbed && c.alias < 0) {
			return true
		}
	}
	return false
}

func (b *builder) resolveEnd(id string, p *point, origin point, end string, attachable []int) (int, string) {
	if id != "" {
		k, ok := b.byID[id]
		if !ok {
			return -1, fmt.Sprintf("its %s %q does not exist", end, id)
		}
		if b.cells[k].hidden {
			return -1, fmt.Sprintf("its %s %q is hidden", end, id)
		}
		for x, n := k, 0; x >= 0 && n <= b.limits.MaxDepth+1; x, n = b.cells[x].parent, n+1 {
			c := b.cells[x]
			switch c.kind {
			case kindEdge:
				return -1, fmt.Sprintf("its %s %q is another edge", end, c.id)
			case kindRoot, kindLayer, kindOther:
				return -1, fmt.Sprintf("its %s %q is not a shape", end, id)
			}
			switch c.role {
			case roleComponent, roleCandidate, roleBoundary:
				return x, ""
			case roleAbsorbed:
				if c.alias >= 0 {
					return c.alias, ""
				}
				return -1, fmt.Sprintf("its %s %q is part of a legend", end, id)
			case roleLabel:
				return -1, fmt.Sprintf("its %s %q is an edge label", end, id)
			}
			// A note: the edge belongs to whatever the note sits in.
		}
		return -1, fmt.Sprintf("its %s %q is a text cell, not a shape", end, id)
	}
	if p == nil {
		return -1, fmt.Sprintf("its %s end is not connected to any shape", end)
	}
	at := graph.Point{X: origin.x + p.x, Y: origin.y + p.y}
	if !b.spend(len(attachable)) {
		return -1, fmt.Sprintf("its %s end is not connected to a shape (position not checked: page too complex)", end)
	}
	best := -1
	for _, k := range attachable {
		r := b.cells[k].abs
		if !r.ContainsPoint(at) {
			continue
		}
		if best < 0 || area(r) <= area(b.cells[best].abs) {
			best = k
		}
	}
	if best < 0 {
		return -1, fmt.Sprintf("its %s end (%g, %g) is not connected and lies on no shape", end, at.X, at.Y)
	}
	return best, ""
}

func area(r graph.Rect) float64 { return r.W * r.H }

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
		encloses := false
		if !b.spend(len(solid)) {
			solid = solid[:0]
		}
		for _, k := range solid {
			if k != i && c.abs.Contains(b.cells[k].abs) && !b.isAncestor(k, i) {
				encloses = true
				break
			}
		}
		switch {
		case encloses:
			c.role = roleBoundary
			c.inferred = true
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
			case !c.st.dashed():
				what = "a rectangle labelled with a zone name"
			}
			b.warn(c.id, "trust boundary %q inferred from %s that encloses other shapes", labeltext.OneLine(c.label), what)
		}
	}
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

func rectPtr(c *cell) *graph.Rect {
	if !c.hasGeo {
		return nil
	}
	r := c.abs
	return &r
}

func copyProps(dst, src map[string]string) {
	for k, v := range src {
		dst[k] = v
	}
}

func kindOf(attrs map[string]string) graph.Kind {
	for _, k := range []string{"kind", "type"} {
		if v, ok := attrs[k]; ok {
			if kind, ok := graph.ParseKind(v); ok {
				return kind
			}
		}
	}
	return graph.KindUnknown
}

// emit builds the diagram from the classified cells.
func (b *builder) emit(edges []edge) error {
	d := b.d
	boundaryID := func(c *cell) string {
		if c.boundary < 0 {
			return ""
		}
		return b.cells[c.boundary].id
	}
	// Document order, which is draw.io's drawing order.
	for i, c := range b.cells {
		switch c.role {
		case roleComponent:
			comp := &graph.Component{
				ID:         c.id,
				Label:      c.label,
				Shape:      c.st.shapeHint(),
				Attributes: map[string]string{},
				Boundary:   boundaryID(c),
				Pos:        b.pos(c.id),
				Geometry:   rectPtr(c),
				Style:      c.rawSty,
			}
			copyProps(comp.Attributes, c.props)
			if c.st.isList() && c.hasKids {
				// The rows of a table or UML class.
				if rows := b.unitText(i, false); rows != "" {
					comp.Attributes["rows"] = rows
				}
			}
			if len(c.fold) > 0 {
				s := b.cells[c.fold[0]]
				if h := s.st.shapeHint(); h != "" {
					comp.Shape = h
				}
				comp.Style = s.rawSty
				for _, k := range c.fold {
					for key, v := range b.cells[k].props {
						if _, ok := comp.Attributes[key]; !ok {
							comp.Attributes[key] = v
						}
					}
				}
			}
			comp.Kind = kindOf(comp.Attributes)
			if err := d.AddComponent(comp); err != nil {
				return b.errorf(c.id, "%v", err)
			}
		case roleBoundary:
			bd := &graph.Boundary{
				ID:         c.id,
				Label:      c.label,
				Parent:     boundaryID(c),
				Attributes: map[string]string{},
				Inferred:   c.inferred,
				Pos:        b.pos(c.id),
				Geometry:   rectPtr(c),
				Style:      c.rawSty,
			}
			copyProps(bd.Attributes, c.props)
			if err := d.AddBoundary(bd); err != nil {
				return b.errorf(c.id, "%v", err)
			}
		case roleNote:
			text := c.label
			if c.legend || c.st.isList() {
				text = b.unitText(i, true)
				if c.legend {
					shapes, conns := b.countLegend(i)
					b.warn(c.id, "legend imported as a note; its %d shapes and %d connectors are not part of the model", shapes, conns)
				}
			}
			if text == "" {
				continue
			}
			d.Notes = append(d.Notes, &graph.Note{ID: c.id, Text: text, Pos: b.pos(c.id), Geometry: rectPtr(c), Style: c.rawSty})
		}
	}
	sort.SliceStable(edges, func(x, y int) bool { return b.cells[edges[x].cell].order < b.cells[edges[y].cell].order })
	for _, e := range edges {
		if e.skip {
			continue
		}
		c := b.cells[e.cell]
		if e.src < 0 || e.dst < 0 {
			why := e.srcWhy
			if why == "" {
				why = e.dstWhy
			} else if e.dstWhy != "" {
				why += ", and " + e.dstWhy
			}
			b.warn(c.id, "edge dropped: %s", why)
			continue
		}
		if bad := b.endNotComponent(e.src, "source"); bad != "" {
			b.warn(c.id, "edge dropped: %s", bad)
			continue
		}
		if bad := b.endNotComponent(e.dst, "target"); bad != "" {
			b.warn(c.id, "edge dropped: %s", bad)
			continue
		}
		d.AddFlow(b.flow(e))
	}
	if n := len(d.Components) + len(d.Flows); n > b.limits.MaxElements {
		return graph.Wrap(b.r.file, graph.Position{Page: b.pg.name}, fmt.Sprintf("%d components and flows, over the limit of %d (MaxElements)", n, b.limits.MaxElements), graph.ErrLimit)
	}
	return nil
}

func (b *builder) endNotComponent(u int, end string) string {
	c := b.cells[u]
	switch c.role {
	case roleComponent:
		return ""
	case roleBoundary:
		return fmt.Sprintf("its %s %q (%s) is a trust boundary, not a component", end, c.id, labeltext.OneLine(c.label))
	case roleNote:
		return fmt.Sprintf("its %s %q is a note or title, not a component", end, c.id)
	default:
		return fmt.Sprintf("its %s %q is not a component", end, c.id)
	}
}

func (b *builder) flow(e edge) *graph.Flow {
	c := b.cells[e.cell]
	parts := []string{c.label}
	for _, k := range c.children {
		if b.cells[k].role == roleLabel {
			parts = append(parts, b.cells[k].label)
		}
	}
	f := &graph.Flow{
		ID:         c.id,
		Source:     b.cells[e.src].id,
		Target:     b.cells[e.dst].id,
		Label:      joinNonEmpty(parts),
		Attributes: map[string]string{},
		Pos:        b.pos(c.id),
		Style:      c.rawSty,
	}
	copyProps(f.Attributes, c.props)
	var ox, oy float64
	if c.parent >= 0 {
		ox, oy = b.cells[c.parent].abs.X, b.cells[c.parent].abs.Y
	}
	abs := func(p point) graph.Point { return graph.Point{X: ox + p.x, Y: oy + p.y} }
	for _, p := range c.geo.points {
		f.Waypoints = append(f.Waypoints, abs(p))
	}
	// draw.io keeps a stale sourcePoint/targetPoint on an end that was
	// later attached to a shape; only a free end's point means anything.
	if c.geo.sp != nil && c.source == "" {
		p := abs(*c.geo.sp)
		f.SourcePoint = &p
	}
	if c.geo.tp != nil && c.target == "" {
		p := abs(*c.geo.tp)
		f.TargetPoint = &p
	}
	endArrow, hasEnd := c.st.kv["endArrow"]
	if !hasEnd {
		endArrow = "classic" // draw.io's default edge style
	}
	startArrow := c.st.get("startArrow")
	noEnd := endArrow == "" || endArrow == "none"
	noStart := startArrow == "" || startArrow == "none"
	switch {
	case noEnd && noStart:
		f.Undirected = true
		f.Bidirectional = true
	case !noEnd && !noStart:
		f.Bidirectional = true
	case noEnd:
		// Only a start arrow: the data flows towards the source.
		f.Source, f.Target = f.Target, f.Source
		f.SourcePoint, f.TargetPoint = f.TargetPoint, f.SourcePoint
		for l, r := 0, len(f.Waypoints)-1; l < r; l, r = l+1, r-1 {
			f.Waypoints[l], f.Waypoints[r] = f.Waypoints[r], f.Waypoints[l]
		}
	}
	return f
}

// unitText is the text of a legend or list: its label (with self) and
// every label inside it, in document order.
func (b *builder) unitText(i int, self bool) string {
	var parts []string
	if self {
		parts = append(parts, b.cells[i].label)
	}
	var stack []int
	// Depth-first in document order, iteratively.
	for k := len(b.cells[i].children) - 1; k >= 0; k-- {
		stack = append(stack, b.cells[i].children[k])
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c := b.cells[x]
		if c.hidden {
			continue
		}
		if c.kind == kindVertex {
			parts = append(parts, c.label)
		}
		for k := len(c.children) - 1; k >= 0; k-- {
			stack = append(stack, c.children[k])
		}
	}
	return joinNonEmpty(parts)
}

func (b *builder) countLegend(i int) (shapes, conns int) {
	stack := append([]int(nil), b.cells[i].children...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c := b.cells[x]
		if !c.hidden {
			switch c.kind {
			case kindVertex:
				if !c.st.isText() {
					shapes++
				}
			case kindEdge:
				conns++
			}
		}
		stack = append(stack, c.children...)
	}
	return shapes, conns
}
