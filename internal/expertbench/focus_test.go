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
// most half of the components carry a High or Critical threat (residual
// risk, on the component itself), so that the rating points a reader at a
// few places instead of painting the whole diagram red. The systems are
// the bundled example and an online shop of fifteen components written for
// this check and not tuned to it (testdata/scoring/ecommerce.mmd).
func TestHighRiskIsFocused(t *testing.T) {
	root := testcorpus.RepoRoot(t)
	for _, tc := range []struct {
		file       string
		components int
	}{
		{filepath.Join("examples", "telehealth.drawio"), 14},
		{filepath.Join("testdata", "scoring", "ecommerce.mmd"), 15},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			path := filepath.Join(root, tc.file)
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
			if len(r.Components) != tc.components {
				t.Fatalf("%d components, want %d", len(r.Components), tc.components)
			}
			high := map[string]bool{}
			bands := map[stride.Severity]int{}
			for _, th := range r.Threats {
				bands[th.Severity]++
				if th.ResidualRisk.Rank() < stride.SeverityHigh.Rank() {
					continue
				}
				for _, el := range threatElements(&th) {
					if el.Type == "component" {
						high[el.ID] = true
					}
				}
			}
			t.Logf("%s: %d of %d components carry a High or Critical threat; inherent bands %v", tc.file, len(high), len(r.Components), bands)
			if 2*len(high) > len(r.Components) {
				t.Errorf("%d of %d components carry a High or Critical threat, want at most half", len(high), len(r.Components))
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
