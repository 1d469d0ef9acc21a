package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/importers/dot"
	"github.com/threatmap/threatmap/importers/mermaid"
	"github.com/threatmap/threatmap/internal/testcorpus"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

// exampleReport analyses the bundled example for real (DOT importer and
// STRIDE pass), not the hand-built fixture.
func exampleReport(t *testing.T) *stride.Report {
	t.Helper()
	path := filepath.Join(testcorpus.RepoRoot(t), "examples", "telehealth.dot")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dot.Import("examples/telehealth.dot", data, dot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := stride.Analyze(ds[0], stride.Options{Generator: "threatmap test"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestExampleGolden pins the threat model document of the bundled example
// and checks that its Mermaid block re-imports to the same components,
// boundaries and flows.
func TestExampleGolden(t *testing.T) {
	r := exampleReport(t)
	opts := Options{Date: "2026-01-15", SVGName: "telehealth.annotated.svg"}
	got := render(t, r, opts)
	testsupport.Golden(t, "example.golden.md", []byte(got))
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
	for _, want := range []string{"HIPAA", "PCI-DSS", "EP-11", "T-054", "OQ-11"} {
		if !strings.Contains(got, want) {
			t.Errorf("document does not mention %s", want)
		}
	}
}
