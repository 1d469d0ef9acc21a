package drawio

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/exporters/scene"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
)

// LayerID is the id of the threatmap layer and IDPrefix starts the id of
// every cell threatmap writes into it. The draw.io importer skips that
// layer, so that an annotated file analyses like the original.
const (
	LayerID   = "threatmap-layer"
	LayerName = "threatmap"
	IDPrefix  = "threatmap-"
)

// Annotation types, the threatmap_type property of each cell.
const (
	TypeRisk        = "risk"
	TypeChip        = "severity"
	TypeEntryPoint  = "entry-point"
	TypeLeader      = "entry-point-leader"
	TypeSensitivity = "sensitivity"
	TypeLegend      = "legend"
)

type sevStyle struct{ stroke, chip, chipText string }

// Okabe-Ito colour-blind-safe severity colours, as in the annotated SVG.
var sevStyles = map[string]sevStyle{
	string(stride.SeverityCritical): {"#D55E00", "#D55E00", "#FFFFFF"},
	string(stride.SeverityHigh):     {"#E69F00", "#E69F00", "#000000"},
	string(stride.SeverityMedium):   {"#B8A200", "#F0E442", "#000000"},
	string(stride.SeverityLow):      {"#0072B2", "#0072B2", "#FFFFFF"},
}

const (
	badgeFill = "#111111"
	tagFill   = "#5D2E8C"
)

// layerCells returns the threatmap layer: the layer cell, then risk
// highlights, severity chips, sensitivity tags, entry-point badges (with
// their leader lines) and the legend, in the scene's order.
func layerCells(r *stride.Report, s *scene.Scene, rootCell string) []string {
	byID := map[string]*stride.Threat{}
	for i := range r.Threats {
		if _, dup := byID[r.Threats[i].ID]; !dup {
			byID[r.Threats[i].ID] = &r.Threats[i]
		}
	}
	ids := map[string]int{}
	uid := func(kind, elem string) string {
		id := IDPrefix + kind + "-" + elem
		ids[id]++
		if n := ids[id]; n > 1 {
			id += "~" + strconv.Itoa(n)
		}
		return id
	}
	out := []string{cell{id: LayerID, parent: rootCell, value: LayerName}.String()}
	add := func(c cell) { out = append(out, c.String()) }
	for _, c := range s.Components {
		if c.Severity == "" {
			continue
		}
		st := sevStyles[c.Severity]
		rect := grow(c.Rect, 4)
		props := []kv{{"threatmap_type", TypeRisk}, {"component", c.ID}, {"severity", c.Severity}}
		props = append(props, threatProps(c.Threats, byID)...)
		props = append(props, kv{"tooltip", tooltip(c.Tooltip, c.Label, c.Threats)})
		add(cell{id: uid("risk", c.ID), parent: LayerID, vertex: true, geo: &rect, props: props,
			style: "rounded=1;arcSize=8;fillColor=none;strokeColor=" + st.stroke + ";strokeWidth=3;dashed=0;html=1;"})
		if c.Chip != "" && c.ChipRect.W > 0 {
			cr := c.ChipRect
			add(cell{id: uid("severity", c.ID), parent: LayerID, vertex: true, geo: &cr, value: c.Chip,
				props: []kv{{"threatmap_type", TypeChip}, {"component", c.ID}, {"severity", c.Severity},
					{"tooltip", tooltip(c.Tooltip, c.Label, c.Threats)}},
				style: "rounded=1;arcSize=50;whiteSpace=nowrap;html=1;fontSize=9;fontStyle=1;strokeColor=none;fillColor=" + st.chip + ";fontColor=" + st.chipText + ";"})
		}
	}
	for _, f := range s.Flows {
		if f.Tag == "" || f.TagRect.W <= 0 {
			continue
		}
		tr := f.TagRect
		props := []kv{{"threatmap_type", TypeSensitivity}, {"flow", f.ID}, {"data", strings.Join(f.Sensitivity, ", ")}}
		if f.Severity != "" {
			props = append(props, kv{"severity", f.Severity})
		}
		props = append(props, threatProps(f.Threats, byID)...)
		props = append(props, kv{"tooltip", tooltip(f.Tooltip, f.Label, f.Threats)})
		add(cell{id: uid("data", f.ID), parent: LayerID, vertex: true, geo: &tr, value: f.Tag, props: props,
			style: "rounded=1;arcSize=30;whiteSpace=nowrap;html=1;fontSize=9;fontStyle=1;strokeColor=none;fillColor=" + tagFill + ";fontColor=#FFFFFF;"})
	}
	for _, b := range s.Badges {
		if b.Leader != nil {
			c := graph.Point{X: b.Rect.X + b.Rect.W/2, Y: b.Rect.Y + b.Rect.H/2}
			add(cell{id: uid("leader", b.ID), parent: LayerID, edge: true, from: b.Leader, to: &c,
				props: []kv{{"threatmap_type", TypeLeader}, {"entry_point", b.ID}},
				style: "endArrow=none;html=1;strokeColor=" + badgeFill + ";strokeWidth=1;"})
		}
		br := b.Rect
		props := []kv{{"threatmap_type", TypeEntryPoint}, {"entry_point", b.ID}, {"flow", b.Flow},
			{"direction", b.Direction}, {"boundary", b.Boundary}}
		props = append(props, threatProps(b.Threats, byID)...)
		props = append(props, kv{"tooltip", tooltip(b.Tooltip, b.ID, b.Threats)})
		add(cell{id: uid("ep", b.ID), parent: LayerID, vertex: true, geo: &br, value: b.Text, props: props,
			style: "ellipse;whiteSpace=nowrap;html=1;fontSize=10;fontStyle=1;fillColor=" + badgeFill + ";strokeColor=#FFFFFF;strokeWidth=1.5;fontColor=#FFFFFF;"})
	}
	out = append(out, legend(r, s))
	return out
}

// grow returns r with d added on every side.
func grow(r graph.Rect, d float64) graph.Rect {
	return graph.Rect{X: r.X - d, Y: r.Y - d, W: r.W + 2*d, H: r.H + 2*d}
}

// threatProps are the properties listing threats: their IDs and one
// property per threat with its severity, STRIDE category and title.
func threatProps(ts []scene.Threat, byID map[string]*stride.Threat) []kv {
	if len(ts) == 0 {
		return nil
	}
	ids := make([]string, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	out := []kv{{"threats", strings.Join(ids, ", ")}}
	for _, t := range ts {
		key := "threat_" + strings.NewReplacer("-", "_", " ", "_").Replace(t.ID)
		if !xmlName().MatchString(key) {
			continue
		}
		v := t.Severity + " · " + t.Title
		if st := byID[t.ID]; st != nil {
			v = string(st.Severity) + " → " + string(st.ResidualRisk) + " · " + string(st.Category) + " · " + st.Title + " · " + st.Status
		}
		out = append(out, kv{key, v})
	}
	return out
}

// tooltip is the hover text: the annotation's own tooltip, or a heading
// and one line per threat.
func tooltip(text, head string, ts []scene.Threat) string {
	if strings.TrimSpace(text) != "" {
		return text
	}
	lines := []string{head}
	for _, t := range ts {
		lines = append(lines, t.ID+" ["+t.Severity+"] "+t.Title)
	}
	return strings.Join(lines, "\n")
}

// legend is one cell to the right of the drawing explaining the marks,
// with counts.
func legend(r *stride.Report, s *scene.Scene) string {
	var rows []string
	rows = append(rows, "<b>threatmap · "+htmlText(r.System)+"</b>")
	for _, ls := range s.Legend.Severities {
		st, ok := sevStyles[ls.Severity]
		if !ok {
			continue
		}
		rows = append(rows, fmt.Sprintf(`<font color="%s">■</font> %s %s: %d component(s), %d threat(s)`,
			st.stroke, htmlText(ls.Marker), htmlText(ls.Severity), ls.Components, ls.Threats))
	}
	rows = append(rows,
		fmt.Sprintf(`<font color="%s">●</font> EP-nn entry point where a flow crosses a trust boundary: %d`, badgeFill, s.Legend.EntryPoints),
		fmt.Sprintf(`<font color="%s">■</font> data-sensitivity tag on a flow: %d`, tagFill, s.Legend.SensitiveFlows),
		fmt.Sprintf("trust boundaries: %d · threats: %d", s.Legend.Boundaries, s.Legend.Threats),
		"<i>hover a mark for its threats; Edit Data lists them</i>")
	b := s.Bounds
	geo := graph.Rect{X: b.X + b.W + 40, Y: b.Y, W: 330, H: float64(14 + 18*len(rows))}
	return cell{id: IDPrefix + "legend", parent: LayerID, vertex: true, geo: &geo, value: strings.Join(rows, "<br>"),
		props: []kv{{"threatmap_type", TypeLegend}, {"threats", strconv.Itoa(s.Legend.Threats)},
			{"entry_points", strconv.Itoa(s.Legend.EntryPoints)},
			{"tooltip", "threatmap writes this layer and replaces it on every run; edit the diagram on the other layers."}},
		style: "rounded=1;arcSize=3;whiteSpace=wrap;html=1;align=left;verticalAlign=top;spacingLeft=8;spacingTop=4;fontSize=11;fillColor=#FFFFFF;strokeColor=#5B6770;"}.String()
}

func htmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\n", " ").Replace(s)
}
