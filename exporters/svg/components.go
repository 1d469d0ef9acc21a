package svg

import (
	"strconv"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
)

// drawComponents draws the components whose Encloses is enclosing, in
// picture order (back to front), in a group with the given id.
func drawComponents(x *xw, p *picture.Picture, id string, enclosing bool) {
	x.open("g", false, "id", id)
	x.raw("\n")
	for _, c := range p.Components {
		if c.Encloses != enclosing {
			continue
		}
		drawComponent(x, c)
	}
	x.close("g")
}

// drawComponent draws one component: its shape, label, risk chip and rank.
func drawComponent(x *xw, c picture.Component) {
	kind := c.Kind
	if kind == "" {
		kind = "unknown"
	}
	cls := "tm-component tm-kind-" + safeClass(kind) + " " + sevClass(c.Severity)
	if c.Glyph != "" {
		cls += " tm-icon tm-glyph-" + safeClass(c.Glyph)
	}
	x.open("g", false, "id", c.DOMID, "class", cls)
	x.title(c.Tooltip())
	st := sevStyles[c.Severity]
	st.width = sevWidth(st, c.Score, c.Emphasis)
	drawShape(x, c, st)
	if c.Severity == string(stride.SeverityCritical) {
		drawInnerBorder(x, c, st)
	}
	drawLabel(x, c)
	if c.Severity != "" {
		drawChip(x, c.MarkerRect, c.Severity, c.Chip)
	}
	if c.Rank > 0 {
		drawRank(x, c.RankRect, c.Rank)
	}
	x.close("g")
}

func drawShape(x *xw, c picture.Component, st sevStyle) {
	r := c.Rect
	stroke := []string{"fill", st.fill, "stroke", st.stroke, "stroke-width", num(st.width)}
	rect := func(rx float64) {
		x.el("rect", append([]string{"x", num(r.X), "y", num(r.Y), "width", num(r.W), "height", num(r.H), "rx", num(rx)}, stroke...)...)
	}
	switch {
	case c.Actor:
		rect(4)
		actor(x, r, st.stroke)
	case c.Glyph != "":
		rect(4)
		drawGlyph(x, c.Glyph, c.GlyphRect)
		drawCaption(x, c)
	case c.Kind == "datastore":
		ry := min(10, r.H*0.12)
		rx := r.W / 2
		d := "M" + num(r.X) + " " + num(r.Y+ry) +
			" A" + num(rx) + " " + num(ry) + " 0 0 1 " + num(r.X+r.W) + " " + num(r.Y+ry) +
			" V" + num(r.Y+r.H-ry) +
			" A" + num(rx) + " " + num(ry) + " 0 0 1 " + num(r.X) + " " + num(r.Y+r.H-ry) + " Z"
		x.el("path", append([]string{"d", d}, stroke...)...)
		cap := "M" + num(r.X) + " " + num(r.Y+ry) + " A" + num(rx) + " " + num(ry) + " 0 0 0 " + num(r.X+r.W) + " " + num(r.Y+ry)
		x.el("path", "d", cap, "fill", "none", "stroke", st.stroke, "stroke-width", num(max(st.width*0.6, 1.2)))
	case c.Kind == "external":
		rect(0)
	default:
		rect(min(12, r.H/4))
	}
}

// actor draws a person glyph in the top part of r.
func actor(x *xw, r graph.Rect, ink string) {
	h := min(r.H-8, 56.0)
	if r.W >= 110 {
		h = min(h, r.H*0.35)
	}
	cx, top := r.X+r.W/2, r.Y+4
	head := h * 0.18
	neck := top + 2*head
	hip := top + h*0.62
	s := func(x1, y1, x2, y2 float64) string {
		return "M" + num(x1) + " " + num(y1) + " L" + num(x2) + " " + num(y2) + " "
	}
	d := s(cx, neck, cx, hip) + s(cx-h*0.3, top+h*0.4, cx+h*0.3, top+h*0.4) +
		s(cx, hip, cx-h*0.25, top+h) + s(cx, hip, cx+h*0.25, top+h)
	x.el("circle", "cx", num(cx), "cy", num(top+head), "r", num(head), "fill", "none", "stroke", ink, "stroke-width", "1.6")
	x.el("path", "d", d, "fill", "none", "stroke", ink, "stroke-width", "1.6", "stroke-linecap", "round", "class", "tm-actor")
}

// drawLabel writes the label as picture.LabelText fits it.
func drawLabel(x *xw, c picture.Component) {
	if c.LabelRect.W <= 0 || c.LabelRect.H <= 0 {
		return // no room for it: the tooltip names the component
	}
	t := picture.LabelText(c)
	x.text(t.Lines, t.X, t.Top+t.Size*picture.Baseline, t.Size, "text-anchor", "middle", "font-weight", "bold", "fill", inkColour, "class", "tm-label")
}

func drawChip(x *xw, r graph.Rect, sev, text string) {
	st := sevStyles[sev]
	x.open("g", false, "class", "tm-severity-chip")
	x.el("rect", "x", num(r.X), "y", num(r.Y), "width", num(r.W), "height", num(r.H), "rx", num(chipRadius),
		"fill", st.chip, "stroke", "#FFFFFF", "stroke-width", "1.2")
	x.text([]string{text}, r.X+r.W/2, r.Y+r.H/2+picture.ChipFontSize*0.36, picture.ChipFontSize,
		"text-anchor", "middle", "font-weight", "bold", "fill", st.chipText)
	x.close("g")
}

// drawInnerBorder draws the second, inner border that marks a critical
// component in greyscale and on paper: a thin line inset from the thick
// one, following the shape's outline (a rounded box for every kind; the
// data store's cylinder gets one inside its body).
func drawInnerBorder(x *xw, c picture.Component, st sevStyle) {
	r := c.Rect
	in := st.width/2 + 3
	if r.W <= 2*in+4 || r.H <= 2*in+4 {
		return
	}
	top := r.Y + in
	if c.Kind == "datastore" && c.Glyph == "" && !c.Actor {
		top += min(10, r.H*0.12) // below the cylinder's lid
	}
	x.el("rect", "x", num(r.X+in), "y", num(top), "width", num(r.W-2*in), "height", num(r.Y+r.H-in-top), "rx", "3",
		"fill", "none", "stroke", st.stroke, "stroke-width", "1.3", "class", "tm-critical-border")
}

// drawRank draws a rank disc: a white disc with a heavy dark ring and the
// rank number, unlike the black entry-point badges.
func drawRank(x *xw, r graph.Rect, rank int) {
	cx, cy := r.X+r.W/2, r.Y+r.H/2
	x.open("g", false, "class", "tm-rank")
	x.el("circle", "cx", num(cx), "cy", num(cy), "r", num(r.W/2-1), "fill", "#FFFFFF", "stroke", badgeFill, "stroke-width", "2.2")
	x.text([]string{strconv.Itoa(rank)}, cx, cy+3.6, 10, "text-anchor", "middle", "font-weight", "bold", "fill", badgeFill)
	x.close("g")
}
