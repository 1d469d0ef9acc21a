package layout

import (
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/picture"
)

// Sizing rules of the generated layouts, for text in picture's type scale
// (picture.NodeFontSize ...), so that boxes are made for the text that is
// drawn in them.
const (
	NodeMinWidth  = 128.0
	NodeMaxText   = 150.0 // widest component label line
	NodeMinHeight = 64.0
	NodePadX      = 14.0
	// NodePadTop leaves room above the label for a severity marker and a
	// cylinder's cap; NodePadBottom below it.
	NodePadTop    = 22.0
	NodePadBottom = 14.0

	EdgeLabelMax = 130.0 // widest flow label line
	// Notes are short tags drawn under a flow's label (sensitive data),
	// in picture.TagFontSize.
	NoteHeight = 14.0
	NotePadX   = 5.0
	noteGap    = 2.0
	// LabelStrip is the height of a boundary's title strip.
	LabelStrip = 24.0
)

// NodeSize returns the box size for component c in generated layouts: wide
// enough for its wrapped label, never smaller than the minimum.
// A stand-in for a container (see attachStandIns) is a small point.
func NodeSize(c *graph.Component) (w, h float64) {
	if isStandIn(c) {
		return StandInSize, StandInSize
	}
	lines := textfit.Wrap(displayLabel(c.Label, c.ID), picture.NodeFontSize, NodeMaxText, true)
	tw := 0.0
	for _, l := range lines {
		tw = max(tw, textfit.Width(l, picture.NodeFontSize, true))
	}
	w = max(NodeMinWidth, tw+2*NodePadX)
	h = max(NodeMinHeight, float64(len(lines))*picture.NodeFontSize*textfit.LineHeight+NodePadTop+NodePadBottom)
	return round(w), round(h)
}

// EdgeLabel returns a flow label's lines and their box size.
func EdgeLabel(label string) (lines []string, w, h float64) {
	label = strings.TrimSpace(label)
	if label == "" {
		return nil, 0, 0
	}
	lines = textfit.Wrap(label, picture.EdgeFontSize, EdgeLabelMax, false)
	if len(lines) > 4 {
		lines = append(lines[:3:3], textfit.Truncate(strings.Join(lines[3:], " "), picture.EdgeFontSize, EdgeLabelMax, false))
	}
	for _, l := range lines {
		w = max(w, textfit.Width(l, picture.EdgeFontSize, false))
	}
	return lines, w + 8, float64(len(lines))*picture.EdgeFontSize*textfit.LineHeight + 4
}

// NoteWidth is the width of a note tag.
func NoteWidth(note string) float64 {
	return textfit.Width(note, picture.TagFontSize, true) + 2*NotePadX
}

// labelBoxes places a flow's label lines and note centred on p: the text
// box on top, the note below it.
func labelBoxes(p graph.Point, label, note string) (lines []string, text, noteBox graph.Rect) {
	lines, w, h := EdgeLabel(label)
	nw, nh := 0.0, 0.0
	if note != "" {
		nw, nh = NoteWidth(note), NoteHeight+noteGap
	}
	top := p.Y - (h+nh)/2
	if lines != nil {
		text = graph.Rect{X: p.X - w/2, Y: top, W: w, H: h}
	}
	if note != "" {
		noteBox = graph.Rect{X: p.X - nw/2, Y: top + h + noteGap, W: nw, H: NoteHeight}
	}
	return lines, text, noteBox
}

// displayLabel is the label shown for a component: its label, or its ID.
func displayLabel(label, id string) string {
	if strings.TrimSpace(label) == "" {
		return id
	}
	return label
}

func round(v float64) float64 { return float64(int(v*100+0.5)) / 100 }
