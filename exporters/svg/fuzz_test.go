package svg_test

import (
	"bytes"
	"testing"

	"github.com/threatmap/threatmap/exporters/svg"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
)

// FuzzLabels checks that any component, boundary and flow label gives a
// well-formed, inert SVG.
func FuzzLabels(f *testing.F) {
	for _, h := range hostile {
		f.Add(h, h)
	}
	f.Add("", "\x00\xff\ufffe")
	f.Fuzz(func(t *testing.T, label, flowLabel string) {
		d := graph.New("fuzz.drawio", "drawio")
		d.HasLayout = true
		_ = d.AddBoundary(&graph.Boundary{ID: "b", Label: label, Geometry: &graph.Rect{X: 0, Y: 0, W: 300, H: 200}})
		_ = d.AddComponent(&graph.Component{ID: label + "1", Label: label, Boundary: "b", Geometry: &graph.Rect{X: 20, Y: 40, W: 120, H: 60}})
		_ = d.AddComponent(&graph.Component{ID: label + "2", Label: flowLabel, Shape: "cylinder", Geometry: &graph.Rect{X: 400, Y: 40, W: 120, H: 60}})
		d.AddFlow(&graph.Flow{ID: flowLabel, Source: label + "1", Target: label + "2", Label: flowLabel + " PII"})
		if err := d.Finalize(); err != nil {
			t.Skip()
		}
		r := testsupport.Analyze(t, d)
		p, _ := testsupport.Draw(r, testsupport.DrawOptions{Title: label, Date: flowLabel})
		var buf bytes.Buffer
		if err := svg.Write(&buf, p); err != nil {
			t.Fatal(err)
		}
		doc := parse(t, buf.Bytes())
		assertSafe(t, doc, buf.Bytes())
		if got := len(doc.byClass("tm-entry-point")); got != 1 {
			t.Errorf("%d badges, want 1", got)
		}
	})
}
