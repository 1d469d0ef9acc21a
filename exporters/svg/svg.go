package svg

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/threatmap/threatmap/annotate"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/stride"
)

// Layout choices.
const (
	LayoutSource = "source" // keep the diagram's own layout when it has one
	LayoutAuto   = "auto"   // always lay out with Graphviz
)

// Options control the SVG.
type Options struct {
	// Layout is LayoutSource (the default: the user's layout for draw.io,
	// Graphviz for formats without one) or LayoutAuto.
	Layout string
	// Date is printed in the title block as given ("" for none); pass a
	// fixed value to keep the output reproducible.
	Date string
	// Title overrides the system name in the title block.
	Title string
	// LayoutOptions bound the automatic layout.
	LayoutOptions layout.Options
	// Warn, when set, receives what was approximated: a layout fallback
	// (diagram too large, Graphviz over its time budget), elements
	// without geometry, badges that could not avoid every label.
	Warn func(msg string)
}

// Write lays out the diagram of r, annotates it and writes the SVG to w.
// Nothing is written when it fails.
func Write(w io.Writer, r *stride.Report, opts Options) error {
	if r == nil {
		return errors.New("svg: nil report")
	}
	d := r.Diagram
	if d == nil {
		d = diagramOf(r)
	}
	var l *layout.Layout
	notes := annotate.Notes(r)
	switch opts.Layout {
	case "", LayoutSource:
		if d.HasLayout {
			l = layout.FromSourceNotes(d, notes)
			break
		}
		fallthrough
	case LayoutAuto:
		var err error
		lo := opts.LayoutOptions
		if lo.EdgeNotes == nil {
			lo.EdgeNotes = notes
		}
		if l, err = layout.Auto(d, lo); err != nil {
			return fmt.Errorf("svg: %w", err)
		}
	default:
		return fmt.Errorf("svg: unknown layout %q (want %q or %q)", opts.Layout, LayoutSource, LayoutAuto)
	}
	p := annotate.Build(r, l, annotate.Options{Title: opts.Title, Date: opts.Date})
	if opts.Warn != nil {
		for _, m := range p.Warnings {
			opts.Warn(m)
		}
	}
	var buf bytes.Buffer
	buf.Grow(16<<10 + 1500*(len(p.Components)+len(p.Flows)+len(p.Badges)))
	if err := Render(&buf, p); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// diagramOf rebuilds a diagram without geometry from the report, for
// reports made without one.
func diagramOf(r *stride.Report) *graph.Diagram {
	d := graph.New(r.Source.File, r.Source.Format)
	d.Title = r.System
	for _, b := range r.Boundaries {
		_ = d.AddBoundary(&graph.Boundary{ID: b.ID, Label: b.Label, Parent: b.Parent, Inferred: b.Inferred})
	}
	for _, c := range r.Components {
		_ = d.AddComponent(&graph.Component{ID: c.ID, Label: c.Label, Kind: graph.Kind(c.Kind), Shape: c.Shape, Boundary: c.Boundary})
	}
	for _, f := range r.Flows {
		d.AddFlow(&graph.Flow{ID: f.ID, Source: f.Source, Target: f.Target, Label: f.Label, Bidirectional: f.Bidirectional})
	}
	_ = d.Finalize()
	return d
}

// Render draws a picture as a complete SVG document.
func Render(w io.Writer, p *annotate.Picture) error {
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
	drawBoundaries(x, p)
	drawFlows(x, p)
	drawComponents(x, p)
	drawFlowLabels(x, p)
	drawBadges(x, p)
	x.close("g")
	drawLegend(x, p, c)
	x.close("svg")
	return x.flush()
}

// canvas places the title block, the drawing and the legend.
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

func newCanvas(p *annotate.Picture) canvas {
	b := p.Bounds
	top := margin + titleHeight
	drawW := max(b.W, 1)
	c := canvas{dx: margin - b.X, dy: top - b.Y}
	c.legX = margin + drawW + legendGap
	c.legY = top
	c.titleMax = max(c.legX+legendWidth-margin, minTitleWidth)
	tw := min(titleWidth(p), c.titleMax)
	c.w = max(c.legX+legendWidth, margin+tw) + margin
	c.h = top + max(b.H, legendHeight(p)) + margin
	return c
}
