package svg

import (
	"errors"
	"io"

	"github.com/threatmap/threatmap/picture"
)

// Write draws p as a complete SVG document on w, streamed. It fails only
// for a nil picture (nothing written) or when w fails; then part of the
// document may have been written, so callers that must never leave half a
// file write to a temporary one (as threatmap analyze does).
func Write(w io.Writer, p *picture.Picture) error {
	if p == nil {
		return errors.New("svg: nil picture")
	}
	// Streamed through the writer's buffer: memory never holds the whole
	// document (tens of megabytes at 20,000 components).
	return render(w, p)
}

// render writes the document.
func render(w io.Writer, p *picture.Picture) error {
	x := newXW(w)
	c := newCanvas(p)
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.open("svg", false, "xmlns", "http://www.w3.org/2000/svg", "version", "1.1",
		"viewBox", "0 0 "+num(c.w)+" "+num(c.h), "width", num(c.w), "height", num(c.h),
		"role", "img", "aria-labelledby", "tm-doc-title", "class", "tm-threat-model",
		"font-family", fontFamily)
	x.raw("\n")
	x.raw(`<title id="tm-doc-title">` + escapeText("Threat model: "+p.Title.System) + "</title>\n")
	x.el("rect", "x", "0", "y", "0", "width", num(c.w), "height", num(c.h), "fill", "#FFFFFF")
	drawTitle(x, p, c)
	x.open("g", false, "id", "tm-diagram", "transform", "translate("+num(c.dx)+" "+num(c.dy)+")")
	x.raw("\n")
	// Back to front: boundaries and shapes used as containers (each
	// drawn before what it holds), flows, the
	// other components, then what annotates them, so that nothing hides
	// a component or a flow.
	drawContainers(x, p)
	drawFlows(x, p)
	drawComponents(x, p, "tm-components", false)
	drawFlowLabels(x, p)
	drawBadges(x, p)
	x.close("g")
	drawLegend(x, p, c)
	drawIndex(x, p, c)
	x.close("svg")
	return x.flush()
}

// canvas places the title block, the drawing, and the legend with the
// entry-point index below it.
type canvas struct {
	w, h   float64
	dx, dy float64 // translation of diagram coordinates
	legX   float64 // legend's left edge
	legY   float64
	// titleMax is the widest a title-block line may be; longer ones are
	// shortened with an ellipsis.
	titleMax float64
}

// minTitleWidth is the room title-block lines always get.
const minTitleWidth = 900.0

func newCanvas(p *picture.Picture) canvas {
	b := p.Bounds
	top := margin + titleHeight
	drawW := max(b.W, 1)
	c := canvas{dx: margin - b.X, dy: top - b.Y}
	c.legX = margin + drawW + legendGap
	c.legY = top
	c.titleMax = max(c.legX+legendWidth-margin, minTitleWidth)
	tw := min(titleWidth(p), c.titleMax)
	c.w = max(c.legX+legendWidth, margin+tw) + margin
	side := legendHeight(p)
	if ih := indexHeight(p); ih > 0 {
		side += indexGap + ih
	}
	c.h = top + max(b.H, side) + margin
	return c
}
