// Package scenebuild hands the pipeline's picture of a report (layout and
// annotations, exactly as the annotated SVG draws it) to the interchange
// exporters as a scene.Scene, the plain data they read, with the parent of
// each boundary and the boundary of each component the picture leaves out.
package scenebuild

import (
	"github.com/threatmap/threatmap/exporters/scene"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
)

// FromPicture converts an annotated picture of r into a scene.
func FromPicture(r *stride.Report, engine string, p *picture.Picture) *scene.Scene {
	s := &scene.Scene{Engine: engine, Bounds: p.Bounds}
	parents := map[string]string{}
	for _, b := range r.Boundaries {
		parents[b.ID] = b.Parent
	}
	boundaryOf := map[string]string{}
	for _, c := range r.Components {
		boundaryOf[c.ID] = c.Boundary
	}
	for _, b := range p.Boundaries {
		s.Boundaries = append(s.Boundaries, scene.Boundary{ID: b.ID, Label: b.Label, Parent: parents[b.ID],
			Trust: b.Trust, Level: b.Level, Rect: b.Rect})
	}
	for _, c := range p.Components {
		s.Components = append(s.Components, scene.Component{ID: c.ID, Label: c.Label, Kind: c.Kind, Actor: c.Actor,
			Boundary: boundaryOf[c.ID], Rect: c.Rect, Severity: c.Severity, Chip: c.Chip, ChipRect: c.MarkerRect,
			Sensitivity: c.Sensitivity, Threats: threats(c.Threats), Tooltip: c.Tooltip()})
	}
	for _, f := range p.Flows {
		s.Flows = append(s.Flows, scene.Flow{ID: f.ID, Source: f.Source, Target: f.Target, Label: f.Label,
			Bidirectional: f.Bidirectional, Undirected: f.Undirected, Points: graph.Polyline(f.Points, f.Curved),
			LabelRect: f.LabelRect, Sensitivity: f.Sensitivity, Tag: f.SensitivityText, TagRect: f.SensitivityRect,
			Severity: f.Severity, EntryPoint: f.EntryPoint, Threats: threats(f.Threats), Tooltip: f.Tooltip()})
	}
	for _, b := range p.Badges {
		sb := scene.Badge{ID: b.ID, Text: b.Text, Rect: b.Rect, Flow: b.Flow, Boundary: b.Boundary,
			Direction: b.Direction, Threats: threats(b.Threats), Tooltip: b.Tooltip()}
		if b.HasLeader {
			pt := b.Leader
			sb.Leader = &pt
		}
		s.Badges = append(s.Badges, sb)
	}
	lg := p.Legend
	s.Legend = scene.Legend{EntryPoints: lg.EntryPoints, Boundaries: lg.Boundaries, SensitiveFlows: lg.SensitiveFlows,
		Threats: lg.Threats, Unrated: lg.Unrated}
	for _, ls := range lg.Severities {
		s.Legend.Severities = append(s.Legend.Severities, scene.LegendSeverity{Severity: ls.Severity, Marker: ls.Marker,
			Components: ls.Components, Threats: ls.Threats})
	}
	return s
}

func threats(in []picture.ThreatRef) []scene.Threat {
	if len(in) == 0 {
		return nil
	}
	out := make([]scene.Threat, len(in))
	for i, t := range in {
		out[i] = scene.Threat{ID: t.ID, Title: t.Title, Severity: t.Severity}
	}
	return out
}
