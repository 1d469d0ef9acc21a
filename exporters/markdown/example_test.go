package markdown

import (
	"strings"
	"testing"

	"github.com/threatmap/threatmap/importers/mermaid"
	"github.com/threatmap/threatmap/internal/testsupport"
)

// TestExampleGolden pins the threat model document of the bundled example
// and checks that its Mermaid block re-imports to the same components,
// boundaries and flows.
func TestExampleGolden(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	opts := Options{Date: "2026-01-15", SVGName: "telehealth.annotated.svg"}
	got := render(t, r, opts)
	testsupport.Golden(t, "example.golden.md", []byte(got))
	if again := render(t, testsupport.ExampleReport(t, "telehealth.dot"), opts); again != got {
		t.Error("output is not deterministic")
	}
	blocks := mermaidRe.FindAllString(got, -1)
	if len(blocks) != 1 {
		t.Fatalf("%d mermaid blocks, want 1", len(blocks))
	}
	body := strings.TrimSuffix(strings.TrimPrefix(blocks[0], "```mermaid\n"), "```\n")
	ds, err := mermaid.Import("threat-model.md", []byte(body), mermaid.Options{})
	if err != nil {
		t.Fatalf("import: %v\n%s", err, body)
	}
	compare(t, r, ds[0])
	for _, want := range []string{"HIPAA", "PCI-DSS", r.EntryPoints[len(r.EntryPoints)-1].ID, r.Threats[len(r.Threats)-1].ID, "OQ-11"} {
		if !strings.Contains(got, want) {
			t.Errorf("document does not mention %s", want)
		}
	}
}
