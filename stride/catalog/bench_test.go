package catalog

import (
	"strings"
	"testing"
)

// benchInputs builds n deterministic inputs that look like diagram
// elements: plain labels with and without technology names, C4 labels,
// draw.io icons and noise words.
func benchInputs(n int) []Input {
	words := []string{"Orders", "Service", "API", "Patient", "Records", "Billing", "worker", "Admin", "Console",
		"Gateway", "of", "India", "Spring", "Boot", "Frontend", "Backend", "queue", "store", "v2", "(internal)"}
	techs := []string{"PostgreSQL", "Redis cache", "Kafka Connect", "Amazon S3 Glacier", "Azure SQL", "etcd",
		"kube-apiserver", "Stripe", "Auth0", "Twilio SMS", "CloudWatch Logs", "HashiCorp Vault", "GitHub Actions",
		"Mosquitto MQTT broker", "OpenAI API", "Pinecone", "Cloud SQL", "Nginx Ingress Controller"}
	styles := []string{
		"rounded=1;whiteSpace=wrap;html=1;",
		"outlineConnect=0;fontColor=#232F3E;shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda;",
		"html=1;dashed=0;shape=mxgraph.kubernetes.icon;prIcon=etcd;",
		"image;aspect=fixed;html=1;image=img/lib/azure2/databases/Azure_Cosmos_DB.svg;",
		"shape=mxgraph.gcp2.hexIcon;prIcon=cloud_sql;",
		"ellipse;whiteSpace=wrap;html=1;aspect=fixed;",
	}
	seed := uint32(1)
	next := func(k int) int {
		seed = seed*1664525 + 1013904223
		return int(seed>>8) % k
	}
	in := make([]Input, n)
	for i := range in {
		var b strings.Builder
		for range 1 + next(4) {
			b.WriteString(words[next(len(words))])
			b.WriteByte(' ')
		}
		switch next(4) {
		case 0:
			b.WriteString(techs[next(len(techs))])
		case 1:
			b.WriteString("\n[Container: " + techs[next(len(techs))] + "]\n\nHandles requests")
		}
		in[i] = Input{Label: b.String(), Style: styles[next(len(styles))]}
		if next(8) == 0 {
			in[i].Attributes = map[string]string{"technology": techs[next(len(techs))]}
		}
	}
	return in
}

// BenchmarkMatch10000Labels matches 10,000 diagram elements per
// iteration against the prebuilt index.
func BenchmarkMatch10000Labels(b *testing.B) {
	m := Default()
	in := benchInputs(10000)
	b.ReportAllocs()
	found := 0
	for b.Loop() {
		found = 0
		for i := range in {
			if _, ok := m.Match(in[i]); ok {
				found++
			}
		}
	}
	b.ReportMetric(float64(found), "matches")
}

// BenchmarkParse measures loading and indexing the embedded catalog, which
// Default does once per process.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("technologies.yaml", defaultData); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndex measures what Default does once per process: indexing the
// generated built-in entries (no YAML).
func BenchmarkIndex(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := newMatcher("technologies.yaml", builtinTechs); err != nil {
			b.Fatal(err)
		}
	}
}
