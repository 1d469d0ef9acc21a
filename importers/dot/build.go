package dot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/labeltext"
)

// builder turns one parsed graph into a diagram.
type builder struct {
	file  string
	g     *graphRec
	lim   graph.Limits
	d     *graph.Diagram
	dec   *decoder
	gname string
	op    string // "->" or "--"
	// nearest is, per subgraph, the ID of the innermost cluster that is or
	// encloses it ("" for none).
	nearest []string
	ends    clusterEnds
	// held counts the components in each cluster, nested ones included
	// (holds, made on first use).
	held map[string]int
	// glyphs are the nodes whose drawing has a meaning in data-flow-diagram
	// notation, and dfdWhy the first sign that the file uses it (dfd.go).
	glyphs []glyph
	dfdWhy string
	// uncaptioned lists, in source order, the clusters drawn without a
	// caption whose name reads as a code (named after their contents).
	uncaptioned []string
}

func newBuilder(file string, g *graphRec, lim graph.Limits) *builder {
	return &builder{file: file, g: g, lim: lim, d: graph.New(file, "dot")}
}

func (b *builder) root() *subgRec { return b.g.subgs[0] }

// build makes the diagram: header, clusters, nodes, edges.
func (b *builder) build() (*graph.Diagram, error) {
	b.d.Warnings = append(b.d.Warnings, b.g.warnings...)
	b.header()
	if err := b.boundaries(); err != nil {
		return nil, err
	}
	if err := b.components(); err != nil {
		return nil, err
	}
	b.nameUncaptioned()
	b.readScope()
	b.flows()
	b.ends.warn(b.d)
	b.dec.warn(b.d)
	if b.dec.failed > 0 {
		b.d.Warn(b.g.pos, "%d strings are not valid in the declared charset; read as UTF-8", b.dec.failed)
	}
	if err := b.d.Finalize(); err != nil {
		return nil, graph.Wrap(b.file, graph.Position{}, "inconsistent model", err)
	}
	return b.d, nil
}

// text decodes a raw string in the graph's charset.
func (b *builder) text(v value) string { return b.dec.text(v.s, v.pos()) }

func (b *builder) header() {
	root := b.root()
	cs := root.attrs["charset"]
	dec, ok := newDecoder(cs.s)
	if !ok {
		b.d.Warn(cs.pos(), "charset %q is not supported (Graphviz reads UTF-8, Latin-1 and Big5); read as UTF-8", cs.s)
	}
	b.dec = dec
	b.op = "--"
	if b.g.directed {
		b.op = "->"
	}
	if !b.g.anon {
		b.gname = b.text(b.g.name)
	}
	if l, ok := root.attrs["label"]; ok {
		b.d.Title = b.label(l, map[string]string{"G": b.gname})
	}
	if b.d.Title == "" {
		b.d.Title = b.gname
	}
	b.d.Direction = "TB"
	if rd, ok := root.attrs["rankdir"]; ok {
		switch d := strings.ToUpper(rd.s); d {
		case "LR", "RL", "BT":
			b.d.Direction = d
		}
	}
}

// isCluster reports whether a subgraph is a cluster: its name begins with
// "cluster" (any case) or it sets cluster=true.
func isCluster(sg *subgRec) bool {
	if sg.name == "" {
		return false
	}
	if len(sg.name) >= 7 && strings.EqualFold(sg.name[:7], "cluster") {
		return true
	}
	v := strings.ToLower(sg.attrs["cluster"].s)
	return v == "true" || v == "1" || v == "yes"
}

// boundaries makes every cluster a trust boundary, nested as written. A
// plain subgraph is not a boundary; its nodes belong to the nearest
// enclosing cluster.
func (b *builder) boundaries() error {
	subs := b.g.subgs
	b.nearest = make([]string, len(subs))
	for i := 1; i < len(subs); i++ {
		sg := subs[i]
		parent := b.nearest[sg.parent]
		b.nearest[i] = parent
		if !isCluster(sg) {
			continue
		}
		id := b.dec.text(sg.name, sg.pos)
		b.nearest[i] = id
		if b.d.Boundary(id) != nil {
			b.d.Warn(sg.pos, "cluster %q appears twice; merged", id)
			continue
		}
		bd := &graph.Boundary{ID: id, Parent: parent, Pos: sg.pos, Attributes: b.graphAttrs(sg)}
		if sg.ownLabel {
			bd.Label = b.label(sg.attrs["label"], map[string]string{"G": id})
		}
		if bd.Label == "" {
			bd.Label = humanize(id)
			if t := strings.Join(strings.Fields(bd.Attributes["tooltip"]), " "); t != "" {
				bd.Label = b.truncate(t, sg.pos)
			} else if isCode(bd.Label) {
				b.uncaptioned = append(b.uncaptioned, id)
			}
		}
		if err := b.d.AddBoundary(bd); err != nil {
			return graph.Wrap(b.file, bd.Pos, "", err)
		}
	}
	return nil
}

// graphAttrs returns a cluster's effective graph attributes other than
// label, leaving out settings it shares with the root graph (fonts and
// other graph-wide defaults).
func (b *builder) graphAttrs(sg *subgRec) map[string]string {
	root := b.root()
	attrs := map[string]string{}
	for k, v := range sg.attrs {
		if k == "label" || v.s == "" {
			continue
		}
		if r, ok := root.attrs[k]; ok && r.s == v.s {
			continue
		}
		attrs[b.dec.text(k, v.pos())] = b.text(v)
	}
	return attrs
}

// owners returns, per node, the innermost cluster that holds it. A node
// named in two clusters neither of which encloses the other stays in the
// first, with a warning.
func (b *builder) owners() []string {
	cands := make([][]string, len(b.g.nodes))
	for i, sg := range b.g.subgs {
		if b.nearest[i] == "" {
			continue
		}
		for _, q := range sg.direct {
			cands[q] = append(cands[q], b.nearest[i])
		}
	}
	out := make([]string, len(b.g.nodes))
	for q, list := range cands {
		cur := ""
		warned := map[string]bool{}
		for _, c := range list {
			switch {
			case cur == "":
				cur = c
			case c == cur || b.encloses(c, cur):
			case b.encloses(cur, c):
				cur = c
			case !warned[c]:
				warned[c] = true
				n := b.g.nodes[q]
				b.d.Warn(n.pos, "node %q is in clusters %q and %q; kept in %q", b.dec.text(n.name, n.pos), cur, c, cur)
			}
		}
		out[q] = cur
	}
	return out
}

// encloses reports whether boundary a strictly encloses boundary c.
func (b *builder) encloses(a, c string) bool {
	for _, id := range b.d.BoundaryChain(c) {
		if id == a && id != c {
			return true
		}
	}
	return false
}

// components makes every node a component, except text on no edge (a
// note).
func (b *builder) components() error {
	owner := b.owners()
	onEdge := make(map[*nodeRec]bool, 2*len(b.g.edges))
	for _, e := range b.g.edges {
		onEdge[e.tail], onEdge[e.head] = true, true
	}
	for q, n := range b.g.nodes {
		name := b.dec.text(n.name, n.pos)
		c := &graph.Component{ID: name, Boundary: owner[q], Pos: n.pos, Attributes: map[string]string{}}
		if v, ok := n.get("shape"); ok {
			c.Shape = b.text(v)
		}
		b.attrs(c.Attributes, n.defs, n.own, "label")
		c.Label = b.nodeLabel(n, name, c.Shape)
		if why := textOnly(n, c); why != "" && !onEdge[n] {
			b.d.Notes = append(b.d.Notes, &graph.Note{ID: name, Text: c.Label, Pos: n.pos})
			b.d.Warn(n.pos, "node %q %s and is on no edge: imported as a note, not a component", name, why)
			continue
		}
		if k, ok := graph.ParseKind(firstNonEmpty(c.Attributes["type"], c.Attributes["kind"])); ok {
			c.Kind = k
		}
		if err := b.d.AddComponent(c); err != nil {
			return graph.Wrap(b.file, c.Pos, "", err)
		}
		if g, shows := b.glyph(n, c); g.kind != graph.KindUnknown || shows != "" {
			b.glyphs = append(b.glyphs, g)
			if shows != "" && b.dfdWhy == "" {
				b.dfdWhy = shows
			}
		}
	}
	b.readNotation()
	return nil
}

// textOnly says why a node is only text on the picture ("" when it is
// not): drawn without a shape (plaintext, plain, none) and without an
// image or an HTML table, invisible, or labelled with punctuation only
// (an ellipsis "..." standing for more of the same).
func textOnly(n *nodeRec, c *graph.Component) string {
	if strings.TrimSpace(c.Label) != "" && strings.IndexFunc(c.Label, func(r rune) bool { return !unicode.IsPunct(r) && !unicode.IsSpace(r) }) < 0 {
		return fmt.Sprintf("is a placeholder (label %q)", c.Label)
	}
	for _, st := range strings.Split(strings.ToLower(c.Attributes["style"]), ",") {
		if strings.TrimSpace(st) == "invis" {
			return "is invisible (style=invis)"
		}
	}
	if raw, _ := n.get("label"); raw.html || c.Attributes["image"] != "" {
		return ""
	}
	switch sh := strings.ToLower(strings.TrimSpace(c.Shape)); sh {
	case "plaintext", "plain", "none":
		return "is drawn as text only (shape=" + sh + ")"
	}
	return ""
}

// attrs copies the effective non-empty attributes (own over defaults) into
// dst, except the names in skip.
func (b *builder) attrs(dst map[string]string, defs, own attrMap, skip ...string) {
	for _, m := range [...]attrMap{defs, own} {
		for k, v := range m {
			if slices.Contains(skip, k) {
				continue
			}
			name := b.dec.text(k, v.pos())
			if v.s == "" {
				delete(dst, name)
				continue
			}
			dst[name] = b.text(v)
		}
	}
}

func (b *builder) nodeLabel(n *nodeRec, name, shape string) string {
	raw, _ := n.get("label")
	if raw.s == "" || raw.s == `\N` {
		// An empty label shows the name; an external label (xlabel) is
		// then the visible name, as pytm draws data stores.
		if x, ok := n.get("xlabel"); ok && x.s != "" {
			raw = x
		} else {
			raw = value{s: `\N`}
		}
	}
	if !raw.html && (shape == "record" || shape == "Mrecord") {
		raw.s = recordText(raw.s)
	}
	return b.truncate(b.label(raw, map[string]string{"N": name, "G": b.gname}), n.pos)
}

func (b *builder) truncate(s string, pos graph.Position) string {
	t, cut := labeltext.Truncate(s, b.lim.MaxLabelBytes)
	if cut {
		b.d.Warn(pos, "label of %d bytes truncated to %d", len(s), b.lim.MaxLabelBytes)
	}
	return t
}

// label turns a DOT label value into plain text: HTML-like labels lose
// their markup; escString labels get \n, \l, \r as line breaks and \N, \G,
// \E, \T, \H replaced from vars.
func (b *builder) label(raw value, vars map[string]string) string {
	s := b.text(raw)
	if s == "" {
		return ""
	}
	if raw.html {
		return labeltext.FromHTML(s)
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			sb.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case 'n', 'l', 'r':
			sb.WriteByte('\n')
		case 'N', 'G', 'E', 'T', 'H', 'L':
			sb.WriteString(vars[string(e)])
		case '\\':
			sb.WriteByte('\\')
		default:
			sb.WriteByte(e)
		}
	}
	return labeltext.Clean(sb.String())
}

// recordText flattens a record label "{a|<p> b}" to "a\nb".
func recordText(s string) string {
	var sb strings.Builder
	inPort := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte("{}|<> ", s[i+1]) >= 0:
			sb.WriteByte(s[i+1])
			i++
		case c == '<':
			inPort = true
		case c == '>':
			inPort = false
		case inPort:
		case c == '|':
			sb.WriteString(`\n`)
		case c == '{' || c == '}':
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// flows makes every edge a flow, in the order the edges were created.
func (b *builder) flows() {
	used := make(map[string]int, len(b.g.edges))
	for _, e := range b.g.edges {
		tail, head := b.dec.text(e.tail.name, e.tail.pos), b.dec.text(e.head.name, e.head.pos)
		id := tail + b.op + head
		if e.key != "" {
			id = b.dec.text(e.key, e.pos)
		}
		used[id]++
		if n := used[id]; n > 1 {
			id += "#" + strconv.Itoa(n)
		}
		f := &graph.Flow{ID: id, Source: tail, Target: head, Attributes: map[string]string{}, Pos: e.pos}
		if e.tailport != "" {
			f.Attributes["tailport"] = b.dec.text(e.tailport, e.pos)
		}
		if e.headport != "" {
			f.Attributes["headport"] = b.dec.text(e.headport, e.pos)
		}
		b.attrs(f.Attributes, e.defs, e.own, "label", "key")
		raw, _ := e.get("label")
		f.Label = b.truncate(b.label(raw, map[string]string{
			"E": tail + b.op + head, "T": tail, "H": head, "G": b.gname,
		}), e.pos)
		b.clusterEnds(f)
		b.direction(f)
		b.d.AddFlow(f)
	}
}

// direction applies the graph's kind and the dir attribute.
func (b *builder) direction(f *graph.Flow) {
	if !b.g.directed {
		f.Bidirectional, f.Undirected = true, true
	}
	switch strings.ToLower(f.Attributes["dir"]) {
	case "both":
		f.Bidirectional, f.Undirected = true, false
	case "none":
		f.Bidirectional, f.Undirected = true, true
	case "back":
		if b.g.directed {
			f.Source, f.Target = f.Target, f.Source
		}
	case "forward":
		f.Bidirectional, f.Undirected = false, false
	}
}

// isCode reports whether a cluster's humanized name reads as a code
// rather than a name: no run of two letters or more ("f1", "3", "s_2",
// "1a2b3c").
func isCode(s string) bool {
	run := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if run++; run >= 2 {
				return false
			}
		} else {
			run = 0
		}
	}
	return true
}

// nameUncaptioned names each cluster drawn without a caption, whose id
// reads as a code, after what it holds ("frame of Build, Deploy"), with a
// warning: its id is nothing a reader of the picture sees, and it would
// appear in threat titles when the cluster is a flow end.
func (b *builder) nameUncaptioned() {
	if len(b.uncaptioned) == 0 {
		return
	}
	const shown = 3
	names := map[string][]string{}
	count := map[string]int{}
	want := map[string]bool{}
	for _, id := range b.uncaptioned {
		want[id] = true
	}
	for _, c := range b.d.Components {
		for _, bd := range b.d.BoundaryPath(c.ID) {
			if !want[bd] {
				continue
			}
			if count[bd]++; count[bd] <= shown {
				names[bd] = append(names[bd], strings.Join(strings.Fields(c.Label), " "))
			}
		}
	}
	for _, id := range b.uncaptioned {
		bd := b.d.Boundary(id)
		label := "unnamed frame"
		if n := names[id]; len(n) > 0 {
			label = "frame of " + strings.Join(n, ", ")
			if more := count[id] - len(n); more > 0 {
				label += fmt.Sprintf(" and %d more", more)
			}
		}
		bd.Label, bd.LabelDerived = b.truncate(label, bd.Pos), true
		b.d.Warn(bd.Pos, "cluster %q has no caption: named %q after what it holds", id, bd.Label)
	}
}

func humanize(name string) string {
	s := name
	if len(s) >= 7 && strings.EqualFold(s[:7], "cluster") {
		s = strings.TrimLeft(s[7:], "_- ")
	}
	if s == "" {
		return name
	}
	return strings.ReplaceAll(s, "_", " ")
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
