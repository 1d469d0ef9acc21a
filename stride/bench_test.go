package stride

import (
	"fmt"
	"math/rand"
	"runtime"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// bigDiagram generates a model with n components and 2n flows: an internet
// zone with users and partners, and regions (VPC > DMZ, App Tier > Data
// Tier) of gateways, services and stores. The rng is seeded: the model is
// the same on every run.
func bigDiagram(tb testing.TB, n int) *graph.Diagram {
	tb.Helper()
	rng := rand.New(rand.NewSource(42))
	d := graph.New("big.drawio", "drawio")
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(d.AddBoundary(&graph.Boundary{ID: "inet", Label: "Internet"}))
	regions := n / 200
	if regions < 1 {
		regions = 1
	}
	var externals, gateways, services, stores, saas []string
	id := 0
	add := func(label, shape, boundary string) string {
		id++
		cid := fmt.Sprintf("c%d", id)
		must(d.AddComponent(&graph.Component{ID: cid, Label: label, Shape: shape, Boundary: boundary}))
		return cid
	}
	for i := 0; i < n/20; i++ {
		externals = append(externals, add(fmt.Sprintf("Customer %d", i), "umlActor", "inet"))
	}
	for i := 0; i < n/40; i++ {
		saas = append(saas, add(fmt.Sprintf("Partner SaaS %d (Stripe)", i), "", ""))
	}
	storeLabels := []string{"Orders DB %d (PostgreSQL)", "Cache %d (Redis)", "Files Bucket %d (S3)", "Events Queue %d (SQS)", "Audit Log %d"}
	for r := 0; r < regions; r++ {
		vpc, dmz, app, data := fmt.Sprintf("vpc%d", r), fmt.Sprintf("dmz%d", r), fmt.Sprintf("app%d", r), fmt.Sprintf("data%d", r)
		must(d.AddBoundary(&graph.Boundary{ID: vpc, Label: fmt.Sprintf("Region %d VPC", r)}))
		must(d.AddBoundary(&graph.Boundary{ID: dmz, Label: fmt.Sprintf("DMZ %d", r), Parent: vpc}))
		must(d.AddBoundary(&graph.Boundary{ID: app, Label: fmt.Sprintf("App Tier %d", r), Parent: vpc}))
		must(d.AddBoundary(&graph.Boundary{ID: data, Label: fmt.Sprintf("Data Tier %d", r), Parent: app}))
		for len(d.Components) < (r+1)*n/regions && len(d.Components) < n {
			switch k := rng.Intn(10); {
			case k == 0:
				gateways = append(gateways, add(fmt.Sprintf("API Gateway %d", id), "", dmz))
			case k < 6:
				services = append(services, add(fmt.Sprintf("Service %d", id), "", app))
			default:
				stores = append(stores, add(fmt.Sprintf(storeLabels[rng.Intn(len(storeLabels))], id), "cylinder", data))
			}
		}
	}
	pick := func(s []string) string { return s[rng.Intn(len(s))] }
	labels := []string{"HTTPS", "HTTP", "gRPC, JWT", "HTTPS, OAuth", "SQL (PII)", "Redis, session tokens", "S3 API, IAM role (PHI)", "SQS", "", "AMQP (card data)"}
	for f := 0; f < 2*n; f++ {
		var src, dst string
		switch k := rng.Intn(10); {
		case k == 0:
			src, dst = pick(externals), pick(gateways)
		case k < 3:
			src, dst = pick(gateways), pick(services)
		case k < 5:
			src, dst = pick(services), pick(services)
		case k < 8:
			src, dst = pick(services), pick(stores)
		case k < 9:
			src, dst = pick(stores), pick(services)
		default:
			src, dst = pick(services), pick(saas)
		}
		d.AddFlow(&graph.Flow{ID: fmt.Sprintf("f%d", f), Source: src, Target: dst, Label: labels[rng.Intn(len(labels))]})
	}
	must(d.Finalize())
	return d
}

func BenchmarkAnalyze2000(b *testing.B) {
	d := bigDiagram(b, 2000)
	DefaultRules() // compile the library once, as the CLI does
	b.ReportAllocs()
	b.ResetTimer()
	var threats int
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		r, err := Analyze(d, Options{})
		if err != nil {
			b.Fatal(err)
		}
		threats = len(r.Threats)
	}
	// CPU time per op (user+system, all threads) alongside wall time: on a
	// loaded machine ns/op measures the scheduler, cpu-ns/op the work.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(threats), "threats")
}

func TestBigDiagramAnalyses(t *testing.T) {
	d := bigDiagram(t, 2000)
	if len(d.Components) != 2000 || len(d.Flows) != 4000 {
		t.Fatalf("%d components, %d flows", len(d.Components), len(d.Flows))
	}
	r := analyze(t, d, Options{})
	if r.Summary.EntryPoints == 0 || len(r.Threats) == 0 {
		t.Fatalf("summary %+v", r.Summary)
	}
}

// BenchmarkApplyRules2000 measures the rule stage alone (conditions and
// threat rendering) on one goroutine and on every CPU: the figure that
// decides whether applyRules runs in parallel.
func BenchmarkApplyRules2000(b *testing.B) {
	d := bigDiagram(b, 2000)
	rules := DefaultRules()
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			a := &analysis{d: d, workers: workers}
			a.readContext()
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if _, err := a.applyRules(rules); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
