package mermaid

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/threatmap/threatmap/graph"
)

// build turns what the parser recorded into d.
func (p *parser) build(d *graph.Diagram) error {
	d.Direction = p.dir
	if d.Title == "" {
		d.Title = p.accTitle
	}
	if p.accDescr != "" {
		d.Notes = append(d.Notes, &graph.Note{ID: "accDescr", Text: p.accDescr, Pos: p.descrPos})
	}
	parent := p.subgraphParents()
	asNode := p.emptySubgraphNodes(parent)
	if err := p.buildBoundaries(d, parent, asNode); err != nil {
		return err
	}
	dropped, err := p.buildComponents(d, asNode)
	if err != nil {
		return err
	}
	flowAt := p.buildFlows(d, dropped)
	p.applyStatements(d, flowAt)
	d.Warnings = append(d.Warnings, p.warnings...)
	if err := d.Finalize(); err != nil {
		return graph.Wrap(p.file, graph.Position{}, "inconsistent model", err)
	}
	return nil
}

// subgraphParents returns the parent of every canonical subgraph block (the
// enclosing block as written, -1 at top level), with parent cycles made by
// repeated ids cut.
func (p *parser) subgraphParents() map[int]int {
	// Subgraphs: canonical blocks, their parents (the enclosing block, as
	// written) and whether they hold anything.
	canon := func(i int) int { return p.sgs[i].canon }
	parent := make(map[int]int, len(p.sgs))
	for i, sg := range p.sgs {
		if sg.canon != i {
			continue
		}
		par := -1
		for q := sg.parent; q >= 0; q = p.sgs[q].parent {
			if canon(q) != i {
				par = canon(q)
				break
			}
		}
		parent[i] = par
	}
	// A repeated id can make a parent cycle (A in B in A): cut it. Each
	// block is walked once (0 unvisited, 1 on the current path, 2 done).
	state := make([]uint8, len(p.sgs))
	for i, sg := range p.sgs {
		if sg.canon != i || state[i] != 0 {
			continue
		}
		var path []int
		q := i
		for q >= 0 && state[q] == 0 {
			state[q] = 1
			path = append(path, q)
			q = parent[q]
		}
		if q >= 0 && state[q] == 1 {
			last := path[len(path)-1]
			p.warn(p.sgs[last].pos, "subgraph %q nests inside itself through a repeated subgraph id; placed at top level", p.sgs[last].id)
			parent[last] = -1
		}
		for _, k := range path {
			state[k] = 2
		}
	}
	return parent
}

// emptySubgraphNodes returns the subgraphs that hold nothing and are used as
// nodes: Mermaid draws them as plain boxes, so they are components.
func (p *parser) emptySubgraphNodes(parent map[int]int) map[int]bool {
	hasChild := make(map[int]bool)
	for _, par := range parent {
		if par >= 0 {
			hasChild[par] = true
		}
	}
	asNode := map[int]bool{}
	for i, sg := range p.sgs {
		if sg.canon == i && !hasChild[i] && sg.claims == 0 {
			if n := p.nodeIdx[sg.id]; n != nil && n.mentioned {
				asNode[i] = true
			}
		}
	}
	return asNode
}

// buildBoundaries makes every other subgraph a trust boundary.
func (p *parser) buildBoundaries(d *graph.Diagram, parent map[int]int, asNode map[int]bool) error {
	depth := map[int]int{}
	depthOf := func(i int) int {
		// Iterative: walk up to a known depth, then fill in on the way back.
		var chain []int
		for q := i; q >= 0; q = parent[q] {
			if _, ok := depth[q]; ok {
				break
			}
			chain = append(chain, q)
		}
		for k := len(chain) - 1; k >= 0; k-- {
			q := chain[k]
			depth[q] = 1
			if par := parent[q]; par >= 0 {
				depth[q] = depth[par] + 1
			}
		}
		return depth[i]
	}
	for i, sg := range p.sgs {
		if sg.canon != i || asNode[i] {
			continue
		}
		if depthOf(i) > p.lim.MaxDepth {
			return graph.Wrap(p.file, sg.pos, fmt.Sprintf("subgraphs nested deeper than %d", p.lim.MaxDepth), graph.ErrLimit)
		}
		b := &graph.Boundary{ID: sg.id, Label: sg.title, Pos: sg.pos, Attributes: map[string]string{}}
		if b.Label == "" {
			b.Label = sg.id
		}
		if par := parent[i]; par >= 0 {
			b.Parent = p.sgs[par].id
		}
		if sg.dir != "" {
			b.Attributes["direction"] = sg.dir
		}
		if err := d.AddBoundary(b); err != nil {
			return graph.Wrap(p.file, sg.pos, "", err)
		}
	}

	return nil
}

// buildComponents adds the nodes, in order of first mention. It returns
// the node ids that are subgraph ids (read as those subgraphs).
func (p *parser) buildComponents(d *graph.Diagram, asNode map[int]bool) (map[string]bool, error) {
	boundaryOf := func(id string) string {
		if i, ok := p.claimed[id]; ok && !asNode[i] {
			return p.sgs[i].id
		}
		return ""
	}
	dropped := map[string]bool{}
	onLink := make(map[string]bool, 2*len(p.edges))
	for _, e := range p.edges {
		if e.link.family != '~' {
			onLink[e.src], onLink[e.dst] = true, true
		}
	}
	for _, n := range p.nodes {
		c := &graph.Component{ID: n.id, Label: n.label, Shape: n.shape, Pos: n.pos, Attributes: map[string]string{}}
		if _, sg := p.sgByID[n.id]; !sg && !onLink[n.id] {
			label := n.label
			if label == "" {
				label = n.id
			}
			if why := textOnly(n.shape, label); why != "" {
				if p.noted == nil {
					p.noted = map[string]bool{}
				}
				p.noted[n.id] = true
				d.Notes = append(d.Notes, &graph.Note{ID: n.id, Text: label, Pos: n.pos})
				p.warn(n.pos, "node %q %s and is on no link: imported as a note, not a component", n.id, why)
				continue
			}
		}
		if i, ok := p.sgByID[n.id]; ok {
			if !asNode[i] {
				dropped[n.id] = true
				if n.defined {
					p.warn(n.pos, "node %q has the id of a subgraph; it is read as that subgraph", n.id)
				}
				continue
			}
			c.Attributes["subgraph"] = "true"
			if !n.hasLabel {
				c.Label = p.sgs[i].title
			}
		}
		if c.Label == "" {
			c.Label = n.id
		}
		for k, v := range n.attrs {
			c.Attributes[k] = v
		}
		c.Boundary = boundaryOf(n.id)
		if err := d.AddComponent(c); err != nil {
			return nil, graph.Wrap(p.file, n.pos, "", err)
		}
	}

	return dropped, nil
}

// textShapes are Mermaid 11's shapes that draw text, not a box: the text
// block and the curly-brace comments.
var textShapes = []string{"text", "comment", "brace", "brace-l", "brace-r", "braces"}

// textOnly says why a node is only text on the picture ("" when it is
// not): one of textShapes, or a label of punctuation only (an ellipsis
// "..." standing for more of the same).
func textOnly(shape, label string) string {
	if slices.Contains(textShapes, strings.ToLower(shape)) {
		return "is drawn as text only (shape: " + shape + ")"
	}
	if strings.TrimSpace(label) != "" && strings.IndexFunc(label, func(r rune) bool { return !unicode.IsPunct(r) && !unicode.IsSpace(r) }) < 0 {
		return fmt.Sprintf("is a placeholder (label %q)", label)
	}
	return ""
}

// buildFlows adds the links; flowAt[k] is the flow of link k, nil for a
// link that is not a flow.
func (p *parser) buildFlows(d *graph.Diagram, dropped map[string]bool) []*graph.Flow {
	reserved := map[string]bool{}
	for _, e := range p.edges {
		if e.id != "" {
			reserved[e.id] = true
		}
	}
	ends := &boundaryEnds{}
	used := make(map[string]bool, len(p.edges))
	pairs := make(map[string]int, len(p.edges))
	flowAt := make([]*graph.Flow, len(p.edges))
	for k, e := range p.edges {
		arrow := linkText(e)
		if e.link.family == '~' {
			p.warn(e.pos, "invisible link %s %s %s skipped: it only guides the layout", e.src, arrow, e.dst)
			continue
		}
		for _, end := range [...]string{e.src, e.dst} {
			if dropped[end] {
				ends.attach(d, end, e, arrow)
			}
		}
		f := &graph.Flow{Source: e.src, Target: e.dst, Label: e.label, Pos: e.pos, Attributes: map[string]string{}}
		start, end := e.link.startHead != 0, e.link.endHead != 0
		switch {
		case start && end:
			f.Bidirectional = true
		case start:
			f.Source, f.Target = e.dst, e.src
		case !end:
			f.Bidirectional, f.Undirected = true, true
		}
		f.Attributes["style"] = styleName(e.link.family)
		if e.id != "" && !used[e.id] {
			f.ID = e.id
		} else {
			if e.id != "" {
				p.warn(e.pos, "edge id %q is used twice; this link gets a generated id", e.id)
			}
			key := f.Source + "\x00" + f.Target
			for {
				n := pairs[key]
				pairs[key] = n + 1
				id := "L-" + f.Source + "-" + f.Target + "-" + strconv.Itoa(n)
				if !used[id] && !reserved[id] {
					f.ID = id
					break
				}
			}
		}
		used[f.ID] = true
		// Edge data ("e1@{ animate: true }") is kept as attributes.
		for _, body := range p.edgeData[e.id] {
			for _, kv := range splitShapeData(body) {
				if k, v, ok := strings.Cut(kv, ":"); ok && strings.TrimSpace(k) != "style" {
					v, _ = unquoteYAML(strings.TrimSpace(v))
					f.Attributes[strings.TrimSpace(k)] = v
				}
			}
		}
		d.AddFlow(f)
		flowAt[k] = f
	}

	ends.warn(p)
	return flowAt
}

// boundaryEnds makes the components that stand for subgraphs used as link
// ends ("A --> subgraphId", valid Mermaid). The convention is shared by
// every importer: the component's ID is the boundary's ID, its Label the
// boundary's label, its Boundary the boundary itself, and
// Attributes["represents"] is "boundary". It is created once per subgraph,
// and one warning per subgraph says the links were attached to it as a
// whole.
type boundaryEnds struct {
	order []string
	first map[string]string // subgraph id -> first link, as written
	at    map[string]graph.Position
	count map[string]int
}

func (b *boundaryEnds) attach(d *graph.Diagram, id string, e *edgeRec, arrow string) {
	if b.first == nil {
		b.first, b.at, b.count = map[string]string{}, map[string]graph.Position{}, map[string]int{}
	}
	b.count[id]++
	if b.count[id] > 1 {
		return
	}
	b.order = append(b.order, id)
	b.first[id] = e.src + " " + arrow + " " + e.dst
	b.at[id] = e.pos
	bd := d.Boundary(id)
	// AddComponent cannot fail: id names a subgraph, not a node.
	_ = d.AddComponent(&graph.Component{
		ID: id, Label: bd.Label, Boundary: id, Pos: bd.Pos,
		Attributes: map[string]string{"represents": "boundary"},
	})
}

func (b *boundaryEnds) warn(p *parser) {
	for _, id := range b.order {
		more := ""
		if n := b.count[id]; n > 1 {
			more = fmt.Sprintf(" (%d links in all)", n)
		}
		p.warn(b.at[id], "link %s ends at subgraph %q: attached to the subgraph as a whole, not to a node in it%s", b.first[id], id, more)
	}
}

func styleName(family byte) string {
	switch family {
	case '.':
		return "dotted"
	case '=':
		return "thick"
	}
	return "solid"
}

func linkText(e *edgeRec) string {
	if e.link.hasLabel {
		return strings.Replace(e.link.text, " ", " "+e.label+" ", 1)
	}
	return e.link.text
}

// applyStatements applies class, style, linkStyle and click statements and
// the ":::" classes once every node and subgraph is known. Repeated
// statements are collected first and joined once, so that no input makes
// this quadratic.
func (p *parser) applyStatements(d *graph.Diagram, flowAt []*graph.Flow) {
	classes := map[string][]string{}
	styles := map[string][]string{}
	for _, n := range p.nodes {
		if len(n.classes) > 0 {
			classes[n.id] = append(classes[n.id], n.classes...)
		}
	}
	linkStyles := map[int][]string{}
	defaultStyle := ""
	for _, st := range p.stmts {
		switch st.kw {
		case "class", "style", "click":
			for _, id := range st.ids {
				c, b := d.Component(id), d.Boundary(id)
				if c == nil && b == nil && p.noted[id] {
					continue // styling a note: nothing to model
				}
				if c == nil && b == nil {
					p.warn(st.pos, "%s statement names unknown node %q", st.kw, id)
					continue
				}
				switch st.kw {
				case "class":
					classes[id] = append(classes[id], st.names...)
				case "style":
					styles[id] = append(styles[id], st.rest)
				case "click":
					if b != nil {
						b.Attributes["click"] = st.rest
					} else {
						c.Attributes["click"] = st.rest
					}
				}
			}
		case "linkStyle":
			for _, n := range st.names {
				if n == "default" {
					defaultStyle = st.rest
					continue
				}
				k, _ := strconv.Atoi(n)
				if k >= len(flowAt) {
					p.warn(st.pos, "linkStyle names link %d but the diagram has %d links", k, len(flowAt))
					continue
				}
				linkStyles[k] = append(linkStyles[k], st.rest)
			}
		}
	}
	for _, c := range d.Components {
		if cl := classes[c.ID]; len(cl) > 0 {
			c.Attributes["class"] = classList(cl)
		}
		if st := styles[c.ID]; len(st) > 0 {
			c.Style = strings.Join(st, ",")
		}
	}
	for _, b := range d.Boundaries {
		if cl := classes[b.ID]; len(cl) > 0 {
			b.Attributes["class"] = classList(cl)
		}
		if st := styles[b.ID]; len(st) > 0 {
			b.Style = strings.Join(st, ",")
		}
	}
	for k, f := range flowAt {
		if f == nil {
			continue
		}
		if st := linkStyles[k]; len(st) > 0 {
			f.Style = strings.Join(st, ",")
		} else {
			f.Style = defaultStyle
		}
	}
}

// classList returns names sorted, without repeats, space separated.
func classList(names []string) string {
	sort.Strings(names)
	out := names[:0]
	for i, n := range names {
		if i == 0 || n != names[i-1] {
			out = append(out, n)
		}
	}
	return strings.Join(out, " ")
}
