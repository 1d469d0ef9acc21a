package mermaid

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/labeltext"
)

// nodeRec is a node as the statements describe it.
type nodeRec struct {
	id        string
	label     string
	hasLabel  bool
	shape     string
	classes   []string
	attrs     map[string]string
	pos       graph.Position
	defined   bool // has been given a shape or text
	mentioned bool // appears in a vertex statement
}

// sgRec is one subgraph ... end block.
type sgRec struct {
	id, title string
	autoID    bool // id is "subGraphN", decided at "end" as Mermaid does
	parent    int  // index of the enclosing block, -1 at top level
	canon     int  // index of the first block with the same id
	pos       graph.Position
	dir       string
	claims    int // nodes and subgraphs this block claimed
}

// frame is an open subgraph: the ids its statements mention, in order.
type frame struct {
	sg   int
	list []string
	seen map[string]bool
}

type edgeRec struct {
	id       string
	src, dst string
	label    string
	link     token
	pos      graph.Position
}

// stmtRec is a keyword statement applied once all nodes are known.
type stmtRec struct {
	kw    string
	pos   graph.Position
	ids   []string
	names []string // class names, link numbers
	rest  string
}

type bailout struct{}

// parser is a recursive-descent parser over the lexer's token stream. It
// records what the statements say and leaves the model to build.
type parser struct {
	lx    lexer
	tok   token
	ahead *token
	file  string
	lim   graph.Limits

	dir       string
	nodes     []*nodeRec
	nodeIdx   map[string]*nodeRec
	sgs       []*sgRec
	sgByID    map[string]int // canonical index of each closed subgraph id
	stack     []frame
	claimed   map[string]int // node or subgraph id -> canonical subgraph that owns it
	subCount  int
	edges     []*edgeRec
	edgeIDs   map[string]bool
	edgeData  map[string][]string // "e1@{...}" bodies by edge id
	stmts     []stmtRec
	accTitle  string
	accDescr  string
	descrPos  graph.Position
	warnings  []graph.Warning
	err       error
	elemCount int
	noted     map[string]bool // nodes imported as notes (text on no link)
}

func newParser(file string, lim graph.Limits) *parser {
	return &parser{
		file: file, lim: lim.WithDefaults(),
		nodeIdx: map[string]*nodeRec{}, sgByID: map[string]int{},
		claimed: map[string]int{}, edgeIDs: map[string]bool{}, edgeData: map[string][]string{},
	}
}

func pos(t token) graph.Position { return graph.Position{Line: t.line, Column: t.col} }

func (p *parser) warn(at graph.Position, format string, args ...any) {
	p.warnings = append(p.warnings, graph.Warning{Pos: at, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) fail(err error) {
	p.err = err
	panic(bailout{})
}

func (p *parser) errorf(at graph.Position, format string, args ...any) {
	p.fail(graph.Errorf(p.file, at, format, args...))
}

// unexpected reports t where something else was expected.
func (p *parser) unexpected(t token, expected string) {
	if t.kind == tIllegal && t.msg != "" {
		if strings.HasPrefix(t.msg, "unexpected") || strings.HasPrefix(t.msg, "unterminated") {
			p.errorf(pos(t), "%s", t.msg)
		}
		p.errorf(pos(t), "unexpected %s (%s), expected %s", t.describe(), t.msg, expected)
	}
	p.errorf(pos(t), "unexpected %s, expected %s", t.describe(), expected)
}

func (p *parser) next() {
	if p.ahead != nil {
		p.tok, p.ahead = *p.ahead, nil
		return
	}
	p.tok = p.lx.next()
}

func (p *parser) peek() token {
	if p.ahead == nil {
		t := p.lx.next()
		p.ahead = &t
	}
	return *p.ahead
}

func isSep(k tokKind) bool { return k == tNewline || k == tSemi || k == tEOF }

func (p *parser) skipSeps() {
	for p.tok.kind == tNewline || p.tok.kind == tSemi {
		p.next()
	}
}

// parse reads a whole flowchart. It returns the first syntax error.
func (p *parser) parse(src []byte, off, line int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			err = p.err
		}
	}()
	p.lx.init(src, off, line)
	// Size the indexes for a typical 40 bytes per node, up to 64k nodes
	// (beyond that the maps grow as usual): a 10 MB file of one long label
	// reserved 27 MB of index for two nodes.
	hint := min((len(src)-off)/40, 1<<16)
	p.nodeIdx = make(map[string]*nodeRec, hint)
	p.claimed = make(map[string]int, hint)
	p.nodes = make([]*nodeRec, 0, hint)
	p.edges = make([]*edgeRec, 0, hint)
	p.next()
	p.skipSeps()
	p.header()
	for {
		p.skipSeps()
		if p.tok.kind == tEOF {
			break
		}
		p.statement()
	}
	if n := len(p.stack); n > 0 {
		sg := p.sgs[p.stack[n-1].sg]
		p.errorf(pos(p.tok), "unexpected end of input, expected \"end\" closing the subgraph opened at %s", sg.pos)
	}
	return nil
}

var directions = map[string]string{
	"TB": "TB", "TD": "TB", "BT": "BT", "LR": "LR", "RL": "RL",
	">": "LR", "<": "RL", "^": "BT", "v": "TB",
}

func (p *parser) header() {
	t := p.tok
	if t.kind != tKeyword || (t.text != "flowchart" && t.text != "graph" && t.text != "flowchart-elk") {
		p.unexpected(t, `"flowchart" or "graph"`)
	}
	p.next()
	raw := p.tok // always tRaw after a header keyword
	p.dir = "TB"
	if raw.text != "" {
		word, rest, restCol := splitWord(raw.text, raw.col)
		dir, ok := directions[word]
		if !ok {
			p.errorf(pos(raw), "unexpected %q, expected direction TB, TD, BT, LR or RL", shorten(word))
		}
		if rest != "" {
			p.errorf(graph.Position{Line: raw.line, Column: restCol}, "unexpected %q, expected newline or \";\" after the direction", shorten(rest))
		}
		p.dir = dir
	}
	p.next()
	if !isSep(p.tok.kind) {
		p.unexpected(p.tok, `newline or ";"`)
	}
}

// splitWord splits off the first space-separated word of s, which starts
// at column col; it returns the rest and the rest's column.
func splitWord(s string, col int) (word, rest string, restCol int) {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, "", col + len(s)
	}
	j := i
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	return s[:i], s[j:], col + j
}

func (p *parser) statement() {
	t := p.tok
	switch t.kind {
	case tKeyword:
		p.next()
		switch t.text {
		case "end":
			p.endSubgraph(t)
		case "subgraph":
			p.subgraph(t, p.tok)
			p.next()
		case "direction":
			p.direction(p.tok)
			p.next()
		case "flowchart", "graph", "flowchart-elk":
			p.errorf(pos(t), "unexpected %q, expected a statement (the diagram header is already given)", t.text)
		case "accTitle":
			p.accTitle = p.label(p.tok.text, qNone, pos(p.tok), "accTitle")
			p.next()
		case "accDescr":
			p.accDescr = p.label(p.tok.text, qNone, pos(p.tok), "accDescr")
			p.descrPos = pos(t)
			p.next()
		default:
			p.keywordStatement(t, p.tok)
			p.next()
		}
		if !isSep(p.tok.kind) {
			p.unexpected(p.tok, `newline or ";"`)
		}
	case tID:
		p.vertexStatement()
	default:
		p.unexpected(t, "node id or statement")
	}
}

func (p *parser) countElement(at graph.Position) {
	p.elemCount++
	if p.elemCount > p.lim.MaxElements {
		p.fail(graph.Wrap(p.file, at, fmt.Sprintf("more than %d nodes and links", p.lim.MaxElements), graph.ErrLimit))
	}
}

func (p *parser) vertexStatement() {
	// An "e1@{ ... }" statement that names an edge id sets edge data.
	if t := p.tok; p.edgeIDs[t.text] && p.nodeIdx[t.text] == nil && p.peek().kind == tShapeData {
		p.next()
		p.edgeData[t.text] = append(p.edgeData[t.text], p.tok.text)
		p.next()
		if !isSep(p.tok.kind) {
			p.unexpected(p.tok, `newline or ";"`)
		}
		return
	}
	left := p.nodeGroup()
	for p.tok.kind == tLink || p.tok.kind == tLinkID {
		eid := ""
		if p.tok.kind == tLinkID {
			eid = p.tok.text
			p.next()
			if p.tok.kind != tLink {
				p.unexpected(p.tok, "link after edge id "+strconv.Quote(eid+"@"))
			}
		}
		lt := p.tok
		p.next()
		label, q, has := lt.label, lt.quote, lt.hasLabel
		if p.tok.kind == tPipe && !has {
			label, q, has = p.tok.text, p.tok.quote, true
			p.next()
		}
		if p.tok.kind != tID {
			p.unexpected(p.tok, "node id")
		}
		text := ""
		if has {
			text = p.label(label, q, pos(lt), "link")
		}
		right := p.nodeGroup()
		for _, a := range left {
			for _, b := range right {
				p.countElement(pos(lt))
				p.edges = append(p.edges, &edgeRec{id: eid, src: a, dst: b, label: text, link: lt, pos: pos(lt)})
			}
		}
		if eid != "" {
			p.edgeIDs[eid] = true
		}
		left = right
	}
	if !isSep(p.tok.kind) {
		p.unexpected(p.tok, `link, newline or ";"`)
	}
}

func (p *parser) nodeGroup() []string {
	ids := []string{p.node()}
	for p.tok.kind == tAmp {
		p.next()
		if p.tok.kind != tID {
			p.unexpected(p.tok, `node id after "&"`)
		}
		ids = append(ids, p.node())
	}
	return ids
}

// node parses id [shape] {":::" class | @{...}} and records the mention.
func (p *parser) node() string {
	t := p.tok
	n := p.mention(t.text, pos(t))
	p.next()
	if p.tok.kind == tShape {
		s := p.tok
		n.shape = s.shape
		n.label = p.label(s.text, s.quote, pos(s), "node "+strconv.Quote(n.id))
		n.hasLabel = true
		p.define(n, pos(t))
		p.next()
	}
	for {
		switch p.tok.kind {
		case tStyleSep:
			p.next()
			if p.tok.kind != tID {
				p.unexpected(p.tok, `class name after ":::"`)
			}
			n.classes = append(n.classes, p.tok.text)
			p.next()
		case tShapeData:
			p.shapeData(n, p.tok)
			p.define(n, pos(t))
			p.next()
		default:
			return n.id
		}
	}
}

func (p *parser) define(n *nodeRec, at graph.Position) {
	if !n.defined {
		n.defined = true
		n.pos = at
	}
}

func (p *parser) mention(id string, at graph.Position) *nodeRec {
	n := p.nodeIdx[id]
	if n == nil {
		p.countElement(at)
		n = &nodeRec{id: id, pos: at}
		p.nodes = append(p.nodes, n)
		p.nodeIdx[id] = n
	}
	n.mentioned = true
	p.listInFrame(id)
	return n
}

func (p *parser) listInFrame(id string) {
	if k := len(p.stack); k > 0 {
		f := &p.stack[k-1]
		if !f.seen[id] {
			f.seen[id] = true
			f.list = append(f.list, id)
		}
	}
}

// shapeData applies an @{ key: value, ... } block to n. Mermaid reads it
// as YAML; the flat key: value form used for shapes is all it needs.
func (p *parser) shapeData(n *nodeRec, t token) {
	for _, kv := range splitShapeData(t.text) {
		k, v, ok := strings.Cut(kv, ":")
		k = strings.TrimSpace(k)
		v, q := unquoteYAML(strings.TrimSpace(v))
		if !ok || k == "" {
			p.warn(pos(t), "ignored %q in @{...} of node %q: expected key: value", shorten(kv), n.id)
			continue
		}
		switch k {
		case "shape":
			n.shape = v
		case "label":
			n.label = p.label(v, q, pos(t), "node "+strconv.Quote(n.id))
			n.hasLabel = true
		default:
			if n.attrs == nil {
				n.attrs = map[string]string{}
			}
			n.attrs[k] = v
		}
	}
}

// splitShapeData splits on commas and line breaks outside quotes.
func splitShapeData(s string) []string {
	var out []string
	inStr := byte(0)
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			c := s[i]
			if inStr != 0 {
				if c == inStr {
					inStr = 0
				}
				continue
			}
			if c == '"' || c == '\'' {
				inStr = c
				continue
			}
			if c != ',' && c != '\n' {
				continue
			}
		}
		if part := strings.TrimSpace(s[start:i]); part != "" {
			out = append(out, part)
		}
		start = i + 1
	}
	return out
}

func unquoteYAML(v string) (string, quoteKind) {
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return strings.ReplaceAll(v[1:len(v)-1], "''", "'"), qString
	}
	return unquote(v)
}

// label cleans label text and enforces MaxLabelBytes.
//
// Raw text far over the limit is cut before it is cleaned: cleaning a
// 10 MB label to cut it to 4 KB afterwards allocated 50 MB. Markup shrinks
// when cleaned, so the raw text keeps eight times the limit.
func (p *parser) label(raw string, q quoteKind, at graph.Position, what string) string {
	head, precut := labeltext.Truncate(raw, 8*p.lim.MaxLabelBytes)
	if precut {
		raw = cutMarkup(strings.TrimSuffix(head, "…"))
	}
	s := cleanLabel(raw, q)
	if t, cut := labeltext.Truncate(s, p.lim.MaxLabelBytes); cut || precut {
		p.warn(at, "label of %s truncated to %d bytes", what, p.lim.MaxLabelBytes)
		s = t
	}
	return s
}

// cutMarkup drops a tag or entity that a cut left open at the end of s
// ("...<b" or "...&am"), so that cleaning does not keep half of it as text.
func cutMarkup(s string) string {
	for _, open := range []struct{ start, end string }{{"<", ">"}, {"&", ";"}, {"#", ";"}} {
		if i := strings.LastIndex(s, open.start); i >= 0 && !strings.Contains(s[i:], open.end) {
			s = s[:i]
		}
	}
	return s
}

func (p *parser) subgraph(kw, raw token) {
	if len(p.stack) >= p.lim.MaxDepth {
		p.fail(graph.Wrap(p.file, pos(kw), fmt.Sprintf("subgraphs nested deeper than %d", p.lim.MaxDepth), graph.ErrLimit))
	}
	h := raw.text
	if h == "" {
		p.errorf(pos(raw), "unexpected %s, expected subgraph id or title", p.peekDescribe())
	}
	sg := &sgRec{parent: -1, pos: pos(kw)}
	var title string
	var q quoteKind
	if i := bracketIndex(h); i >= 0 {
		sg.id = strings.TrimSpace(h[:i])
		if sg.id == "" {
			p.errorf(pos(raw), `unexpected "[", expected subgraph id`)
		}
		if !strings.HasSuffix(h, "]") {
			p.errorf(graph.Position{Line: raw.line, Column: raw.col + len(h)}, "unexpected %s, expected \"]\" closing the subgraph title", p.peekDescribe())
		}
		title, q = unquote(strings.TrimSpace(h[i+1 : len(h)-1]))
	} else {
		title, q = unquote(h)
		sg.id = title
		// Mermaid: a bare title with spaces is not an id.
		sg.autoID = strings.ContainsAny(title, " \t") || title == ""
	}
	what := "subgraph"
	if !sg.autoID {
		what += " " + strconv.Quote(sg.id)
	}
	sg.title = p.label(title, q, pos(raw), what)
	if len(p.stack) > 0 {
		sg.parent = p.stack[len(p.stack)-1].sg
	}
	sg.canon = len(p.sgs)
	p.sgs = append(p.sgs, sg)
	p.stack = append(p.stack, frame{sg: sg.canon, seen: map[string]bool{}})
}

// peekDescribe names the token after the current one (used when a raw
// statement is empty).
func (p *parser) peekDescribe() string { return p.peek().describe() }

// bracketIndex returns the index of the first "[" outside quotes, or -1.
func bracketIndex(h string) int {
	inStr := false
	for i := 0; i < len(h); i++ {
		switch h[i] {
		case '"':
			inStr = !inStr
		case '[':
			if !inStr {
				return i
			}
		}
	}
	return -1
}

// endSubgraph closes the innermost subgraph. Membership follows Mermaid's
// flowDb: the block lists every node its statements mention (edge ends
// included) and the ids of the subgraphs nested in it, and it keeps only
// those no subgraph closed before it has claimed.
func (p *parser) endSubgraph(t token) {
	k := len(p.stack)
	if k == 0 {
		p.errorf(pos(t), `unexpected "end", expected a statement (no subgraph is open)`)
	}
	f := p.stack[k-1]
	p.stack = p.stack[:k-1]
	sg := p.sgs[f.sg]
	if sg.autoID {
		sg.id = "subGraph" + strconv.Itoa(p.subCount)
	}
	p.subCount++
	canon := f.sg
	if first, ok := p.sgByID[sg.id]; ok {
		// Mermaid merges a repeated subgraph id into the first block: the
		// first keeps its place, the last title and direction win.
		canon = first
		sg.canon = first
		c := p.sgs[first]
		if sg.title != "" {
			c.title = sg.title
		}
		if sg.dir != "" {
			c.dir = sg.dir
		}
	} else {
		p.sgByID[sg.id] = f.sg
	}
	for _, id := range f.list {
		if _, ok := p.claimed[id]; !ok && id != sg.id {
			p.claimed[id] = canon
			p.sgs[canon].claims++
		}
	}
	p.listInFrame(sg.id)
}

func (p *parser) direction(raw token) {
	d, ok := directions[raw.text]
	if !ok || len(raw.text) != 2 {
		p.errorf(pos(raw), "unexpected %q, expected direction TB, TD, BT, LR or RL", shorten(raw.text))
	}
	if k := len(p.stack); k > 0 {
		p.sgs[p.stack[k-1].sg].dir = d
	}
}

// keywordStatement parses classDef, class, style, linkStyle and click.
func (p *parser) keywordStatement(kw, raw token) {
	first, rest, restCol := splitWord(raw.text, raw.col)
	st := stmtRec{kw: kw.text, pos: pos(kw), rest: rest}
	if first == "" {
		p.errorf(pos(raw), "unexpected %s, expected %s", p.peekDescribe(), map[string]string{
			"classDef": "class name", "class": "node id", "style": "node id", "linkStyle": "link number or \"default\"", "click": "node id",
		}[kw.text])
	}
	missing := func(what string) {
		p.errorf(graph.Position{Line: raw.line, Column: restCol}, "unexpected %s, expected %s", p.peekDescribe(), what)
	}
	switch kw.text {
	case "class":
		st.ids = splitList(first)
		if rest == "" {
			missing("class name")
		}
		for _, f := range strings.Fields(rest) {
			st.names = append(st.names, splitList(f)...)
		}
	case "classDef":
		if rest == "" {
			missing("styles")
		}
		st.names = splitList(first)
		return // styles of a class are not part of the model
	case "style", "click":
		st.ids = []string{first}
		if rest == "" {
			if kw.text == "style" {
				missing("styles")
			}
			missing("callback or link")
		}
	case "linkStyle":
		if rest == "" {
			missing("styles")
		}
		if first == "default" {
			st.names = []string{"default"}
			break
		}
		col := raw.col
		for _, n := range strings.Split(first, ",") {
			if _, err := strconv.Atoi(n); err != nil || n == "" || n[0] == '-' || n[0] == '+' {
				p.errorf(graph.Position{Line: raw.line, Column: col}, "unexpected %q, expected link number or \"default\"", shorten(n))
			}
			st.names = append(st.names, n)
			col += len(n) + 1
		}
	}
	p.stmts = append(p.stmts, st)
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
