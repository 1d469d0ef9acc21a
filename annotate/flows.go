package annotate

import (
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
)

// SensitivityText is the tag shown on a flow carrying the given data
// classes ("PHI · PCI"); "" for none.
func SensitivityText(classes []string) string { return strings.Join(classes, " · ") }

// Notes returns the sensitive-data tags of r's flows by index in
// r.Diagram.Flows, for the layout to reserve room under the flow labels.
func Notes(r *stride.Report) map[int]string {
	d := r.Diagram
	if d == nil {
		return nil
	}
	byID := map[string]int{}
	for i := len(d.Flows) - 1; i >= 0; i-- {
		byID[d.Flows[i].ID] = i
	}
	notes := map[int]string{}
	for i := range r.Flows {
		f := &r.Flows[i]
		if len(f.Sensitivity) == 0 {
			continue
		}
		k, ok := i, i < len(d.Flows) && d.Flows[i].ID == f.ID
		if !ok {
			k, ok = byID[f.ID]
		}
		if ok {
			notes[k] = SensitivityText(f.Sensitivity)
		}
	}
	return notes
}

// flowKey identifies a flow across the diagram, the report and the layout.
type flowKey struct{ id, source, target string }

// edgeIndex finds the layout route of each report flow in constant time.
type edgeIndex struct {
	diagram map[flowKey]int // first diagram flow with this key -> its index
	layout  map[flowKey]int // first layout edge with this key -> its index
}

func (b *builder) newEdgeIndex() *edgeIndex {
	x := &edgeIndex{diagram: map[flowKey]int{}, layout: map[flowKey]int{}}
	if d := b.r.Diagram; d != nil {
		for k, df := range d.Flows {
			key := flowKey{df.ID, df.Source, df.Target}
			if _, ok := x.diagram[key]; !ok {
				x.diagram[key] = k
			}
		}
	}
	for k := range b.l.Edges {
		e := &b.l.Edges[k]
		key := flowKey{e.ID, e.Source, e.Target}
		if _, ok := x.layout[key]; !ok {
			x.layout[key] = k
		}
	}
	return x
}

// edgeFor finds the layout route of report flow i.
func (b *builder) edgeFor(x *edgeIndex, i int, f *stride.Flow) *layout.Edge {
	d := b.r.Diagram
	if d != nil && len(d.Flows) == len(b.r.Flows) && d.Flows[i].ID == f.ID {
		return b.l.EdgeAt(i)
	}
	key := flowKey{f.ID, f.Source, f.Target}
	if k, ok := x.diagram[key]; ok {
		return b.l.EdgeAt(k)
	}
	if k, ok := x.layout[key]; ok {
		return &b.l.Edges[k]
	}
	return nil
}

func (b *builder) flows() {
	x := b.newEdgeIndex()
	for i := range b.r.Flows {
		rf := &b.r.Flows[i]
		e := b.edgeFor(x, i, rf)
		if e == nil {
			b.warn("flow %q (%s → %s) has no route in the layout; not drawn", rf.ID, rf.Source, rf.Target)
			continue
		}
		f := picture.Flow{ID: rf.ID, DOMID: b.ids.id("tm-f-", rf.ID), Source: rf.Source, Target: rf.Target, Label: rf.Label,
			Points: e.Points, Curved: e.Curved, Bidirectional: rf.Bidirectional,
			LabelLines: e.LabelLines, LabelRect: e.Label, Sensitivity: rf.Sensitivity,
			EntryPoint: rf.EntryPoint, Threats: b.refs(rf.Threats)}
		if d := b.r.Diagram; d != nil && e.Index < len(d.Flows) {
			f.Undirected = d.Flows[e.Index].Undirected
		}
		f.Severity = maxSeverity(f.Threats)
		if len(f.Sensitivity) > 0 {
			f.SensitivityText = SensitivityText(f.Sensitivity)
			w := layout.NoteWidth(f.SensitivityText)
			switch {
			case e.Note.W >= w-0.5:
				f.SensitivityRect = e.Note
			default:
				anchor := f.LabelRect
				if anchor.W == 0 {
					mid := midpointOf(e.Polyline())
					anchor = graph.Rect{X: mid.X, Y: mid.Y - layout.NoteHeight/2 - 1}
				}
				f.SensitivityRect = graph.Rect{X: anchor.X + anchor.W/2 - w/2, Y: anchor.Y + anchor.H + 1, W: w, H: layout.NoteHeight}
			}
		}
		head := []string{"Data flow: " + b.name(rf.Source) + " → " + b.name(rf.Target)}
		if rf.Label != "" {
			head = append(head, "Label: "+rf.Label)
		}
		if rf.Protocol != "" {
			head = append(head, "Protocol: "+rf.Protocol)
		}
		if len(rf.Sensitivity) > 0 {
			head = append(head, "Sensitive data: "+strings.Join(rf.Sensitivity, ", "))
		}
		if rf.EntryPoint != "" {
			head = append(head, "Entry point: "+rf.EntryPoint)
		}
		f.TooltipHead = head
		b.p.Flows = append(b.p.Flows, f)
	}
}

// name is a component's label on one line, or its ID.
func (b *builder) name(id string) string {
	n := b.x.ComponentName(id)
	if strings.TrimSpace(n) == "" {
		return id
	}
	return strings.ReplaceAll(n, "\n", " ")
}

func midpointOf(pts []graph.Point) graph.Point {
	total := polyLength(pts)
	p, _ := pointAlong(pts, total/2)
	return p
}
