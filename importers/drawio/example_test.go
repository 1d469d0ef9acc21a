package drawio

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testcorpus"
)

// TestTelehealthExample checks that examples/telehealth.drawio holds
// exactly the model of examples/telehealth.dot: the same components, flows
// and trust boundaries (by label), and that its layout is tidy.
func TestTelehealthExample(t *testing.T) {
	path := filepath.Join(testcorpus.RepoRoot(t), "examples", "telehealth.drawio")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !Sniff(data) {
		t.Fatal("Sniff = false")
	}
	ds, err := Import("telehealth.drawio", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 {
		t.Fatalf("%d pages", len(ds))
	}
	d := ds[0]
	if len(d.Warnings) != 0 {
		t.Errorf("warnings: %v", d.Warnings)
	}
	checkTelehealthModel(t, d)
}

// checkTelehealthModel compares d with the model of telehealth.dot.
func checkTelehealthModel(t *testing.T, d *graph.Diagram) {
	t.Helper()
	wantComponents := []string{
		"API Gateway", "Appointments Service", "Auth Service", "CDN / WAF", "Clinician",
		"Documents Bucket (S3)", "Notification Worker", "Patient", "Patient Records DB\n(PostgreSQL)",
		"Reminder Queue (SQS)", "SendGrid Email", "Session Cache (Redis)", "Stripe Payments", "Web App",
	}
	wantFlows := [][3]string{
		{"Patient", "CDN / WAF", "HTTPS"},
		{"Clinician", "CDN / WAF", "HTTPS, OIDC"},
		{"CDN / WAF", "API Gateway", "HTTPS"},
		{"API Gateway", "Web App", "HTTP"},
		{"API Gateway", "Appointments Service", "gRPC, JWT"},
		{"API Gateway", "Auth Service", "HTTPS, OAuth token request"},
		{"Appointments Service", "Patient Records DB\n(PostgreSQL)", "SQL over TLS (PHI)"},
		{"Auth Service", "Session Cache (Redis)", "Redis, session tokens"},
		{"Appointments Service", "Documents Bucket (S3)", "S3 API, IAM role (PHI)"},
		{"Appointments Service", "Reminder Queue (SQS)", "SQS enqueue"},
		{"Reminder Queue (SQS)", "Notification Worker", "SQS poll"},
		{"Notification Worker", "SendGrid Email", "SMTP"},
		{"Appointments Service", "Stripe Payments", "HTTPS, API key (card data)"},
		{"Stripe Payments", "API Gateway", "Webhook HTTPS"},
		{"Web App", "Auth Service", "OIDC token validation"},
	}
	type boundary struct {
		parent  string
		members []string
	}
	wantBoundaries := map[string]boundary{
		"Internet":         {"", []string{"Clinician", "Patient"}},
		"AWS Cloud (VPC)":  {"", nil},
		"DMZ":              {"AWS Cloud (VPC)", []string{"API Gateway", "CDN / WAF"}},
		"Application Tier": {"AWS Cloud (VPC)", []string{"Appointments Service", "Auth Service", "Notification Worker", "Reminder Queue (SQS)", "Web App"}},
		"Data Tier":        {"Application Tier", []string{"Documents Bucket (S3)", "Patient Records DB\n(PostgreSQL)", "Session Cache (Redis)"}},
	}

	var gotComponents []string
	for _, c := range d.Components {
		gotComponents = append(gotComponents, c.Label)
	}
	sort.Strings(gotComponents)
	if !reflect.DeepEqual(gotComponents, wantComponents) {
		t.Errorf("components\n got %q\nwant %q", gotComponents, wantComponents)
	}
	label := func(id string) string { return d.Component(id).Label }
	var gotFlows [][3]string
	for _, f := range d.Flows {
		if f.Bidirectional || f.Undirected {
			t.Errorf("flow %s is not one-way", f.ID)
		}
		gotFlows = append(gotFlows, [3]string{label(f.Source), label(f.Target), f.Label})
	}
	if !reflect.DeepEqual(gotFlows, wantFlows) {
		t.Errorf("flows\n got %q\nwant %q", gotFlows, wantFlows)
	}
	gotBoundaries := map[string]boundary{}
	for _, b := range d.Boundaries {
		var parent string
		if b.Parent != "" {
			parent = d.Boundary(b.Parent).Label
		}
		var members []string
		for _, m := range b.Members {
			members = append(members, label(m))
		}
		sort.Strings(members)
		gotBoundaries[b.Label] = boundary{parent, members}
		if b.Inferred {
			t.Errorf("boundary %q is inferred; the example declares its containers", b.Label)
		}
	}
	if !reflect.DeepEqual(gotBoundaries, wantBoundaries) {
		t.Errorf("boundaries\n got %+v\nwant %+v", gotBoundaries, wantBoundaries)
	}
	checkTidyLayout(t, d)
}

// checkTidyLayout checks that no two components overlap and every boundary
// encloses its members and child boundaries with a margin.
func checkTidyLayout(t *testing.T, d *graph.Diagram) {
	t.Helper()
	for i, a := range d.Components {
		for _, b := range d.Components[i+1:] {
			if overlap(*a.Geometry, *b.Geometry) {
				t.Errorf("%q overlaps %q", a.Label, b.Label)
			}
		}
		if a.Boundary != "" {
			requireInside(t, a.Label, *a.Geometry, d.Boundary(a.Boundary))
		}
	}
	for _, b := range d.Boundaries {
		if b.Parent != "" {
			requireInside(t, b.Label, *b.Geometry, d.Boundary(b.Parent))
		}
	}
}

func overlap(a, b graph.Rect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

func requireInside(t *testing.T, what string, r graph.Rect, b *graph.Boundary) {
	t.Helper()
	const margin = 20
	in := graph.Rect{X: b.Geometry.X + margin, Y: b.Geometry.Y + margin, W: b.Geometry.W - 2*margin, H: b.Geometry.H - 2*margin}
	if !in.Contains(r) {
		t.Errorf("%q %+v is not inside %q %+v with a %d margin", what, r, b.Label, *b.Geometry, margin)
	}
}
