package annotate

import (
	"math"
	"sort"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/stencils"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/picture"
)

func (b *builder) components() {
	for _, rc := range b.r.Components {
		n := b.l.Node(rc.ID)
		if n == nil {
			b.warn("component %q has no place in the layout; not drawn", rc.ID)
			continue
		}
		var gc *graph.Component
		if b.r.Diagram != nil {
			gc = b.r.Diagram.Component(rc.ID)
		}
		if gc != nil && gc.Attributes["represents"] == "boundary" && b.hasContainer(rc.ID) {
			// An edge drawn to a container ends on a component that stands
			// for the container: the container is drawn, the stand-in is not
			// (its box is the container's and would cover what is inside).
			continue
		}
		c := picture.Component{ID: rc.ID, DOMID: b.ids.id("tm-c-", rc.ID), Label: rc.Label, Kind: rc.Kind, Rect: n.Rect,
			Sensitivity: rc.Sensitivity, Threats: b.refs(rc.Threats)}
		if strings.TrimSpace(c.Label) == "" {
			c.Label = rc.ID
		}
		shape, style := rc.Shape, ""
		if gc != nil {
			style = gc.Style
			if shape == "" {
				shape = gc.Shape
			}
			if c.Kind == "" {
				c.Kind = string(gc.Kind)
			}
		}
		if c.Kind == "" {
			c.Kind = kindFromShape(shape)
		}
		c.Actor = c.Kind == "external" && isActorShape(shape)
		vendor := iconOf(&c, shape, style)
		if b.l.Engine == layout.EngineSource {
			c.LabelRect = labelRect(c, style)
		} else {
			// A generated layout sized the box for its label inside:
			// the source's label position belongs to the source's boxes.
			c.LabelRect = labelRect(c, "")
		}
		placeGlyph(&c)
		c.Severity = normSeverity(rc.MaxSeverity)
		if c.Severity == "" {
			c.Severity = maxSeverity(c.Threats)
		}
		c.Marker = picture.Marker(c.Severity)
		c.Score = b.maxScore(rc.Threats)
		if c.Severity != "" {
			c.Chip = ChipText(c.Severity)
			w := textfit.Width(c.Chip, picture.ChipFontSize, true) + 12
			if w > c.Rect.W*0.9 {
				// A small box gets the marker alone.
				c.Chip = c.Marker
				w = textfit.Width(c.Chip, picture.ChipFontSize, true) + 12
			}
			c.MarkerRect = graph.Rect{X: c.Rect.X + c.Rect.W - w + 6, Y: c.Rect.Y - 9, W: w, H: 16}
			c.MarkerRect = clearOfText(c, c.MarkerRect)
		}
		head := []string{c.Label + " (" + kindName(c.Kind) + ")"}
		if c.Icon != "" {
			head = append(head, "Icon: "+strings.TrimSpace(vendor+" "+c.Icon))
		}
		if c.Severity != "" {
			head = append(head, "Highest residual risk: "+c.Severity)
		}
		if len(c.Sensitivity) > 0 {
			head = append(head, "Data: "+strings.Join(c.Sensitivity, ", "))
		}
		c.TooltipHead = head
		b.p.Components = append(b.p.Components, c)
	}
	stackComponents(b.p.Components)
}

// Outside labels: the width of a label beside a shape, and how many lines
// a label above or beside it gets.
const (
	sideLabelWidth = 160.0
	outsideLines   = 3
)

// labelRect is where a component's label goes: where the draw.io style
// puts it (verticalLabelPosition=bottom/top, labelPosition=left/right:
// outside the shape), else below narrow icons and actors, else inside.
func labelRect(c picture.Component, style string) graph.Rect {
	r := c.Rect
	lineH := picture.NodeFontSize * textfit.LineHeight
	vpos, hpos := styleValue(style, "verticalLabelPosition"), styleValue(style, "labelPosition")
	switch {
	case hpos == "right" || hpos == "left":
		h := outsideLines * lineH
		x := r.X + r.W + 4
		if hpos == "left" {
			x = r.X - 4 - sideLabelWidth
		}
		return graph.Rect{X: x, Y: r.Y + r.H/2 - h/2, W: sideLabelWidth, H: h}
	case vpos == "top":
		w := max(r.W+60, 120)
		h := 2 * lineH
		return graph.Rect{X: r.X + r.W/2 - w/2, Y: r.Y - h - 2, W: w, H: h}
	case vpos == "bottom" && !c.Actor:
		w := max(r.W+60, 120)
		return graph.Rect{X: r.X + r.W/2 - w/2, Y: r.Y + r.H + 2, W: w, H: outsideLines * lineH}
	}
	if (c.Actor || c.Glyph != "") && r.W < 110 {
		// Narrow glyphs and icons: the label goes below, as draw.io
		// draws them.
		w := max(r.W+60, 120)
		return graph.Rect{X: r.X + r.W/2 - w/2, Y: r.Y + r.H + 2, W: w, H: 3 * picture.NodeFontSize * textfit.LineHeight}
	}
	top := min(layout.NodePadTop, r.H/4)
	if c.Kind == "datastore" {
		top = max(top, min(r.H*0.22, 24))
	}
	if c.Glyph != "" {
		top = max(top, 26) // the glyph row
	}
	bottom := min(layout.NodePadBottom, r.H/6)
	padX := min(layout.NodePadX, r.W/8)
	return graph.Rect{X: r.X + padX, Y: r.Y + top, W: max(r.W-2*padX, 1), H: max(r.H-top-bottom, picture.NodeFontSize)}
}

func kindName(k string) string {
	switch k {
	case "external":
		return "external entity"
	case "datastore":
		return "data store"
	case "process":
		return "process"
	}
	return "component"
}

func kindFromShape(shape string) string {
	s := strings.ToLower(shape)
	switch {
	case strings.Contains(s, "cylinder"), strings.Contains(s, "database"), strings.Contains(s, "datastore"), strings.Contains(s, "storage"):
		return "datastore"
	case isActorShape(s):
		return "external"
	}
	return "process"
}

func isActorShape(shape string) bool {
	s := strings.ToLower(shape)
	return strings.Contains(s, "actor") || strings.Contains(s, "person") || strings.Contains(s, "user")
}

// iconOf sets the icon name and glyph of a component drawn with a vendor
// or device icon (a draw.io stencil of an icon family, an img/lib image,
// or an embedded image), and returns the icon family ("AWS"); it leaves
// plain shapes alone.
func iconOf(c *picture.Component, shape, style string) string {
	keys := stencils.StyleKeys(style)
	if len(keys) == 0 && shape != "" {
		keys = []string{shape}
	}
	vendor := stencils.Vendor(keys)
	embedded := vendor == "" && strings.Contains(style, "image=data:image/")
	if vendor == "" && !embedded {
		return ""
	}
	title, _ := stencils.Title(keys)
	c.Icon = title
	c.Glyph = stencils.Category(keys, title, c.Label)
	if title != "" && !sameWords(title, c.Label) {
		c.Caption = title
	}
	return vendor
}

// sameWords reports whether a and b say the same words, whatever the case
// and spacing.
func sameWords(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// placeGlyph decides where an icon's glyph and caption go. An icon whose
// label is below it (a narrow icon, as draw.io draws them) gets its glyph
// centred in the box, with the caption under it when there is room; a
// wide box with the label inside gets a small glyph in its top-left
// corner and the caption beside it.
func placeGlyph(c *picture.Component) {
	if c.Glyph == "" {
		return
	}
	r := c.Rect
	if r.Contains(c.LabelRect) && r.W >= 110 {
		c.GlyphRect = graph.Rect{X: r.X + 6, Y: r.Y + 5, W: 20, H: 20}
		if c.Caption != "" {
			c.CaptionRect = graph.Rect{X: r.X + 30, Y: r.Y + 6, W: max(r.W-38, 1), H: 14}
		}
		return
	}
	side := min(r.W, r.H)
	if c.Caption != "" && r.H >= 40 {
		s := min(side*0.55, 40)
		c.GlyphRect = graph.Rect{X: r.X + (r.W-s)/2, Y: r.Y + 5, W: s, H: s}
		top := c.GlyphRect.Y + s + 2
		if h := r.Y + r.H - 3 - top; h >= 7 {
			c.CaptionRect = graph.Rect{X: r.X + 3, Y: top, W: max(r.W-6, 1), H: h}
			return
		}
	}
	s := min(side*0.7, 48)
	c.GlyphRect = graph.Rect{X: r.X + (r.W-s)/2, Y: r.Y + (r.H-s)/2, W: s, H: s}
}

// hasContainer reports whether the layout draws a container with this id.
func (b *builder) hasContainer(id string) bool {
	for _, c := range b.l.Containers {
		if c.ID == id {
			return true
		}
	}
	return false
}

// maxScore is the highest residual score (the inherent one where no
// residual is set) of the threats named by ids.
func (b *builder) maxScore(ids []string) int {
	s := 0
	for _, id := range ids {
		if t := b.x.Threat(id); t != nil {
			v := t.ResidualScore
			if v == 0 {
				v = t.Score
			}
			s = max(s, v)
		}
	}
	return s
}

// clearOfText moves a risk chip on the top-right corner of c's box left,
// along the top edge (not past the box's left edge), until it covers none
// of the text c draws beside its box: a label to the right of the box
// (data-flow.drawio's "Large Language Model" lost its "L" under the chip).
func clearOfText(c picture.Component, chip graph.Rect) graph.Rect {
	for _, r := range textBoxes(c) {
		if overlapArea(chip, r) <= 0 || r.X < chip.X {
			continue
		}
		chip.X = max(r.X-1-chip.W, c.Rect.X)
	}
	return chip
}

// stackComponents orders the components for drawing, back to front: by
// how many other component boxes enclose each one (a shape used as a
// container comes before what it holds), then source order; and marks
// the boxes that enclose another (Component.Encloses), which the writer
// draws before the flows so that they hide no flow.
func stackComponents(cs []picture.Component) {
	const cell = 256.0
	type key struct{ x, y int }
	at := func(v float64) int { return int(math.Floor(v / cell)) }
	// Each component is listed in every grid cell its box covers; the
	// boxes that may enclose component i are those listed in the cell of
	// its centre. Boxes too large to list are kept apart.
	grid := map[key][]int{}
	var huge []int
	for i, c := range cs {
		r := c.Rect
		x0, y0, x1, y1 := at(r.X), at(r.Y), at(r.X+r.W), at(r.Y+r.H)
		if !finite(r) || (x1-x0+1)*(y1-y0+1) > 4096 {
			huge = append(huge, i)
			continue
		}
		for gx := x0; gx <= x1; gx++ {
			for gy := y0; gy <= y1; gy++ {
				grid[key{gx, gy}] = append(grid[key{gx, gy}], i)
			}
		}
	}
	depth := make([]int, len(cs))
	for i, c := range cs {
		r := c.Rect
		cands := append(grid[key{at(r.X + r.W/2), at(r.Y + r.H/2)}], huge...)
		for _, k := range cands {
			if k != i && encloses(cs[k].Rect, r, k < i) {
				depth[i]++
				cs[k].Encloses = true
			}
		}
	}
	idx := make([]int, len(cs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return depth[idx[a]] < depth[idx[b]] })
	out := make([]picture.Component, len(cs))
	for i, k := range idx {
		out[i] = cs[k]
	}
	copy(cs, out)
}

func finite(r graph.Rect) bool {
	for _, v := range []float64{r.X, r.Y, r.W, r.H} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// styleValue is the value of key in a draw.io style string ("" if absent).
func styleValue(style, key string) string {
	for _, kv := range strings.Split(style, ";") {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
