package expertbench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/testcorpus"
	"github.com/threatmap/threatmap/stride"
)

// TestHighRiskIsFocused checks issue 14's bound on realistic systems: at
// most half of the components High or Critical, so that the rating points
// a reader at a few places instead of painting the whole diagram red. A
// component counts the way every output colours it: its max_severity, the
// highest residual risk of the threats on it and on the flows at its ends
// (the SVG's fill and chip, the register's and the Markdown's "highest
// risk"). The systems are the bundled example and an online shop of
// fifteen components written for this check and not tuned to it
// (testdata/scoring/ecommerce.mmd).
//
// ceiling is today's count, which may not rise. Issue 14 asks for at most
// half (7 of 14, 7 of 15): both meet it since threats about people and
// third parties sit where they are stopped (stride/threathost.go)
// (docs/accuracy.md, "Focus", says which components and why). Since
// session 7 (SCORE) a flow's threat colours the one end that must close
// it, not both (stride/scoring.go, paintedEnd), and a managed edge is not
// rated as a server a flood takes down: 5 of 14 and 6 of 15.
func TestHighRiskIsFocused(t *testing.T) {
	root := testcorpus.RepoRoot(t)
	for _, tc := range []struct {
		file       string
		components int
		ceiling    int
	}{
		{filepath.Join("examples", "telehealth.drawio"), 14, 5},
		{filepath.Join("testdata", "scoring", "ecommerce.mmd"), 15, 6},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			r := analyzeFile(t, filepath.Join(root, tc.file))
			if len(r.Components) != tc.components {
				t.Fatalf("%d components, want %d", len(r.Components), tc.components)
			}
			var high []string
			bands := map[stride.Severity]int{}
			for _, th := range r.Threats {
				bands[th.Severity]++
			}
			for _, c := range r.Components {
				if c.MaxSeverity.Rank() >= stride.SeverityHigh.Rank() {
					high = append(high, c.Label)
				}
			}
			t.Logf("%s: %d of %d components High or Critical %q; inherent bands %v", tc.file, len(high), len(r.Components), high, bands)
			if len(high) > tc.ceiling {
				t.Errorf("%d of %d components are High or Critical, above today's %d (issue 14 asks at most half)", len(high), len(r.Components), tc.ceiling)
			}
			// The full range is used.
			for _, s := range stride.Severities {
				if bands[s] == 0 {
					t.Errorf("no %s threat: the scale is not used in full (%v)", s, bands)
				}
			}
		})
	}
}

// analyzeFile imports the diagram at path as threatmap analyze does and
// runs the default STRIDE pass on its first page.
func analyzeFile(t *testing.T, path string) *stride.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := importers.Import(path, data, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := stride.Analyze(ds[0], stride.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
