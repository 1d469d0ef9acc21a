package layout

import (
	"errors"
	"fmt"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/layout/layered"
	"github.com/threatmap/threatmap/picture"
)

// Spacing of the layered engine: layers far enough apart for a flow label
// across the gap (LR) or under it (TB).
const (
	layeredRankSepLR = EdgeLabelMax + 44
	layeredRankSepTB = 96.0
	layeredNodeSep   = 34.0
	layeredEdgeSep   = 16.0
	layeredPad       = 22.0
)

// Layered lays d out with the native layered engine (package
// layout/layered): boundaries are nested boxes around their members, the
// diagram's direction the rank direction, flows polylines that pass
// between boxes. It is close to linear in the size of the diagram, needs no
// Graphviz, and never fails; the error is non-nil only for a nil diagram.
func Layered(d *graph.Diagram, opts Options) (*Layout, error) {
	if d == nil {
		return nil, errors.New("layout: nil diagram")
	}
	dir := dirOf(d, opts)
	g := &layered.Graph{Direction: dir, NodeSep: layeredNodeSep, EdgeSep: layeredEdgeSep, RankSep: layeredRankSepLR}
	if dir == "TB" || dir == "BT" {
		g.RankSep = layeredRankSepTB
	}
	bidx := make(map[string]int, len(d.Boundaries))
	for i, b := range d.Boundaries {
		bidx[b.ID] = i
	}
	parentOf := func(id string) int {
		if k, ok := bidx[id]; ok {
			return k
		}
		return -1
	}
	for _, b := range d.Boundaries {
		title := textfit.Truncate(strings.Join(strings.Fields(b.Label), " "), picture.BoundaryTitleSize, maxTitleReserve, true)
		tw := textfit.Width(title+"  ·  trust 0 · untrusted", picture.BoundaryTitleSize, true)
		g.Groups = append(g.Groups, layered.Group{
			Parent: parentOf(b.Parent),
			Pad:    layered.Pad{Top: LabelStrip + 8 + layeredPad, Right: layeredPad, Bottom: layeredPad, Left: layeredPad},
			MinW:   max(tw+2*layeredPad, NodeMinWidth+2*layeredPad),
			MinH:   NodeMinHeight + LabelStrip + 8 + 2*layeredPad,
		})
	}
	cidx := make(map[string]int, len(d.Components))
	for i, c := range d.Components {
		w, h := NodeSize(c)
		cidx[c.ID] = i
		g.Nodes = append(g.Nodes, layered.Node{W: w, H: h, Group: parentOf(c.Boundary)})
	}
	for _, f := range d.Flows {
		s, ok1 := cidx[f.Source]
		t, ok2 := cidx[f.Target]
		if !ok1 || !ok2 {
			s, t = -1, -1
		}
		g.Edges = append(g.Edges, layered.Edge{From: s, To: t})
	}
	res := layered.Layout(g)
	l := &Layout{Engine: EngineLayered}
	for i, c := range d.Components {
		l.Nodes = append(l.Nodes, Node{ID: c.ID, Rect: res.Nodes[i]})
	}
	for i, b := range d.Boundaries {
		r := res.Groups[i]
		l.Containers = append(l.Containers, Container{ID: b.ID, Rect: r, Label: labelStrip(r), Depth: d.Depth(b.ID)})
	}
	for i, f := range d.Flows {
		pts := res.Routes[i]
		if len(pts) < 2 {
			l.Warnings = append(l.Warnings, fmt.Sprintf("flow %q (%s → %s) has an end that is not a component; not drawn", f.ID, f.Source, f.Target))
			continue
		}
		e := Edge{ID: f.ID, Index: i, Source: f.Source, Target: f.Target, Points: pts}
		e.LabelLines, e.Label, e.Note = labelBoxes(res.Labels[i], f.Label, opts.EdgeNotes[i])
		l.Edges = append(l.Edges, e)
	}
	attachStandIns(l, d, opts.EdgeNotes)
	l.computeBounds()
	return l, nil
}
