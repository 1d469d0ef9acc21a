// Package scene is the picture of an annotated threat model as plain data:
// where every component, boundary and flow sits and what the annotations
// (entry-point badges, risk highlights, sensitivity tags, legend) say. The
// interchange exporters (draw.io, Threat Dragon, Open Threat Model) read a
// Scene instead of the layout and annotation packages, so that they depend
// only on the picture's data, never on how it was computed. All
// coordinates are absolute diagram coordinates: for a draw.io input laid
// out from its own geometry they are the file's own coordinates.
package scene

import "github.com/threatmap/threatmap/graph"

// Scene is one annotated diagram.
type Scene struct {
	// Engine says where the geometry came from: "source" (the diagram's
	// own layout), "graphviz", "layered" or "grid".
	Engine     string
	Boundaries []Boundary // outermost first
	Components []Component
	Flows      []Flow
	Badges     []Badge
	Legend     Legend
	// Bounds encloses everything drawn.
	Bounds graph.Rect
}

// Threat is a threat listed on an annotation.
type Threat struct {
	ID       string
	Title    string
	Severity string // residual severity
}

// Boundary is a trust boundary's box.
type Boundary struct {
	ID     string
	Label  string
	Parent string
	// Trust is the caption of its trust level ("trust 1 · dmz"), "" if
	// unknown; Level is 0..4, -1 when unknown.
	Trust string
	Level int
	Rect  graph.Rect
}

// Component is a component's box and its risk highlight.
type Component struct {
	ID       string
	Label    string
	Kind     string // external | process | datastore | ""
	Actor    bool   // an external entity drawn as a person
	Boundary string
	Rect     graph.Rect
	// Severity is the highest residual severity ("" for none), Chip the
	// chip text ("!! CRITICAL") and ChipRect where it goes.
	Severity    string
	Chip        string
	ChipRect    graph.Rect
	Sensitivity []string
	Threats     []Threat
	// Tooltip is the hover text: the component and its threats.
	Tooltip string
}

// Flow is a flow's route, label and sensitivity tag.
type Flow struct {
	ID            string
	Source        string
	Target        string
	Label         string
	Bidirectional bool
	Undirected    bool
	// Points is the route from the source box's border to the target
	// box's border, as a polyline.
	Points    []graph.Point
	LabelRect graph.Rect // zero when no label
	// Sensitivity lists the data classes carried; Tag is the tag text and
	// TagRect where it goes (zero when none).
	Sensitivity []string
	Tag         string
	TagRect     graph.Rect
	Severity    string
	EntryPoint  string
	Threats     []Threat
	Tooltip     string
}

// Badge is an entry-point badge where a flow crosses a trust boundary.
type Badge struct {
	ID        string // "EP-01"
	Text      string
	Rect      graph.Rect
	Flow      string
	Boundary  string
	Direction string // inbound | outbound | lateral
	// Leader, when set, is the crossing point the badge is joined to by a
	// short line (the badge slid away from a crowded crossing).
	Leader  *graph.Point
	Threats []Threat
	Tooltip string
}

// Legend counts what the annotations mean.
type Legend struct {
	Severities     []LegendSeverity // Critical .. Low
	EntryPoints    int
	Boundaries     int
	SensitiveFlows int
	Threats        int
	Unrated        int
}

// LegendSeverity is one severity row of the legend.
type LegendSeverity struct {
	Severity   string
	Marker     string
	Components int
	Threats    int
}

// Component returns the component with the given ID, or nil.
func (s *Scene) Component(id string) *Component {
	for i := range s.Components {
		if s.Components[i].ID == id {
			return &s.Components[i]
		}
	}
	return nil
}

// Boundary returns the boundary with the given ID, or nil.
func (s *Scene) Boundary(id string) *Boundary {
	for i := range s.Boundaries {
		if s.Boundaries[i].ID == id {
			return &s.Boundaries[i]
		}
	}
	return nil
}

// Flow returns the flow with the given ID, or nil.
func (s *Scene) Flow(id string) *Flow {
	for i := range s.Flows {
		if s.Flows[i].ID == id {
			return &s.Flows[i]
		}
	}
	return nil
}
