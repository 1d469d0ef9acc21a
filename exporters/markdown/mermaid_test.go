package markdown

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

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
