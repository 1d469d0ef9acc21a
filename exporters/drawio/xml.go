package drawio

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/threatmap/threatmap/graph"
)

// esc escapes s for an XML attribute value; line breaks and tabs become
// character references so that they survive attribute normalisation.
func esc(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\n':
			b.WriteString("&#10;")
		case '\r':
			b.WriteString("&#13;")
		case '\t':
			b.WriteString("&#9;")
		default:
			if r < 0x20 || r == 0xFFFE || r == 0xFFFF {
				continue // not allowed in XML 1.0
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// num formats a coordinate with at most two decimals.
func num(v float64) string {
	if v != v || v > 1e9 || v < -1e9 {
		v = 0
	}
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

// kv is one attribute.
type kv struct{ k, v string }

// cell is one draw.io cell, written as an mxCell or, when it has
// properties, as a UserObject wrapping one.
type cell struct {
	id, parent, value, style string
	vertex, edge             bool
	source, target           string
	props                    []kv // UserObject attributes, in order
	geo                      *graph.Rect
	// relative edge geometry: end points and waypoints.
	from, to *graph.Point
	points   []graph.Point
}

func (c cell) String() string {
	var b strings.Builder
	wrapped := len(c.props) > 0
	if wrapped {
		b.WriteString(`<UserObject label="` + esc(c.value) + `"`)
		for _, p := range c.props {
			b.WriteString(" " + p.k + `="` + esc(p.v) + `"`)
		}
		b.WriteString(` id="` + esc(c.id) + `">`)
		b.WriteString("<mxCell")
	} else {
		b.WriteString(`<mxCell id="` + esc(c.id) + `"`)
		if c.value != "" {
			b.WriteString(` value="` + esc(c.value) + `"`)
		}
	}
	if c.style != "" {
		b.WriteString(` style="` + esc(c.style) + `"`)
	}
	if c.vertex {
		b.WriteString(` vertex="1"`)
	}
	if c.edge {
		b.WriteString(` edge="1"`)
	}
	b.WriteString(` parent="` + esc(c.parent) + `"`)
	if c.source != "" {
		b.WriteString(` source="` + esc(c.source) + `"`)
	}
	if c.target != "" {
		b.WriteString(` target="` + esc(c.target) + `"`)
	}
	switch {
	case c.geo != nil:
		g := c.geo
		b.WriteString(`><mxGeometry x="` + num(g.X) + `" y="` + num(g.Y) + `" width="` + num(g.W) + `" height="` + num(g.H) + `" as="geometry" /></mxCell>`)
	case c.edge:
		b.WriteString(`><mxGeometry relative="1" as="geometry">`)
		if c.from != nil {
			b.WriteString(`<mxPoint x="` + num(c.from.X) + `" y="` + num(c.from.Y) + `" as="sourcePoint" />`)
		}
		if c.to != nil {
			b.WriteString(`<mxPoint x="` + num(c.to.X) + `" y="` + num(c.to.Y) + `" as="targetPoint" />`)
		}
		if len(c.points) > 0 {
			b.WriteString(`<Array as="points">`)
			for _, p := range c.points {
				b.WriteString(`<mxPoint x="` + num(p.X) + `" y="` + num(p.Y) + `" />`)
			}
			b.WriteString(`</Array>`)
		}
		b.WriteString(`</mxGeometry></mxCell>`)
	default:
		b.WriteString(` />`)
	}
	if wrapped {
		b.WriteString("</UserObject>")
	}
	return b.String()
}

var xmlName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`) })

// reservedProps are UserObject attributes draw.io or threatmap give a
// meaning of their own.
var reservedProps = map[string]bool{"id": true, "label": true, "placeholders": true, "tooltip": true, "link": true}

// userProps returns attrs as UserObject properties, sorted by name, and
// the names it had to leave out (not XML names or reserved).
func userProps(attrs map[string]string) (props []kv, skipped []string) {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !xmlName().MatchString(k) || reservedProps[k] || strings.HasPrefix(strings.ToLower(k), "xml") {
			skipped = append(skipped, k)
			continue
		}
		props = append(props, kv{k, attrs[k]})
	}
	return props, skipped
}
