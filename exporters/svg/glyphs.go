package svg

import (
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/picture"
)

// glyphs are the category glyphs of icons, drawn by this package as line
// art on a 24-unit grid (no images, no references): what an icon shows at
// a glance, whatever its vendor.
var glyphs = map[string]string{
	"compute":   "M3 4H21V11H3Z M3 13H21V20H3Z M6 7.5H8 M6 16.5H8 M11 7.5H18 M11 16.5H18",
	"database":  "M4 5.5C4 3.5 20 3.5 20 5.5V18.5C20 20.5 4 20.5 4 18.5Z M4 5.5C4 7.5 20 7.5 20 5.5 M4 10C4 12 20 12 20 10 M4 14.5C4 16.5 20 16.5 20 14.5",
	"storage":   "M3 6L5.5 20.5H18.5L21 6 M3 6C3 3.8 21 3.8 21 6C21 8.2 3 8.2 3 6Z M7 12.5H17",
	"network":   "M9.5 5A2.5 2.5 0 1 0 14.5 5A2.5 2.5 0 1 0 9.5 5Z M2.5 18A2.5 2.5 0 1 0 7.5 18A2.5 2.5 0 1 0 2.5 18Z M16.5 18A2.5 2.5 0 1 0 21.5 18A2.5 2.5 0 1 0 16.5 18Z M11 7.3L6.3 15.8 M13 7.3L17.7 15.8 M7.5 18H16.5",
	"internet":  "M3 12A9 9 0 1 0 21 12A9 9 0 1 0 3 12Z M3 12H21 M12 3C7.5 7.5 7.5 16.5 12 21 M12 3C16.5 7.5 16.5 16.5 12 21",
	"identity":  "M3 12A4 4 0 1 0 11 12A4 4 0 1 0 3 12Z M11 12H21 M17 12V16 M20 12V15",
	"security":  "M12 3L20 6V11.5C20 16.5 16.5 19.8 12 21C7.5 19.8 4 16.5 4 11.5V6Z M8.5 12L11 14.5L15.5 9.5",
	"queue":     "M2 8H22V16H2Z M7 8V16 M12 8V16 M17 8V16 M15 5H21 M19 3L21 5L19 7",
	"function":  "M6 4H9.5L18 20H20.5 M12.2 10.5L6.5 20",
	"container": "M12 2.5L20.5 7.2V16.8L12 21.5L3.5 16.8V7.2Z M3.5 7.2L12 12L20.5 7.2 M12 12V21.5",
	"user":      "M8 7.5A4 4 0 1 0 16 7.5A4 4 0 1 0 8 7.5Z M4 21C4 15.5 8 13.5 12 13.5C16 13.5 20 15.5 20 21",
	"device":    "M5 5H19V15H5Z M2 19H22L20.5 15.5H3.5Z",
	"analytics": "M4 3V20H21 M8 16V11 M12 16V7 M16 16V9 M20 16V13",
	"generic":   "M4 4H20V20H4Z M9 9H15V15H9Z",
}

// glyphInk draws icon glyphs: dark enough to read in greyscale, neutral
// so that the border alone says the risk.
const glyphInk = "#2F4858"

// drawGlyph draws the glyph of category cat to fill r.
func drawGlyph(x *xw, cat string, r graph.Rect) {
	d, ok := glyphs[cat]
	if !ok || r.W <= 0 || r.H <= 0 {
		return
	}
	k := min(r.W, r.H) / 24
	ox, oy := r.X+(r.W-24*k)/2, r.Y+(r.H-24*k)/2
	x.el("path", "d", d, "transform", "translate("+num(ox)+" "+num(oy)+") scale("+num(k)+")",
		"fill", "none", "stroke", glyphInk, "stroke-width", num(min(1.7/k, 3)), "stroke-linecap", "round", "stroke-linejoin", "round",
		"class", "tm-glyph tm-glyph-"+safeClass(cat))
}

// drawCaption writes an icon's name in its caption area, as large as fits
// (9 px down to 6.5 px), shortened with an ellipsis as a last resort. A
// box too narrow for one of its words gets no caption (the tooltip names
// the icon): a name broken mid-word ("Deskto p PC") reads worse than none.
func drawCaption(x *xw, c picture.Component) {
	t, ok := picture.CaptionText(c)
	if !ok {
		return
	}
	x.text(t.Lines, t.X, t.Top+t.Size*picture.Baseline, t.Size, "text-anchor", "middle", "font-style", "italic", "fill", mutedColour, "class", "tm-icon-kind")
}
