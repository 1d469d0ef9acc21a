package layout_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/layout"
)

// BenchmarkLayout lays generated diagrams out with each engine at 200, 1k
// and 10k components (issue 19: 1,000 components in about a second).
// Graphviz is only run where Auto would run it or just beyond (200 and
// 1,000); at 10,000 it takes minutes.
func BenchmarkLayout(b *testing.B) {
	engines := []struct {
		name string
		max  int
		run  func(d *graph.Diagram) *layout.Layout
	}{
		{layout.EngineGraphviz, 1000, func(d *graph.Diagram) *layout.Layout {
			l, err := layout.Auto(context.Background(), d, layout.Options{MaxComponents: 1 << 30, MaxWork: 1 << 30})
			if err != nil || l.Engine != layout.EngineGraphviz {
				b.Fatalf("engine %s, err %v", l.Engine, err)
			}
			return l
		}},
		{layout.EngineLayered, 10000, func(d *graph.Diagram) *layout.Layout {
			l, _ := layout.Layered(d, layout.Options{})
			return l
		}},
		{layout.EngineGrid, 10000, func(d *graph.Diagram) *layout.Layout { return layout.Grid(d, layout.Options{}) }},
	}
	for _, e := range engines {
		for _, n := range []int{200, 1000, 10000} {
			if n > e.max {
				continue
			}
			b.Run(fmt.Sprintf("%s/%d", e.name, n), func(b *testing.B) {
				d := testsupport.Generated(n, false)
				b.ReportAllocs()
				for b.Loop() {
					if l := e.run(d); len(l.Edges) != len(d.Flows) {
						b.Fatalf("%d edges for %d flows", len(l.Edges), len(d.Flows))
					}
				}
			})
		}
	}
}
