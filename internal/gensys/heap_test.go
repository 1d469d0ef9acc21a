package gensys_test

import (
	"io"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	jsonexp "github.com/threatmap/threatmap/exporters/json"
	"github.com/threatmap/threatmap/exporters/markdown"
	"github.com/threatmap/threatmap/exporters/xlsx"
	"github.com/threatmap/threatmap/internal/gensys"
	"github.com/threatmap/threatmap/stride"
)

// BenchmarkStageHeap20000 shows where the peak memory of a 20,000-component
// run goes: the live heap after import and after the STRIDE pass (kept
// for the writers), and the peak in-use heap while each writer runs on
// it (sampled every 2 ms). SVG is left out: drawing is quadratic in the
// flows today (issue 19 item 3). Skipped with -short.
func BenchmarkStageHeap20000(b *testing.B) {
	if testing.Short() {
		b.Skip("20,000 components")
	}
	s := gensys.New(20000)
	data := s.Mermaid()
	for b.Loop() {
		base := liveMB()
		d := importAs(b, "mermaid", data)
		b.ReportMetric(liveMB()-base, "import-live-MB")
		r, err := stride.Analyze(d, stride.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(liveMB()-base, "analyzed-live-MB")
		for _, w := range []struct {
			name  string
			write func(io.Writer) error
		}{
			{"json", func(w io.Writer) error { return jsonexp.Write(w, r) }},
			{"xlsx", func(w io.Writer) error { return xlsx.Write(w, r, xlsx.Options{}) }},
			{"md", func(w io.Writer) error { return markdown.Write(w, r, markdown.Options{}) }},
		} {
			f, err := os.CreateTemp(b.TempDir(), w.name)
			if err != nil {
				b.Fatal(err)
			}
			peak := peakDuring(func() {
				if err := w.write(f); err != nil {
					b.Fatal(err)
				}
			})
			f.Close()
			b.ReportMetric(peak-base, w.name+"-peak-MB")
		}
		runtime.KeepAlive(r)
	}
}

// liveMB is the live heap after a collection, in MB.
func liveMB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// peakDuring runs f and returns the largest in-use heap seen, in MB.
func peakDuring(f func()) float64 {
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	<-done
	return float64(peak.Load()) / (1 << 20)
}
