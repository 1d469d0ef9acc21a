package dot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// genDOT writes a digraph with about edges edges: zones of 50 nodes in
// clusters, each node with a label and attributes, edges with labels and
// attributes, chains and {a b} groups, as real architecture files mix them.
func genDOT(edges int) []byte {
	var b strings.Builder
	b.WriteString("digraph G {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n  edge [protocol=TLS];\n")
	n := 0
	for z := 0; n < edges; z++ {
		fmt.Fprintf(&b, "  subgraph cluster_z%d {\n    label=\"Zone %d\";\n    trust=%d;\n", z, z, z%5)
		for k := 0; k < 50 && n < edges; k++ {
			id := fmt.Sprintf("z%d_n%d", z, k)
			fmt.Fprintf(&b, "    %s [label=\"Service %d.%d\\n(HTTPS)\", type=process, owner=\"team-%d\"];\n", id, z, k, z%7)
			if k > 0 {
				fmt.Fprintf(&b, "    z%d_n%d -> %s [label=\"REST call %d\", data=PII];\n", z, k-1, id, n)
				n++
			}
		}
		b.WriteString("  }\n")
		if z > 0 && n < edges {
			fmt.Fprintf(&b, "  z%d_n0 -> z%d_n1 -> z%d_n2 [label=\"sync\"];\n", z-1, z, z)
			n += 2
		}
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// BenchmarkImport measures a whole DOT import at 1k, 10k and 100k edges.
// Per-edge cost must stay flat as the input grows.
//
// Figures, 2026-11-30, go test -bench Import -benchmem -benchtime 1x on the
// shared 2-core machine (load average about 20, so wall-clock ns/op is
// inflated several times; B/op and allocs/op do not depend on load; CPU is
// the process's user time from /usr/bin/time, test start-up included):
//
//	                  ns/op (wall)   B/op       allocs/op   CPU (user)
//	before: go-graphviz (cgraph in WebAssembly) + lexical side pass
//	  1k edges        3.55 s         987 MB     464,212     1.04 s
//	  10k edges       23.5 s         9.83 GB    4,623,080   5.27 s
//	  100k edges      not run: about 98 GB of allocation extrapolated
//	after: hand-written lexer and parser
//	  1k edges        40.8 ms        4.50 MB    75,779      0.31 s
//	  10k edges       483 ms         44.6 MB    754,221     0.44 s
//	  100k edges      7.2 s          446 MB     7,540,805   2.35 s
//
// Allocation is linear (about 4.5 KB and 75 allocations per edge with its
// node, labels and attributes) and 220 times less than before.
func BenchmarkImport(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		data := genDOT(n)
		b.Run(fmt.Sprintf("edges=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				ds, err := Import("bench.dot", data, Options{Limits: graph.Limits{MaxElements: 1 << 20}})
				if err != nil {
					b.Fatal(err)
				}
				if got := len(ds[0].Flows); got < n {
					b.Fatalf("%d flows, want at least %d", got, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/edge")
		})
	}
}
