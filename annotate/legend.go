package annotate

import (
	"sort"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
)

func (b *builder) legend() {
	lg := picture.Legend{EntryPoints: len(b.p.Badges), Boundaries: len(b.p.Boundaries), Threats: len(b.r.Threats)}
	counts := severityCounts(b.r.Threats)
	for _, sev := range picture.Severities {
		row := picture.LegendSeverity{Severity: sev, Marker: picture.Marker(sev), Threats: counts[sev]}
		for _, c := range b.p.Components {
			if c.Severity == sev {
				row.Components++
			}
		}
		lg.Severities = append(lg.Severities, row)
	}
	for _, c := range b.p.Components {
		if c.Severity == "" {
			lg.Unrated++
		}
	}
	for _, f := range b.p.Flows {
		if len(f.Sensitivity) > 0 {
			lg.SensitiveFlows++
		}
	}
	levels := map[int]*picture.LegendTrust{}
	for _, bd := range b.p.Boundaries {
		if bd.Level < 0 {
			continue
		}
		if levels[bd.Level] == nil {
			levels[bd.Level] = &picture.LegendTrust{Level: bd.Level, Name: bd.Trust}
		}
		levels[bd.Level].Boundaries++
	}
	for lv := 0; lv <= 9; lv++ {
		if t := levels[lv]; t != nil {
			lg.Trust = append(lg.Trust, *t)
		}
	}
	for _, c := range b.p.Components {
		if c.Rank > 0 {
			lg.Ranked++
		}
	}
	b.p.Legend = lg
}

// maxRanked is how many components get a rank disc.
const maxRanked = 3

// rank scales each component's emphasis by its score among the picture's
// and numbers the highest three, so that the picture shows which matter
// most even when most components share a band. With fewer than four
// scored components there is nothing to single out and none is ranked.
func (b *builder) rank() {
	lo, hi := 0, 0
	var scored []int
	for i, c := range b.p.Components {
		if c.Score == 0 {
			continue
		}
		if len(scored) == 0 || c.Score < lo {
			lo = c.Score
		}
		hi = max(hi, c.Score)
		scored = append(scored, i)
	}
	for _, i := range scored {
		c := &b.p.Components[i]
		c.Emphasis = 1
		if hi > lo {
			c.Emphasis = float64(c.Score-lo) / float64(hi-lo)
		}
	}
	if len(scored) <= maxRanked {
		return
	}
	sort.SliceStable(scored, func(x, y int) bool {
		a, c := b.p.Components[scored[x]], b.p.Components[scored[y]]
		if a.Score != c.Score {
			return a.Score > c.Score
		}
		return len(a.Threats) > len(c.Threats)
	})
	for r, i := range scored[:maxRanked] {
		c := &b.p.Components[i]
		c.Rank = r + 1
		c.RankRect = graph.Rect{X: c.Rect.X - 8, Y: c.Rect.Y - 9, W: 17, H: 17}
	}
}

// index maps each entry-point badge to its flow and threat ids.
func (b *builder) index() {
	flows := map[string]*picture.Flow{}
	for i := range b.p.Flows {
		flows[b.p.Flows[i].ID] = &b.p.Flows[i]
	}
	for _, bg := range b.p.Badges {
		row := picture.IndexRow{EntryPoint: bg.ID}
		if f := flows[bg.Flow]; f != nil {
			row.Flow = b.x.ComponentName(f.Source) + " → " + b.x.ComponentName(f.Target)
			if f.Bidirectional {
				row.Flow = b.x.ComponentName(f.Source) + " ↔ " + b.x.ComponentName(f.Target)
			}
		}
		for _, t := range bg.Threats {
			row.Threats = append(row.Threats, t.ID)
		}
		b.p.Index = append(b.p.Index, row)
	}
	sort.SliceStable(b.p.Index, func(i, j int) bool {
		return epNumber(b.p.Index[i].EntryPoint) < epNumber(b.p.Index[j].EntryPoint)
	})
}

// bounds encloses everything the picture draws in diagram space.
func (b *builder) bounds() {
	var minX, minY, maxX, maxY float64
	first := true
	add := func(r graph.Rect) {
		if r.W <= 0 && r.H <= 0 {
			return
		}
		if first {
			minX, minY, maxX, maxY, first = r.X, r.Y, r.X+r.W, r.Y+r.H, false
			return
		}
		minX, minY = min(minX, r.X), min(minY, r.Y)
		maxX, maxY = max(maxX, r.X+r.W), max(maxY, r.Y+r.H)
	}
	add(b.l.Bounds)
	for _, c := range b.p.Components {
		add(c.Rect)
		add(c.LabelRect)
		add(c.MarkerRect)
		add(c.RankRect)
	}
	for _, f := range b.p.Flows {
		add(f.LabelRect)
		add(f.SensitivityRect)
	}
	for _, bg := range b.p.Badges {
		add(bg.Rect)
	}
	for _, bd := range b.p.Boundaries {
		add(bd.Rect)
		add(bd.LabelRect)
	}
	b.p.Bounds = graph.Rect{X: minX, Y: minY, W: maxX - minX, H: maxY - minY}
}

// severityCounts counts threats by residual severity.
func severityCounts(ts []stride.Threat) map[string]int {
	m := map[string]int{}
	for i := range ts {
		m[residual(&ts[i])]++
	}
	return m
}
