package annotate

import (
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/picture"
)

func (b *builder) components() {
	for _, rc := range b.r.Components {
		n := b.l.Node(rc.ID)
		if n == nil {
			b.warn("component %q has no place in the layout; not drawn", rc.ID)
			continue
		}
		var gc *graph.Component
		if b.r.Diagram != nil {
			gc = b.r.Diagram.Component(rc.ID)
		}
		if gc != nil && gc.Attributes["represents"] == "boundary" && b.hasContainer(rc.ID) {
			// An edge drawn to a container ends on a component that stands
			// for the container: the container is drawn, the stand-in is not
			// (its box is the container's and would cover what is inside).
			continue
		}
		c := picture.Component{ID: rc.ID, DOMID: b.ids.id("tm-c-", rc.ID), Label: rc.Label, Kind: rc.Kind, Rect: n.Rect,
			Sensitivity: rc.Sensitivity, Threats: b.refs(rc.Threats)}
		if strings.TrimSpace(c.Label) == "" {
			c.Label = rc.ID
		}
		shape, style := rc.Shape, ""
		if gc != nil {
			style = gc.Style
			if shape == "" {
				shape = gc.Shape
			}
			if c.Kind == "" {
				c.Kind = string(gc.Kind)
			}
		}
		if c.Kind == "" {
			c.Kind = kindFromShape(shape)
		}
		c.Icon = iconName(shape, style)
		c.Actor = c.Kind == "external" && isActorShape(shape)
		c.LabelRect = labelRect(c)
		c.Severity = normSeverity(rc.MaxSeverity)
		if c.Severity == "" {
			c.Severity = maxSeverity(c.Threats)
		}
		c.Marker = picture.Marker(c.Severity)
		if c.Severity != "" {
			c.Chip = ChipText(c.Severity)
			w := textfit.Width(c.Chip, picture.ChipFontSize, true) + 12
			if w > c.Rect.W*0.9 {
				// A small box gets the marker alone.
				c.Chip = c.Marker
				w = textfit.Width(c.Chip, picture.ChipFontSize, true) + 12
			}
			c.MarkerRect = graph.Rect{X: c.Rect.X + c.Rect.W - w + 6, Y: c.Rect.Y - 9, W: w, H: 16}
		}
		head := []string{c.Label + " (" + kindName(c.Kind) + ")"}
		if c.Icon != "" {
			head = append(head, "Icon: "+c.Icon)
		}
		if c.Severity != "" {
			head = append(head, "Highest residual risk: "+c.Severity)
		}
		if len(c.Sensitivity) > 0 {
			head = append(head, "Data: "+strings.Join(c.Sensitivity, ", "))
		}
		c.Tooltip = tooltip(head, c.Threats)
		b.p.Components = append(b.p.Components, c)
	}
}

// labelRect is where a component's label goes.
func labelRect(c picture.Component) graph.Rect {
	r := c.Rect
	if (c.Actor || c.Icon != "") && r.W < 110 {
		// Narrow glyphs and icons: the label goes below, as draw.io
		// draws them.
		w := max(r.W+60, 120)
		return graph.Rect{X: r.X + r.W/2 - w/2, Y: r.Y + r.H + 2, W: w, H: 3 * picture.NodeFontSize * textfit.LineHeight}
	}
	top := min(layout.NodePadTop, r.H/4)
	if c.Kind == "datastore" {
		top = max(top, min(r.H*0.22, 24))
	}
	if c.Icon != "" {
		top += 10
	}
	bottom := min(layout.NodePadBottom, r.H/6)
	padX := min(layout.NodePadX, r.W/8)
	return graph.Rect{X: r.X + padX, Y: r.Y + top, W: max(r.W-2*padX, 1), H: max(r.H-top-bottom, picture.NodeFontSize)}
}

func kindName(k string) string {
	switch k {
	case "external":
		return "external entity"
	case "datastore":
		return "data store"
	case "process":
		return "process"
	}
	return "component"
}

func kindFromShape(shape string) string {
	s := strings.ToLower(shape)
	switch {
	case strings.Contains(s, "cylinder"), strings.Contains(s, "database"), strings.Contains(s, "datastore"), strings.Contains(s, "storage"):
		return "datastore"
	case isActorShape(s):
		return "external"
	}
	return "process"
}

func isActorShape(shape string) bool {
	s := strings.ToLower(shape)
	return strings.Contains(s, "actor") || strings.Contains(s, "person") || strings.Contains(s, "user")
}

// iconName turns a vendor icon shape ("mxgraph.aws4.application_load_balancer")
// into a caption ("AWS application load balancer"); "" for plain shapes.
// Generic resource icons name the icon in their draw.io style (resIcon=).
func iconName(shape, style string) string {
	s := strings.ToLower(shape)
	if strings.Contains(s, "resourceicon") || strings.Contains(s, "producticon") || s == "" {
		for _, kv := range strings.Split(style, ";") {
			if k, v, ok := strings.Cut(kv, "="); ok && strings.EqualFold(strings.TrimSpace(k), "resIcon") {
				s = strings.ToLower(strings.TrimSpace(v))
			}
		}
	}
	if !strings.HasPrefix(s, "mxgraph.") {
		return ""
	}
	parts := strings.Split(s, ".")
	if len(parts) < 3 {
		return ""
	}
	vendor := strings.TrimRight(parts[1], "0123456789")
	switch vendor {
	case "aws", "gcp", "ibm":
		vendor = strings.ToUpper(vendor)
	case "azure", "kubernetes", "cisco", "alibaba", "veeam", "openstack", "salesforce", "office":
		vendor = strings.ToUpper(vendor[:1]) + vendor[1:]
	default:
		return ""
	}
	kind := strings.Join(parts[2:], " ")
	kind = strings.NewReplacer("_", " ", "resourceicon", "", "resource icon", "").Replace(kind)
	return strings.TrimSpace(vendor + " " + strings.Join(strings.Fields(kind), " "))
}

// hasContainer reports whether the layout draws a container with this id.
func (b *builder) hasContainer(id string) bool {
	for _, c := range b.l.Containers {
		if c.ID == id {
			return true
		}
	}
	return false
}
