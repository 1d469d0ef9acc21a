package drawio

import (
	"fmt"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

func rectPtr(c *cell) *graph.Rect {
	if !c.hasGeo {
		return nil
	}
	r := c.abs
	return &r
}

func copyProps(dst, src map[string]string) {
	for k, v := range src {
		dst[k] = v
	}
}

func kindOf(attrs map[string]string) graph.Kind {
	for _, k := range []string{"kind", "type"} {
		if v, ok := attrs[k]; ok {
			if kind, ok := graph.ParseKind(v); ok {
				return kind
			}
		}
	}
	return graph.KindUnknown
}

// emit builds the diagram from the classified cells.
func (b *builder) emit(edges []edge) error {
	d := b.d
	// Document order, which is draw.io's drawing order.
	for i, c := range b.cells {
		switch c.role {
		case roleComponent:
			if err := d.AddComponent(b.component(i)); err != nil {
				return b.errorf(c.id, "%v", err)
			}
		case roleBoundary:
			bd := &graph.Boundary{
				ID:         c.id,
				Label:      c.label,
				Parent:     b.boundaryID(c),
				Attributes: map[string]string{},
				Inferred:   c.inferred,
				Pos:        b.pos(c.id),
				Geometry:   rectPtr(c),
				Style:      c.rawSty,
			}
			copyProps(bd.Attributes, c.props)
			if err := d.AddBoundary(bd); err != nil {
				return b.errorf(c.id, "%v", err)
			}
		case roleNote:
			b.note(i)
		}
	}
	lines := b.takeLines(edges)
	b.emitFlows(edges)
	b.lineBoundaries(lines)
	b.readScope()
	if n := len(d.Components) + len(d.Flows); n > b.limits.MaxElements {
		return graph.Wrap(b.r.file, graph.Position{Page: b.pg.name}, fmt.Sprintf("%d components and flows, over the limit of %d (MaxElements)", n, b.limits.MaxElements), graph.ErrLimit)
	}
	return nil
}

func (b *builder) boundaryID(c *cell) string {
	if c.boundary < 0 {
		return ""
	}
	return b.cells[c.boundary].id
}

// component builds the component of cell i: its own label, shape and
// properties, the rows of a list, the shape and properties of a fold.
func (b *builder) component(i int) *graph.Component {
	c := b.cells[i]
	comp := &graph.Component{
		ID:         c.id,
		Label:      c.label,
		Shape:      c.st.shapeHint(),
		Attributes: map[string]string{},
		Boundary:   b.boundaryID(c),
		Pos:        b.pos(c.id),
		Geometry:   rectPtr(c),
		Style:      c.rawSty,
	}
	copyProps(comp.Attributes, c.props)
	if c.st.isList() && c.hasKids {
		// The rows of a table or UML class.
		if rows := b.unitText(i, false); rows != "" {
			comp.Attributes["rows"] = rows
		}
	}
	if len(c.fold) > 0 {
		s := b.cells[c.fold[0]]
		if h := s.st.shapeHint(); h != "" {
			comp.Shape = h
		}
		comp.Style = s.rawSty
		for _, k := range c.fold {
			for key, v := range b.cells[k].props {
				if _, ok := comp.Attributes[key]; !ok {
					comp.Attributes[key] = v
				}
			}
		}
	}
	comp.Kind = kindOf(comp.Attributes)
	applyC4(comp, parseStyle(comp.Style))
	if comp.Label == "" {
		b.nameIcon(comp)
	}
	if comp.Label == "" && !c.dot {
		// A plain shape with no label that an edge touches (an unlabelled
		// frame that an arrow points at): named after its shape, never
		// after its cell id, which readers would take for a name.
		word := "rectangle"
		if h := c.st.shapeHint(); h != "" {
			word = h
		}
		comp.Label, comp.Attributes["label_from"], comp.LabelDerived = "Unlabelled "+word, "shape", true
		b.warn(c.id, "unlabelled shape connected by edges: named %q after its shape; give it a label in the diagram", comp.Label)
	}
	return comp
}

// note adds the note of cell i: its text, or all the text of a legend or
// list.
func (b *builder) note(i int) {
	c := b.cells[i]
	text := c.label
	if c.legend || c.st.isList() {
		text = b.unitText(i, true)
		if c.legend {
			shapes, conns := b.countLegend(i)
			b.warn(c.id, "legend imported as a note; its %d shapes and %d connectors are not part of the model", shapes, conns)
		}
	}
	if text != "" {
		b.d.Notes = append(b.d.Notes, &graph.Note{ID: c.id, Text: text, Pos: b.pos(c.id), Geometry: rectPtr(c), Style: c.rawSty})
	}
}

// unitText is the text of a legend or list: its label (with self) and
// every label inside it, in document order.
func (b *builder) unitText(i int, self bool) string {
	var parts []string
	if self {
		parts = append(parts, b.cells[i].label)
	}
	var stack []int
	// Depth-first in document order, iteratively.
	for k := len(b.cells[i].children) - 1; k >= 0; k-- {
		stack = append(stack, b.cells[i].children[k])
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c := b.cells[x]
		if c.hidden {
			continue
		}
		if c.kind == kindVertex {
			parts = append(parts, c.label)
		}
		for k := len(c.children) - 1; k >= 0; k-- {
			stack = append(stack, c.children[k])
		}
	}
	return joinNonEmpty(parts)
}

func (b *builder) countLegend(i int) (shapes, conns int) {
	stack := append([]int(nil), b.cells[i].children...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c := b.cells[x]
		if !c.hidden {
			switch c.kind {
			case kindVertex:
				if !c.st.isText() {
					shapes++
				}
			case kindEdge:
				conns++
			}
		}
		stack = append(stack, c.children...)
	}
	return shapes, conns
}

// nameIcon names an unlabelled component after what it draws: its C4 type,
// else draw.io's palette title for its stencil (see palette.go). The
// "label_from" attribute says which ("c4", "palette" or "stencil"; "shape"
// for a plain shape named in component), so
// that readers can tell a drawn label from a derived one.
func (b *builder) nameIcon(comp *graph.Component) {
	if t := strings.TrimSpace(comp.Attributes["c4Type"]); t != "" {
		comp.Label, comp.Attributes["label_from"] = t, "c4"
		return
	}
	if t, src := paletteTitle(parseStyle(comp.Style)); t != "" {
		comp.Label, comp.Attributes["label_from"] = t, src
	}
}
