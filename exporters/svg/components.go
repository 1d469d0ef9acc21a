package svg

import (
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/picture"
)

func drawComponents(x *xw, p *picture.Picture) {
	x.open("g", false, "id", "tm-components")
	x.raw("\n")
	for _, c := range p.Components {
		kind := c.Kind
		if kind == "" {
			kind = "unknown"
		}
		cls := "tm-component tm-kind-" + safeClass(kind) + " " + sevClass(c.Severity)
		if c.Icon != "" {
			cls += " tm-icon"
		}
		x.open("g", false, "id", c.DOMID, "class", cls)
		x.title(c.Tooltip)
		st := sevStyles[c.Severity]
		drawShape(x, c, st)
		drawLabel(x, c)
		if c.Severity != "" {
			drawChip(x, c.MarkerRect, c.Severity, c.Chip)
		}
		x.close("g")
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
	case c.Icon != "":
		rect(4)
		if c.Rect.Contains(c.LabelRect) {
			cap := textfit.Truncate(c.Icon, 9, r.W-12, false)
			x.text([]string{cap}, r.X+r.W/2, r.Y+14, 9, "text-anchor", "middle", "font-style", "italic", "fill", mutedColour, "class", "tm-icon-kind")
			break
		}
		// A small icon: its kind fills the box, the label is below.
		b, _ := textfit.Fit(c.Icon, 9, 7, r.W-8, r.H-8, false)
		top := r.Y + (r.H-b.Height())/2
		x.text(b.Lines, r.X+r.W/2, top+b.Size*0.92, b.Size, "text-anchor", "middle", "font-style", "italic", "fill", mutedColour, "class", "tm-icon-kind")
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

// drawLabel fits the label into its box: wrapped at word boundaries,
// shrunk down to a minimum size, and cut with an ellipsis as a last resort
// (the tooltip has the full text).
func drawLabel(x *xw, c picture.Component) {
	lr := c.LabelRect
	if c.Actor && c.Rect.Contains(lr) {
		// Label inside a wide actor box: below the glyph.
		top := c.Rect.Y + min(c.Rect.H*0.35, c.Rect.H-8) + 8
		lr = graph.Rect{X: lr.X, Y: top, W: lr.W, H: max(c.Rect.Y+c.Rect.H-top-4, picture.NodeFontSize)}
	}
	b, _ := textfit.Fit(c.Label, picture.NodeFontSize, 8.5, lr.W, lr.H, true)
	top := lr.Y + (lr.H-b.Height())/2
	if !c.Rect.Contains(lr) {
		top = lr.Y // below a glyph or icon
	}
	x.text(b.Lines, lr.X+lr.W/2, top+b.Size*0.92, b.Size, "text-anchor", "middle", "font-weight", "bold", "fill", inkColour, "class", "tm-label")
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
