package annotate_test

import (
	"fmt"
	"testing"

	"github.com/threatmap/threatmap/annotate"
	"github.com/threatmap/threatmap/graph"
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
