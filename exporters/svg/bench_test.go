package svg_test

import (
	"io"
	"testing"

	"github.com/threatmap/threatmap/exporters/svg"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/stride"
)

// generatedReport is the real analysis of a generated diagram of n
// components.
func generatedReport(t testing.TB, n int, geometry bool) *stride.Report {
	return testsupport.Analyze(t, testsupport.Generated(n, geometry))
}

func TestGeneratedLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	// Over the Graphviz budget (lowered here, so that the real analysis
	// stays quick): the grid fallback still draws everything.
	r := generatedReport(t, 400, false)
	doc := parse(t, render(t, r, testsupport.DrawOptions{Layout: layout.Options{MaxComponents: 300}}))
	if got := len(doc.byClass("tm-component")); got != 400 {
		t.Errorf("%d components drawn", got)
	}
	if got := len(doc.byClass("tm-entry-point")); got != len(r.EntryPoints) {
		t.Errorf("%d badges for %d entry points", got, len(r.EntryPoints))
	}
}

// BenchmarkAutoLayout200 lays out a 200-component diagram automatically
// (the layered engine at this size; Graphviz below about 170 components)
// and writes it as SVG (target < 1.5 s/op): layout, annotation and
// writing, as threatmap analyze does them.
func BenchmarkAutoLayout200(b *testing.B) {
	r := generatedReport(b, 200, false)
	b.ReportAllocs()
	for b.Loop() {
		p, _ := testsupport.Draw(r, testsupport.DrawOptions{Auto: true})
		if err := svg.Write(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSourceLayout5000 writes a 5,000-component diagram with source
// geometry as SVG (target < 300 ms/op): layout,
// annotation and writing.
func BenchmarkSourceLayout5000(b *testing.B) {
	r := generatedReport(b, 5000, true)
	b.ReportAllocs()
	for b.Loop() {
		p, _ := testsupport.Draw(r, testsupport.DrawOptions{})
		if err := svg.Write(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}
