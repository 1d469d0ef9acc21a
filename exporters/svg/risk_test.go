package svg_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

func attrF(t *testing.T, n *node, a string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attrs[a], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.name, a, n.attrs[a], err)
	}
	return v
}

// TestPrintedIndex: the picture carries an index from every entry-point
// badge to its threat ids, beside the diagram under the legend (never over
// the drawing), in legible type, ids never broken across lines.
func TestPrintedIndex(t *testing.T) {
	r := telehealthReport(t)
	doc := parse(t, render(t, r, testsupport.DrawOptions{}))
	blocks := doc.byClass("tm-ep-index")
	if len(blocks) != 1 {
		t.Fatalf("%d index blocks, want 1", len(blocks))
	}
	rows := doc.byClass("tm-ep-index-row")
	if len(rows) != len(r.EntryPoints) {
		t.Fatalf("%d index rows, want %d", len(rows), len(r.EntryPoints))
	}
	byEP := map[string]string{}
	for _, row := range rows {
		var texts []string
		row.walk(func(n *node) {
			if n.name == "text" {
				texts = append(texts, n.allText())
				if size := attrF(t, n, "font-size"); size < 9.5 {
					t.Errorf("index text %q at %v px", n.allText(), size)
				}
			}
		})
		byEP[texts[0]] = strings.Join(texts[1:], " ")
	}
	for _, ep := range r.EntryPoints {
		text, ok := byEP[ep.ID]
		if !ok {
			t.Errorf("%s not in the index", ep.ID)
			continue
		}
		for _, id := range ep.Threats {
			if !strings.Contains(text, id) {
				t.Errorf("%s: threat %s missing from %q", ep.ID, id, text)
			}
		}
	}
	// Beside the drawing: right of every component and boundary, below
	// the legend.
	box := blocks[0].find("rect")
	ix, iy := attrF(t, box, "x"), attrF(t, box, "y")
	legend := doc.byClass("tm-legend")[0].find("rect")
	if iy < attrF(t, legend, "y")+attrF(t, legend, "height") || ix != attrF(t, legend, "x") {
		t.Errorf("index at (%v,%v) is not under the legend", ix, iy)
	}
	p, _ := testsupport.Draw(r, testsupport.DrawOptions{})
	dx := ix - (p.Bounds.X + p.Bounds.W)
	if dx < 24 { // the drawing is translated by the margin; the legend gap is wider
		t.Errorf("index starts %v px after the drawing's right edge", dx)
	}
	if h := attrF(t, doc, "height"); iy+attrF(t, box, "height") > h {
		t.Errorf("index runs past the canvas (%v > %v)", iy+attrF(t, box, "height"), h)
	}
}

// TestRiskDiscriminates: critical components carry a second, inner border
// (greyscale-safe), the three highest scores are ranked, border weight
// follows the score, and boundaries are coloured by trust level.
func TestRiskDiscriminates(t *testing.T) {
	r := telehealthReport(t)
	doc := parse(t, render(t, r, testsupport.DrawOptions{}))
	crit := 0
	for _, c := range r.Components {
		if c.MaxSeverity == stride.SeverityCritical {
			crit++
		}
	}
	if got := len(doc.byClass("tm-critical-border")); got != crit || crit == 0 {
		t.Errorf("%d inner borders, want one per critical component (%d)", got, crit)
	}
	if got := len(doc.byClass("tm-rank")); got != 3+3 { // three discs, and three in the legend
		t.Errorf("%d rank discs, want 3 on components and 3 in the legend", got)
	}
	// Within a band, border widths differ with the score: some band
	// whose components have different scores shows different widths.
	differ := false
	for _, band := range []string{"tm-sev-critical", "tm-sev-high", "tm-sev-medium", "tm-sev-low"} {
		widths := map[string]bool{}
		for _, g := range doc.byClass(band) {
			if g.hasClass("tm-component") {
				widths[g.kids[1].attrs["stroke-width"]] = true
			}
		}
		differ = differ || len(widths) >= 2
	}
	if !differ {
		t.Error("in every severity band, the components have the same border width")
	}
	// One border colour per trust level, and the legend names each level.
	strokes := map[string]string{}
	for _, b := range doc.byClass("tm-boundary") {
		lv := ""
		for _, c := range strings.Fields(b.class()) {
			if strings.HasPrefix(c, "tm-trust-") {
				lv = c
			}
		}
		s := b.find("rect").attrs["stroke"]
		if prev, ok := strokes[lv]; ok && prev != s {
			t.Errorf("%s boundaries drawn with %s and %s", lv, prev, s)
		}
		strokes[lv] = s
	}
	seen := map[string]string{}
	for lv, s := range strokes {
		if other, dup := seen[s]; dup {
			t.Errorf("%s and %s share the border colour %s", lv, other, s)
		}
		seen[s] = lv
	}
	if got, want := len(doc.byClass("tm-legend-trust")), len(strokes); got != want {
		t.Errorf("%d trust rows in the legend, want %d", got, want)
	}
}

// TestIconCaptionWords: an icon caption is never broken mid-word; a box too
// narrow for a word of it shows the glyph alone.
func TestIconCaptionWords(t *testing.T) {
	for _, w := range []float64{30, 78} {
		d := graph.New("x.drawio", "drawio")
		d.HasLayout = true
		if err := d.AddComponent(&graph.Component{ID: "pc", Label: "Edge Device", Style: "shape=mxgraph.networks.desktop_pc;",
			Shape: "mxgraph.networks.desktop_pc", Geometry: &graph.Rect{W: w, H: 60}}); err != nil {
			t.Fatal(err)
		}
		if err := d.Finalize(); err != nil {
			t.Fatal(err)
		}
		doc := parse(t, render(t, testsupport.Analyze(t, d), testsupport.DrawOptions{}))
		if got := len(doc.byClass("tm-glyph-device")); got != 2 {
			t.Errorf("width %v: %d device glyph elements, want 2", w, got)
		}
		caps := doc.byClass("tm-icon-kind")
		text := ""
		for _, c := range caps {
			text += c.allText()
		}
		want := map[float64]string{30: "", 78: "Desktop PC"}[w]
		if strings.ReplaceAll(text, " ", "") != strings.ReplaceAll(want, " ", "") {
			t.Errorf("width %v: caption %q, want %q", w, text, want)
		}
	}
}
