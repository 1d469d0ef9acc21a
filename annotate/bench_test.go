package annotate_test

import (
	"fmt"
	"testing"

	"github.com/threatmap/threatmap/annotate"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/gensys"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/layout"
)

// parallelFlows is n labelled flows between the same two placed shapes,
// like ../shared/repro/parallel-5000.drawio: every label starts at the same
// spot, the worst case for label decluttering.
func parallelFlows(n int) *graph.Diagram {
	d := graph.New("parallel.drawio", "drawio")
	d.HasLayout = true
	d.Components = []*graph.Component{
		{ID: "a", Label: "A", Geometry: &graph.Rect{X: 0, Y: 0, W: 80, H: 40}},
		{ID: "b", Label: "B", Geometry: &graph.Rect{X: 200, Y: 0, W: 80, H: 40}},
	}
	for i := range n {
		d.Flows = append(d.Flows, &graph.Flow{ID: fmt.Sprintf("e%d", i), Source: "a", Target: "b", Label: fmt.Sprintf("flow %d", i)})
	}
	return d
}

// BenchmarkBuildParallel measures annotate.Build (badges, labels and their
// decluttering) on parallel labelled flows: it must grow near-linearly.
func BenchmarkBuildParallel(b *testing.B) {
	for _, n := range []int{1000, 5000, 20000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := testsupport.Analyze(b, parallelFlows(n))
			lo := layout.Options{EdgeNotes: annotate.Notes(r)}
			l := layout.Source(r.Diagram, lo)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				annotate.Build(r, l, annotate.Options{})
			}
		})
	}
}

// BenchmarkBuildSystem measures annotate.Build on a generated system
// (internal/gensys, drawn from its own draw.io layout) of about 2,000 and
// 20,000 flows, with trust boundaries, entry-point badges, grouped
// threats and labels: per-flow time and bytes must stay flat (issue 19:
// no O(F^2) left in annotate). The 20,000-flow size is skipped with -short.
func BenchmarkBuildSystem(b *testing.B) {
	for _, flows := range []int{2000, 20000} {
		b.Run(fmt.Sprintf("%dflows", flows), func(b *testing.B) {
			if flows > 2000 && testing.Short() {
				b.Skip("20,000 flows: not with -short")
			}
			ds, err := importers.Import("gen.drawio", gensys.New(flows*100/135).DrawIO(), importers.Options{Format: "drawio"})
			if err != nil {
				b.Fatal(err)
			}
			r := testsupport.Analyze(b, ds[0])
			l := layout.Source(r.Diagram, layout.Options{EdgeNotes: annotate.Notes(r)})
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for b.Loop() {
				annotate.Build(r, l, annotate.Options{})
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(r.Flows)), "ns/flow")
			if cpu := cpuTime(); cpu > 0 {
				// On a loaded machine ns/flow measures the scheduler, cpu-ns/flow the work.
				b.ReportMetric(float64(cpu-cpu0)/float64(b.N)/float64(len(r.Flows)), "cpu-ns/flow")
			}
			b.ReportMetric(float64(len(r.Flows)), "flows")
		})
	}
}
