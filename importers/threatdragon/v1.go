package threatdragon

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// Threat Dragon version 1 (the 1.x desktop and web releases) saved each
// diagram as a JointJS graph, detail.diagrams[].diagramJson.cells[]: a
// cell's kind is its "type" (tm.Actor, tm.Process, tm.Store, tm.Flow,
// tm.Boundary), its name the text attribute (or labels[].attrs.text.text
// on an edge), an edge's ends {id} or {x, y}, and the element's
// properties (outOfScope, isEncrypted, protocol, privilegeLevel, threats
// ...) sit on the cell itself rather than under data. Version 1 has no
// trust-boundary box: tm.Boundary is a line. v1Cells rewrites such a
// diagram into the version 2 cells the rest of the importer reads, so that
// both versions share one path (and one set of rules for near-miss ends
// and boundary curves).

// v1Shapes maps a version 1 cell type to the version 2 shape.
var v1Shapes = map[string]string{
	"tm.Actor":    "actor",
	"tm.Process":  "process",
	"tm.Store":    "store",
	"tm.Flow":     "flow",
	"tm.Boundary": "trust-boundary-curve",
}

// v1Layout lists the keys of a version 1 cell that are geometry, drawing
// or bookkeeping rather than a property of the element.
var v1Layout = map[string]bool{
	"id": true, "type": true, "position": true, "size": true, "attrs": true, "source": true,
	"target": true, "vertices": true, "labels": true, "z": true, "angle": true, "smooth": true,
	"embeds": true, "parent": true, "markup": true, "router": true, "connector": true,
}

type v1End struct {
	ID *string  `json:"id"`
	X  *float64 `json:"x"`
	Y  *float64 `json:"y"`
}

type v1Cell struct {
	ID       *string `json:"id"`
	Type     *string `json:"type"`
	Position *point  `json:"position"`
	Size     *size   `json:"size"`
	Attrs    struct {
		Text *struct{ Text json.RawMessage } `json:"text"`
	} `json:"attrs"`
	Source   *v1End            `json:"source"`
	Target   *v1End            `json:"target"`
	Vertices []point           `json:"vertices"`
	Labels   []json.RawMessage `json:"labels"`
}

// isV1 reports whether a diagram is in version 1's form: a diagramJson
// and no version 2 cells.
func isV1(dg *diagram) bool {
	raw := bytes.TrimSpace(dg.DiagramJSON)
	return len(dg.Cells) == 0 && len(raw) > 0 && !bytes.Equal(raw, []byte("null"))
}

// v1Page names a diagram in an error: its title, else its place.
func v1Page(dg *diagram, i int) string {
	if t := strings.TrimSpace(dg.Title); t != "" {
		return t
	}
	return "Diagram " + strconv.Itoa(i+1)
}

// v1Cells replaces a version 1 diagram's diagramJson by the equivalent
// version 2 cells. Cells that are not JSON objects of the expected form
// are errors naming the diagram and the cell.
func v1Cells(file string, dg *diagram, i int) error {
	page := v1Page(dg, i)
	var j struct {
		Cells []json.RawMessage `json:"cells"`
	}
	if err := json.Unmarshal(dg.DiagramJSON, &j); err != nil {
		return graph.Wrap(file, graph.Position{Page: page}, "Threat Dragon version 1 diagram: diagramJson is not a JointJS graph", err)
	}
	cells := make([]rawCell, 0, len(j.Cells))
	for k, raw := range j.Cells {
		c, err := v1Cell1(raw)
		if err != nil {
			id := ""
			var probe struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(raw, &probe) == nil {
				id = probe.ID
			}
			if id == "" {
				id = "#" + strconv.Itoa(k+1)
			}
			return graph.Wrap(file, graph.Position{Page: page, Cell: id}, "Threat Dragon version 1 cell", err)
		}
		cells = append(cells, c)
	}
	dg.Cells = cells
	return nil
}

// v1Cell1 converts one version 1 cell.
func v1Cell1(raw json.RawMessage) (rawCell, error) {
	var v v1Cell
	if err := json.Unmarshal(raw, &v); err != nil {
		return rawCell{}, err
	}
	var props map[string]json.RawMessage
	if err := json.Unmarshal(raw, &props); err != nil {
		return rawCell{}, err
	}
	c := rawCell{Position: v.Position, Size: v.Size, Vertices: v.Vertices, Labels: v.Labels, Data: map[string]json.RawMessage{}}
	if v.ID != nil {
		c.ID = *v.ID
	}
	typ := ""
	if v.Type != nil {
		typ = *v.Type
	}
	c.Shape = typ
	if s, ok := v1Shapes[typ]; ok {
		c.Shape = s
	}
	if typ == "" {
		c.Shape = "(no type)"
	}
	c.Attrs.Text = v.Attrs.Text
	c.Source, c.Target = v1EndOf(v.Source), v1EndOf(v.Target)
	for k, val := range props {
		if v1Layout[k] {
			continue
		}
		c.Data[k] = val
	}
	return c, nil
}

// v1EndOf converts an edge end: {id} names a cell, {x, y} is a point.
func v1EndOf(e *v1End) *end {
	if e == nil {
		return nil
	}
	out := &end{X: e.X, Y: e.Y}
	if e.ID != nil {
		out.Cell = *e.ID
	}
	return out
}
