package mermaid

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/threatmap/threatmap/internal/testcorpus"
)

// The counts below come from reading each corpus file, not from running
// the importer.
var corpusCounts = map[string]struct{ nodes, flows, subgraphs, warnings int }{
	// 22 nodes: route, editor; editing 3, view 4, richnote 3, ml 2, sync 4,
	// platform 3; realtime (line 65). 21 links: line 2, 17-18, 26-27, 42-44,
	// 54-57, 59, 60-65, 67, 68, all flows; the 7 on lines 54-57, 59, 67
	// and 68 start or end at a subgraph id (view twice, richnote, ml twice,
	// editing, platform), so those 5 subgraphs get a component standing for
	// them (27 components) and one warning each. 6 subgraphs.
	"architecture-ecosystem.mmd": {27, 21, 6, 5},
	// A..L are 12 nodes; 6 links before the subgraph, 5 inside, 1 after.
	// One subgraph (unquoted multi-word title).
	"deploy-pipeline.mmd": {12, 12, 1, 0},
	// n1..n8 in two subgraphs plus A..F; 11 links on lines 18-28 (the
	// n@{...} lines only set shapes).
	"knsv2-26-flowchart-elk-lr-shapes-subgraphs.mmd": {14, 11, 2, 0},
	// 22 nodes, one per line inside the 13 subgraph blocks (SOURCES.md says
	// 14; there are 13 "subgraph" lines). Links: line 59 fans out to 5,
	// line 60 is 1, line 61 fans out to 9, lines 62-68 are 1+2+2+1+1+1+1.
	"mermaid-chart-architecture.mmd": {22, 24, 13, 0},
}

func TestCorpus(t *testing.T) {
	dir := testcorpus.Dir(t, "mermaid")
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("corpus folder is empty")
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want, ok := corpusCounts[name]
			if !ok {
				t.Fatalf("no expected counts for %s: read it and add them", name)
			}
			if !Sniff(data) {
				t.Errorf("Sniff = false")
			}
			ds, err := Import(name, data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			d := ds[0]
			if len(d.Components) != want.nodes || len(d.Flows) != want.flows || len(d.Boundaries) != want.subgraphs || len(d.Warnings) != want.warnings {
				t.Errorf("nodes/flows/subgraphs/warnings = %d/%d/%d/%d, want %d/%d/%d/%d: %v",
					len(d.Components), len(d.Flows), len(d.Boundaries), len(d.Warnings),
					want.nodes, want.flows, want.subgraphs, want.warnings, d.Warnings)
			}
			if err := d.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

// Specific facts from the corpus files that exercise Mermaid's rules.
func TestCorpusDetails(t *testing.T) {
	dir := testcorpus.Dir(t, "mermaid")
	load := func(name string) []string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		ds, err := Import(name, data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return dump(ds[0])
	}
	has := func(lines []string, want ...string) {
		t.Helper()
		set := map[string]bool{}
		for _, l := range lines {
			set[l] = true
		}
		for _, w := range want {
			if !set[w] {
				t.Errorf("missing %q", w)
			}
		}
	}
	// F is defined outside the subgraph and moves in through "F --> G".
	has(load("deploy-pipeline.mmd"),
		"C F|Build Docker Image|rect|subGraph0|", "C L|Success|stadium||",
		"B subGraph0|Deploy Pipeline||F,G,H,I,J,K", "F L-D-E-0|D->E|No|-|solid")
	has(load("knsv2-26-flowchart-elk-lr-shapes-subgraphs.mmd"),
		"C n1|Evaluate|diam|s1|", "C n4|Option 3|rect|s1|", "C B|Continue|rounded||",
		"F L-A-B-0|A->B|Some text|-|solid", "B s2|Untitled subgraph||n5,n6,n7,n8")
	has(load("mermaid-chart-architecture.mmd"),
		"C edgeco_KV|Edgeco KV|cylinder|edgeco|", "C chatbot|Bot for Chatbot ✨|rect|plugins|",
		"F L-app_server-archivesql-0|app_server->archivesql|Using Ormlib + GuardKit|-|thick",
		"B userBrowser|User's Browser||app_client", "B coastal_cloud|Coastal Cloud||prerender_server")
	has(load("architecture-ecosystem.mmd"),
		"C editor|ReadingEditor.widget\n(orchestrator)|rect||", "B platform|State & UI platform||platform,query,shell,stores",
		// Links to subgraphs attach to the subgraph as a whole.
		"C ml|ML features||ml|mlGroup", "F L-ml-query-0|ml->query||-|solid", "F L-editor-platform-0|editor->platform||-|solid",
		`W 57:12: link editor --> ml ends at subgraph "ml": attached to the subgraph as a whole, not to a node in it (2 links in all)`,
		`W 67:12: link editor --> platform ends at subgraph "platform": attached to the subgraph as a whole, not to a node in it`)
}
