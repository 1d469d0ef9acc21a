package stride

import (
	"reflect"
	"testing"
)

// indexReport is a small hand-made report: two components (one without a
// label), a bidirectional flow, threats whose residual order differs from
// their register order, and a repeated threat ID.
func indexReport() *Report {
	return &Report{
		Components: []Component{
			{ID: "web", Label: "Web app"},
			{ID: "db", Attributes: map[string]string{"auth": "mTLS"}},
			{ID: "user", Label: "User"},
		},
		Boundaries: []Boundary{{ID: "z", Label: "DMZ"}, {ID: "anon"}},
		Flows: []Flow{
			{ID: "f1", Source: "user", Target: "web", Authenticated: "true"},
			{ID: "f2", Source: "web", Target: "db", Bidirectional: true},
			{ID: "f3", Source: "user", Target: "web", Authenticated: "false"},
		},
		Threats: []Threat{
			{ID: "T-001", Score: 20, ResidualScore: 6, ResidualRisk: SeverityMedium},
			{ID: "T-002", Score: 16, ResidualScore: 16, ResidualRisk: SeverityHigh},
			{ID: "T-003", Score: 12, ResidualScore: 6, ResidualRisk: SeverityMedium},
			{ID: "T-002", Score: 1, ResidualRisk: SeverityLow},
		},
	}
}

func TestIndexLookups(t *testing.T) {
	r := indexReport()
	x := r.Index()
	if x.Component("db") != &r.Components[1] || x.Component("nope") != nil {
		t.Error("Component lookup")
	}
	if x.Boundary("z") != &r.Boundaries[0] || x.Flow("f2") != &r.Flows[1] {
		t.Error("Boundary or Flow lookup")
	}
	if got := x.Threat("T-002"); got != &r.Threats[1] {
		t.Errorf("Threat(T-002) = %+v, want the first one", got)
	}
	for _, tc := range []struct{ got, want string }{
		{x.ComponentName("web"), "Web app"},
		{x.ComponentName("db"), "db"},
		{x.ComponentName("ghost"), "ghost"},
		{x.BoundaryName("z"), "DMZ"},
		{x.BoundaryName("anon"), "anon"},
		{x.FlowName(&r.Flows[0]), "User → Web app"},
		{x.FlowName(&r.Flows[1]), "Web app ↔ db"},
		{x.ElementName(ElementRef{Type: "flow", ID: "f1"}), "User → Web app"},
		{x.ElementName(ElementRef{Type: "component", ID: "user"}), "User"},
		{x.ElementName(ElementRef{Type: "flow", ID: "gone"}), "gone"},
		{string(x.MaxResidual([]string{"T-001", "T-003", "T-404"})), "Medium"},
		{string(x.MaxResidual([]string{"T-002", "T-001"})), "High"},
		{string(x.MaxResidual(nil)), ""},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestIndexByResidualRisk(t *testing.T) {
	var ids []string
	for _, th := range indexReport().Index().ByResidualRisk() {
		ids = append(ids, th.ID)
	}
	// High first; the two Mediums tie on residual score, so the higher
	// inherent score goes first; Low last.
	if want := []string{"T-002", "T-001", "T-003", "T-002"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("order %q, want %q", ids, want)
	}
}

func TestIndexAuthentication(t *testing.T) {
	x := indexReport().Index()
	for _, tc := range []struct {
		id   string
		want Authentication
	}{
		{"web", Authentication{Inbound: []string{"false", "true", "unknown"}, Outbound: []string{"unknown"}}},
		{"db", Authentication{Declared: "mTLS", Inbound: []string{"unknown"}, Outbound: []string{"unknown"}}},
		{"user", Authentication{Outbound: []string{"false", "true"}}},
		{"ghost", Authentication{}},
	} {
		if got := x.Authentication(tc.id); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Authentication(%s) = %+v, want %+v", tc.id, got, tc.want)
		}
	}
}

// BenchmarkIndex is the cost of Report.Index on a 2,000-component report,
// which each exporter builds once: the figure behind not caching it on the
// Report (docs/performance.md).
func BenchmarkIndex(b *testing.B) {
	r := analyze(b, bigDiagram(b, 2000), Options{})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = r.Index()
	}
}
