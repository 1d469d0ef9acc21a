package markdown

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

var mermaidRe = regexp.MustCompile("(?s)```mermaid\n.*?```\n")

var (
	nodeLine  = regexp.MustCompile(`^\s*(n_\w+)(\[\(|\(|\[)"([^"]*)"(\)\]|\)|\])$`)
	subLine   = regexp.MustCompile(`^\s*subgraph (b_\w+)\["([^"]*)"\]$`)
	edgeLine  = regexp.MustCompile(`^\s*(n_\w+) (-->|<-->)(?:\|"([^"]*)"\|)? (n_\w+)$`)
	otherLine = regexp.MustCompile(`^\s*(end|flowchart (LR|RL|TB|BT)|linkStyle [\d,]+ [\w:#,.-]+|classDef (critical|high) [\w:#,.-]+|class [\w,]+ (critical|high))$`)
)

// parsed is a Mermaid block read back by checkMermaid.
type parsed struct {
	nodes, subgraphs map[string]string // id -> label (entities as written)
	edges            []string          // "src dst label"
}

// checkMermaid checks that every line of a Mermaid block is one of the
// forms MermaidBlock writes, with quoted labels free of raw quotes and
// tags, and that subgraphs nest properly.
func checkMermaid(t *testing.T, block string) parsed {
	t.Helper()
	p := parsed{nodes: map[string]string{}, subgraphs: map[string]string{}}
	lines := strings.Split(strings.TrimSuffix(block, "\n"), "\n")
	if lines[0] != "```mermaid" || lines[len(lines)-1] != "```" {
		t.Fatalf("not a fenced mermaid block: %q ... %q", lines[0], lines[len(lines)-1])
	}
	depth := 0
	for _, l := range lines[1 : len(lines)-1] {
		var lbl string
		switch {
		case nodeLine.MatchString(l):
			m := nodeLine.FindStringSubmatch(l)
			p.nodes[m[1]], lbl = m[3], m[3]
		case subLine.MatchString(l):
			m := subLine.FindStringSubmatch(l)
			p.subgraphs[m[1]], lbl = m[2], m[2]
			depth++
		case edgeLine.MatchString(l):
			m := edgeLine.FindStringSubmatch(l)
			p.edges = append(p.edges, m[1]+" "+m[4]+" "+m[3])
			lbl = m[3]
		case otherLine.MatchString(l):
			if strings.TrimSpace(l) == "end" {
				depth--
			}
		default:
			t.Errorf("unexpected Mermaid line: %q", l)
		}
		if strings.ContainsAny(strings.ReplaceAll(lbl, "<br>", ""), "<>\"`") {
			t.Errorf("unescaped label: %q", l)
		}
		if depth < 0 {
			t.Errorf("unbalanced end: %q", l)
		}
	}
	if depth != 0 {
		t.Errorf("%d subgraphs not closed", depth)
	}
	return p
}

// decode reverses label escaping, for comparison with the report.
func decode(s string) string {
	return strings.NewReplacer("#quot;", `"`, "#35;", "#", "#lt;", "<", "#gt;", ">", "#amp;", "&", "#96;", "`", "#58;", ":", "<br>", "\n").Replace(s)
}

func TestMermaidStructure(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	p := checkMermaid(t, MermaidBlock(r))
	if len(p.nodes) != len(r.Components) || len(p.subgraphs) != len(r.Boundaries) || len(p.edges) != len(r.Flows) {
		t.Fatalf("%d nodes, %d subgraphs, %d edges; want %d, %d, %d", len(p.nodes), len(p.subgraphs),
			len(p.edges), len(r.Components), len(r.Boundaries), len(r.Flows))
	}
	for _, c := range r.Components {
		if got := decode(p.nodes["n_"+c.ID]); got != c.Label {
			t.Errorf("node %s label %q, want %q", c.ID, got, c.Label)
		}
	}
	for i, f := range r.Flows {
		want := "n_" + f.Source + " n_" + f.Target + " "
		if f.EntryPoint != "" {
			want += f.EntryPoint + ": "
		}
		if got := p.edges[i]; decode(got) != want+f.Label {
			t.Errorf("edge %d = %q, want %q", i, got, want+f.Label)
		}
	}
	// Highlights follow the report: a class line for critical and for
	// high components, and a link style on the flows that are entry points.
	bySev := map[string][]string{}
	for _, c := range r.Components {
		if c.MaxSeverity == stride.SeverityCritical || c.MaxSeverity == stride.SeverityHigh {
			bySev[strings.ToLower(string(c.MaxSeverity))] = append(bySev[strings.ToLower(string(c.MaxSeverity))], "n_"+c.ID)
		}
	}
	var eps []string
	for i, f := range r.Flows {
		if f.EntryPoint != "" {
			eps = append(eps, strconv.Itoa(i))
		}
	}
	wants := []string{
		"    subgraph b_cluster_5fcloud[\"AWS Cloud (VPC)\"]\n        subgraph b_cluster_5fapp[\"Application Tier\"]\n            subgraph b_cluster_5fdata[\"Data Tier\"]\n",
		"n_db[(\"Patient Records DB<br>(PostgreSQL)\")]",
		"linkStyle " + strings.Join(eps, ",") + " ",
	}
	for sev, ids := range bySev {
		sort.Strings(ids)
		wants = append(wants, "class "+strings.Join(ids, ",")+" "+sev+"\n")
	}
	block := MermaidBlock(r)
	for _, want := range wants {
		if !strings.Contains(block, want) {
			t.Errorf("Mermaid block lacks %q:\n%s", want, block)
		}
	}
}

func TestMermaidIDs(t *testing.T) {
	used := map[string]bool{}
	for in, want := range map[string]string{"a": "n_a", "a-b": "n_a_2db", "é": "n__c3_a9"} {
		if got := uniqueID("n_", in, used); got != want {
			t.Errorf("uniqueID(%q) = %q, want %q", in, got, want)
		}
	}
	if got := uniqueID("n_", "a", used); got != "n_a_2" {
		t.Errorf("collision: %q", got)
	}
}

// meshDiagram has nb boundaries of per components each, and a flow from
// every component to every component of the other boundaries: every flow
// crosses, and there are nb*(nb-1) boundary pairs.
func meshDiagram(nb, per int) *graph.Diagram {
	d := graph.New("mesh.dot", "dot")
	for b := 0; b < nb; b++ {
		if err := d.AddBoundary(&graph.Boundary{ID: fmt.Sprintf("b%d", b), Label: fmt.Sprintf("Zone %d", b)}); err != nil {
			panic(err)
		}
	}
	n := nb * per
	for c := 0; c < n; c++ {
		if err := d.AddComponent(&graph.Component{ID: fmt.Sprintf("c%d", c), Label: fmt.Sprintf("Service %d", c), Boundary: fmt.Sprintf("b%d", c%nb)}); err != nil {
			panic(err)
		}
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i%nb != j%nb {
				d.AddFlow(&graph.Flow{ID: fmt.Sprintf("f%d_%d", i, j), Source: fmt.Sprintf("c%d", i), Target: fmt.Sprintf("c%d", j), Label: "HTTPS"})
			}
		}
	}
	if err := d.Finalize(); err != nil {
		panic(err)
	}
	return d
}

// TestMermaidLimits checks that every block stays within Mermaid's
// default limits (50,000 characters, 500 links) and that a reduced block
// says what it leaves out: the views are tried in order and the first that
// fits is used.
func TestMermaidLimits(t *testing.T) {
	cases := []struct {
		name   string
		r      *stride.Report
		note   string // "" for the full diagram
		block  bool
		crossI bool // only entry-point flows drawn
	}{
		{"telehealth", testsupport.ExampleReport(t, "telehealth.dot"), "", true, false},
		{"long labels", testsupport.Analyze(t, longLabels(60)), "Labels are shortened", true, false},
		{"busy zone", testsupport.Analyze(t, busyZone(700, 12)), "Only the flows that cross", true, true},
		{"mesh 8x8", testsupport.Analyze(t, meshDiagram(8, 8)), "Each trust boundary is drawn as one node", true, false},
		{"mesh 24x1", testsupport.Analyze(t, meshDiagram(24, 1)), "no diagram is drawn here", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := MermaidBlock(tc.r)
			m := mermaidRe.FindString(out)
			if (m != "") != tc.block {
				t.Fatalf("block present %v, want %v:\n%.400s", m != "", tc.block, out)
			}
			if tc.note == "" && !strings.HasPrefix(out, "```mermaid\n") {
				t.Errorf("a note precedes a diagram that fits: %.300s", out)
			}
			if tc.note != "" && !strings.Contains(out[:len(out)-len(m)], tc.note) {
				t.Errorf("no note %q before the block: %.300s", tc.note, out)
			}
			if m == "" {
				return
			}
			body := strings.TrimSuffix(strings.TrimPrefix(m, "```mermaid\n"), "```\n")
			links := strings.Count(body, " --> ") + strings.Count(body, " <--> ") + strings.Count(body, " -->|") + strings.Count(body, " <-->|")
			if len(body) > mermaidMaxText || links > mermaidMaxEdges {
				t.Errorf("%d characters and %d links: over Mermaid's limits", len(body), links)
			}
			if tc.crossI {
				eps := 0
				for _, f := range tc.r.Flows {
					if f.EntryPoint != "" {
						eps++
					}
				}
				if links != eps {
					t.Errorf("%d links, want the %d entry-point flows", links, eps)
				}
			}
		})
	}
}

// TestMermaidEmptyLabels: Mermaid 11 rejects `subgraph b[""]` (the corpus's
// aws-saas-example has an unnamed boundary) and empty node labels; elements
// with nothing visible in their label are named by their id.
func TestMermaidEmptyLabels(t *testing.T) {
	r := emptyLabels(t)
	block := MermaidBlock(r)
	for _, bad := range []string{`[""]`, `(""`, `[(""`, `|""|`, `[" "]`} {
		if strings.Contains(block, bad) {
			t.Errorf("block has an empty label %s:\n%s", bad, block)
		}
	}
	p := checkMermaid(t, block)
	named := false
	for _, l := range p.subgraphs {
		named = named || l == r.Boundaries[0].ID
	}
	if !named {
		t.Errorf("no subgraph titled with the unnamed boundary's id %q: %v", r.Boundaries[0].ID, p.subgraphs)
	}
	for _, id := range []string{r.Components[0].ID, r.Components[1].ID} {
		found := false
		for _, l := range p.nodes {
			found = found || l == id
		}
		if !found {
			t.Errorf("no node named by the id of unlabelled component %q", id)
		}
	}
}

// emptyLabels is the telehealth report with a boundary, two components
// and a flow whose labels show nothing.
func emptyLabels(t testing.TB) *stride.Report {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	r.Boundaries[0].Label = ""
	r.Components[0].Label = " \t"
	r.Components[1].Label = "\u200b"
	r.Flows[0].Label = "  "
	return r
}

// busyZone has n components chained inside one boundary (flows that cross
// nothing) and users outside it, each calling into the zone.
func busyZone(n, users int) *graph.Diagram {
	d := graph.New("busy.dot", "dot")
	if err := d.AddBoundary(&graph.Boundary{ID: "zone", Label: "Cluster"}); err != nil {
		panic(err)
	}
	for i := 0; i < n; i++ {
		if err := d.AddComponent(&graph.Component{ID: fmt.Sprintf("c%d", i), Label: fmt.Sprintf("Service %d", i), Boundary: "zone"}); err != nil {
			panic(err)
		}
		if i > 0 {
			d.AddFlow(&graph.Flow{ID: fmt.Sprintf("f%d", i), Source: fmt.Sprintf("c%d", i-1), Target: fmt.Sprintf("c%d", i), Label: "gRPC"})
		}
	}
	for u := 0; u < users; u++ {
		if err := d.AddComponent(&graph.Component{ID: fmt.Sprintf("u%d", u), Label: fmt.Sprintf("User %d", u)}); err != nil {
			panic(err)
		}
		d.AddFlow(&graph.Flow{ID: fmt.Sprintf("g%d", u), Source: fmt.Sprintf("u%d", u), Target: fmt.Sprintf("c%d", u*7), Label: "HTTPS"})
	}
	if err := d.Finalize(); err != nil {
		panic(err)
	}
	return d
}

// longLabels is a generated system of n components whose labels are so
// long that the full diagram is over Mermaid's 50,000 characters.
func longLabels(n int) *graph.Diagram {
	d := testsupport.Generated(n, false)
	for _, c := range d.Components {
		c.Label = strings.Repeat("A long component name that goes on ", 30) + c.ID
	}
	return d
}
