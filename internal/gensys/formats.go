package gensys

import (
	"bytes"
	"fmt"
	"html"
	"strings"
)

// Component box size and gaps of the draw.io layout.
const (
	boxW, boxH = 160.0, 70.0
	gap        = 40.0
	perRow     = 10
	zonePad    = 40.0
)

// DrawIO writes the system as one draw.io page with its own layout:
// zones are containers (nested), components are shapes inside them
// (cylinders for stores, actors for people), flows are edges with their
// labels.
func (s *System) DrawIO() []byte {
	var b bytes.Buffer
	b.WriteString(`<mxfile><diagram name="System" id="sys"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>` + "\n")
	t := s.tree()
	// Top-level zones and loose components side by side in a row.
	x := 0.0
	for _, z := range t.zones[""] {
		w, _ := s.drawZone(&b, t, z, "1", x, 0)
		x += w + gap
	}
	s.drawComps(&b, t.comps[""], "1", x, 0)
	for _, f := range s.Flows {
		fmt.Fprintf(&b, `<mxCell id="%s" value="%s" style="edgeStyle=orthogonalEdgeStyle;html=1;endArrow=classic;" edge="1" parent="1" source="%s" target="%s"><mxGeometry relative="1" as="geometry"/></mxCell>`+"\n",
			f.ID, attr(f.Label), f.Source, f.Target)
	}
	b.WriteString("</root></mxGraphModel></diagram></mxfile>\n")
	return b.Bytes()
}

// size is the width and height of a zone's content; drawZone writes the
// zone at (x, y) relative to its parent and returns its size.
func (s *System) drawZone(b *bytes.Buffer, t tree, z Zone, parent string, x, y float64) (float64, float64) {
	var inner bytes.Buffer
	// Child zones in a column, then the zone's own components below.
	cy, w := zonePad, 0.0
	for _, c := range t.zones[z.ID] {
		cw, ch := s.drawZone(&inner, t, c, z.ID, zonePad, cy)
		cy += ch + gap
		w = max(w, cw)
	}
	cw, ch := s.drawComps(&inner, t.comps[z.ID], z.ID, zonePad, cy)
	w = max(w, cw) + 2*zonePad
	h := cy + ch + zonePad
	fmt.Fprintf(b, `<mxCell id="%s" value="%s" style="rounded=1;container=1;dashed=1;verticalAlign=top;" vertex="1" parent="%s"><mxGeometry x="%g" y="%g" width="%g" height="%g" as="geometry"/></mxCell>`+"\n",
		z.ID, attr(z.Label), parent, x, y, w, h)
	b.Write(inner.Bytes())
	return w, h
}

// drawComps writes components in rows at (x, y) and returns the size of
// the block.
func (s *System) drawComps(b *bytes.Buffer, comps []Component, parent string, x, y float64) (float64, float64) {
	if len(comps) == 0 {
		return 0, 0
	}
	for i, c := range comps {
		style := "rounded=1;whiteSpace=wrap;html=1;"
		switch {
		case c.Human:
			style = "shape=umlActor;verticalLabelPosition=bottom;html=1;"
		case c.Kind == DataStore:
			style = "shape=cylinder3;whiteSpace=wrap;html=1;"
		}
		cx, cy := x+float64(i%perRow)*(boxW+gap), y+float64(i/perRow)*(boxH+gap)
		fmt.Fprintf(b, `<mxCell id="%s" value="%s" style="%s" vertex="1" parent="%s"><mxGeometry x="%g" y="%g" width="%g" height="%g" as="geometry"/></mxCell>`+"\n",
			c.ID, attr(c.Label), style, parent, cx, cy, boxW, boxH)
	}
	cols := min(len(comps), perRow)
	rows := (len(comps) + perRow - 1) / perRow
	return float64(cols)*(boxW+gap) - gap, float64(rows)*(boxH+gap) - gap
}

func attr(s string) string { return html.EscapeString(s) }

// Mermaid writes the system as a Mermaid flowchart: zones are nested
// subgraphs, stores cylinders, people stadiums.
func (s *System) Mermaid() []byte {
	var b bytes.Buffer
	b.WriteString("flowchart LR\n")
	t := s.tree()
	var zone func(z Zone, depth int)
	node := func(c Component, depth int) {
		ind := strings.Repeat("  ", depth)
		switch {
		case c.Human:
			fmt.Fprintf(&b, "%s%s([\"%s\"])\n", ind, c.ID, c.Label)
		case c.Kind == DataStore:
			fmt.Fprintf(&b, "%s%s[(\"%s\")]\n", ind, c.ID, c.Label)
		default:
			fmt.Fprintf(&b, "%s%s[\"%s\"]\n", ind, c.ID, c.Label)
		}
	}
	zone = func(z Zone, depth int) {
		ind := strings.Repeat("  ", depth)
		fmt.Fprintf(&b, "%ssubgraph %s [\"%s\"]\n", ind, z.ID, z.Label)
		for _, c := range t.zones[z.ID] {
			zone(c, depth+1)
		}
		for _, c := range t.comps[z.ID] {
			node(c, depth+1)
		}
		fmt.Fprintf(&b, "%send\n", ind)
	}
	for _, z := range t.zones[""] {
		zone(z, 1)
	}
	for _, c := range t.comps[""] {
		node(c, 1)
	}
	for _, f := range s.Flows {
		fmt.Fprintf(&b, "  %s -->|\"%s\"| %s\n", f.Source, f.Label, f.Target)
	}
	return b.Bytes()
}

// DOT writes the system as a Graphviz digraph: zones are nested
// clusters, stores cylinders.
func (s *System) DOT() []byte {
	var b bytes.Buffer
	b.WriteString("digraph system {\n  rankdir=LR;\n  node [shape=box];\n")
	t := s.tree()
	node := func(c Component, ind string) {
		shape := "box"
		switch {
		case c.Human:
			shape = "oval"
		case c.Kind == DataStore:
			shape = "cylinder"
		}
		fmt.Fprintf(&b, "%s%s [label=%q, shape=%s];\n", ind, c.ID, c.Label, shape)
	}
	var zone func(z Zone, depth int)
	zone = func(z Zone, depth int) {
		ind := strings.Repeat("  ", depth)
		fmt.Fprintf(&b, "%ssubgraph cluster_%s {\n%s  label=%q;\n", ind, z.ID, ind, z.Label)
		for _, c := range t.zones[z.ID] {
			zone(c, depth+1)
		}
		for _, c := range t.comps[z.ID] {
			node(c, ind+"  ")
		}
		fmt.Fprintf(&b, "%s}\n", ind)
	}
	for _, z := range t.zones[""] {
		zone(z, 1)
	}
	for _, c := range t.comps[""] {
		node(c, "  ")
	}
	for _, f := range s.Flows {
		fmt.Fprintf(&b, "  %s -> %s [label=%q];\n", f.Source, f.Target, f.Label)
	}
	b.WriteString("}\n")
	return b.Bytes()
}
