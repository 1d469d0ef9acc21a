package markdown

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/threatmap/threatmap/internal/english"
	"github.com/threatmap/threatmap/stride"
)

// Mermaid's limits with its default configuration (what GitHub and most
// renderers use): a diagram of more than mermaidMaxText characters is
// replaced by an error message, and a flowchart with more than
// mermaidMaxEdges links fails to render ("Edge limit exceeded").
const (
	mermaidMaxText  = 50000
	mermaidMaxEdges = 500
	// shortLabel is the length labels are cut to when the full labels
	// make the diagram too long.
	shortLabel = 48
)

// MermaidBlock renders the report's data-flow diagram as a fenced Mermaid
// flowchart: trust boundaries as nested subgraphs, components shaped by
// kind (external entity: rectangle, process: rounded, data store:
// cylinder), flows labelled with their entry point ("EP-01: HTTPS") when
// they cross a boundary, and components with a high or critical residual
// risk styled. Labels are quoted and escaped, ids sanitised, and elements
// without a label named by their id, so any label renders on GitHub.
//
// The block always stays within Mermaid's default limits (50,000
// characters, 500 links). A diagram beyond them is reduced, in this order,
// until it fits: labels shortened; only the flows that cross a trust
// boundary and their ends; one node per trust boundary with the crossing
// flows between them counted; and a paragraph saying why, preceding the
// block, names what was left out. When even the overview is too large the
// paragraph stands alone, without a block.
func MermaidBlock(r *stride.Report) string {
	dir := "LR"
	if r.Diagram != nil {
		switch r.Diagram.Direction {
		case "TB", "BT", "LR", "RL":
			dir = r.Diagram.Direction
		}
	}
	views := []struct {
		v    view
		note string
	}{
		{view{}, ""},
		{view{labelMax: shortLabel}, "Labels are shortened to fit Mermaid's size limit; the tables above have them in full."},
		{view{labelMax: shortLabel, crossingOnly: true}, "Only the flows that cross a trust boundary (the entry points) and the components at their ends are drawn."},
		{view{labelMax: shortLabel, overview: true}, "Each trust boundary is drawn as one node counting its components, with the flows that cross between boundaries counted on the links."},
	}
	for _, c := range views {
		body, edges := newFlowchart(r, c.v).write(dir)
		if len(body) > mermaidMaxText || edges > mermaidMaxEdges {
			continue
		}
		block := "```mermaid\n" + body + "```\n"
		if c.note == "" {
			return block
		}
		return tooLarge(r) + " " + c.note + "\n\n" + block
	}
	return tooLarge(r) + " Even one node per trust boundary is beyond it, so no diagram is drawn here; the annotated SVG shows the whole system.\n"
}

// tooLarge says why a block is reduced.
func tooLarge(r *stride.Report) string {
	return fmt.Sprintf("This system (%d components, %d flows) is larger than Mermaid renders (at most %d links and %d characters).",
		len(r.Components), len(r.Flows), mermaidMaxEdges, mermaidMaxText)
}

// view selects what a flowchart draws.
type view struct {
	labelMax     int  // cut labels to this many characters; 0 keeps them whole
	crossingOnly bool // only entry-point flows and their ends
	overview     bool // one node per boundary, crossing flows counted
}

type flowchart struct {
	r        *stride.Report
	v        view
	ids      map[string]string // component ID -> node id
	bids     map[string]string // boundary ID -> subgraph id
	children map[string][]int  // parent boundary ID -> boundary indexes
	members  map[string][]int  // boundary ID -> component indexes
	keep     map[string]bool   // components drawn (nil: all)
	// compBoundary is each component's boundary, built on first use.
	compBoundary map[string]string
	done         map[string]bool
	sb           strings.Builder
}

func newFlowchart(r *stride.Report, v view) *flowchart {
	m := &flowchart{r: r, v: v, ids: map[string]string{}, bids: map[string]string{},
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
	if v.crossingOnly {
		m.keep = map[string]bool{}
		for _, f := range r.Flows {
			if f.EntryPoint != "" {
				m.keep[f.Source], m.keep[f.Target] = true, true
			}
		}
	}
	return m
}

// write returns the flowchart's lines (without the fence) and the number
// of links it draws.
func (m *flowchart) write(dir string) (string, int) {
	m.sb.WriteString("flowchart " + dir + "\n")
	if m.v.overview {
		n := m.overview()
		return m.sb.String(), n
	}
	m.boundaries("", 1)
	for _, c := range m.r.Components {
		if m.boundaryOf(c.Boundary) == "" && m.drawn(c.ID) {
			m.node(c, 1)
		}
	}
	n := m.edges()
	m.styles()
	return m.sb.String(), n
}

// drawn reports whether the view draws component id.
func (m *flowchart) drawn(id string) bool { return m.keep == nil || m.keep[id] }

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
// breaks become <br>. Mermaid 11 rejects an empty quoted label, so a label
// with nothing visible becomes fallback.
func label(s, fallback string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !visible(s) {
		s = fallback
		if !visible(s) {
			s = "(unnamed)"
		}
	}
	var sb strings.Builder
	sb.WriteByte('"')
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

// visible reports whether s has a character that label writes and that is
// not white space.
func visible(s string) bool {
	for _, r := range s {
		if !invisible(r) && !unicode.IsSpace(r) && r != '\u200b' && r != '\ufeff' {
			return true
		}
	}
	return false
}

// short cuts s to the view's label length, at a word boundary when one is
// near, with an ellipsis.
func (m *flowchart) short(s string) string {
	max := m.v.labelMax
	s = strings.Join(strings.Fields(s), " ")
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	rs := []rune(s)[:max-1]
	if i := strings.LastIndexByte(string(rs), ' '); i > len(string(rs))*2/3 {
		return string(rs)[:i] + "…"
	}
	return string(rs) + "…"
}

func (m *flowchart) text(s, fallback string) string {
	if m.v.labelMax > 0 {
		s = m.short(s)
	}
	return label(s, fallback)
}

func indent(n int) string { return strings.Repeat("    ", n) }

// hasDrawn reports whether boundary id or one inside it holds a drawn
// component.
func (m *flowchart) hasDrawn(id string, seen map[string]bool) bool {
	if m.keep == nil {
		return true
	}
	if seen[id] {
		return false
	}
	seen[id] = true
	for _, ci := range m.members[id] {
		if m.keep[m.r.Components[ci].ID] {
			return true
		}
	}
	for _, bi := range m.children[id] {
		if m.hasDrawn(m.r.Boundaries[bi].ID, seen) {
			return true
		}
	}
	return false
}

// boundaries writes the subgraphs under parent, recursively.
func (m *flowchart) boundaries(parent string, depth int) {
	for _, i := range m.children[parent] {
		b := m.r.Boundaries[i]
		if m.done["b:"+b.ID] || !m.hasDrawn(b.ID, map[string]bool{}) {
			continue // a duplicate, a cycle, or nothing drawn inside
		}
		m.done["b:"+b.ID] = true
		m.sb.WriteString(indent(depth) + "subgraph " + m.bids[b.ID] + "[" + m.text(b.Label, b.ID) + "]\n")
		m.boundaries(b.ID, depth+1)
		for _, ci := range m.members[b.ID] {
			if c := m.r.Components[ci]; m.drawn(c.ID) {
				m.node(c, depth+1)
			}
		}
		m.sb.WriteString(indent(depth) + "end\n")
	}
}

// node writes a component once, shaped by its kind.
func (m *flowchart) node(c stride.Component, depth int) {
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
	m.sb.WriteString(indent(depth) + m.ids[c.ID] + open + m.text(c.Label, c.ID) + close + "\n")
}

// edges writes the flows the view draws, and returns how many;
// entry-point flows are numbered and drawn thick.
func (m *flowchart) edges() int {
	var crossing []string
	n := 0
	for _, f := range m.r.Flows {
		src, ok1 := m.ids[f.Source]
		dst, ok2 := m.ids[f.Target]
		if !ok1 || !ok2 || !m.done["c:"+f.Source] || !m.done["c:"+f.Target] || m.keep != nil && f.EntryPoint == "" {
			continue
		}
		arrow := "-->"
		if f.Bidirectional {
			arrow = "<-->"
		}
		text := f.Label
		if m.v.labelMax > 0 {
			text = m.short(text)
		}
		if f.EntryPoint != "" {
			crossing = append(crossing, strconv.Itoa(n))
			if text != "" {
				text = f.EntryPoint + ": " + text
			} else {
				text = f.EntryPoint
			}
		}
		if visible(text) {
			arrow += "|" + label(text, "") + "|"
		}
		m.sb.WriteString(indent(1) + src + " " + arrow + " " + dst + "\n")
		n++
	}
	if len(crossing) > 0 {
		m.sb.WriteString(indent(1) + "linkStyle " + strings.Join(crossing, ",") + " stroke:#d9480f,stroke-width:2px\n")
	}
	return n
}

// styles highlights the drawn components by residual risk.
func (m *flowchart) styles() {
	classes := map[stride.Severity][]string{}
	for _, c := range m.r.Components {
		if !m.done["c:"+c.ID] {
			continue
		}
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
		m.sb.WriteString(indent(1) + "classDef " + d.name + " " + d.style + "\n")
		m.sb.WriteString(indent(1) + "class " + strings.Join(ids, ",") + " " + d.name + "\n")
	}
}

// overview writes one node per trust boundary (and one for the components
// outside every boundary), nested as the boundaries are, and one link per
// pair of them that entry-point flows connect, labelled with the count and
// the first entry-point numbers. It returns the number of links.
func (m *flowchart) overview() int {
	count := map[string]int{}
	for _, c := range m.r.Components {
		count[m.boundaryOf(c.Boundary)]++
	}
	node := func(b string) string {
		if b == "" {
			return "s_outside"
		}
		return "s" + m.bids[b]
	}
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, i := range m.children[parent] {
			b := m.r.Boundaries[i]
			if m.done["b:"+b.ID] {
				continue
			}
			m.done["b:"+b.ID] = true
			m.sb.WriteString(indent(depth) + "subgraph " + m.bids[b.ID] + "[" + m.text(b.Label, b.ID) + "]\n")
			walk(b.ID, depth+1)
			m.sb.WriteString(indent(depth+1) + node(b.ID) + "[" + label(english.Plural(count[b.ID], "component"), "") + "]\n")
			m.sb.WriteString(indent(depth) + "end\n")
		}
	}
	walk("", 1)
	if count[""] > 0 {
		m.sb.WriteString(indent(1) + node("") + "[" + label(english.Plural(count[""], "component")+" outside every boundary", "") + "]\n")
	}
	type pair struct{ from, to string }
	eps := map[pair][]string{}
	var order []pair
	for _, f := range m.r.Flows {
		if f.EntryPoint == "" {
			continue
		}
		p := pair{m.boundaryOf(m.boundaryOfComponent(f.Source)), m.boundaryOf(m.boundaryOfComponent(f.Target))}
		if p.from == p.to {
			continue
		}
		if _, ok := eps[p]; !ok {
			order = append(order, p)
		}
		eps[p] = append(eps[p], f.EntryPoint)
	}
	for _, p := range order {
		list := eps[p]
		text := english.Plural(len(list), "entry point") + ": " + strings.Join(list[:min(len(list), 3)], ", ")
		if len(list) > 3 {
			text += ", …"
		}
		m.sb.WriteString(indent(1) + node(p.from) + " -->|" + label(text, "") + "| " + node(p.to) + "\n")
	}
	return len(order)
}

// boundaryOfComponent is the innermost boundary of component id.
func (m *flowchart) boundaryOfComponent(id string) string {
	if m.compBoundary == nil {
		m.compBoundary = make(map[string]string, len(m.r.Components))
		for _, c := range m.r.Components {
			m.compBoundary[c.ID] = c.Boundary
		}
	}
	return m.compBoundary[id]
}
