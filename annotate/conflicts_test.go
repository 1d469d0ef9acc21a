package annotate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/picture"
)

// allPairsConflicts is BadgeConflicts as a check of every pair, the
// reference the gridded version must agree with line for line.
func allPairsConflicts(p *picture.Picture) []string {
	var out []string
	type named struct {
		what string
		r    graph.Rect
	}
	var things []named
	for _, c := range p.Components {
		if c.MarkerRect.W > 0 {
			things = append(things, named{"the risk chip of " + c.ID, c.MarkerRect})
		}
	}
	for i := range p.Flows {
		f := &p.Flows[i]
		if f.LabelRect.W > 0 {
			things = append(things, named{"the label of flow " + f.ID, f.LabelRect})
		}
		if f.SensitivityRect.W > 0 {
			things = append(things, named{"the data tag of flow " + f.ID, f.SensitivityRect})
		}
		for _, r := range arrowheads(f) {
			things = append(things, named{"an arrowhead of flow " + f.ID, grow(r, -2)})
		}
	}
	for i, bg := range p.Badges {
		for _, o := range p.Badges[i+1:] {
			if overlapArea(bg.Rect, o.Rect) > 0 {
				out = append(out, bg.ID+" overlaps "+o.ID)
			}
		}
		for _, t := range things {
			if overlapArea(bg.Rect, t.r) > 0.5 {
				out = append(out, bg.ID+" overlaps "+t.what)
			}
		}
	}
	return out
}

func TestBadgeConflictsMatchesAllPairs(t *testing.T) {
	for _, tc := range []struct {
		name        string
		n           int
		spread      float64
		wantOverlap bool
	}{
		{"crowded", 300, 400, true},
		{"sparse", 300, 20000, false},
		{"negative coordinates", 200, -600, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(tc.n)))
			at := func() float64 { return rng.Float64() * tc.spread }
			rect := func(w, h float64) graph.Rect { return graph.Rect{X: at(), Y: at(), W: w, H: h} }
			p := &picture.Picture{}
			for i := range tc.n {
				p.Components = append(p.Components, picture.Component{ID: fmt.Sprint("c", i), MarkerRect: rect(40, 16)})
				a := graph.Point{X: at(), Y: at()}
				p.Flows = append(p.Flows, picture.Flow{ID: fmt.Sprint("f", i), LabelRect: rect(90, 18), SensitivityRect: rect(30, 14),
					Points: []graph.Point{a, {X: a.X + 150, Y: a.Y + 40}}})
				p.Badges = append(p.Badges, picture.Badge{ID: fmt.Sprint("EP-", i), Rect: rect(36, badgeHeight)})
			}
			// A badge far larger than a grid cell, and one not finite.
			p.Badges = append(p.Badges, picture.Badge{ID: "EP-wide", Rect: graph.Rect{X: -1e6, Y: 0, W: 2e6, H: 50}},
				picture.Badge{ID: "EP-nan", Rect: graph.Rect{X: math.NaN(), Y: 0, W: 20, H: badgeHeight}})
			got, want := BadgeConflicts(p), allPairsConflicts(p)
			if !slices.Equal(got, want) {
				t.Fatalf("gridded check gave %d lines, all pairs %d; first difference:\n%v", len(got), len(want), firstDiff(got, want))
			}
			if tc.wantOverlap && len(want) < tc.n/10 {
				t.Errorf("a case meant to be crowded found only %d conflicts", len(want))
			}
		})
	}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("%q vs %q", a[i], b[i])
		}
	}
	return fmt.Sprintf("lengths %d vs %d", len(a), len(b))
}
