package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// bigMermaid is a flowchart with n components in nested subgraphs (zones
// of 100, two levels) and about 1.5 flows per component, with protocol
// and data words in the labels so that the STRIDE pass has work to do.
func bigMermaid(n int) []byte {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	labels := []string{"HTTPS", "HTTP", "SQL (PII)", "gRPC, JWT", "AMQP", "Redis session tokens"}
	for z := 0; z*100 < n; z++ {
		fmt.Fprintf(&b, "subgraph zone%d [\"%s zone %d\"]\n", z, []string{"Internet", "DMZ", "Internal", "Data tier"}[z%4], z)
		for g := 0; g < 2; g++ {
			fmt.Fprintf(&b, "subgraph z%dg%d [\"Group %d.%d\"]\n", z, g, z, g)
			for i := z*100 + g*50; i < z*100+(g+1)*50 && i < n; i++ {
				switch i % 5 {
				case 0:
					fmt.Fprintf(&b, "n%d[(\"Store %d database\")]\n", i, i)
				case 1:
					fmt.Fprintf(&b, "n%d([\"User %d\"])\n", i, i)
				default:
					fmt.Fprintf(&b, "n%d[\"Service %d\"]\n", i, i)
				}
			}
			b.WriteString("end\n")
		}
		b.WriteString("end\n")
	}
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "n%d -->|%s| n%d\n", i, labels[i%len(labels)], (i*7919)%i)
		if i%2 == 0 {
			fmt.Fprintf(&b, "n%d --> n%d\n", i, (i*31)%n)
		}
	}
	return []byte(b.String())
}

// BenchmarkPipeline5000 runs import, the STRIDE pass and every writer
// (JSON, SVG, XLSX, Markdown) on a 5,000-component Mermaid diagram
// (23,640 threats), outputs streamed away as analyze streams them to
// disk. peak-heap-MB is the largest live heap seen (sampled every 5 ms);
// the target is under 500 MB. B/op counts every allocation, freed or not.
func BenchmarkPipeline5000(b *testing.B) {
	data := bigMermaid(5000)
	env := pipelineEnv(b)
	discard := func(name string, write func(io.Writer) error) error { return write(io.Discard) }
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var res fileResult
		if err := env.render("big.mmd", data, nil, &res, discard); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	b.ReportMetric(float64(peak.Load())/1e6, "peak-heap-MB")
}
