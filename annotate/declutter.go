package annotate

import (
	"math"

	"github.com/threatmap/threatmap/graph"
)

// declutter moves flow labels that cover a component (its box or its
// label and caption as drawn), a boundary title or an earlier flow label
// along their own flow to the nearest free spot.
// Labels with no free spot within reach stay where the layout put them.
func (b *builder) declutter() {
	obs := newSpatial(96)
	for _, c := range b.p.Components {
		obs.add(c.Rect)
		obs.add(c.MarkerRect)
		obs.add(c.RankRect)
		// Text drawn outside the box: an icon's caption under it, a label
		// beside it (data-flow.drawio's "User Corrections" under its box
		// lost its end under a "credentials" tag).
		for _, r := range textBoxes(c) {
			obs.add(r)
		}
	}
	for _, bd := range b.p.Boundaries {
		obs.add(bd.LabelRect)
	}
	b.reserveBadges(obs)
	for i := range b.p.Flows {
		f := &b.p.Flows[i]
		box := union(f.LabelRect, f.SensitivityRect)
		if box.W == 0 {
			continue
		}
		if obs.blocked(box) {
			if d, ok := freeSpot(obs, polyline(f), box); ok {
				f.LabelRect = shift(f.LabelRect, d)
				f.SensitivityRect = shift(f.SensitivityRect, d)
				box = shift(box, d)
			}
		}
		obs.add(box)
	}
}

// reserveBadges keeps each entry point's preferred badge spot (its first
// boundary crossing) free of flow labels.
func (b *builder) reserveBadges(obs *spatial) {
	flows, bounds := b.flowsByID(), b.boundariesByID()
	for _, ep := range b.r.EntryPoints {
		f := flows[ep.Flow]
		if f == nil {
			continue
		}
		poly := polyline(f)
		if cands := crossingCandidates(ep, poly, bounds); len(cands) > 0 {
			p, _ := pointAlong(poly, cands[0].s)
			w := badgeWidth(ep.ID)
			obs.add(graph.Rect{X: p.X - w/2, Y: p.Y - badgeHeight/2, W: w, H: badgeHeight})
		}
	}
}

// freeSpot slides box's centre along poly, nearest first, and returns the
// move to the first spot where box covers nothing.
func freeSpot(obs *spatial, poly []graph.Point, box graph.Rect) (graph.Point, bool) {
	total := polyLength(poly)
	if total == 0 {
		return graph.Point{}, false
	}
	c := graph.Point{X: box.X + box.W/2, Y: box.Y + box.H/2}
	start := nearestArc(poly, c)
	// Along the flow first, then beside it.
	sides := []float64{0, box.H/2 + 8, -(box.H/2 + 8), box.H + 16, -(box.H + 16)}
	for _, side := range sides {
		for off := 0.0; off <= 240; off += 6 {
			for _, s := range []float64{start + off, start - off} {
				if s < 0 || s > total {
					continue
				}
				p, _ := pointAlong(poly, s)
				if side != 0 {
					q, _ := pointAlong(poly, math.Min(s+2, total))
					r, _ := pointAlong(poly, math.Max(s-2, 0))
					dx, dy := q.X-r.X, q.Y-r.Y
					if l := math.Hypot(dx, dy); l > 0 {
						p.X, p.Y = p.X-dy/l*side, p.Y+dx/l*side
					}
				}
				d := graph.Point{X: p.X - c.X, Y: p.Y - c.Y}
				if !obs.blocked(shift(box, d)) {
					return d, true
				}
			}
		}
	}
	return graph.Point{}, false
}

// nearestArc returns the arc length along poly of the point nearest c.
func nearestArc(poly []graph.Point, c graph.Point) float64 {
	best, bestD, acc := 0.0, math.Inf(1), 0.0
	for i := 1; i < len(poly); i++ {
		p, q := poly[i-1], poly[i]
		dx, dy := q.X-p.X, q.Y-p.Y
		l2 := dx*dx + dy*dy
		t := 0.0
		if l2 > 0 {
			t = max(0, min(1, ((c.X-p.X)*dx+(c.Y-p.Y)*dy)/l2))
		}
		x, y := p.X+t*dx, p.Y+t*dy
		if d := (x-c.X)*(x-c.X) + (y-c.Y)*(y-c.Y); d < bestD {
			best, bestD = acc+t*math.Sqrt(l2), d
		}
		acc += math.Sqrt(l2)
	}
	return best
}

func shift(r graph.Rect, d graph.Point) graph.Rect {
	if r.W == 0 && r.H == 0 {
		return r
	}
	return graph.Rect{X: r.X + d.X, Y: r.Y + d.Y, W: r.W, H: r.H}
}

func union(a, b graph.Rect) graph.Rect {
	if a.W == 0 && a.H == 0 {
		return b
	}
	if b.W == 0 && b.H == 0 {
		return a
	}
	x, y := min(a.X, b.X), min(a.Y, b.Y)
	return graph.Rect{X: x, Y: y, W: max(a.X+a.W, b.X+b.W) - x, H: max(a.Y+a.H, b.Y+b.H) - y}
}
