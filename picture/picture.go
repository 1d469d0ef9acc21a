// Package picture is the annotated threat-model diagram as plain data: the
// boxes, routes, labels, badges, tooltips, legend and title block that
// package annotate decides from a STRIDE report and a layout, and that
// exporters/svg draws. It also holds the type scale (font sizes) shared by
// the stages, so that the layout makes boxes for the text the writer draws.
// It knows nothing about SVG, Graphviz or the analysis.
package picture

import (
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
)

// The type scale of the picture, in pixels. The layout sizes boxes and
// label areas with these; annotate places titles, chips, badges and tags
// with them; the SVG writer draws text with them.
const (
	NodeFontSize  = 13.0 // component labels
	EdgeFontSize  = 11.0 // flow labels
	TagFontSize   = 9.5  // sensitive-data tags under flow labels
	BadgeFontSize = 10.0 // entry-point badges
	ChipFontSize  = 9.0  // severity chips

	BoundaryTitleSize = 12.0 // trust boundary titles
	BoundaryTrustSize = 10.5 // the trust caption after a boundary title
	// BoundaryTitleGap separates a boundary's title from its trust caption.
	BoundaryTitleGap = 8.0
)

// Severities lists the severity bands, highest first (stride's order, as
// the picture's text).
var Severities = stride.SeverityNames()

// Marker returns the mark that tells severities apart without colour.
func Marker(sev string) string {
	switch stride.Severity(sev) {
	case stride.SeverityCritical:
		return "!!"
	case stride.SeverityHigh:
		return "!"
	case stride.SeverityMedium:
		return "•"
	case stride.SeverityLow:
		return "·"
	}
	return ""
}

// Picture is everything the annotated diagram shows.
type Picture struct {
	Title      TitleBlock
	Boundaries []Boundary // outermost first
	Components []Component
	Flows      []Flow
	Badges     []Badge
	Legend     Legend
	// Index lists every entry point with its flow and threat ids, in
	// badge order.
	Index []IndexRow
	// Bounds encloses the drawing: boxes, routes, labels and badges.
	Bounds graph.Rect
	// Warnings say what annotation approximated (for example a badge that
	// could not avoid every label, an element the layout did not place).
	Warnings []string
}

// TitleBlock heads the picture.
type TitleBlock struct {
	System    string
	Source    string // "file (format)", with the page or block name if any
	Date      string // "" when not given
	Generator string
	Stats     string // "14 components · 15 flows · ..."
	// Warning is what the picture must say under its title, in words
	// (graph.EmptyModelWarning for a diagram without components); ""
	// when nothing. It is drawn in place of Stats, whose counts it
	// explains.
	Warning string
}

// ThreatRef is a threat listed in a tooltip.
type ThreatRef struct {
	ID       string
	Title    string
	Severity string // residual severity
	// Flows and Components count the elements a grouped threat stands
	// for (one concern on several elements); both 0 for a threat on one
	// element.
	Flows, Components int
}

// Boundary is a trust boundary, drawn as a dashed box with a title.
type Boundary struct {
	ID    string
	DOMID string
	Label string
	// Trust is the trust level caption, e.g. "trust 1 · dmz"; "" if unknown.
	Trust string
	Level int // 0 (untrusted) .. 4; -1 when unknown
	Rect  graph.Rect
	// LabelRect is where the title (Label and Trust) is written.
	LabelRect graph.Rect
	Depth     int
	Inferred  bool
	Tooltip   string
	// Line is set for a boundary drawn as a line across the flows (the
	// DFD trust-boundary curve): the polyline to draw instead of a box;
	// Rect is then its bounding box.
	Line []graph.Point
	// Layer orders the boxes drawn as containers, back to front:
	// boundaries and the components that enclose others (Encloses). It is
	// how many of those boxes enclose this one; the writer draws a layer's
	// boundaries, then its enclosing components, before the next layer, so
	// that a component used as a container never hides a boundary drawn
	// inside it. Line boundaries come after every box.
	Layer int
}

// Component is a box on the picture.
type Component struct {
	ID    string
	DOMID string
	Label string
	// Kind is "external", "process" or "datastore" ("" if unclassified).
	Kind string
	// Actor is set for external entities drawn as people (actor shapes).
	Actor bool
	// Icon names a cloud or vendor icon from the source by draw.io's
	// palette title ("Amazon RDS"); "" for plain shapes and for icons drawn
	// as embedded images, whose name is unknown.
	Icon string
	// Glyph is the category of an icon ("database", "queue", "user", ...;
	// the constants of internal/stencils), drawn as a glyph in GlyphRect;
	// "" when the component is not an icon.
	Glyph     string
	GlyphRect graph.Rect
	// Caption is the icon's name as written in the box under or beside
	// the glyph ("" when the label already says it), in CaptionRect.
	Caption     string
	CaptionRect graph.Rect
	Rect        graph.Rect
	// LabelRect is where the label is written: inside the box, or below it
	// for actors.
	LabelRect graph.Rect
	// Severity is the highest residual severity ("Critical" .. "Low", ""
	// for none) and Marker its greyscale-safe mark ("!!", "!", "•", "·").
	Severity string
	Marker   string
	// Chip is the severity chip's text ("!! CRITICAL", or the marker
	// alone on a small box) and MarkerRect where it goes: straddling the
	// top-right corner; zero when no severity.
	Chip        string
	MarkerRect  graph.Rect
	Sensitivity []string
	Threats     []ThreatRef
	// TooltipHead are the first lines of the tooltip (Tooltip): the
	// component's label and kind, icon, severity and data.
	TooltipHead []string
	// Score is the highest residual risk score (likelihood × impact, 1-25)
	// of the component's threats, 0 for none; Emphasis (0..1) is how it
	// ranks among the picture's scores, so that borders can weigh more
	// where the risk is higher within one band.
	Score    int
	Emphasis float64
	// Rank is 1, 2, 3 for the three components with the highest scores
	// (ties broken by the number of threats, then by order), 0 otherwise;
	// RankRect is where the rank disc goes (straddling the top-left
	// corner).
	Rank     int
	RankRect graph.Rect
	// Encloses is set when the box holds another component's box (a
	// shape used as a container): it is drawn before the flows, and
	// components are ordered so that such boxes come before what they
	// hold.
	Encloses bool
	// Layer is the drawing layer of an enclosing component (see
	// Boundary.Layer); 0 for the others.
	Layer int
}

// Flow is a data flow's route and labels.
type Flow struct {
	ID     string
	DOMID  string
	Source string
	Target string
	Label  string
	// Points is the route: a polyline, or when Curved the control points
	// of a piecewise cubic Bézier curve (1+3k points).
	Points        []graph.Point
	Curved        bool
	Bidirectional bool
	Undirected    bool
	LabelLines    []string
	LabelRect     graph.Rect // zero when no label
	// Sensitivity lists the data classes carried (PHI, PII, ...);
	// SensitivityText is the tag text and SensitivityRect where it goes.
	Sensitivity     []string
	SensitivityText string
	SensitivityRect graph.Rect
	Severity        string
	EntryPoint      string
	Threats         []ThreatRef
	// TooltipHead are the first lines of the tooltip (Tooltip): the
	// flow's ends, label, protocol, data and entry point.
	TooltipHead []string
}

// Badge marks an entry point where its flow crosses a trust boundary.
type Badge struct {
	ID     string // "EP-01"
	DOMID  string
	Number int    // 1 for EP-01
	Text   string // what the badge shows
	Center graph.Point
	Rect   graph.Rect
	Flow   string
	// Boundary is the crossed boundary the badge sits on ("" when the
	// crossing could not be found and the badge sits mid-flow).
	Boundary string
	// HasLeader is set when the crossing was too crowded and the badge
	// slid along the boundary line; Leader is the crossing point, to be
	// joined to the badge by a short line.
	HasLeader bool
	Leader    graph.Point
	Direction string
	Threats   []ThreatRef
	// TooltipHead are the first lines of the tooltip (Tooltip): the entry
	// point, its flow, direction and crossed boundaries.
	TooltipHead []string
}

// Legend explains the colours and marks, with counts.
type Legend struct {
	Severities []LegendSeverity // Critical .. Low
	// EntryPoints, Boundaries, SensitiveFlows and Threats are counts.
	EntryPoints    int
	Boundaries     int
	SensitiveFlows int
	Threats        int
	Unrated        int // components without threats
	// Trust lists the trust levels of the drawn boundaries, lowest first.
	Trust []LegendTrust
	// Ranked is how many components carry a rank disc (0 to 3).
	Ranked int
}

// LegendTrust is one trust level row of the legend.
type LegendTrust struct {
	Level      int    // 0 (untrusted) .. 4
	Name       string // "trust 2 · internal"
	Boundaries int
}

// IndexRow maps an entry-point badge to its threats, for a printed copy.
type IndexRow struct {
	EntryPoint string // "EP-01"
	Flow       string // "Patient → Web App"
	Threats    []string
}

// LegendSeverity is one severity row of the legend.
type LegendSeverity struct {
	Severity   string
	Marker     string
	Components int // components highlighted with it
	Threats    int // threats with this residual severity
}
