package markdown

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/stride"
)

// MermaidBlock renders the report's data-flow diagram as a fenced Mermaid
// flowchart: trust boundaries as nested subgraphs, components shaped by
// kind (external entity: rectangle, process: rounded, data store:
// cylinder), flows labelled with their entry point ("EP-01: HTTPS") when
// they cross a boundary, and components with a high or critical residual
// risk styled. Labels are quoted and escaped, and ids sanitised, so any
// label renders on GitHub.
func MermaidBlock(r *stride.Report) string {
	m := newFlowchart(r)
	var sb strings.Builder
	sb.WriteString("```mermaid\n")
	dir := "LR"
	if r.Diagram != nil {
		switch r.Diagram.Direction {
		case "TB", "BT", "LR", "RL":
			dir = r.Diagram.Direction
		}
	}
	sb.WriteString("flowchart " + dir + "\n")
	m.boundaries(&sb, "", 1)
	for _, c := range r.Components {
		if m.boundaryOf(c.Boundary) == "" {
			m.node(&sb, c, 1)
		}
	}
	m.edges(&sb)
	m.styles(&sb)
	sb.WriteString("```\n")
	return sb.String()
}

type flowchart struct {
	r        *stride.Report
	ids      map[string]string // component ID -> node id
	bids     map[string]string // boundary ID -> subgraph id
	children map[string][]int  // parent boundary ID -> boundary indexes
	members  map[string][]int  // boundary ID -> component indexes
	done     map[string]bool
}

func newFlowchart(r *stride.Report) *flowchart {
	m := &flowchart{r: r, ids: map[string]string{}, bids: map[string]string{},
		children: map[string][]int{}, members: map[string][]int{}, done: map[string]bool{}}
	used := map[string]bool{}
	for _, b := range r.Boundaries {
		if _, dup := m.bids[b.ID]; !dup {
			m.bids[b.ID] = uniqueID("b_", b.ID, used)
		}
	}
	for _, c := range r.Components {
		if _, dup := m.ids[c.ID]; !dup {
			m.ids[c.ID] = uniqueID("n_", c.ID, used)
		}
	}
	for i, b := range r.Boundaries {
		m.children[m.boundaryOf(b.Parent)] = append(m.children[m.boundaryOf(b.Parent)], i)
	}
	for i, c := range r.Components {
		if key := m.boundaryOf(c.Boundary); key != "" {
			m.members[key] = append(m.members[key], i)
		}
	}
	return m
}

// boundaryOf returns id if it names a boundary, else "".
func (m *flowchart) boundaryOf(id string) string {
	if _, ok := m.bids[id]; ok {
		return id
	}
	return ""
}

// uniqueID makes a Mermaid id from a source id: a prefix, letters, digits
// and underscores, other bytes as _xx hex; a number is added on collision.
func uniqueID(prefix, id string, used map[string]bool) string {
	var sb strings.Builder
	sb.WriteString(prefix)
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			sb.WriteByte(c)
		} else {
			fmt.Fprintf(&sb, "_%02x", c)
		}
	}
	base := sb.String()
	out := base
	for n := 2; used[out]; n++ {
		out = base + "_" + strconv.Itoa(n)
	}
	used[out] = true
	return out
}

// label quotes s for a Mermaid label: characters that Mermaid or HTML
// would interpret become entity codes (#quot; #35; #lt; #gt; #amp; #96;,
// and #58; for the colon of an icon token such as fa:fa-car) and line
// breaks become <br>.
func label(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for i, r := range s {
		switch r {
		case ':':
			// "fa:fa-car" would become a Font Awesome icon.
			if strings.HasPrefix(s[i+1:], "fa-") {
				sb.WriteString("#58;")
			} else {
				sb.WriteByte(':')
			}
		case '"':
			sb.WriteString("#quot;")
		case '#':
			sb.WriteString("#35;")
		case '<':
			sb.WriteString("#lt;")
		case '>':
			sb.WriteString("#gt;")
		case '&':
			sb.WriteString("#amp;")
		case '`':
			sb.WriteString("#96;")
		case '\n', '\r':
			sb.WriteString("<br>")
		default:
			if invisible(r) {
				continue
			}
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

func indent(n int) string { return strings.Repeat("    ", n) }

// boundaries writes the subgraphs under parent, recursively.
func (m *flowchart) boundaries(sb *strings.Builder, parent string, depth int) {
	for _, i := range m.children[parent] {
		b := m.r.Boundaries[i]
		if m.done["b:"+b.ID] {
			continue // a duplicate or a cycle
		}
		m.done["b:"+b.ID] = true
		sb.WriteString(indent(depth) + "subgraph " + m.bids[b.ID] + "[" + label(b.Label) + "]\n")
		m.boundaries(sb, b.ID, depth+1)
		for _, ci := range m.members[b.ID] {
			m.node(sb, m.r.Components[ci], depth+1)
		}
		sb.WriteString(indent(depth) + "end\n")
	}
}

// node writes a component once, shaped by its kind.
func (m *flowchart) node(sb *strings.Builder, c stride.Component, depth int) {
	if m.done["c:"+c.ID] {
		return
	}
	m.done["c:"+c.ID] = true
	open, close := "[", "]"
	switch c.Kind {
	case "process":
		open, close = "(", ")"
	case "datastore":
		open, close = "[(", ")]"
	}
	sb.WriteString(indent(depth) + m.ids[c.ID] + open + label(c.Label) + close + "\n")
}

// edges writes the flows; entry-point flows are numbered and drawn thick.
func (m *flowchart) edges(sb *strings.Builder) {
	var crossing []string
	n := 0
	for _, f := range m.r.Flows {
		src, ok1 := m.ids[f.Source]
		dst, ok2 := m.ids[f.Target]
		if !ok1 || !ok2 {
			continue
		}
		arrow := "-->"
		if f.Bidirectional {
			arrow = "<-->"
		}
		text := f.Label
		if f.EntryPoint != "" {
			crossing = append(crossing, strconv.Itoa(n))
			if text != "" {
				text = f.EntryPoint + ": " + text
			} else {
				text = f.EntryPoint
			}
		}
		if text != "" {
			arrow += "|" + label(text) + "|"
		}
		sb.WriteString(indent(1) + src + " " + arrow + " " + dst + "\n")
		n++
	}
	if len(crossing) > 0 {
		sb.WriteString(indent(1) + "linkStyle " + strings.Join(crossing, ",") + " stroke:#d9480f,stroke-width:2px\n")
	}
}

// styles highlights components by residual risk.
func (m *flowchart) styles(sb *strings.Builder) {
	classes := map[stride.Severity][]string{}
	for _, c := range m.r.Components {
		switch c.MaxSeverity {
		case stride.SeverityCritical, stride.SeverityHigh:
			classes[c.MaxSeverity] = append(classes[c.MaxSeverity], m.ids[c.ID])
		}
	}
	defs := []struct {
		sev         stride.Severity
		name, style string
	}{
		{stride.SeverityCritical, "critical", "fill:#c00000,stroke:#600000,color:#ffffff,stroke-width:2px"},
		{stride.SeverityHigh, "high", "fill:#f4b084,stroke:#c55a11,color:#000000,stroke-width:2px"},
	}
	for _, d := range defs {
		ids := classes[d.sev]
		if len(ids) == 0 {
			continue
		}
		sort.Strings(ids)
		sb.WriteString(indent(1) + "classDef " + d.name + " " + d.style + "\n")
		sb.WriteString(indent(1) + "class " + strings.Join(ids, ",") + " " + d.name + "\n")
	}
}
