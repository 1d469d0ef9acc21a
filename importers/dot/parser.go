package dot

import (
	"fmt"
	"sort"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/labeltext"
)

// The parser reads DOT's grammar (https://graphviz.org/doc/info/lang.html)
// by recursive descent over the lexer's tokens and applies each statement
// as Graphviz's cgraph does: nodes and edges take the node and edge
// defaults in scope when they are created, subgraphs inherit their
// parent's graph attributes when they are opened, strict graphs and edge
// keys merge repeated edges, and a subgraph used as an edge operand stands
// for every node in it. What it records is turned into the model by build.

// value is an attribute value or identifier as written (raw bytes, decoded
// later once the graph's charset is known) with its position.
type value struct {
	s         string
	html      bool
	line, col int
}

func (v value) pos() graph.Position { return graph.Position{Line: v.line, Column: v.col} }

// attrMap holds attribute values by name. A map that is shared (scope
// defaults, a statement's attribute list) is never modified: writers copy.
type attrMap map[string]value

// with returns a copy of m with list applied.
func (m attrMap) with(list []attr) attrMap {
	out := make(attrMap, len(m)+len(list))
	for k, v := range m {
		out[k] = v
	}
	for _, a := range list {
		out[a.name] = a.val
	}
	return out
}

// attr is one name=value of an attribute list.
type attr struct {
	name string
	val  value
}

type nodeRec struct {
	name string
	seq  int
	pos  graph.Position
	defs attrMap // node defaults in scope when the node was created
	own  attrMap // attributes set on the node itself
}

// get returns the node's effective value of attribute k.
func (n *nodeRec) get(k string) (value, bool) {
	if v, ok := n.own[k]; ok {
		return v, true
	}
	v, ok := n.defs[k]
	return v, ok
}

type edgeRec struct {
	tail, head         *nodeRec
	key                string
	pos                graph.Position
	defs               attrMap
	own                attrMap // may be shared by the edges of one statement: never modified
	tailport, headport string
}

func (e *edgeRec) get(k string) (value, bool) {
	if v, ok := e.own[k]; ok {
		return v, true
	}
	v, ok := e.defs[k]
	return v, ok
}

// subgRec is a subgraph (index 0 is the graph itself).
type subgRec struct {
	name   string // "" for an anonymous subgraph
	parent int
	pos    graph.Position
	// attrs are the effective graph attributes: the parent's when the
	// subgraph was opened, then its own statements. ownLabel is set when
	// the subgraph's body sets label itself.
	attrs    attrMap
	ownLabel bool
	nodeDef  attrMap
	edgeDef  attrMap
	named    map[string]int // named child subgraphs
	kids     []int
	direct   []int // seqs of nodes mentioned directly in the body
	cacheVer int   // version of cache; 0 means none
	cache    []*nodeRec
}

type edgeKey struct {
	tail, head *nodeRec
	key        string
}

// graphRec is one graph of the file, as its statements describe it.
type graphRec struct {
	name     value
	anon     bool
	directed bool
	strict   bool
	pos      graph.Position
	nodes    []*nodeRec
	nodeIdx  map[string]*nodeRec
	edges    []*edgeRec
	edgeIdx  map[edgeKey]*edgeRec
	subgs    []*subgRec
	member   map[[2]int]bool // (subgraph, node seq) pairs already in direct
	ver      int             // bumped whenever a subgraph gains a node or a child
	warnings []graph.Warning
}

type bailout struct{}

type parser struct {
	lx    lexer
	tok   token
	ahead *token
	file  string
	lim   graph.Limits
	g     *graphRec
	cur   int // the subgraph whose body is being read
	depth int
	elems int // components and flows so far, over the whole file
	work  int // subgraph-operand expansion work, bounded
	err   error
	// stamp marks nodes already collected by expand.
	stamp   []int
	stampNo int
}

func (p *parser) fail(err error) {
	p.err = err
	panic(bailout{})
}

func (p *parser) errorf(line, col int, format string, args ...any) {
	p.fail(graph.Errorf(p.file, graph.Position{Line: line, Column: col}, format, args...))
}

func (p *parser) limitf(at graph.Position, format string, args ...any) {
	p.fail(graph.Wrap(p.file, at, fmt.Sprintf(format, args...), graph.ErrLimit))
}

func (p *parser) warn(at graph.Position, format string, args ...any) {
	p.g.warnings = append(p.g.warnings, graph.Warning{Pos: at, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) next() {
	if p.ahead != nil {
		p.tok, p.ahead = *p.ahead, nil
		return
	}
	p.tok = p.lx.next()
	if p.lx.err != nil {
		e := p.lx.err
		p.errorf(e.line, e.col, "%s", e.msg)
	}
}

func (p *parser) peek() token {
	if p.ahead == nil {
		t := p.lx.next()
		if p.lx.err != nil {
			e := p.lx.err
			p.errorf(e.line, e.col, "%s", e.msg)
		}
		p.ahead = &t
	}
	return *p.ahead
}

func (p *parser) unexpected(expected string) {
	p.errorf(p.tok.line, p.tok.col, "syntax error: unexpected %s, expected %s", p.tok.describe(), expected)
}

func (p *parser) expect(k tokKind, expected string) token {
	t := p.tok
	if t.kind != k {
		p.unexpected(expected)
	}
	p.next()
	return t
}

// parseFile reads every graph of the file. src must not hold a NUL byte.
func (p *parser) parseFile(src []byte, off int) (graphs []*graphRec, err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			graphs, err = nil, p.err
		}
	}()
	p.lx.warn = func(line, col int, msg string) {
		if p.g != nil {
			p.warn(graph.Position{Line: line, Column: col}, "%s", msg)
		}
	}
	p.lx.init(src, off)
	p.next()
	if p.tok.kind == tEOF {
		p.errorf(p.tok.line, p.tok.col, "no graph found: the file is empty or holds only comments")
	}
	for p.tok.kind != tEOF {
		graphs = append(graphs, p.parseGraph())
	}
	return graphs, nil
}

// parseGraph reads [strict] (graph|digraph) [ID] { stmt_list }.
func (p *parser) parseGraph() *graphRec {
	g := &graphRec{nodeIdx: map[string]*nodeRec{}, edgeIdx: map[edgeKey]*edgeRec{}, member: map[[2]int]bool{}, anon: true, ver: 1}
	p.g = g
	g.pos = graph.Position{Line: p.tok.line, Column: p.tok.col}
	if p.tok.keyword("strict") {
		g.strict = true
		p.next()
	}
	switch {
	case p.tok.keyword("digraph"):
		g.directed = true
	case p.tok.keyword("graph"):
	default:
		p.unexpected(`"graph" or "digraph"`)
	}
	p.next()
	if p.tok.kind == tID {
		g.name = p.idValue(p.tok, "graph name")
		g.anon = false
		p.next()
	}
	g.subgs = []*subgRec{{parent: -1, pos: g.pos, attrs: attrMap{}, nodeDef: attrMap{}, edgeDef: attrMap{}, named: map[string]int{}}}
	p.cur = 0
	p.body()
	return g
}

// body reads { stmt_list } into subgraph p.cur.
func (p *parser) body() {
	open := p.tok
	if open.kind != tLBrace {
		p.unexpected(`"{"`)
	}
	p.depth++
	if p.depth > p.lim.MaxDepth {
		p.limitf(graph.Position{Line: open.line, Column: open.col}, "braces nested %d deep, over the limit of %d", p.depth, p.lim.MaxDepth)
	}
	p.next()
	for p.tok.kind != tRBrace {
		if p.tok.kind == tEOF {
			p.errorf(p.tok.line, p.tok.col, `syntax error: unexpected end of input, expected "}" closing the "{" at %d:%d`, open.line, open.col)
		}
		p.stmt()
		if p.tok.kind == tSemi {
			p.next()
		}
	}
	p.depth--
	p.next()
}

// stmt reads one statement.
func (p *parser) stmt() {
	t := p.tok
	switch {
	case t.keyword("graph") || t.keyword("node") || t.keyword("edge"):
		p.next()
		if p.tok.kind != tLBrack {
			p.unexpected(`"[" after ` + strings.ToLower(t.text))
		}
		p.attrStmt(strings.ToLower(t.text), p.attrLists())
	case t.keyword("subgraph") || t.kind == tLBrace:
		p.edgeStmt(p.side())
	case t.keyword("strict") || t.keyword("digraph"):
		p.unexpected("a statement")
	case t.kind == tID:
		if p.peek().kind == tEqual {
			name := p.idValue(t, "attribute name")
			p.next()
			p.next()
			if p.tok.kind != tID {
				p.unexpected("attribute value")
			}
			p.attrStmt("graph", []attr{{name: name.s, val: p.attrValue(p.tok)}})
			p.next()
			return
		}
		p.edgeStmt(p.side())
	default:
		p.unexpected("a statement")
	}
}

// attrLists reads one or more [ a_list ].
func (p *parser) attrLists() []attr {
	var out []attr
	for p.tok.kind == tLBrack {
		p.next()
		for p.tok.kind != tRBrack {
			if p.tok.kind != tID {
				p.unexpected(`attribute name or "]"`)
			}
			name := p.idValue(p.tok, "attribute name")
			p.next()
			p.expect(tEqual, `"=" after attribute name `+name.s)
			if p.tok.kind != tID {
				p.unexpected("attribute value")
			}
			out = append(out, attr{name: name.s, val: p.attrValue(p.tok)})
			p.next()
			if p.tok.kind == tSemi || p.tok.kind == tComma {
				p.next()
			}
		}
		p.next()
	}
	return out
}

// idValue checks an identifier against the label limit: an identifier
// cannot be shortened without changing what it names.
func (p *parser) idValue(t token, what string) value {
	if len(t.text) > p.lim.MaxLabelBytes {
		p.limitf(graph.Position{Line: t.line, Column: t.col},
			"identifier of %d bytes is over the limit of %d (raise it with --max-label)", len(t.text), p.lim.MaxLabelBytes)
	}
	return value{s: t.text, html: t.form == idHTML, line: t.line, col: t.col}
}

// attrValue returns an attribute value, truncated (as plain text, with a
// warning) when it is over the label limit.
func (p *parser) attrValue(t token) value {
	v := value{s: t.text, html: t.form == idHTML, line: t.line, col: t.col}
	if len(v.s) > p.lim.MaxLabelBytes {
		s := v.s
		if v.html {
			s = labeltext.FromHTML(s)
		}
		// Leave room for the ellipsis so that the label is not cut again.
		s, _ = labeltext.Truncate(s, p.lim.MaxLabelBytes-len("…"))
		p.warn(v.pos(), "attribute value of %d bytes truncated to %d", len(v.s), p.lim.MaxLabelBytes)
		v.s, v.html = strings.TrimRight(s, `\`), false
	}
	return v
}

// attrStmt applies graph, node or edge attributes to the current scope.
func (p *parser) attrStmt(kind string, list []attr) {
	sg := p.g.subgs[p.cur]
	switch kind {
	case "graph":
		for _, a := range list {
			sg.attrs[a.name] = a.val
			if a.name == "label" {
				sg.ownLabel = true
			}
		}
	case "node":
		sg.nodeDef = sg.nodeDef.with(list)
	case "edge":
		sg.edgeDef = sg.edgeDef.with(list)
	}
}

// edgeEnd is one node at one end of an edge, with the port its operand named.
type edgeEnd struct {
	node *nodeRec
	port string
}

// operand is one side of an edge: a node (with its port) or a subgraph.
type operand struct {
	node *nodeRec
	port string
	sg   int
	tok  token
}

// operand reads node_id [port] or a subgraph.
func (p *parser) operand() operand {
	t := p.tok
	if t.keyword("subgraph") || t.kind == tLBrace {
		return operand{sg: p.subgraph(), tok: t}
	}
	if t.kind != tID || isKeyword(t) {
		p.unexpected("node name or subgraph")
	}
	n := p.mention(p.idValue(t, "node name"))
	p.next()
	op := operand{node: n, sg: -1, tok: t}
	for i := 0; i < 2 && p.tok.kind == tColon; i++ {
		p.next()
		if p.tok.kind != tID {
			p.unexpected(`port name after ":"`)
		}
		if op.port != "" {
			op.port += ":"
		}
		op.port += p.tok.text
		p.next()
	}
	return op
}

// isKeyword reports whether t is a DOT keyword, which cannot name a node
// unless quoted.
func isKeyword(t token) bool {
	for _, kw := range [...]string{"node", "edge", "graph", "digraph", "subgraph", "strict"} {
		if t.keyword(kw) {
			return true
		}
	}
	return false
}

// mention returns the node named v, creating it with the node defaults in
// scope, and records that the current subgraph holds it.
func (p *parser) mention(v value) *nodeRec {
	g := p.g
	n := g.nodeIdx[v.s]
	if n == nil {
		p.count(v.pos())
		n = &nodeRec{name: v.s, seq: len(g.nodes), pos: v.pos(), defs: g.subgs[p.cur].nodeDef}
		g.nodes = append(g.nodes, n)
		g.nodeIdx[v.s] = n
	}
	if p.cur != 0 {
		k := [2]int{p.cur, n.seq}
		if !g.member[k] {
			g.member[k] = true
			sg := g.subgs[p.cur]
			sg.direct = append(sg.direct, n.seq)
			g.ver++
		}
	}
	return n
}

// count adds one element (component or flow) against the limit.
func (p *parser) count(at graph.Position) {
	p.elems++
	if p.elems > p.lim.MaxElements {
		p.limitf(at, "more than %d nodes and edges (raise it with --max-elements)", p.lim.MaxElements)
	}
}

// subgraph reads [subgraph [ID]] { stmt_list } and returns its index.
func (p *parser) subgraph() int {
	g := p.g
	kw := p.tok
	name := ""
	var nameVal value
	if kw.keyword("subgraph") {
		p.next()
		if p.tok.kind == tID {
			nameVal = p.idValue(p.tok, "subgraph name")
			name = nameVal.s
			p.next()
		}
	}
	parent := g.subgs[p.cur]
	idx, ok := parent.named[name]
	if name == "" || !ok {
		idx = len(g.subgs)
		g.subgs = append(g.subgs, &subgRec{
			name: name, parent: p.cur, pos: graph.Position{Line: kw.line, Column: kw.col},
			attrs: parent.attrs.with(nil), nodeDef: parent.nodeDef, edgeDef: parent.edgeDef, named: map[string]int{},
		})
		if name != "" {
			parent.named[name] = idx
		}
		parent.kids = append(parent.kids, idx)
		g.ver++
	}
	saved := p.cur
	p.cur = idx
	p.body()
	p.cur = saved
	return idx
}

// side reads one side of an edge statement: a subgraph, or a list of
// nodes separated by commas ("a, b -> c" joins both to c; "a, b [shape=box]"
// declares both), which Graphviz's own grammar accepts though the
// published one does not show it.
func (p *parser) side() []operand {
	first := p.operand()
	s := []operand{first}
	for first.node != nil && p.tok.kind == tComma {
		p.next()
		if p.tok.keyword("subgraph") || p.tok.kind == tLBrace {
			p.unexpected("node name (a node list holds nodes, not subgraphs)")
		}
		s = append(s, p.operand())
	}
	return s
}

// edgeStmt reads the rest of a statement that began with first: a node
// statement (one node or a node list), a lone subgraph, or an edge chain
// with its attributes.
func (p *parser) edgeStmt(first []operand) {
	chain := [][]operand{first}
	var ops []token
	for p.tok.kind == tEdgeOp {
		op := p.tok
		if (op.text == "->") != p.g.directed {
			want := map[bool]string{true: "->", false: "--"}[p.g.directed]
			kind := map[bool]string{true: "digraph", false: "graph"}[p.g.directed]
			p.errorf(op.line, op.col, "syntax error: unexpected %q in a %s, expected %q", op.text, kind, want)
		}
		ops = append(ops, op)
		p.next()
		chain = append(chain, p.side())
	}
	if len(ops) == 0 && first[0].node == nil && p.tok.kind == tLBrack {
		p.unexpected("a statement (attributes follow a node or an edge, not a subgraph)")
	}
	list := p.attrLists()
	if len(ops) == 0 {
		if len(list) > 0 {
			for _, op := range first {
				if op.node != nil {
					op.node.own = op.node.own.with(list)
				}
			}
		}
		return
	}
	p.edges(chain, ops, list)
}

// edges creates the edges of a chain: each operand to the next, every
// node of one side to every node of the other, bounded by the element
// limit before anything is expanded.
func (p *parser) edges(chain [][]operand, ops []token, list []attr) {
	own := attrMap{}.with(list)
	key := ""
	if v, ok := own["key"]; ok {
		key = v.s
	}
	sides := make([][]edgeEnd, len(chain))
	for k, side := range chain {
		for _, op := range side {
			for _, n := range p.expand(op) {
				sides[k] = append(sides[k], edgeEnd{n, op.port})
			}
		}
	}
	for k, op := range ops {
		left, right := sides[k], sides[k+1]
		at := graph.Position{Line: op.line, Column: op.col}
		if n := int64(len(left)) * int64(len(right)); n > 1 && n > int64(p.lim.MaxElements-p.elems) {
			p.limitf(at, "edge statement makes %d edges (%d × %d), over the limit of %d nodes and edges (raise it with --max-elements)",
				n, len(left), len(right), p.lim.MaxElements)
		}
		for _, t := range left {
			for _, h := range right {
				p.edge(t.node, h.node, key, at, own, t.port, h.port)
			}
		}
	}
}

// edge creates one edge, or merges into the existing one in a strict graph
// or for a repeated key.
func (p *parser) edge(t, h *nodeRec, key string, at graph.Position, own attrMap, tport, hport string) {
	g := p.g
	var k edgeKey
	if g.strict || key != "" {
		k = edgeKey{t, h, key}
		if g.strict {
			k.key = ""
		}
		if !g.directed && t.seq > h.seq {
			k.tail, k.head = h, t
		}
		if e := g.edgeIdx[k]; e != nil {
			if len(own) > 0 {
				e.own = e.own.with(attrList(own))
			}
			return
		}
	}
	p.count(at)
	e := &edgeRec{tail: t, head: h, key: key, pos: at, defs: g.subgs[p.cur].edgeDef, own: own, tailport: tport, headport: hport}
	g.edges = append(g.edges, e)
	if g.strict || key != "" {
		g.edgeIdx[k] = e
	}
}

// attrList returns m as a list sorted by name.
func attrList(m attrMap) []attr {
	out := make([]attr, 0, len(m))
	for k, v := range m {
		out = append(out, attr{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// expand returns the nodes an operand stands for: a node, or every node in
// a subgraph and the subgraphs nested in it, in creation order.
func (p *parser) expand(op operand) []*nodeRec {
	if op.node != nil {
		return []*nodeRec{op.node}
	}
	g := p.g
	sg := g.subgs[op.sg]
	if sg.cacheVer == g.ver {
		return sg.cache
	}
	if len(p.stamp) < len(g.nodes) {
		p.stamp = append(p.stamp, make([]int, len(g.nodes)-len(p.stamp))...)
	}
	p.stampNo++
	var seqs []int
	stack := []int{op.sg}
	for len(stack) > 0 {
		s := g.subgs[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		stack = append(stack, s.kids...)
		p.work += 1 + len(s.direct)
		for _, q := range s.direct {
			if p.stamp[q] != p.stampNo {
				p.stamp[q] = p.stampNo
				seqs = append(seqs, q)
			}
		}
	}
	if p.work > 16*p.lim.MaxElements {
		p.limitf(graph.Position{Line: op.tok.line, Column: op.tok.col},
			"subgraphs used as edge ends are expanded too often (over %d steps; raise --max-elements)", 16*p.lim.MaxElements)
	}
	sort.Ints(seqs)
	out := make([]*nodeRec, len(seqs))
	for i, q := range seqs {
		out[i] = g.nodes[q]
	}
	sg.cache, sg.cacheVer = out, g.ver
	return out
}
