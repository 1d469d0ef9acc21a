package gensys_test

import (
	"fmt"
	"io"
	"sync"
	"testing"

	jsonexp "github.com/threatmap/threatmap/exporters/json"
	"github.com/threatmap/threatmap/exporters/markdown"
	"github.com/threatmap/threatmap/exporters/svg"
	"github.com/threatmap/threatmap/exporters/xlsx"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/gensys"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

// Growth benchmarks: every stage of threatmap analyze on the same
// generated system at 1k, 10k and 100k elements (components plus flows),
// so that ns/element shows whether a stage grows linearly. 100k runs are
// skipped with -short. docs/performance.md has the table. Run with
//
//	go test ./internal/gensys -run '^$' -bench Growth -benchmem -benchtime 1x

var growthSizes = []int{1000, 10000, 100000}

func sizes(b *testing.B) []int {
	if testing.Short() {
		return growthSizes[:2]
	}
	return growthSizes
}

func sizeName(n int) string { return fmt.Sprintf("%dk", n/1000) }

// perElement reports ns per element next to ns/op, and the CPU time per
// element since cpu0 (a cpuTime reading taken just before the loop): on
// a loaded machine ns/element measures the scheduler, cpu-ns/element the
// work (it also counts the garbage collector's and other goroutines'
// CPU, so take it from runs of one benchmark at a time).
func perElement(b *testing.B, elements int, cpu0 int64) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(elements), "ns/element")
	if cpu := cpuTime(); cpu > 0 {
		b.ReportMetric(float64(cpu-cpu0)/float64(b.N)/float64(elements), "cpu-ns/element")
	}
}

// systems and reports are built once per size and shared by the
// benchmarks of one run.
var (
	cacheMu sync.Mutex
	reports = map[int]*stride.Report{}
)

// report is the analysis of the draw.io form of the system (its own
// layout, so that the SVG stage measures drawing, not Graphviz).
func report(b *testing.B, elements int) *stride.Report {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if r := reports[elements]; r != nil {
		return r
	}
	clear(reports) // keep one size in memory at a time
	d := importAs(b, "drawio", gensys.ForElements(elements).DrawIO())
	r, err := stride.Analyze(d, stride.Options{Generator: "threatmap (bench)"})
	if err != nil {
		b.Fatal(err)
	}
	reports[elements] = r
	return r
}

func BenchmarkGrowthImport(b *testing.B) {
	for _, format := range []string{"drawio", "mermaid", "dot"} {
		for _, n := range sizes(b) {
			s := gensys.ForElements(n)
			data := map[string]func() []byte{"drawio": s.DrawIO, "mermaid": s.Mermaid, "dot": s.DOT}[format]()
			b.Run(format+"/"+sizeName(n), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				cpu0 := cpuTime()
				for b.Loop() {
					if _, err := importers.Import("gen", data, importers.Options{Format: format}); err != nil {
						b.Fatal(err)
					}
				}
				perElement(b, s.Elements(), cpu0)
			})
		}
	}
}

func BenchmarkGrowthAnalyze(b *testing.B) {
	for _, n := range sizes(b) {
		s := gensys.ForElements(n)
		d := importAs(b, "drawio", s.DrawIO())
		b.Run(sizeName(n), func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := stride.Analyze(d, stride.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			perElement(b, s.Elements(), cpu0)
		})
	}
}

// BenchmarkGrowthWrite runs each writer on the same report; SVG includes
// drawing the picture from the diagram's own layout (layout.Source and
// annotate), as analyze does for a draw.io input.
func BenchmarkGrowthWrite(b *testing.B) {
	writers := []struct {
		name  string
		write func(io.Writer, *stride.Report) error
	}{
		{"json", jsonexp.Write},
		{"svg", func(w io.Writer, r *stride.Report) error {
			p, _ := testsupport.Draw(r, testsupport.DrawOptions{})
			return svg.Write(w, p)
		}},
		{"xlsx", func(w io.Writer, r *stride.Report) error { return xlsx.Write(w, r, xlsx.Options{}) }},
		{"markdown", func(w io.Writer, r *stride.Report) error { return markdown.Write(w, r, markdown.Options{}) }},
	}
	for _, n := range sizes(b) {
		for _, wr := range writers {
			b.Run(wr.name+"/"+sizeName(n), func(b *testing.B) {
				r := report(b, n)
				b.ReportAllocs()
				b.ResetTimer()
				cpu0 := cpuTime()
				for b.Loop() {
					if err := wr.write(io.Discard, r); err != nil {
						b.Fatal(err)
					}
				}
				perElement(b, len(r.Components)+len(r.Flows), cpu0)
			})
		}
	}
}
