package stride

import (
	"slices"
	"testing"
)

// TestRenumberSharedLists: two threats whose entry-point lists share one
// backing array are each remapped once, also when the new numbers swap
// the old ones (a baseline renumbering).
func TestRenumberSharedLists(t *testing.T) {
	shared := []string{"EP-100"}
	r := &Report{
		Threats: []Threat{
			{ID: "T-0001", Fingerprint: "a", Rule: "R-1", EntryPoints: shared},
			{ID: "T-0002", Fingerprint: "b", Rule: "R-2", EntryPoints: shared},
		},
		EntryPoints: []EntryPoint{
			{ID: "EP-100", Fingerprint: "x", Threats: []string{"T-0001", "T-0002"}},
			{ID: "EP-200", Fingerprint: "y"},
		},
	}
	// The kept numbering swaps the two entry points' ids.
	Renumber(r, &Numbering{EntryPoints: map[string]string{"x": "EP-200", "y": "EP-100"}})
	for _, th := range r.Threats {
		if !slices.Equal(th.EntryPoints, []string{"EP-200"}) {
			t.Errorf("threat %s entry points %v, want [EP-200]", th.ID, th.EntryPoints)
		}
	}
}
