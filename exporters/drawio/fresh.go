package drawio

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/exporters/scene"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
)

// newDiagram draws a diagram that has no draw.io source from the scene:
// boundaries as nested containers, components inside them, flows routed
// through the layout's bend points, then the threatmap layer.
func newDiagram(w *bytes.Buffer, r *stride.Report, s *scene.Scene, warn func(string), layer func(string) []string) {
	var d *graph.Diagram
	if r.Diagram != nil {
		d = r.Diagram
	}
	taken := map[string]bool{"0": true, "1": true, LayerID: true}
	cellID := map[string]string{} // "b:"/"c:"/"f:" + model id -> cell id
	alloc := func(kind, id string) string {
		c := id
		if strings.HasPrefix(c, IDPrefix) || c == "" {
			c = "id-" + c
		}
		for n := 2; taken[c]; n++ {
			c = id + "-" + strconv.Itoa(n)
		}
		taken[c] = true
		cellID[kind+id] = c
		return c
	}
	for _, b := range s.Boundaries {
		alloc("b:", b.ID)
	}
	for _, c := range s.Components {
		alloc("c:", c.ID)
	}
	for _, f := range s.Flows {
		alloc("f:", f.ID)
	}
	skipped := func(what, id string, keys []string) {
		if warn != nil && len(keys) > 0 {
			warn("draw.io: " + what + " " + strconv.Quote(id) + ": attribute(s) " + strings.Join(keys, ", ") + " are not XML names; left out of the diagram")
		}
	}
	name := r.System
	if name == "" {
		name = "threat model"
	}
	w.WriteString(`<mxfile host="threatmap" type="device">` + "\n")
	w.WriteString(`  <diagram id="threatmap" name="` + esc(name) + `">` + "\n")
	b := s.Bounds
	w.WriteString(`    <mxGraphModel dx="` + num(b.W+400) + `" dy="` + num(b.H+100) + `" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="0" pageScale="1" math="0" shadow="0">` + "\n")
	w.WriteString("      <root>")
	lines := []string{`<mxCell id="0" />`, `<mxCell id="1" parent="0" />`}
	abs := map[string]graph.Rect{}
	for _, bd := range s.Boundaries {
		parent, origin := "1", graph.Point{}
		if bd.Parent != "" {
			if pr, ok := abs[bd.Parent]; ok {
				parent, origin = cellID["b:"+bd.Parent], graph.Point{X: pr.X, Y: pr.Y}
			}
		}
		abs[bd.ID] = bd.Rect
		g := graph.Rect{X: bd.Rect.X - origin.X, Y: bd.Rect.Y - origin.Y, W: bd.Rect.W, H: bd.Rect.H}
		var props []kv
		if d != nil {
			if gb := d.Boundary(bd.ID); gb != nil {
				var sk []string
				props, sk = userProps(gb.Attributes)
				skipped("boundary", bd.ID, sk)
			}
		}
		lines = append(lines, cell{id: cellID["b:"+bd.ID], parent: parent, value: bd.Label, vertex: true, geo: &g, props: props,
			style: "rounded=1;arcSize=2;whiteSpace=wrap;html=0;container=1;collapsible=0;dashed=1;dashPattern=8 4;strokeWidth=2;verticalAlign=top;align=left;spacingLeft=10;spacingTop=4;fontStyle=1;fontSize=13;fillColor=none;strokeColor=#3E5366;"}.String())
	}
	for _, c := range s.Components {
		parent, origin := "1", graph.Point{}
		if pr, ok := abs[c.Boundary]; ok && c.Boundary != "" {
			parent, origin = cellID["b:"+c.Boundary], graph.Point{X: pr.X, Y: pr.Y}
		}
		g := graph.Rect{X: c.Rect.X - origin.X, Y: c.Rect.Y - origin.Y, W: c.Rect.W, H: c.Rect.H}
		var props []kv
		if d != nil {
			if gc := d.Component(c.ID); gc != nil {
				attrs := gc.Attributes
				if gc.Kind != graph.KindUnknown {
					attrs = withKey(attrs, "kind", string(gc.Kind))
				}
				var sk []string
				props, sk = userProps(attrs)
				skipped("component", c.ID, sk)
			}
		}
		lines = append(lines, cell{id: cellID["c:"+c.ID], parent: parent, value: c.Label, vertex: true, geo: &g, props: props,
			style: componentStyle(c)}.String())
	}
	var flowAttrs map[string]map[string]string
	if d != nil {
		flowAttrs = map[string]map[string]string{}
		for _, f := range d.Flows {
			if _, dup := flowAttrs[f.ID]; !dup {
				flowAttrs[f.ID] = f.Attributes
			}
		}
	}
	for _, f := range s.Flows {
		var pts []graph.Point
		if len(f.Points) > 2 {
			pts = f.Points[1 : len(f.Points)-1]
		}
		props, sk := userProps(flowAttrs[f.ID])
		skipped("flow", f.ID, sk)
		style := "edgeStyle=none;rounded=0;html=0;fontSize=11;labelBackgroundColor=#FFFFFF;strokeColor=#4A4F55;endArrow=classic;"
		switch {
		case f.Undirected:
			style += "startArrow=none;endArrow=none;"
		case f.Bidirectional:
			style += "startArrow=classic;"
		}
		lines = append(lines, cell{id: cellID["f:"+f.ID], parent: "1", value: f.Label, edge: true,
			source: cellID["c:"+f.Source], target: cellID["c:"+f.Target], points: pts, props: props, style: style}.String())
	}
	lines = append(lines, layer("0")...)
	for _, l := range lines {
		w.WriteString("\n        " + l)
	}
	w.WriteString("\n      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n")
}

func withKey(m map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for a, b := range m {
		out[a] = b
	}
	if _, ok := out[k]; !ok {
		out[k] = v
	}
	return out
}

// componentStyle draws external entities as people or plain boxes,
// processes as rounded boxes and data stores as cylinders.
func componentStyle(c scene.Component) string {
	const common = "whiteSpace=wrap;html=0;fontSize=12;"
	switch {
	case c.Actor:
		return "shape=umlActor;verticalLabelPosition=bottom;verticalAlign=top;outlineConnect=0;fillColor=#f5f5f5;strokeColor=#666666;" + common
	case c.Kind == string(graph.KindExternal):
		return "rounded=0;fillColor=#f5f5f5;strokeColor=#666666;" + common
	case c.Kind == string(graph.KindDataStore):
		return "shape=cylinder3;boundedLbl=1;backgroundOutline=1;size=12;fillColor=#fff2cc;strokeColor=#d6b656;" + common
	}
	return "rounded=1;fillColor=#dae8fc;strokeColor=#6c8ebf;" + common
}
