package annotate

import (
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/picture"
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
