package annotate

import (
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
)

// Labels go where the draw.io style puts them: below, above, left or
// right of the shape; narrow icons without a position get theirs below.
func TestLabelPosition(t *testing.T) {
	box := graph.Rect{X: 100, Y: 100, W: 48, H: 48}
	wide := graph.Rect{X: 100, Y: 100, W: 200, H: 80}
	tests := []struct {
		name  string
		c     picture.Component
		style string
		where string
	}{
		{"style below", picture.Component{Rect: wide}, "verticalLabelPosition=bottom;verticalAlign=top;", "below"},
		{"style above", picture.Component{Rect: box, Icon: "AWS lambda"}, "verticalLabelPosition=top;verticalAlign=bottom;", "above"},
		{"style right", picture.Component{Rect: box, Icon: "AWS lambda"}, "labelPosition=right;align=left;", "right"},
		{"style left", picture.Component{Rect: box}, "labelPosition=left;align=right;", "left"},
		{"narrow icon, no style", picture.Component{Rect: box, Icon: "AWS lambda", Glyph: "function"}, "", "below"},
		{"plain box", picture.Component{Rect: wide}, "rounded=1;", "inside"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lr, r := labelRect(tc.c, tc.style), tc.c.Rect
			got := "inside"
			switch {
			case lr.Y >= r.Y+r.H:
				got = "below"
			case lr.Y+lr.H <= r.Y:
				got = "above"
			case lr.X >= r.X+r.W:
				got = "right"
			case lr.X+lr.W <= r.X:
				got = "left"
			case !r.Contains(lr):
				got = "overlapping"
			}
			if got != tc.where {
				t.Errorf("label %+v is %s the shape %+v, want %s", lr, got, r, tc.where)
			}
		})
	}
}

// A boundary title is measured as it is drawn, on one line: a label
// written over two lines in the source is not narrower than on one.
func TestTitleWidthOneLine(t *testing.T) {
	if a, b := titleWidth("Auto\nScaling", "trust 2 · internal"), titleWidth("Auto Scaling", "trust 2 · internal"); a != b {
		t.Errorf("titleWidth of a two-line label %.1f, of the same words on one line %.1f", a, b)
	}
}

// TestTextBesideTheBoxStaysReadable: the risk chip on the top-right
// corner and flow labels and data tags keep off the text a component
// draws outside its box (data-flow.drawio's "detailed DFD": the chip hid
// the "L" of "Large Language Model", written right of its box, and a
// "credentials" tag hid the end of "User Corrections", written under its).
func TestTextBesideTheBoxStaysReadable(t *testing.T) {
	c := picture.Component{ID: "llm", Label: "Large Language Model", Rect: graph.Rect{X: 100, Y: 100, W: 80, H: 30}}
	c.LabelRect = labelRect(c, "labelPosition=right;verticalLabelPosition=middle;align=left;verticalAlign=top;")
	ink := picture.LabelText(c).Ink
	if ink.X < c.Rect.X+c.Rect.W || ink.Y > c.Rect.Y+7 {
		t.Fatalf("label ink %+v: want right of the box, reaching its top edge", ink)
	}
	chip := graph.Rect{X: c.Rect.X + c.Rect.W - 70 + 6, Y: c.Rect.Y - 9, W: 70, H: 16}
	got := clearOfText(c, chip)
	if overlapArea(got, ink) > 0 || got.Y != chip.Y || got.X < c.Rect.X || got.X >= chip.X {
		t.Errorf("chip %+v, label ink %+v", got, ink)
	}
	// A chip that covers no text stays where it is.
	plain := picture.Component{ID: "api", Label: "API", Rect: graph.Rect{X: 100, Y: 100, W: 200, H: 80}}
	plain.LabelRect = labelRect(plain, "")
	if got := clearOfText(plain, chip); got != chip {
		t.Errorf("plain chip moved to %+v", got)
	}

	// A data tag laid over the caption under a box moves off it.
	store := picture.Component{ID: "uc", Label: "User Corrections", Rect: graph.Rect{X: 0, Y: 0, W: 100, H: 30}}
	store.LabelRect = labelRect(store, "verticalLabelPosition=bottom;verticalAlign=top;")
	cap := picture.LabelText(store).Ink
	f := picture.Flow{ID: "f", Points: []graph.Point{{X: 100, Y: 15}, {X: 200, Y: 15}},
		SensitivityRect: graph.Rect{X: cap.X + cap.W - 20, Y: cap.Y, W: 70, H: 14}}
	b := &builder{r: &stride.Report{}, p: &picture.Picture{Components: []picture.Component{store}, Flows: []picture.Flow{f}}}
	b.declutter()
	if r := b.p.Flows[0].SensitivityRect; overlapArea(r, cap) > 0 {
		t.Errorf("data tag %+v still over the caption %+v", r, cap)
	}
}
