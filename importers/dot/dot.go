// Package dot imports Graphviz DOT files into the graph model.
//
// Parsing is done by a hand-written lexer and recursive-descent parser for
// the whole DOT language (https://graphviz.org/doc/info/lang.html), in the
// style of go/scanner and go/parser: one pass, line:column positions on
// every error, component, flow and boundary, no WebAssembly. It reads
// graph and digraph, strict, named and anonymous subgraphs, attribute
// statements and node, edge and graph defaults with their scopes, edge
// chains, subgraphs as edge operands ({a b} -> {c d}), ports (a:p:n),
// HTML strings (<...>), quoted strings with + concatenation and line
// continuations, //, /* */ and # comments, case-insensitive keywords and
// numerals. Statements take effect as in Graphviz's own cgraph: defaults
// apply to what is created after them in their scope, subgraphs inherit
// their parent's attributes, strict graphs and edge keys merge repeated
// edges. Graphviz itself is used for layout only (package layout).
//
// Mapping: nodes become components (ID = node name), except a node that
// is only text on the picture (shape plaintext, plain or none without an
// image or HTML table, style=invis, or a label of punctuation only such as
// "...") and is on no edge: that is a note, with a warning. Edges become flows,
// subgraphs whose name begins with "cluster" (or that set cluster=true)
// become trust boundaries, nested as in the source. A plain subgraph is not
// a boundary; its nodes belong to the nearest enclosing cluster. Every
// attribute other than label is kept on the component, flow or boundary, so
// [sensitivity=PHI] survives. Labels become plain text: \n, \l and \r are
// line breaks, \N, \G, \E, \T and \H are replaced, record labels are
// flattened, HTML labels lose their markup, xlabel names a node whose label
// is empty. An edge with lhead or ltail in a graph with compound=true ends
// at the cluster as a whole (Graphviz's logical head or tail) when the
// cluster holds several nodes: a component standing for the cluster (its
// boundary's ID and label, Attributes["represents"] = "boundary"), with
// one warning per cluster; when the cluster holds only the node the edge
// names, the edge stays on that node. A cluster without a caption is named
// by its tooltip, else by its id without the "cluster" prefix when that
// reads as a name ("cluster_backend": "backend"), else after what it holds
// ("frame of Build, Deploy"), with a warning. Every graph of a file is its
// own diagram, named after the graph. A file drawn in data-flow-diagram
// notation (a data store drawn open-ended, as an HTML table with
// sides="TB" or pytm's store image, or pytm's node ids) has its squares
// and boxes read as external entities, circles and rounded boxes as
// processes and open-ended boxes as data stores, with the evidence in
// Component.KindEvidence and a warning for plain boxes (dfd.go). The charset attribute is honoured
// (UTF-8, Latin-1, Big5); invalid UTF-8 is replaced with a warning.
package dot

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/threatmap/threatmap/graph"
)

// Options control an import.
type Options struct {
	Limits graph.Limits
}

// Sniff reports whether data looks like a DOT file: after comments, an
// optional "strict" and then "graph" or "digraph".
func Sniff(data []byte) bool {
	data = bytes.TrimPrefix(data[:min(len(data), 4096)], []byte("\xef\xbb\xbf"))
	var l lexer
	l.init(data, 0)
	t := l.next()
	if t.keyword("strict") {
		t = l.next()
	}
	return l.err == nil && (t.keyword("graph") || t.keyword("digraph"))
}

// Import parses a DOT file. file names the input in messages. It returns
// one diagram per graph in the file.
func Import(file string, data []byte, opts Options) ([]*graph.Diagram, error) {
	lim := opts.Limits.WithDefaults()
	if int64(len(data)) > lim.MaxInputBytes {
		return nil, graph.Wrap(file, graph.Position{}, fmt.Sprintf("input is %d bytes, over the limit of %d", len(data), lim.MaxInputBytes), graph.ErrLimit)
	}
	off := 0
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		off = 3
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line := 1 + bytes.Count(data[:i], []byte("\n"))
		col := i - bytes.LastIndexByte(data[:i], '\n')
		return nil, graph.Errorf(file, graph.Position{Line: line, Column: col}, "NUL byte in DOT input")
	}
	p := &parser{file: file, lim: lim}
	graphs, err := p.parseFile(data, off)
	if err != nil {
		return nil, err
	}
	out := make([]*graph.Diagram, 0, len(graphs))
	names := map[string]int{}
	for i, g := range graphs {
		b := newBuilder(file, g, lim)
		d, err := b.build()
		if err != nil {
			return nil, err
		}
		if len(graphs) > 1 {
			d.Name = diagramName(b.gname, i, names)
		}
		// A generated file can repeat one problem thousands of times:
		// fold repeats and cap the list, as the draw.io importer does.
		d.AggregateWarnings()
		out = append(out, d)
	}
	return out, nil
}

// diagramName names the i-th graph of a file with several: its name, or
// "graph N" for an anonymous one, with " (2)" for a repeated name.
func diagramName(gname string, i int, names map[string]int) string {
	name := "graph " + strconv.Itoa(i+1)
	if gname != "" {
		name = gname
	}
	names[name]++
	if n := names[name]; n > 1 {
		name += " (" + strconv.Itoa(n) + ")"
	}
	return name
}
