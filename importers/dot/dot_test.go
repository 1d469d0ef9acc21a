package dot

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testcorpus"
)

func mustImport(t *testing.T, src string) *graph.Diagram {
	t.Helper()
	ds, err := Import("test.dot", []byte(src), Options{})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if len(ds) != 1 {
		t.Fatalf("got %d diagrams, want 1", len(ds))
	}
	return ds[0]
}

// flowSet renders flows as "src>dst:label" (with <> for bidirectional).
func flowSet(d *graph.Diagram) []string {
	var out []string
	for _, f := range d.Flows {
		op := ">"
		if f.Bidirectional {
			op = "<>"
		}
		out = append(out, f.Source+op+f.Target+":"+f.Label)
	}
	sort.Strings(out)
	return out
}

func TestFlows(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"chain", `digraph { a -> b -> c }`, []string{"a>b:", "b>c:"}},
		{"group", `digraph { a -> {b c} }`, []string{"a>b:", "a>c:"}},
		{"group both sides", `digraph { {a b} -> {c d} }`, []string{"a>c:", "a>d:", "b>c:", "b>d:"}},
		{"subgraph operand", `digraph { a -> subgraph s { b; c } }`, []string{"a>b:", "a>c:"}},
		{"undirected", `graph { a -- b [label="sync"] }`, []string{"a<>b:sync"}},
		{"strict dedupes", `strict digraph { a -> b; a -> b }`, []string{"a>b:"}},
		{"multi edges kept", `digraph { a -> b [label=x]; a -> b [label=y] }`, []string{"a>b:x", "a>b:y"}},
		{"dir both", `digraph { a -> b [dir=both] }`, []string{"a<>b:"}},
		{"dir back", `digraph { a -> b [dir=back] }`, []string{"b>a:"}},
		{"ports", `digraph { a:p1 -> b:n }`, []string{"a>b:"}},
		{"edge label escapes", `digraph { a -> b [label="read\nwrite"] }`, []string{"a>b:read\nwrite"}},
		{"edge label \\E", `digraph { a -> b [label="\E"] }`, []string{"a>b:a->b"}},
		{"html edge label", `digraph { a -> b [label=<<b>HTTPS</b><br/>JWT>] }`, []string{"a>b:HTTPS\nJWT"}},
		{"self loop", `digraph { a -> a }`, []string{"a>a:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustImport(t, tt.src)
			if got := flowSet(d); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("flows = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUniqueFlowIDs(t *testing.T) {
	d := mustImport(t, `digraph { a -> b [label=x]; a -> b [label=y]; b -> a }`)
	seen := map[string]bool{}
	for _, f := range d.Flows {
		if seen[f.ID] {
			t.Errorf("duplicate flow id %q", f.ID)
		}
		seen[f.ID] = true
	}
	if len(seen) != 3 {
		t.Errorf("got %d flows, want 3", len(seen))
	}
}

func TestLabels(t *testing.T) {
	tests := []struct {
		name, src, id, want string
	}{
		{"default is name", `digraph { web_server }`, "web_server", "web_server"},
		{"newline escape", `digraph { a [label="Patient DB\n(PostgreSQL)"] }`, "a", "Patient DB\n(PostgreSQL)"},
		{"left/right escapes", `digraph { a [label="one\ltwo\r"] }`, "a", "one\ntwo"},
		{"\\N", `digraph { a [label="node \N"] }`, "a", "node a"},
		{"html", `digraph { a [label=<<b>Bold</b><br/>x &amp; y>] }`, "a", "Bold\nx & y"},
		{"quoted markup is literal", `digraph { a [label="<script>alert(1)</script>"] }`, "a", "<script>alert(1)</script>"},
		{"record", `digraph { a [shape=record label="{API|<p1> REST|gRPC}"] }`, "a", "API\nREST\ngRPC"},
		{"xlabel when label empty", `digraph { a [label="" xlabel="SQL Database"] }`, "a", "SQL Database"},
		{"concatenated", `digraph { a [label="Web " + "App"] }`, "a", "Web App"},
		{"unicode", `digraph { a [label="Zahlungsdienst ✓"] }`, "a", "Zahlungsdienst ✓"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustImport(t, tt.src)
			c := d.Component(tt.id)
			if c == nil {
				t.Fatalf("no component %q", tt.id)
			}
			if c.Label != tt.want {
				t.Errorf("label = %q, want %q", c.Label, tt.want)
			}
		})
	}
}

func TestAttributesKept(t *testing.T) {
	d := mustImport(t, `digraph {
  node [shape=cylinder, owner="team-a"]
  db [sensitivity=PHI, type=datastore]
  edge [protocol=TLS]
  app -> db [data="card numbers"]
}`)
	db := d.Component("db")
	for k, v := range map[string]string{"sensitivity": "PHI", "type": "datastore", "owner": "team-a", "shape": "cylinder"} {
		if db.Attributes[k] != v {
			t.Errorf("db attribute %s = %q, want %q", k, db.Attributes[k], v)
		}
	}
	if db.Shape != "cylinder" || db.Kind != graph.KindDataStore {
		t.Errorf("db shape/kind = %q/%q", db.Shape, db.Kind)
	}
	f := d.Flows[0]
	if f.Attributes["protocol"] != "TLS" || f.Attributes["data"] != "card numbers" {
		t.Errorf("flow attributes = %v", f.Attributes)
	}
	if _, ok := f.Attributes["label"]; ok {
		t.Error("label must not be duplicated into attributes")
	}
}

const nested = `digraph arch {
  label = "Shop";
  subgraph cluster_internet { label = "Internet"; user }
  subgraph cluster_b {
    label = "Cloud";
    lb
    subgraph cluster_b2 {
      label = "Private";
      subgraph plain_group { api }
      subgraph cluster_b3 { db }
    }
  }
  subgraph not_a_cluster { loose }
  user -> api
  api -> db
  lb -> api
  loose -> lb
}`

func TestClustersAndCrossings(t *testing.T) {
	d := mustImport(t, nested)
	if d.Title != "Shop" {
		t.Errorf("title = %q", d.Title)
	}
	wantMembers := map[string][]string{
		"cluster_internet": {"user"},
		"cluster_b":        {"lb"},
		"cluster_b2":       {"api"},
		"cluster_b3":       {"db"},
	}
	if len(d.Boundaries) != 4 {
		t.Fatalf("got %d boundaries, want 4 (plain subgraphs are not boundaries)", len(d.Boundaries))
	}
	for _, b := range d.Boundaries {
		if !reflect.DeepEqual(b.Members, wantMembers[b.ID]) {
			t.Errorf("boundary %s members = %v, want %v", b.ID, b.Members, wantMembers[b.ID])
		}
	}
	parents := map[string]string{"cluster_internet": "", "cluster_b": "", "cluster_b2": "cluster_b", "cluster_b3": "cluster_b2"}
	for id, p := range parents {
		if got := d.Boundary(id).Parent; got != p {
			t.Errorf("parent of %s = %q, want %q", id, got, p)
		}
	}
	// cluster_b3 has no label of its own: it must not inherit the root's;
	// its id reads as a code, so it is named after what it holds.
	if l := d.Boundary("cluster_b3").Label; l != "frame of db" {
		t.Errorf("unlabelled cluster label = %q, want %q", l, "frame of db")
	}
	if got := d.Component("loose").Boundary; got != "" {
		t.Errorf("node in a plain subgraph got boundary %q", got)
	}
	if got, want := d.BoundaryPath("db"), []string{"cluster_b", "cluster_b2", "cluster_b3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("BoundaryPath(db) = %v, want %v", got, want)
	}
	// A flow from a node in cluster A (internet) to a node nested inside
	// cluster B crosses A and the whole B chain down to the target.
	if got, want := d.Crossings("user", "api"), []string{"cluster_internet", "cluster_b", "cluster_b2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Crossings(user, api) = %v, want %v", got, want)
	}
	if got, want := d.Crossings("api", "db"), []string{"cluster_b3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Crossings(api, db) = %v, want %v", got, want)
	}
	if got := d.Crossings("lb", "lb"); len(got) != 0 {
		t.Errorf("Crossings(lb, lb) = %v, want none", got)
	}
}

func TestPositions(t *testing.T) {
	d := mustImport(t, "digraph {\n  a\n  b [label=x]\n\n  a -> b\n  b -> c -> a\n}\n")
	for id, line := range map[string]int{"a": 2, "b": 3, "c": 6} {
		if got := d.Component(id).Pos.Line; got != line {
			t.Errorf("%s line = %d, want %d", id, got, line)
		}
	}
	for _, f := range d.Flows {
		want := map[string]int{"a->b": 5, "b->c": 6, "c->a": 6}[f.ID]
		if f.Pos.Line != want {
			t.Errorf("flow %s line = %d, want %d", f.ID, f.Pos.Line, want)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"missing head", "digraph {\n a -> b\n b -> ;\n}\n", "bad.dot:3:7: syntax error: unexpected \";\", expected node name or subgraph"},
		{"unclosed", "digraph {\n a -> b\n\n c [label=\"x\"\n", "bad.dot:5:1: syntax error: unexpected end of input, expected attribute name or \"]\""},
		{"not dot", "hello world\n", "bad.dot:1:1: syntax error: unexpected \"hello\", expected \"graph\" or \"digraph\""},
		{"NUL byte", "digraph {\n a \x00 }", "bad.dot:2:4: NUL byte"},
		{"unterminated string", "digraph {\n a [label=\"x]\n}\n", "bad.dot:2:11: syntax error: unterminated string"},
		{"unterminated HTML", "digraph {\n\n a [label=<<b>x]\n}\n", "bad.dot:3:11: syntax error: unterminated HTML string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Import("bad.dot", []byte(tt.src), Options{})
			if err == nil {
				t.Fatal("no error")
			}
			if !graph.IsInputError(err) {
				t.Errorf("error %T is not an InputError", err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %q, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestDepthLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("digraph {\n")
	for i := 0; i < 100000; i++ {
		b.WriteString("subgraph cluster_x { ")
	}
	_, err := Import("deep.dot", []byte(b.String()), Options{})
	if err == nil || !errors.Is(err, graph.ErrLimit) {
		t.Fatalf("err = %v, want a limit error", err)
	}
	if !strings.HasPrefix(err.Error(), "deep.dot:2:4199: braces nested 201 deep, over the limit of 200") {
		t.Errorf("err = %q", err)
	}
}

func TestSniff(t *testing.T) {
	for src, want := range map[string]bool{
		"digraph G {}":                  true,
		"// c\n/* x */ strict graph {}": true,
		"#!x\ngraph{}":                  true,
		"flowchart LR\n a-->b":          false,
		"<mxfile>":                      false,
		"":                              false,
	} {
		if got := Sniff([]byte(src)); got != want {
			t.Errorf("Sniff(%q) = %v, want %v", src, got, want)
		}
	}
}

// TestCorpus imports every DOT file of the shared corpus and checks counts
// established by reading the files: both pytm files declare 4 nodes
// (Gateway, Web Server, SQL Database, User), 6 edges (lines 100-135) and
// 4 clusters, dmz and backend nested in "Company net".
func TestCorpus(t *testing.T) {
	dir := testcorpus.Dir(t, "dot")
	want := map[string]struct{ nodes, flows, bounds int }{
		"pytm-dfd.dot":          {4, 6, 4},
		"pytm-dfd_colormap.dot": {4, 6, 4},
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Fatal("no DOT files in corpus")
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := Import(name, data, Options{})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			d := ds[0]
			w, ok := want[name]
			if !ok {
				t.Fatalf("no expected counts for %s: add them", name)
			}
			if len(d.Components) != w.nodes || len(d.Flows) != w.flows || len(d.Boundaries) != w.bounds {
				t.Errorf("got %d nodes, %d flows, %d boundaries; want %d, %d, %d",
					len(d.Components), len(d.Flows), len(d.Boundaries), w.nodes, w.flows, w.bounds)
			}
			if c := d.Component("datastore_SQLDatabase_0291419f72"); c == nil || c.Label != "SQL Database" || c.Boundary != "cluster_boundary_backend_f2eb7a3ff7" {
				t.Errorf("SQL Database component = %+v", c)
			}
			if b := d.Boundary("cluster_boundary_dmz_579e9aae81"); b == nil || b.Label != "dmz" || b.Parent != "cluster_boundary_Companynet_88f2d9c06f" {
				t.Errorf("dmz boundary = %+v", b)
			}
		})
	}
}

func TestExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testcorpus.RepoRoot(t), "examples", "telehealth.dot"))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Import("telehealth.dot", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	if len(d.Components) != 14 || len(d.Flows) != 15 || len(d.Boundaries) != 5 || len(d.Warnings) != 0 {
		t.Errorf("got %d components, %d flows, %d boundaries, %d warnings", len(d.Components), len(d.Flows), len(d.Boundaries), len(d.Warnings))
	}
	if got := d.Depth("cluster_data"); got != 3 {
		t.Errorf("data tier depth = %d, want 3", got)
	}
}

func TestLongStrings(t *testing.T) {
	long := strings.Repeat("x", 200000)
	d := mustImport(t, "digraph {\n a [label=\""+long+"\"]\n b [label=<<b>"+long+"</b>>]\n a -> b [label=\""+long+"\\\"\"]\n}")
	for _, c := range d.Components {
		if len(c.Label) > graph.DefaultMaxLabelBytes+3 || !strings.HasSuffix(c.Label, "…") {
			t.Errorf("%s label not truncated: %d bytes", c.ID, len(c.Label))
		}
	}
	if len(d.Flows) != 1 || !strings.HasPrefix(d.Flows[0].Label, "xxx") {
		t.Errorf("flows = %+v", d.Flows)
	}
	if len(d.Warnings) != 3 || !strings.Contains(d.Warnings[0].String(), "2:11: attribute value of 200000 bytes truncated") {
		t.Errorf("warnings = %v", d.Warnings)
	}
	_, err := Import("id.dot", []byte("digraph {\n "+long+" -> b }"), Options{})
	if err == nil || !errors.Is(err, graph.ErrLimit) || !strings.HasPrefix(err.Error(), "id.dot:2:2: identifier of 200000 bytes") {
		t.Errorf("long identifier: %v", err)
	}
}
