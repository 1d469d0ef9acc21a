package stride

import (
	"fmt"
	"runtime"
	"testing"
)

// analyzePerElement analyses the n-component generated model once and
// returns the allocations and bytes allocated per element (component or
// flow). Mallocs and TotalAlloc count work, not time, so the figures do
// not depend on the machine's load; no test in this package runs in
// parallel with another, so nothing else allocates meanwhile (beyond the
// runtime's own noise, far below these figures).
func analyzePerElement(tb testing.TB, n int) (allocs, bytes float64) {
	tb.Helper()
	d := bigDiagram(tb, n)
	elements := float64(len(d.Components) + len(d.Flows))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := Analyze(d, Options{}); err != nil {
		tb.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / elements, float64(after.TotalAlloc-before.TotalAlloc) / elements
}

// TestAnalyzeGrowsLinearly guards against the next quadratic in the STRIDE
// pass: allocations and bytes per element at 2,000 components may be at
// most 1.3 times those at 500. Work that is linear in the model keeps the
// ratio at or below 1 (fixed costs spread thinner: 0.66 for allocations
// and 0.84 for bytes when this test was written). The pass before b1bc464,
// which re-joined the system-wide name lists for every element, fails it
// with bytes per element growing 2.27x. A ratio of counts, not a timed
// run, so it holds on a loaded machine.
func TestAnalyzeGrowsLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses 2,500 components")
	}
	DefaultRules() // compiled once, outside the measurement
	smallA, smallB := analyzePerElement(t, 500)
	bigA, bigB := analyzePerElement(t, 2000)
	t.Logf("per element: %.0f allocs, %.0f bytes at 500 components; %.0f allocs, %.0f bytes at 2,000", smallA, smallB, bigA, bigB)
	const limit = 1.3
	if r := bigA / smallA; r > limit {
		t.Errorf("allocations per element grow %.2fx from 500 to 2,000 components (limit %.1fx): something in the pass is no longer linear", r, limit)
	}
	if r := bigB / smallB; r > limit {
		t.Errorf("bytes per element grow %.2fx from 500 to 2,000 components (limit %.1fx): something in the pass is no longer linear", r, limit)
	}
}

// BenchmarkAnalyzeGrowth reports the pass's CPU time and allocations per
// element at 1,000 and 4,000 components: compare the two lines (linear
// work gives equal figures per element).
func BenchmarkAnalyzeGrowth(b *testing.B) {
	DefaultRules()
	for _, n := range []int{1000, 4000} {
		b.Run(fmt.Sprintf("components=%d", n), func(b *testing.B) {
			d := bigDiagram(b, n)
			elements := float64(len(d.Components) + len(d.Flows))
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if _, err := Analyze(d, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/elements, "cpu-ns/element")
		})
	}
}
