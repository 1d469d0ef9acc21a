package svg

import (
	"math"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/picture"
)

// drawContainers draws the boundaries and the components used as
// containers (Component.Encloses), back to front: the two lists merged by
// their Layer, each in its own order, boundaries first within a layer.
// Each run of one kind is a group: "tm-boundaries" and
// "tm-container-components" for the first runs, with "-2", "-3"... after
// the id for the later ones (a container component holding a boundary);
// the boundaries' group is written even when empty.
func drawContainers(x *xw, p *picture.Picture) {
	var comps []int
	for i, c := range p.Components {
		if c.Encloses {
			comps = append(comps, i)
		}
	}
	runs := map[string]int{}
	open := ""
	group := func(id string) {
		if open == id {
			return
		}
		if open != "" {
			x.close("g")
		}
		open = id
		runs[id]++
		if runs[id] > 1 {
			id += "-" + strconv.Itoa(runs[id])
		}
		x.open("g", false, "id", id)
		x.raw("\n")
	}
	group("tm-boundaries") // always written, empty when there is none
	bi, ci := 0, 0
	for bi < len(p.Boundaries) || ci < len(comps) {
		if ci >= len(comps) || bi < len(p.Boundaries) && p.Boundaries[bi].Layer <= p.Components[comps[ci]].Layer {
			group("tm-boundaries")
			drawBoundary(x, p.Boundaries[bi])
			bi++
			continue
		}
		group("tm-container-components")
		drawComponent(x, p.Components[comps[ci]])
		ci++
	}
	x.close("g")
}

// drawBoundary draws one boundary: its box (or line) and title.
func drawBoundary(x *xw, b picture.Boundary) {
	cls := "tm-boundary"
	if b.Level >= 0 {
		cls += " tm-trust-" + strconv.Itoa(b.Level)
	}
	if b.Inferred {
		cls += " tm-inferred"
	}
	x.open("g", false, "id", b.DOMID, "class", cls)
	x.title(b.Tooltip)
	fill, stroke := boundaryStyle(b.Level, b.Depth)
	r := b.Rect
	if len(b.Line) >= 2 {
		// A boundary drawn as a line across the flows: the line itself,
		// with no fill to hide anything.
		x.el("path", "d", pathData(b.Line, false), "fill", "none", "stroke", lineBoundaryInk,
			"stroke-width", "2", "stroke-dasharray", boundaryDash, "stroke-linejoin", "round", "class", "tm-boundary-line")
	} else {
		x.el("rect", "x", num(r.X), "y", num(r.Y), "width", num(r.W), "height", num(r.H), "rx", "6",
			"fill", fill, "stroke", stroke, "stroke-width", "1.6", "stroke-dasharray", boundaryDash)
	}
	drawBoundaryTitle(x, b)
	x.close("g")
}

// drawBoundaryTitle writes the label and trust caption, dropping the
// caption and then shortening the label when the strip is too narrow.
func drawBoundaryTitle(x *xw, b picture.Boundary) {
	lr := b.LabelRect
	avail := lr.W - 8
	if avail <= 10 {
		return
	}
	label, trust := b.Label, b.Trust
	label = strings.Join(strings.Fields(label), " ")
	lw := textfit.Width(label, picture.BoundaryTitleSize, true)
	tw := textfit.Width(trust, picture.BoundaryTrustSize, false)
	if trust != "" && lw+picture.BoundaryTitleGap+tw > avail {
		if avail-picture.BoundaryTitleGap-tw >= 60 {
			label = textfit.Truncate(label, picture.BoundaryTitleSize, avail-picture.BoundaryTitleGap-tw, true)
		} else {
			trust = ""
		}
	}
	if trust == "" {
		label = textfit.Truncate(label, picture.BoundaryTitleSize, avail, true)
	}
	bx, by := lr.X+4, lr.Y+15
	x.open("text", false, "x", num(bx), "y", num(by), "font-size", num(picture.BoundaryTitleSize),
		"font-weight", "bold", "fill", boundaryInk, "class", "tm-boundary-label")
	x.raw(escapeText(label))
	if trust != "" {
		x.raw(`<tspan dx="` + num(picture.BoundaryTitleGap) + `" font-size="` + num(picture.BoundaryTrustSize) +
			`" font-weight="normal" fill="` + mutedColour + `" class="tm-trust">` + escapeText(trust) + "</tspan>")
	}
	x.close("text")
}

func pathData(pts []graph.Point, curved bool) string {
	var b strings.Builder
	for i, p := range pts {
		switch {
		case i == 0:
			b.WriteString("M")
		case curved && (i-1)%3 == 0:
			b.WriteString(" C")
		case curved:
			b.WriteString(" ")
		default:
			b.WriteString(" L")
		}
		b.WriteString(num(p.X) + " " + num(p.Y))
	}
	return b.String()
}

func drawFlows(x *xw, p *picture.Picture) {
	x.open("g", false, "id", "tm-flows")
	x.raw("\n")
	for _, f := range p.Flows {
		if len(f.Points) < 2 {
			continue
		}
		cls := "tm-flow " + sevClass(f.Severity)
		if f.EntryPoint != "" {
			cls += " tm-crossing"
		}
		if len(f.Sensitivity) > 0 {
			cls += " tm-sensitive"
		}
		x.open("g", false, "id", f.DOMID, "class", cls)
		x.title(f.Tooltip())
		d := pathData(f.Points, f.Curved && (len(f.Points)-1)%3 == 0)
		// A wide invisible stroke makes the tooltip easy to reach.
		x.el("path", "d", d, "fill", "none", "stroke", "#000000", "stroke-opacity", "0", "stroke-width", "10")
		x.el("path", "d", d, "fill", "none", "stroke", flowColour, "stroke-width", "1.5", "stroke-linejoin", "round")
		poly := graph.Polyline(f.Points, f.Curved)
		if !f.Undirected {
			arrow(x, poly, false)
			if f.Bidirectional {
				arrow(x, poly, true)
			}
		}
		x.close("g")
	}
	x.close("g")
}

// arrow draws an arrowhead at the end of poly (at the start when atStart).
func arrow(x *xw, poly []graph.Point, atStart bool) {
	pts := poly
	if atStart {
		pts = make([]graph.Point, len(poly))
		for i, p := range poly {
			pts[len(poly)-1-i] = p
		}
	}
	tip := pts[len(pts)-1]
	for i := len(pts) - 2; i >= 0; i-- {
		from := pts[i]
		dx, dy := tip.X-from.X, tip.Y-from.Y
		l := math.Hypot(dx, dy)
		if l < 4 {
			continue
		}
		ux, uy := dx/l, dy/l
		bx, by := tip.X-ux*arrowLen, tip.Y-uy*arrowLen
		x.el("polygon", "points", num(tip.X)+","+num(tip.Y)+" "+
			num(bx-uy*arrowHalfWide)+","+num(by+ux*arrowHalfWide)+" "+
			num(bx+uy*arrowHalfWide)+","+num(by-ux*arrowHalfWide), "fill", flowColour, "class", "tm-arrow")
		return
	}
}

func drawFlowLabels(x *xw, p *picture.Picture) {
	x.open("g", false, "id", "tm-flow-labels")
	x.raw("\n")
	for _, f := range p.Flows {
		if f.LabelRect.W == 0 && f.SensitivityRect.W == 0 {
			continue
		}
		x.open("g", false, "id", f.DOMID+"-label", "class", "tm-flow-label "+sevClass(f.Severity))
		x.title(f.Tooltip())
		if r := f.LabelRect; r.W > 0 && len(f.LabelLines) > 0 {
			x.el("rect", "x", num(r.X), "y", num(r.Y), "width", num(r.W), "height", num(r.H), "rx", "3",
				"fill", labelBg, "fill-opacity", "0.92")
			size := picture.EdgeFontSize
			top := r.Y + (r.H-float64(len(f.LabelLines))*size*lineHeight)/2
			x.text(f.LabelLines, r.X+r.W/2, top+size*0.92, size, "text-anchor", "middle", "fill", inkColour)
		}
		if r := f.SensitivityRect; r.W > 0 {
			x.open("g", false, "class", "tm-sensitivity")
			x.el("rect", "x", num(r.X), "y", num(r.Y), "width", num(r.W), "height", num(r.H), "rx", "7", "fill", tagFill)
			x.text([]string{f.SensitivityText}, r.X+r.W/2, r.Y+r.H/2+picture.TagFontSize*0.35, picture.TagFontSize,
				"text-anchor", "middle", "font-weight", "bold", "fill", "#FFFFFF")
			x.close("g")
		}
		x.close("g")
	}
	x.close("g")
}

func drawBadges(x *xw, p *picture.Picture) {
	x.open("g", false, "id", "tm-entry-points")
	x.raw("\n")
	for _, b := range p.Badges {
		cls := "tm-entry-point"
		if b.Direction != "" {
			cls += " tm-" + safeClass(b.Direction)
		}
		x.open("g", false, "id", b.DOMID, "class", cls)
		x.title(b.Tooltip())
		r := b.Rect
		if b.HasLeader {
			x.el("line", "x1", num(b.Leader.X), "y1", num(b.Leader.Y), "x2", num(b.Center.X), "y2", num(b.Center.Y),
				"stroke", badgeFill, "stroke-width", "1.5", "class", "tm-leader")
			x.el("circle", "cx", num(b.Leader.X), "cy", num(b.Leader.Y), "r", "3", "fill", badgeFill)
		}
		x.el("rect", "x", num(r.X), "y", num(r.Y), "width", num(r.W), "height", num(r.H), "rx", num(r.H/2),
			"fill", badgeFill, "stroke", "#FFFFFF", "stroke-width", "1.5")
		x.text([]string{b.Text}, b.Center.X, b.Center.Y+picture.BadgeFontSize*0.36, picture.BadgeFontSize,
			"text-anchor", "middle", "font-weight", "bold", "fill", "#FFFFFF")
		x.close("g")
	}
	x.close("g")
}

// safeClass keeps letters, digits and '-' of s.
func safeClass(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
