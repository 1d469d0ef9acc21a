package picture

import (
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/textfit"
)

// Text is a block of text as the picture draws it: its lines, font size,
// where the first line's top edge is, and the box the lines cover. The
// SVG writer draws it (centred on X, first baseline at
// Top+Size*Baseline) and annotate keeps badges off Ink.
type Text struct {
	Lines []string
	Size  float64
	// X is the horizontal middle the lines are centred on.
	X   float64
	Top float64
	// Ink is the box the lines cover: as wide as the widest line, centred
	// on the anchor, as tall as the lines.
	Ink graph.Rect
}

// Baseline is where the first line's baseline sits below the top of a
// text block, as a multiple of the font size.
const Baseline = 0.92

// Label fonts of a component's label and of an icon's caption: the
// largest and smallest sizes fitting tries.
const (
	LabelMinSize   = 8.5
	CaptionSize    = 9.0
	CaptionMinSize = 6.5
)

// LabelText fits a component's label into its label box as the picture
// draws it: wrapped at spaces, shrunk down to LabelMinSize, a word wider
// than the box hyphenated and an overlong text cut with an ellipsis (the
// tooltip has the full text). A label inside a wide actor box goes below
// the glyph; a label inside its box is centred vertically, one outside it
// starts at the top of its box.
func LabelText(c Component) Text {
	lr := c.LabelRect
	if c.Actor && c.Rect.Contains(lr) {
		top := c.Rect.Y + min(c.Rect.H*0.35, c.Rect.H-8) + 8
		lr = graph.Rect{X: lr.X, Y: top, W: lr.W, H: max(c.Rect.Y+c.Rect.H-top-4, NodeFontSize)}
	}
	b, _ := textfit.Fit(c.Label, NodeFontSize, LabelMinSize, lr.W, lr.H, true)
	top := lr.Y + (lr.H-b.Height())/2
	if !c.Rect.Contains(lr) {
		top = lr.Y // below a glyph or icon
	}
	return block(b, lr, top, true)
}

// CaptionText fits an icon's caption (its palette name) into CaptionRect:
// wrapped, 9 px down to 6.5 px, cut with an ellipsis as a last resort.
// ok is false when nothing is drawn: no caption, or a word that does not
// fit even at the smallest size.
func CaptionText(c Component) (t Text, ok bool) {
	r := c.CaptionRect
	if c.Caption == "" || r.W <= 0 {
		return Text{}, false
	}
	for _, w := range strings.Fields(c.Caption) {
		if textfit.Width(w, CaptionMinSize, false) > r.W {
			return Text{}, false
		}
	}
	b, _ := textfit.Fit(c.Caption, CaptionSize, CaptionMinSize, r.W, r.H, false)
	top := r.Y + max((r.H-b.Height())/2, 0)
	if r.H > 16 {
		top = r.Y // under a glyph: from the top
	}
	return block(b, r, top, false), true
}

func block(b textfit.Block, r graph.Rect, top float64, bold bool) Text {
	w := b.Width(bold)
	return Text{Lines: b.Lines, Size: b.Size, X: r.X + r.W/2, Top: top,
		Ink: graph.Rect{X: r.X + r.W/2 - w/2, Y: top, W: w, H: b.Height()}}
}
