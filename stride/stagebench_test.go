package stride

import "testing"

// BenchmarkReadContext2000 measures what the rules read, built for the
// generated 2,000-component model (classify .. buildEnvs): about two
// fifths of BenchmarkAnalyze2000 in session 8.
func BenchmarkReadContext2000(b *testing.B) {
	d := bigDiagram(b, 2000)
	DefaultRules()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		a := &analysis{d: d, workers: 1}
		a.readContext()
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkGroupConcerns2000 measures folding the generated model's
// matches into one threat per concern (groupConcerns, then
// foldConcerns): the heads made in full and the groups merged.
func BenchmarkGroupConcerns2000(b *testing.B) {
	d := bigDiagram(b, 2000)
	rules := DefaultRules()
	a := &analysis{d: d, workers: 1}
	a.readContext()
	matched, err := a.applyRules(rules)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	var threats int
	for i := 0; i < b.N; i++ {
		out, err := a.groupConcerns(matched)
		if err != nil {
			b.Fatal(err)
		}
		threats = len(a.foldConcerns(out))
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(threats), "threats")
}
