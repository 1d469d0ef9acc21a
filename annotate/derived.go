package annotate

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
)

// derivedLabel reports whether the component's label is one threatmap
// made up (the importer named an unlabelled icon after its palette entry,
// its C4 type or its shape: the "label_from" attribute) rather than text
// the author drew.
func derivedLabel(r *stride.Report, id string) bool {
	if r == nil || r.Diagram == nil {
		return false
	}
	gc := r.Diagram.Component(id)
	return gc != nil && gc.Attributes["label_from"] != ""
}

// placeDerivedLabels moves the derived labels written outside their
// boxes to where they cover no other shape and no text: below the box
// (three lines, then two, then one, narrower each time), above it,
// beside it; the text is shortened with an ellipsis where only that
// fits, and left to the tooltip (LabelRect zeroed, nothing drawn) when
// no place is free. The author's own labels stay where the author put
// them; a derived label inside its box cannot spill and stays too.
func (b *builder) placeDerivedLabels() {
	cs := b.p.Components
	var lines [][]graph.Point
	for _, e := range b.l.Edges {
		lines = append(lines, graph.Polyline(e.Points, e.Curved))
	}
	for i := range cs {
		c := &cs[i]
		if c.LabelRect.W <= 0 || strings.TrimSpace(c.Label) == "" || !derivedLabel(b.r, c.ID) {
			continue
		}
		obs := b.labelObstacles(i)
		if !coversAny(picture.LabelText(*c).Ink, obs) {
			continue // where it is, it hides nothing
		}
		if c.Rect.Contains(c.LabelRect) {
			// Inside a box drawn around other components (an unlabelled
			// frame): the name would be written over what it holds.
			c.LabelRect = graph.Rect{}
			continue
		}
		c.LabelRect = freeLabelRect(*c, obs, lines)
	}
}

// labelObstacles are what component i's derived label must not cover:
// every other component's box (except the boxes that enclose it) and
// text, every risk chip and rank disc (its own too), and the boundary
// titles.
func (b *builder) labelObstacles(i int) []graph.Rect {
	cs := b.p.Components
	self := cs[i]
	var obs []graph.Rect
	for j, o := range cs {
		obs = append(obs, o.MarkerRect, o.RankRect)
		if j == i {
			continue
		}
		if !o.Rect.Contains(self.Rect) {
			obs = append(obs, o.Rect)
		}
		obs = append(obs, textBoxes(o)...)
	}
	for _, bd := range b.p.Boundaries {
		obs = append(obs, bd.LabelRect)
	}
	return obs
}

// freeLabelRect is the first label place around c whose text, as drawn,
// covers none of obs, preferring one that no flow line crosses; a zero
// rectangle when there is none.
func freeLabelRect(c picture.Component, obs []graph.Rect, lines [][]graph.Point) graph.Rect {
	var fallback graph.Rect
	for _, lr := range labelCandidates(c.Rect) {
		t := c
		t.LabelRect = lr
		txt := picture.LabelText(t)
		if !readable(txt) || coversAny(txt.Ink, obs) {
			continue
		}
		if !crossedByAny(txt.Ink, lines) {
			return lr
		}
		if fallback.W == 0 {
			fallback = lr
		}
	}
	return fallback
}

// crossedByAny reports whether any of the polylines crosses or enters r.
func crossedByAny(r graph.Rect, lines [][]graph.Point) bool {
	for _, pts := range lines {
		if len(crossings(pts, r)) > 0 {
			return true
		}
		for _, p := range pts {
			if r.ContainsPoint(p) {
				return true
			}
		}
	}
	return false
}

// labelCandidates are the places a derived label may take around box r,
// best first.
func labelCandidates(r graph.Rect) []graph.Rect {
	lineH := picture.NodeFontSize * textfit.LineHeight
	var out []graph.Rect
	widths := []float64{max(r.W+60, 120), r.W + 30, r.W + 8}
	for _, lines := range []float64{outsideLines, 2, 1} {
		for _, w := range widths {
			out = append(out, graph.Rect{X: r.X + r.W/2 - w/2, Y: r.Y + r.H + 2, W: w, H: lines * lineH})
		}
	}
	for _, lines := range []float64{2, 1} {
		for _, w := range widths {
			h := lines * lineH
			out = append(out, graph.Rect{X: r.X + r.W/2 - w/2, Y: r.Y - h - 2, W: w, H: h})
		}
	}
	for _, w := range []float64{sideLabelWidth, 100, 60} {
		for _, lines := range []float64{outsideLines, 2, 1} {
			h := lines * lineH
			y := r.Y + r.H/2 - h/2
			out = append(out, graph.Rect{X: r.X + r.W + 4, Y: y, W: w, H: h},
				graph.Rect{X: r.X - 4 - w, Y: y, W: w, H: h})
		}
	}
	return out
}

// readable reports whether a fitted label says something: not only an
// ellipsis or a word cut down to a letter or two.
func readable(t picture.Text) bool {
	s := strings.TrimSuffix(strings.Join(t.Lines, " "), "…")
	return utf8.RuneCountInString(strings.TrimSpace(s)) >= 4
}

func coversAny(r graph.Rect, obs []graph.Rect) bool {
	for _, o := range obs {
		if o.W > 0 && o.H > 0 && overlapArea(r, o) > 0 {
			return true
		}
	}
	return false
}

// DerivedLabelConflicts lists the derived labels (names threatmap gave
// to icons the author left unlabelled, see derivedLabel) whose text, as
// drawn outside the box, covers another component's box or text, a risk
// chip, a rank disc or a boundary title. Build places them so that the
// list is empty; tests check it over every diagram.
func DerivedLabelConflicts(r *stride.Report, p *picture.Picture) []string {
	var out []string
	for i, c := range p.Components {
		if c.LabelRect.W <= 0 || strings.TrimSpace(c.Label) == "" || !derivedLabel(r, c.ID) {
			continue
		}
		ink := picture.LabelText(c).Ink
		for j, o := range p.Components {
			what := ""
			switch {
			case overlapArea(ink, o.MarkerRect) > 0:
				what = "the risk chip of "
			case overlapArea(ink, o.RankRect) > 0:
				what = "the rank disc of "
			case j == i:
			case !o.Rect.Contains(c.Rect) && overlapArea(ink, o.Rect) > 0:
				what = "the box of "
			case coversAny(ink, textBoxes(o)):
				what = "the text of "
			}
			if what != "" {
				out = append(out, fmt.Sprintf("derived label %q of %s covers %s%s", c.Label, c.ID, what, o.ID))
			}
		}
		for _, bd := range p.Boundaries {
			if overlapArea(ink, bd.LabelRect) > 0 {
				out = append(out, fmt.Sprintf("derived label %q of %s covers the title of boundary %s", c.Label, c.ID, bd.ID))
			}
		}
	}
	return out
}
