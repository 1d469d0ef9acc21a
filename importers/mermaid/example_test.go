package mermaid

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testcorpus"
)

// Expected model of examples/telehealth.dot, written out by hand from that
// file: every label, every (source, target, label) edge and every cluster
// with its parent and members.
var (
	telehealthComponents = []string{
		"API Gateway", "Appointments Service", "Auth Service", "CDN / WAF", "Clinician",
		"Documents Bucket (S3)", "Notification Worker", "Patient", "Patient Records DB\n(PostgreSQL)",
		"Reminder Queue (SQS)", "SendGrid Email", "Session Cache (Redis)", "Stripe Payments", "Web App",
	}
	telehealthFlows = []string{
		"Patient -> CDN / WAF : HTTPS",
		"Clinician -> CDN / WAF : HTTPS, OIDC",
		"CDN / WAF -> API Gateway : HTTPS",
		"API Gateway -> Web App : HTTP",
		"API Gateway -> Appointments Service : gRPC, JWT",
		"API Gateway -> Auth Service : HTTPS, OAuth token request",
		"Appointments Service -> Patient Records DB\n(PostgreSQL) : SQL over TLS (PHI)",
		"Auth Service -> Session Cache (Redis) : Redis, session tokens",
		"Appointments Service -> Documents Bucket (S3) : S3 API, IAM role (PHI)",
		"Appointments Service -> Reminder Queue (SQS) : SQS enqueue",
		"Reminder Queue (SQS) -> Notification Worker : SQS poll",
		"Notification Worker -> SendGrid Email : SMTP",
		"Appointments Service -> Stripe Payments : HTTPS, API key (card data)",
		"Stripe Payments -> API Gateway : Webhook HTTPS",
		"Web App -> Auth Service : OIDC token validation",
	}
	telehealthBoundaries = []string{
		"Internet <  > [Clinician, Patient]",
		"AWS Cloud (VPC) <  > []",
		"DMZ < AWS Cloud (VPC) > [API Gateway, CDN / WAF]",
		"Application Tier < AWS Cloud (VPC) > [Appointments Service, Auth Service, Notification Worker, Reminder Queue (SQS), Web App]",
		"Data Tier < Application Tier > [Documents Bucket (S3), Patient Records DB\n(PostgreSQL), Session Cache (Redis)]",
	}
	telehealthShapes = map[string]string{
		"Patient": "stadium", "Clinician": "stadium", "Stripe Payments": "stadium", "SendGrid Email": "stadium",
		"Reminder Queue (SQS)": "cylinder", "Patient Records DB\n(PostgreSQL)": "cylinder",
		"Session Cache (Redis)": "cylinder", "Documents Bucket (S3)": "cylinder",
	}
)

// labelModel renders a diagram by labels only, so that it can be compared
// with the DOT file whatever the ids are.
func labelModel(d *graph.Diagram) (comps, flows, bounds []string) {
	label := map[string]string{}
	for _, c := range d.Components {
		label[c.ID] = c.Label
		comps = append(comps, c.Label)
	}
	sort.Strings(comps)
	for _, f := range d.Flows {
		flows = append(flows, fmt.Sprintf("%s -> %s : %s", label[f.Source], label[f.Target], f.Label))
	}
	for _, b := range d.Boundaries {
		var members []string
		for _, m := range b.Members {
			members = append(members, label[m])
		}
		sort.Strings(members)
		parent := ""
		if p := d.Boundary(b.Parent); p != nil {
			parent = p.Label
		}
		bounds = append(bounds, fmt.Sprintf("%s < %s > [%s]", b.Label, parent, strings.Join(members, ", ")))
	}
	return comps, flows, bounds
}

func checkTelehealth(t *testing.T, d *graph.Diagram) {
	t.Helper()
	comps, flows, bounds := labelModel(d)
	diffLines(t, comps, telehealthComponents)
	diffLines(t, flows, telehealthFlows)
	diffLines(t, bounds, telehealthBoundaries)
	for _, c := range d.Components {
		want := telehealthShapes[c.Label]
		if want == "" {
			want = "rect"
		}
		if c.Shape != want {
			t.Errorf("%q: shape %q, want %q", c.Label, c.Shape, want)
		}
	}
	if d.Title != "Telehealth Platform" || d.Direction != "LR" {
		t.Errorf("title %q, direction %q", d.Title, d.Direction)
	}
}

func TestTelehealthExample(t *testing.T) {
	root := testcorpus.RepoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, "examples", "telehealth.mmd"))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Import("telehealth.mmd", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkTelehealth(t, ds[0])
	if len(ds[0].Warnings) != 0 {
		t.Errorf("warnings: %v", ds[0].Warnings)
	}

	md, err := os.ReadFile(filepath.Join(root, "examples", "telehealth.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !SniffMarkdown(md) || SniffMarkdown(data) || !Sniff(data) || Sniff(md) {
		t.Errorf("sniffing: Sniff(mmd)=%v Sniff(md)=%v SniffMarkdown(md)=%v SniffMarkdown(mmd)=%v",
			Sniff(data), Sniff(md), SniffMarkdown(md), SniffMarkdown(data))
	}
	mds, err := ImportMarkdown("telehealth.md", md, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(mds) != 1 {
		t.Fatalf("telehealth.md: %d diagrams, want 1", len(mds))
	}
	d := mds[0]
	checkTelehealth(t, d)
	if d.Name != "Architecture" || d.File != "telehealth.md" || d.Format != "mermaid" {
		t.Errorf("name %q file %q format %q", d.Name, d.File, d.Format)
	}
	var ws []string
	for _, w := range d.Warnings {
		ws = append(ws, w.String())
	}
	diffLines(t, ws, []string{"73: Mermaid sequenceDiagram block at line 73 skipped: only flowcharts are imported"})
	// Same model, ids included, only positions differ.
	a, b := dump(ds[0]), dump(d)
	diffLines(t, b[:len(b)-1], a)
}
