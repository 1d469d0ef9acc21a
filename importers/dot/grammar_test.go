package dot

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// dump renders a diagram as lines that tests compare exactly:
//
//	C id|label|shape|boundary|@line:col
//	F id|source->target|label|flags|@line:col    flags: "bi", "un" or "-"
//	B id|label|parent|members|@line:col
//	W warning
func dump(d *graph.Diagram) []string {
	var out []string
	for _, c := range d.Components {
		out = append(out, fmt.Sprintf("C %s|%s|%s|%s|@%s", c.ID, c.Label, c.Shape, c.Boundary, c.Pos))
	}
	for _, f := range d.Flows {
		flags := "-"
		switch {
		case f.Undirected && f.Bidirectional:
			flags = "un"
		case f.Bidirectional:
			flags = "bi"
		}
		out = append(out, fmt.Sprintf("F %s|%s->%s|%s|%s|@%s", f.ID, f.Source, f.Target, f.Label, flags, f.Pos))
	}
	for _, b := range d.Boundaries {
		out = append(out, fmt.Sprintf("B %s|%s|%s|%s|@%s", b.ID, b.Label, b.Parent, strings.Join(b.Members, ","), b.Pos))
	}
	for _, w := range d.Warnings {
		out = append(out, "W "+w.String())
	}
	return out
}

func diffLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return
	}
	t.Errorf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
}

// TestGrammar covers the DOT language construct by construct, with exact
// positions.
func TestGrammar(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"keywords in any case, numerals", "DiGraph G {\n NODE [shape=box]\n 1 -> -2.5 -> .5\n}", []string{
			"C 1|1|box||@3:2", "C -2.5|-2.5|box||@3:7", "C .5|.5|box||@3:15",
			"F 1->-2.5|1->-2.5||-|@3:4", "F -2.5->.5|-2.5->.5||-|@3:12"}},
		{"quoted ids, concatenation, line continuation", "digraph {\n \"web\" + \" app\" -> \"d\\\nb\"\n \"x\\\"y\"\n}", []string{
			"C web app|web app|||@2:2", "C db|db|||@2:20", `C x"y|x"y|||@4:2`,
			"F web app->db|web app->db||-|@2:17"}},
		{"HTML id", "graph { <<b>x</b>> -- y }", []string{
			"C <b>x</b>|<b>x</b>|||@1:9", "C y|y|||@1:23", "F <b>x</b>--y|<b>x</b>->y||un|@1:20"}},
		{"comments and # lines", "# preprocessor line\ndigraph { // c\n /* multi\n line */ a -> b\n}", nil},
		{"indented and trailing # comments", "digraph {\n    # a shell-style comment\n    a -> b # after an edge\n}", []string{
			"C a|a|||@3:5", "C b|b|||@3:10", "F a->b|a->b||-|@3:7"}},
		{"ports keep tailport and headport", "digraph { a:p1:n -> b:s }", []string{
			"C a|a|||@1:11", "C b|b|||@1:21", "F a->b|a->b||-|@1:18"}},
		{"node lists: every node of a side, each with its own port; attributes on all", "digraph {\n {rank=same a, b}\n a, b:p -> c, d\n e, f [shape=box]\n}", []string{
			"C a|a|||@2:13", "C b|b|||@2:16", "C c|c|||@3:12", "C d|d|||@3:15", "C e|e|box||@4:2", "C f|f|box||@4:5",
			"F a->c|a->c||-|@3:9", "F a->d|a->d||-|@3:9", "F b->c|b->c||-|@3:9", "F b->d|b->d||-|@3:9"}},
		{"subgraph operands", "digraph {\n {a b} -> subgraph s {c; d}\n}", []string{
			"C a|a|||@2:3", "C b|b|||@2:5", "C c|c|||@2:23", "C d|d|||@2:26",
			"F a->c|a->c||-|@2:8", "F a->d|a->d||-|@2:8", "F b->c|b->c||-|@2:8", "F b->d|b->d||-|@2:8"}},
		{"a named subgraph operand stands for all its nodes so far", "digraph {\n subgraph s {a}\n x -> subgraph s {b}\n}", []string{
			"C a|a|||@2:14", "C x|x|||@3:2", "C b|b|||@3:19",
			"F x->a|x->a||-|@3:4", "F x->b|x->b||-|@3:4"}},
		{"strict merges repeats in either direction of a graph", "strict graph {\n a -- b [label=one]\n b -- a [color=red]\n a -- a\n}", []string{
			"C a|a|||@2:2", "C b|b|||@2:7", "F a--b|a->b|one|un|@2:4", "F a--a|a->a||un|@4:4"}},
		{"badly delimited number", "digraph { 2abc }", []string{
			"C 2|2|||@1:11", "C abc|abc|||@1:12",
			`W 1:11: badly delimited number "2a": read as two identifiers, "2" first`}},
		{"edge keys merge", "digraph {\n a -> b [key=k1, label=x]\n a -> b [key=k1, color=red]\n a -> b\n}", []string{
			"C a|a|||@2:2", "C b|b|||@2:7", "F k1|a->b|x|-|@2:4", "F a->b|a->b||-|@4:4"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustImport(t, tc.src)
			if tc.want == nil {
				if len(d.Components) != 2 || len(d.Flows) != 1 || d.Components[0].Pos.Line != 4 {
					t.Errorf("got %v", dump(d))
				}
				return
			}
			diffLines(t, dump(d), tc.want)
		})
	}
	d := mustImport(t, "digraph { a:p1:n -> b:s }")
	if a := d.Flows[0].Attributes; a["tailport"] != "p1:n" || a["headport"] != "s" {
		t.Errorf("ports = %v", a)
	}
}

// TestScopes checks that defaults apply to what is created after them in
// their scope, as in Graphviz.
func TestScopes(t *testing.T) {
	d := mustImport(t, `digraph {
  a
  node [shape=cylinder, owner=ops]
  b
  subgraph cluster_x {
    node [shape=box]
    edge [proto=TLS]
    c -> b
    a
  }
  d -> c
  e [owner=""]
}`)
	want := map[string]string{"a": "|", "b": "cylinder|ops", "c": "box|ops", "d": "cylinder|ops", "e": "cylinder|"}
	for id, w := range want {
		c := d.Component(id)
		if got := c.Shape + "|" + c.Attributes["owner"]; got != w {
			t.Errorf("%s: shape|owner = %q, want %q", id, got, w)
		}
	}
	if got := d.Component("a").Boundary; got != "cluster_x" {
		t.Errorf("a mentioned in the cluster later: boundary %q", got)
	}
	for _, f := range d.Flows {
		want := map[string]string{"c->b": "TLS", "d->c": ""}[f.ID]
		if f.Attributes["proto"] != want {
			t.Errorf("%s proto = %q, want %q", f.ID, f.Attributes["proto"], want)
		}
	}
}

func TestGrammarErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"digraph {\n a -- b\n}", `e.dot:2:4: syntax error: unexpected "--" in a digraph, expected "->"`},
		{"graph {\n a -> b\n}", `e.dot:2:4: syntax error: unexpected "->" in a graph, expected "--"`},
		{"digraph {\n a @ b\n}", `e.dot:2:4: syntax error: unexpected character '@'`},
		{"digraph {\n /* open", `e.dot:2:2: unterminated comment, expected "*/"`},
		{"digraph {\n a [label=\"x\" + y]\n}", `e.dot:2:17: syntax error: expected a quoted string after "+"`},
		{"digraph {\n {a b} [color=red]\n}", `e.dot:2:8: syntax error: unexpected "[", expected a statement`},
		{"digraph {\n a, {b} -> c\n}", `e.dot:2:5: syntax error: unexpected "{", expected node name (a node list holds nodes, not subgraphs)`},
		{"digraph {\n a, -> c\n}", `e.dot:2:5: syntax error: unexpected "->", expected node name or subgraph`},
		{"digraph {\n a -> b\n", `e.dot:3:1: syntax error: unexpected end of input, expected "}" closing the "{" at 1:9`},
		{"digraph {\n node -> b\n}", `e.dot:2:7: syntax error: unexpected "->", expected "[" after node`},
		{"digraph {\n a -> Strict\n}", `e.dot:2:7: syntax error: unexpected "Strict", expected node name or subgraph`},
		{"", `e.dot:1:1: no graph found`},
		{"// only a comment\n", `e.dot:2:1: no graph found`},
		{"digraph { a } x", `e.dot:1:15: syntax error: unexpected "x", expected "graph" or "digraph"`},
	}
	for _, tc := range tests {
		_, err := Import("e.dot", []byte(tc.src), Options{})
		if err == nil || !graph.IsInputError(err) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want prefix %q", tc.src, err, tc.want)
		}
	}
}

// TestLongChain is chain3000-one-statement.dot of ../shared/repro: a
// 3,000-node chain in one statement lost nodes and every flow under cgraph.
func TestLongChain(t *testing.T) {
	var b strings.Builder
	b.WriteString("digraph{ n0")
	for i := 1; i < 3000; i++ {
		fmt.Fprintf(&b, " -> n%d", i)
	}
	b.WriteString(" }\n")
	d := mustImport(t, b.String())
	if len(d.Components) != 3000 || len(d.Flows) != 2999 || len(d.Warnings) != 0 {
		t.Fatalf("got %d components, %d flows, %d warnings", len(d.Components), len(d.Flows), len(d.Warnings))
	}
	for i, f := range d.Flows {
		if f.Source != fmt.Sprintf("n%d", i) || f.Target != fmt.Sprintf("n%d", i+1) {
			t.Fatalf("flow %d = %s -> %s", i, f.Source, f.Target)
		}
	}
	if last := d.Flows[2998].Pos; last.Line != 1 || last.Column <= 20000 {
		t.Errorf("last flow at %v", last)
	}
}

// TestMultipleGraphs is multi.dot of ../shared/repro: every graph of a
// file is a diagram, named after the graph.
func TestMultipleGraphs(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "multi.dot"))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Import("multi.dot", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.Name+": "+strings.Join(dump(d), "; "))
	}
	diffLines(t, got, []string{
		"A: C a|a|||@1:13; C b|b|||@1:18; F a->b|a->b||-|@1:15",
		"B: C c|c|||@2:13; C d|d|||@2:18; F c->d|c->d||-|@2:15",
	})
	ds, err = Import("m.dot", []byte("graph { a }\ngraph { b }\nstrict digraph x { c }\ndigraph x { d }"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range ds {
		names = append(names, d.Name)
	}
	if strings.Join(names, ",") != "graph 1,graph 2,x,x (2)" {
		t.Errorf("names = %q", names)
	}
	// The element limit counts across the file.
	_, err = Import("m.dot", []byte("digraph { a -> b }\ndigraph { c -> d }"), Options{Limits: graph.Limits{MaxElements: 5}})
	if err == nil || !errors.Is(err, graph.ErrLimit) || !strings.HasPrefix(err.Error(), "m.dot:2:13: more than 5 nodes and edges") {
		t.Errorf("limit across graphs: %v", err)
	}
}

// TestCharset is latin1-charset.dot of ../shared/repro, and its
// spellings: a declared charset is honoured; invalid UTF-8 without one is
// replaced with a warning.
func TestCharset(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "latin1-charset.dot"))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Import("latin1.dot", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	diffLines(t, dump(ds[0]), []string{"C a|Café|||@1:26", "C b|b|||@1:49", "F a->b|a->b||-|@1:46"})
	tests := []struct {
		src  string
		want []string
	}{
		{"digraph { charset=\"ISO-8859-1\"; \"na\xefve\" [label=\"gr\xfc\xdf\"] }", []string{"C naïve|grüß|||@1:33"}},
		{"digraph { a [label=\"gr\xfc\xdf\"]; charset=latin1 }", []string{"C a|grüß|||@1:11"}},
		{"digraph { a [label=\"Caf\xe9\"]; b [label=\"\xff\"] }", []string{"C a|Caf\uFFFD|||@1:11", "C b|\uFFFD|||@1:29",
			"W 1:20: invalid UTF-8 in 2 strings (the first here) replaced by U+FFFD; if the file is Latin-1, say so with charset=latin1"}},
		{"digraph { charset=utf8; a [label=\"Café\"] }", []string{"C a|Café|||@1:25"}},
		{"digraph { charset=koi8; a }", []string{"C a|a|||@1:25",
			`W 1:19: charset "koi8" is not supported (Graphviz reads UTF-8, Latin-1 and Big5); read as UTF-8`}},
	}
	for _, tc := range tests {
		diffLines(t, dump(mustImport(t, tc.src)), tc.want)
	}
}

// TestCartesianLimit: a 60 × 60 edge statement (about 4 KB) is 3,600
// edges, cheap now; one that would pass the element limit fails before it
// is expanded, naming its line.
func TestCartesianLimit(t *testing.T) {
	var l, r []string
	for i := 1; i <= 60; i++ {
		l = append(l, fmt.Sprintf("a%d", i))
		r = append(r, fmt.Sprintf("b%d", i))
	}
	src := "digraph {\n {" + strings.Join(l, " ") + "} -> {" + strings.Join(r, " ") + "}\n}"
	d := mustImport(t, src)
	if len(d.Components) != 120 || len(d.Flows) != 3600 {
		t.Fatalf("got %d components, %d flows", len(d.Components), len(d.Flows))
	}
	_, err := Import("cart.dot", []byte(src), Options{Limits: graph.Limits{MaxElements: 3000}})
	want := "cart.dot:2:235: edge statement makes 3600 edges (60 × 60), over the limit of 3000 nodes and edges (raise it with --max-elements)"
	if err == nil || !errors.Is(err, graph.ErrLimit) || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v, want prefix %q", err, want)
	}
	// Chained groups multiply: each step is checked before it is made.
	_, err = Import("c.dot", []byte("digraph {\n {a b c} -> {d e f} -> {g h i}\n}"), Options{Limits: graph.Limits{MaxElements: 15}})
	if err == nil || !strings.HasPrefix(err.Error(), "c.dot:2:10: edge statement makes 9 edges (3 × 3), over the limit of 15") {
		t.Errorf("chained groups: %v", err)
	}
}

// TestEdgesToClusters: with compound=true, lhead and ltail make the
// cluster an edge's logical end. A frame around several components is
// the end drawn: the edge ends on a component standing for the cluster
// (the convention every importer shares). A frame around one component,
// nested frames included, is that component: the edge stays on the node it
// names.
func TestEdgesToClusters(t *testing.T) {
	d := mustImport(t, `digraph {
  compound=true;
  subgraph cluster_db { label="Data tier"; pg; replica }
  subgraph cluster_app { api }
  app -> pg [lhead=cluster_db, label="SQL"]
  api -> replica [ltail=cluster_app, lhead=cluster_db]
  app -> replica [lhead=cluster_app]
  app -> pg [lhead=cluster_none]
  subgraph cluster_edge { label="Edge"; subgraph cluster_lb { label="LB"; lb } }
  app -> lb [lhead=cluster_edge]
  lb -> app [ltail=cluster_lb]
}`)
	diffLines(t, dump(d), []string{
		"C pg|pg||cluster_db|@3:44", "C replica|replica||cluster_db|@3:48", "C api|api||cluster_app|@4:26", "C app|app|||@5:3",
		"C lb|lb||cluster_lb|@9:75",
		"C cluster_db|Data tier||cluster_db|@3:3",
		"F app->pg|app->cluster_db|SQL|-|@5:7", "F api->replica|api->cluster_db||-|@6:7",
		"F app->replica|app->replica||-|@7:7", "F app->pg#2|app->pg||-|@8:7",
		"F app->lb|app->lb||-|@10:7", "F lb->app|lb->app||-|@11:6",
		"B cluster_db|Data tier||cluster_db,pg,replica|@3:3", "B cluster_app|app||api|@4:3",
		"B cluster_edge|Edge|||@9:3", "B cluster_lb|LB|cluster_edge|lb|@9:41",
		`W 7:7: edge app -> replica: node "replica" is not inside lhead cluster "cluster_app"; the edge stays on the node, as Graphviz draws it`,
		`W 8:7: edge app -> pg: lhead="cluster_none" names no cluster; the edge stays on node "pg"`,
		`W 5:7: edge app -> pg (lhead) attached to cluster "cluster_db" as a whole, not to a node in it (2 edge ends in all)`,
	})
	c := d.Component("cluster_db")
	if c.Attributes["represents"] != "boundary" || len(c.Attributes) != 1 {
		t.Errorf("cluster component attributes = %v", c.Attributes)
	}
	// The frame a flow stays inside is recorded on it, and crossed.
	if f := d.Flows[4]; f.Attributes["lhead"] != "cluster_edge" || strings.Join(d.FlowCrossings(f), ",") != "cluster_edge,cluster_lb" {
		t.Errorf("app -> lb: %v crosses %v", f.Attributes, d.FlowCrossings(f))
	}
	// Without compound=true Graphviz ignores lhead, and so does the import.
	d = mustImport(t, "digraph {\n subgraph cluster_a { label=A; b; c }\n x -> b [lhead=cluster_a]\n}")
	if f := d.Flows[0]; f.Target != "b" || len(d.Warnings) != 1 {
		t.Errorf("without compound: %v", dump(d))
	}
}

// TestFlowOrder: flows follow the source, statement by statement.
func TestFlowOrder(t *testing.T) {
	d := mustImport(t, "digraph {\n a; b; c\n c -> b -> a\n a -> c\n}")
	var ids []string
	for _, f := range d.Flows {
		ids = append(ids, f.ID)
	}
	if got := strings.Join(ids, " "); got != "c->b b->a a->c" {
		t.Errorf("order = %s", got)
	}
	sort.Strings(ids)
}

// TestUncaptionedClusters: a cluster drawn without a caption is named by
// its tooltip, else by its id when that reads as a name, else after what it
// holds, with a warning; the component standing for it as a flow end takes
// that name, never a bare id such as "f1".
func TestUncaptionedClusters(t *testing.T) {
	d := mustImport(t, `digraph {
  compound=true
  subgraph cluster_f1 { label=""; build [label="Build"]; deploy [label="Deploy\n(generic)"] }
  subgraph cluster_7 { a; b; c; d; e }
  subgraph cluster_backend { api }
  subgraph cluster_x2 { tooltip="Payment zone"; pay }
  subgraph cluster_9 { subgraph cluster_inner { label="Inner"; n1; n2 } }
  subgraph cluster_0 { }
  repo -> build [lhead=cluster_f1]
}`)
	for id, want := range map[string]string{
		"cluster_f1": "frame of Build, Deploy (generic)", "cluster_7": "frame of a, b, c and 2 more", "cluster_backend": "backend",
		"cluster_x2": "Payment zone", "cluster_9": "frame of n1, n2", "cluster_inner": "Inner", "cluster_0": "unnamed frame",
	} {
		if got := d.Boundary(id).Label; got != want {
			t.Errorf("%s named %q, want %q", id, got, want)
		}
	}
	// Names made from the members' words are marked derived: they are
	// not the author's words about the frame.
	for id, want := range map[string]bool{"cluster_f1": true, "cluster_7": true, "cluster_backend": false, "cluster_x2": false, "cluster_9": true, "cluster_inner": false, "cluster_0": true} {
		if got := d.Boundary(id).LabelDerived; got != want {
			t.Errorf("%s LabelDerived = %v, want %v", id, got, want)
		}
	}
	if c := d.Component("cluster_f1"); c == nil || c.Label != "frame of Build, Deploy (generic)" || !c.LabelDerived || d.Flows[0].Target != "cluster_f1" {
		t.Errorf("stand-in %+v, flow %+v", c, d.Flows[0])
	}
	var warns []string
	for _, w := range d.Warnings {
		warns = append(warns, w.String())
	}
	diffLines(t, warns, []string{
		`3:3: cluster "cluster_f1" has no caption: named "frame of Build, Deploy (generic)" after what it holds`,
		`4:3: cluster "cluster_7" has no caption: named "frame of a, b, c and 2 more" after what it holds`,
		`7:3: cluster "cluster_9" has no caption: named "frame of n1, n2" after what it holds`,
		`8:3: cluster "cluster_0" has no caption: named "unnamed frame" after what it holds`,
		`9:8: edge repo -> build (lhead) attached to cluster "cluster_f1" as a whole, not to a node in it`,
	})
	for s, want := range map[string]bool{"f1": true, "3": true, "s 2": true, "1a2b3c": true, "": true, "db": false, "backend": false, "x 2 api": false} {
		if got := isCode(s); got != want {
			t.Errorf("isCode(%q) = %v", s, got)
		}
	}
}
