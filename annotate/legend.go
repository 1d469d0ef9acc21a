package annotate

import (
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
	b.p.Legend = lg
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
