package svg_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/threatmap/threatmap/annotate/annotatetest"
	"github.com/threatmap/threatmap/exporters/svg"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/layout/layouttest"
	"github.com/threatmap/threatmap/stride"
)

// generatedReport is a report on a generated diagram of n components, with
// a threat on every third component.
func generatedReport(n int, geometry bool) *stride.Report {
	d := layouttest.Generated(n, geometry)
	var threats []annotatetest.ThreatSpec
	for i := 0; i < n; i += 3 {
		threats = append(threats, annotatetest.ThreatSpec{Element: fmt.Sprintf("c%d", i), Stride: "T",
			Title: "Generated threat", Severity: []string{"Critical", "High", "Medium", "Low"}[i%4]})
	}
	return annotatetest.Report(d, nil, threats)
}

func TestGeneratedLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	r := generatedReport(2000, false)
	doc := parse(t, render(t, r, testsupport.DrawOptions{}))
	// Over the Graphviz budget: the grid fallback still draws everything.
	if got := len(doc.byClass("tm-component")); got != 2000 {
		t.Errorf("%d components drawn", got)
	}
	if got := len(doc.byClass("tm-entry-point")); got != len(r.EntryPoints) {
		t.Errorf("%d badges for %d entry points", got, len(r.EntryPoints))
	}
}

// BenchmarkAutoLayout200 lays out a 200-component diagram with Graphviz
// and writes it as SVG (target < 1.5 s/op): layout, annotation and
// writing, as threatmap analyze does them.
func BenchmarkAutoLayout200(b *testing.B) {
	r := generatedReport(200, false)
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
	r := generatedReport(5000, true)
	b.ReportAllocs()
	for b.Loop() {
		p, _ := testsupport.Draw(r, testsupport.DrawOptions{})
		if err := svg.Write(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}
