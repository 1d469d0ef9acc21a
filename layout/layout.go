package layout

import (
	"math"

	"github.com/threatmap/threatmap/graph"
)

// Engine names how a Layout was produced.
const (
	EngineSource   = "source"   // the diagram's own geometry
	EngineGraphviz = "graphviz" // Graphviz dot
	EngineLayered  = "layered"  // the native layered engine (large diagrams)
	EngineGrid     = "grid"     // the simple nested-grid fallback
)

// Node is a component's box.
type Node struct {
	ID   string
	Rect graph.Rect
}

// Container is a trust boundary's box. Label is where its title goes (the
// top strip inside the box).
type Container struct {
	ID    string
	Rect  graph.Rect
	Label graph.Rect
	// Depth is 1 for a top-level boundary, 2 for one nested in it, ...
	Depth int
	// Line is set for a boundary drawn as a line across the flows (the
	// DFD trust-boundary curve): its polyline, in the source's
	// coordinates. Rect is then the line's bounding box and Label a spot
	// beside the line's middle.
	Line []graph.Point
}

// Edge is a flow's route.
type Edge struct {
	// ID is the flow ID; Index its position in Diagram.Flows.
	ID     string
	Index  int
	Source string
	Target string
	// Points is the route from the source box's border to the target box's
	// border: a polyline, or when Curved the control points of a piecewise
	// cubic Bézier curve (1+3k points).
	Points []graph.Point
	Curved bool
	// Label is the box reserved for the flow's label; zero when the flow
	// has none. LabelLines are the label's lines as laid out.
	Label      graph.Rect
	LabelLines []string
	// Note is the box reserved under the label for the flow's note
	// (Options.EdgeNotes); zero when none.
	Note graph.Rect
}

// Layout is a placed diagram.
type Layout struct {
	// Engine is EngineSource, EngineGraphviz, EngineLayered or EngineGrid.
	Engine string
	// Nodes, Containers and Edges follow the diagram's Components,
	// Boundaries and Flows order. Components without a place are missing.
	Nodes      []Node
	Containers []Container
	Edges      []Edge
	// Bounds encloses everything placed.
	Bounds graph.Rect
	// Warnings say what was approximated (fallbacks, missing geometry).
	Warnings []string

	nodeIdx map[string]int
	contIdx map[string]int
	edgeIdx map[int]int
}

// Node returns the box of component id, or nil.
func (l *Layout) Node(id string) *Node {
	l.indexNodes()
	if i, ok := l.nodeIdx[id]; ok {
		return &l.Nodes[i]
	}
	return nil
}

// Container returns the box of boundary id, or nil.
func (l *Layout) Container(id string) *Container {
	l.indexContainers()
	if i, ok := l.contIdx[id]; ok {
		return &l.Containers[i]
	}
	return nil
}

// EdgeAt returns the route of Diagram.Flows[i], or nil.
func (l *Layout) EdgeAt(i int) *Edge {
	l.indexEdges()
	if k, ok := l.edgeIdx[i]; ok {
		return &l.Edges[k]
	}
	return nil
}

// The lookup maps are rebuilt when their size no longer matches their
// slice (the layouts append as they go).

func (l *Layout) indexNodes() {
	if l.nodeIdx == nil || len(l.nodeIdx) != len(l.Nodes) {
		l.nodeIdx = make(map[string]int, len(l.Nodes))
		for i, n := range l.Nodes {
			l.nodeIdx[n.ID] = i
		}
	}
}

func (l *Layout) indexContainers() {
	if l.contIdx == nil || len(l.contIdx) != len(l.Containers) {
		l.contIdx = make(map[string]int, len(l.Containers))
		for i, c := range l.Containers {
			l.contIdx[c.ID] = i
		}
	}
}

func (l *Layout) indexEdges() {
	if l.edgeIdx == nil || len(l.edgeIdx) != len(l.Edges) {
		l.edgeIdx = make(map[int]int, len(l.Edges))
		for k, e := range l.Edges {
			l.edgeIdx[e.Index] = k
		}
	}
}

// computeBounds sets Bounds to enclose every box, route and label.
func (l *Layout) computeBounds() {
	b := bbox{}
	for _, n := range l.Nodes {
		b.addRect(n.Rect)
	}
	for _, c := range l.Containers {
		b.addRect(c.Rect)
	}
	for _, e := range l.Edges {
		for _, p := range e.Points {
			b.add(p)
		}
		if e.Label.W > 0 {
			b.addRect(e.Label)
		}
		if e.Note.W > 0 {
			b.addRect(e.Note)
		}
	}
	l.Bounds = b.rect()
}

// Polyline returns the edge's route as straight segments, flattening
// curves.
func (e *Edge) Polyline() []graph.Point { return graph.Polyline(e.Points, e.Curved) }

// bbox accumulates a bounding box.
type bbox struct {
	minX, minY, maxX, maxY float64
	ok                     bool
}

func (b *bbox) add(p graph.Point) {
	if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.IsInf(p.X, 0) || math.IsInf(p.Y, 0) {
		return
	}
	if !b.ok {
		b.minX, b.minY, b.maxX, b.maxY, b.ok = p.X, p.Y, p.X, p.Y, true
		return
	}
	b.minX, b.minY = min(b.minX, p.X), min(b.minY, p.Y)
	b.maxX, b.maxY = max(b.maxX, p.X), max(b.maxY, p.Y)
}

func (b *bbox) addRect(r graph.Rect) {
	b.add(graph.Point{X: r.X, Y: r.Y})
	b.add(graph.Point{X: r.X + r.W, Y: r.Y + r.H})
}

func (b *bbox) rect() graph.Rect {
	if !b.ok {
		return graph.Rect{}
	}
	return graph.Rect{X: b.minX, Y: b.minY, W: b.maxX - b.minX, H: b.maxY - b.minY}
}

// center returns the centre of r.
func center(r graph.Rect) graph.Point { return r.Center() }

// ClipToRect returns where the segment from r's centre towards p leaves r.
// When p is inside r it returns p.
func ClipToRect(r graph.Rect, p graph.Point) graph.Point { return r.Clip(p) }
