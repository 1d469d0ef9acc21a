// Package dot imports Graphviz DOT files into the graph model.
//
// Parsing is done by go-graphviz (Graphviz's own cgraph parser, compiled to
// WebAssembly), so every DOT construct Graphviz accepts is understood: strict
// graphs, edge chains, {a b} groups, default attribute statements, ports.
// A light lexical pass over the source adds what cgraph does not expose:
// directedness, source lines and HTML-label detection.
//
// Mapping: nodes become components (ID = node name), edges become flows,
// subgraphs whose name begins with "cluster" (or that set cluster=true)
// become trust boundaries, nested as in the source. A plain subgraph is not a
// boundary; its nodes belong to the nearest enclosing cluster. Every
// attribute other than label is kept on the component, flow or boundary, so
// [sensitivity=PHI] survives.
package dot

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-graphviz/cgraph"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/gvlock"
	"github.com/threatmap/threatmap/internal/labeltext"
)

// Options control an import.
type Options struct {
	Limits graph.Limits
}

// Sniff reports whether data looks like a DOT file: after comments, an
// optional "strict" and then "graph" or "digraph".
func Sniff(data []byte) bool {
	s := &scanner{src: string(data[:min(len(data), 4096)]), line: 1}
	if bytes.HasPrefix(data, []byte("#")) {
		s.skipLine()
	}
	t, err := s.next()
	if err != nil || t.kind != tokID {
		return false
	}
	if strings.EqualFold(t.val, "strict") {
		if t, err = s.next(); err != nil || t.kind != tokID {
			return false
		}
	}
	return strings.EqualFold(t.val, "graph") || strings.EqualFold(t.val, "digraph")
}

// Import parses a DOT file. file names the input in messages. It returns one
// diagram; a file with several graphs imports the first and warns.
func Import(file string, data []byte, opts Options) ([]*graph.Diagram, error) {
	lim := opts.Limits.WithDefaults()
	if int64(len(data)) > lim.MaxInputBytes {
		return nil, graph.Wrap(file, graph.Position{}, fmt.Sprintf("input is %d bytes, over the limit of %d", len(data), lim.MaxInputBytes), graph.ErrLimit)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		line := 1 + bytes.Count(data[:bytes.IndexByte(data, 0)], []byte("\n"))
		return nil, graph.Errorf(file, graph.Position{Line: line}, "NUL byte in DOT input")
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	src := string(data)
	facts, err := scan(src, lim.MaxLabelBytes)
	if err != nil {
		var se *scanError
		if errors.As(err, &se) {
			return nil, graph.Errorf(file, graph.Position{Line: se.line}, "syntax error: %s", se.msg)
		}
		return nil, graph.Errorf(file, graph.Position{}, "syntax error: %v", err)
	}
	if t := facts.tooLong; t != nil {
		return nil, graph.Wrap(file, graph.Position{Line: t.line},
			fmt.Sprintf("identifier of %d bytes is over the limit of %d (raise it with --max-label)", len(t.val), lim.MaxLabelBytes), graph.ErrLimit)
	}
	if len(facts.rewrites) > 0 {
		// The rewritten strings are quoted: keep them out of htmlVals.
		data = []byte(apply(src, facts.rewrites))
	}
	if facts.maxDepth > lim.MaxDepth {
		return nil, graph.Wrap(file, graph.Position{Line: facts.depthLine},
			fmt.Sprintf("braces nested %d deep, over the limit of %d", facts.maxDepth, lim.MaxDepth), graph.ErrLimit)
	}
	var d *graph.Diagram
	err = gvlock.Do(func() error {
		// cgraph's lexer keeps a pending newline from the previous parse
		// and would report every line one too far; parsing a tiny graph
		// with nothing after its brace resets it.
		if g, err := cgraph.ParseBytes([]byte("graph{}")); err == nil && g != nil {
			g.Close()
		}
		g, err := cgraph.ParseBytes(data)
		if err != nil {
			return syntaxError(file, err)
		}
		if g == nil {
			return graph.Errorf(file, graph.Position{}, "no graph found")
		}
		defer g.Close()
		b := &builder{file: file, g: g, facts: facts, lim: lim, d: graph.New(file, "dot")}
		if err := b.build(); err != nil {
			return err
		}
		d = b.d
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, r := range facts.rewrites {
		d.Warn(graph.Position{Line: r.line}, "attribute value of %d bytes truncated to %d", r.was, lim.MaxLabelBytes)
	}
	if err := d.Finalize(); err != nil {
		return nil, graph.Wrap(file, graph.Position{}, "inconsistent model", err)
	}
	return []*graph.Diagram{d}, nil
}

var lineRE = regexp.MustCompile(`line (\d+)`)

// syntaxError turns cgraph's "syntax error in line 3 near ';'" into an
// InputError at that line.
func syntaxError(file string, err error) error {
	msg := strings.TrimSpace(err.Error())
	pos := graph.Position{}
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = strings.TrimSpace(strings.Replace(msg, "in "+m[0], "", 1))
		msg = strings.Join(strings.Fields(msg), " ")
	}
	if msg == "" {
		msg = "syntax error"
	}
	return &graph.InputError{File: file, Pos: pos, Msg: msg, Err: err}
}

type builder struct {
	file  string
	g     *cgraph.Graph
	facts *facts
	lim   graph.Limits
	d     *graph.Diagram
	// owner maps node name to the innermost cluster that holds it.
	owner    map[string]string
	ownDepth map[string]int
	nodeAttr []string
	edgeAttr []string
	graphAtt []string
}

func (b *builder) build() error {
	b.owner = map[string]string{}
	b.ownDepth = map[string]int{}
	b.nodeAttr = b.attrNames(int(cgraph.NODE))
	b.edgeAttr = b.attrNames(int(cgraph.EDGE))
	b.graphAtt = b.attrNames(int(cgraph.GRAPH))

	name, _ := b.g.Name()
	b.d.Title = b.label(b.g.GetStr("label"), map[string]string{"G": name})
	if b.d.Title == "" && !strings.HasPrefix(name, "%") {
		b.d.Title = name
	}
	switch strings.ToUpper(b.g.GetStr("rankdir")) {
	case "LR", "RL", "BT":
		b.d.Direction = strings.ToUpper(b.g.GetStr("rankdir"))
	default:
		b.d.Direction = "TB"
	}
	if err := b.subgraphs(b.g, "", 0); err != nil {
		return err
	}
	if err := b.nodes(); err != nil {
		return err
	}
	return b.edges()
}

func (b *builder) attrNames(kind int) []string {
	var names []string
	for s, _ := b.g.Attr(kind, "", ""); s != nil; s, _ = b.g.NextAttr(kind, s) {
		if n := s.Name(); n != "" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

func isCluster(name string, sg *cgraph.Graph) bool {
	if len(name) >= 7 && strings.EqualFold(name[:7], "cluster") {
		return true
	}
	v := strings.ToLower(sg.GetStr("cluster"))
	return v == "true" || v == "1" || v == "yes"
}

// subgraphs walks the subgraph tree under g; parent is the nearest
// enclosing cluster's ID.
func (b *builder) subgraphs(g *cgraph.Graph, parent string, depth int) error {
	var subs []*cgraph.Graph
	for s, _ := g.FirstSubGraph(); s != nil; s, _ = s.NextSubGraph() {
		subs = append(subs, s)
	}
	for _, sg := range subs {
		name, _ := sg.Name()
		owner := parent
		if isCluster(name, sg) {
			if b.d.Boundary(name) != nil {
				b.d.Warn(graph.Position{Line: b.facts.subgLine[name]}, "cluster %q appears twice; merged", name)
			} else {
				// Graph attributes are inherited from the enclosing graph:
				// only a value that differs is the subgraph's own.
				own := sg.GetStr("label")
				if own == g.GetStr("label") {
					own = ""
				}
				bd := &graph.Boundary{
					ID:     name,
					Label:  b.label(own, map[string]string{"G": name}),
					Parent: parent,
					Pos:    graph.Position{Line: b.facts.subgLine[name]},
				}
				if bd.Label == "" {
					bd.Label = humanize(name)
				}
				bd.Attributes = b.graphAttrs(sg)
				if err := b.d.AddBoundary(bd); err != nil {
					return graph.Wrap(b.file, bd.Pos, "", err)
				}
			}
			owner = name
			for n, _ := sg.FirstNode(); n != nil; n, _ = sg.NextNode(n) {
				nn, _ := n.Name()
				if prev, ok := b.owner[nn]; ok && prev != name && !b.isAncestor(prev, name) {
					if !b.isAncestor(name, prev) {
						b.d.Warn(graph.Position{Line: b.facts.nodeLine[nn]}, "node %q is in clusters %q and %q; kept in %q", nn, prev, name, prev)
					}
					continue
				}
				b.owner[nn] = name
			}
		}
		if err := b.subgraphs(sg, owner, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// isAncestor reports whether boundary a encloses boundary c.
func (b *builder) isAncestor(a, c string) bool {
	for _, id := range b.d.BoundaryChain(c) {
		if id == a && id != c {
			return true
		}
	}
	return false
}

func (b *builder) graphAttrs(sg *cgraph.Graph) map[string]string {
	attrs := map[string]string{}
	root := b.g
	for _, name := range b.graphAtt {
		if name == "label" {
			continue
		}
		v := sg.GetStr(name)
		// Values are inherited down the subgraph tree, so this is the
		// effective setting; root-wide settings (fonts) are left out.
		if v != "" && v != root.GetStr(name) {
			attrs[name] = v
		}
	}
	return attrs
}

func (b *builder) nodes() error {
	for n, _ := b.g.FirstNode(); n != nil; n, _ = b.g.NextNode(n) {
		name, _ := n.Name()
		c := &graph.Component{
			ID:         name,
			Shape:      n.GetStr("shape"),
			Attributes: map[string]string{},
			Boundary:   b.owner[name],
			Pos:        graph.Position{Line: b.facts.nodeLine[name]},
		}
		c.Label = b.nodeLabel(n, name, c.Shape)
		for _, a := range b.nodeAttr {
			if a == "label" {
				continue
			}
			if v := n.GetStr(a); v != "" {
				c.Attributes[a] = v
			}
		}
		if k, ok := graph.ParseKind(firstNonEmpty(c.Attributes["type"], c.Attributes["kind"])); ok {
			c.Kind = k
		}
		if err := b.d.AddComponent(c); err != nil {
			return graph.Wrap(b.file, c.Pos, "", err)
		}
		if len(b.d.Components) > b.lim.MaxElements {
			return graph.Wrap(b.file, c.Pos, fmt.Sprintf("more than %d elements", b.lim.MaxElements), graph.ErrLimit)
		}
	}
	return nil
}

func (b *builder) nodeLabel(n *cgraph.Node, name, shape string) string {
	raw := n.GetStr("label")
	if raw == "" || raw == `\N` {
		// go-graphviz turns an empty label into \N; an external label
		// (xlabel) is then the visible name, as pytm draws data stores.
		if x := n.GetStr("xlabel"); x != "" {
			raw = x
		} else {
			raw = `\N`
		}
	}
	gname, _ := b.g.Name()
	if !b.facts.htmlVals[raw] && (shape == "record" || shape == "Mrecord") {
		raw = recordText(raw)
	}
	return b.truncate(b.label(raw, map[string]string{"N": name, "G": gname}), graph.Position{Line: b.facts.nodeLine[name]})
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
func (b *builder) label(raw string, vars map[string]string) string {
	if raw == "" {
		return ""
	}
	if b.facts.htmlVals[raw] {
		return labeltext.FromHTML(raw)
	}
	var sb strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 >= len(raw) {
			sb.WriteByte(c)
			continue
		}
		i++
		switch e := raw[i]; e {
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

func (b *builder) edges() error {
	gname, _ := b.g.Name()
	used := map[string]int{}
	op := "->"
	if !b.facts.directed {
		op = "--"
	}
	for n, _ := b.g.FirstNode(); n != nil; n, _ = b.g.NextNode(n) {
		for e, _ := b.g.FirstOut(n); e != nil; e, _ = b.g.NextOut(e) {
			tn, err1 := e.Tail()
			hn, err2 := e.Head()
			if err1 != nil || err2 != nil || tn == nil || hn == nil {
				b.d.Warn(graph.Position{}, "edge with a missing end skipped")
				continue
			}
			tail, _ := tn.Name()
			head, _ := hn.Name()
			key, _ := e.Name()
			id := key
			if id == "" {
				id = tail + op + head
			}
			used[id]++
			if used[id] > 1 {
				id += "#" + strconv.Itoa(used[id])
			}
			pos := graph.Position{Line: b.edgeLine(tail, head)}
			f := &graph.Flow{ID: id, Source: tail, Target: head, Attributes: map[string]string{}, Pos: pos}
			f.Label = b.truncate(b.label(e.GetStr("label"), map[string]string{
				"E": tail + op + head, "T": tail, "H": head, "G": gname,
			}), pos)
			for _, a := range b.edgeAttr {
				if a == "label" || a == "key" {
					continue
				}
				if v := e.GetStr(a); v != "" {
					f.Attributes[a] = v
				}
			}
			if !b.facts.directed {
				f.Bidirectional, f.Undirected = true, true
			}
			switch strings.ToLower(f.Attributes["dir"]) {
			case "both":
				f.Bidirectional, f.Undirected = true, false
			case "none":
				f.Bidirectional, f.Undirected = true, true
			case "back":
				if b.facts.directed {
					f.Source, f.Target = f.Target, f.Source
				}
			case "forward":
				f.Bidirectional, f.Undirected = false, false
			}
			b.d.AddFlow(f)
			if len(b.d.Components)+len(b.d.Flows) > b.lim.MaxElements {
				return graph.Wrap(b.file, pos, fmt.Sprintf("more than %d elements", b.lim.MaxElements), graph.ErrLimit)
			}
		}
	}
	// Keep flows in source order (by line, then ID) rather than cgraph's
	// node order, so output reads like the file.
	sort.SliceStable(b.d.Flows, func(i, j int) bool {
		a, c := b.d.Flows[i], b.d.Flows[j]
		if a.Pos.Line != c.Pos.Line {
			return a.Pos.Line < c.Pos.Line
		}
		return false
	})
	return nil
}

func (b *builder) edgeLine(tail, head string) int {
	if l, ok := b.facts.edgeLine[[2]string{tail, head}]; ok {
		return l
	}
	if l, ok := b.facts.edgeLine[[2]string{head, tail}]; ok {
		return l
	}
	return b.facts.nodeLine[tail]
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
