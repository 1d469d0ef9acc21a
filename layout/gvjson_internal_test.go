package layout

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// TestParseJSONUnroutedFlows: Graphviz sometimes gives an edge no spline
// (seen at 500-1,000 components); such flows get a straight route and a
// warning instead of being left undrawn.
func TestParseJSONUnroutedFlows(t *testing.T) {
	d := graph.New("u.dot", "dot")
	for _, id := range []string{"a", "b", "c"} {
		if err := d.AddComponent(&graph.Component{ID: id, Label: id}); err != nil {
			t.Fatal(err)
		}
	}
	d.AddFlow(&graph.Flow{ID: "f0", Source: "a", Target: "b", Label: "HTTPS"})
	d.AddFlow(&graph.Flow{ID: "f1", Source: "b", Target: "c", Label: "SQL"})
	d.AddFlow(&graph.Flow{ID: "f2", Source: "a", Target: "c"})
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	// f0 routed, f1 with an empty pos, f2 missing altogether.
	js := `{"bb":"0,0,600,100","objects":[
		{"name":"n0","pos":"70,50"},{"name":"n1","pos":"300,50"},{"name":"n2","pos":"530,50"}],
		"edges":[{"tmindex":"0","pos":"134,50 150,50 220,50 236,50","lp":"185,60"},{"tmindex":"1","pos":""}]}`
	var gj gvGraph
	if err := json.Unmarshal([]byte(js), &gj); err != nil {
		t.Fatal(err)
	}
	l, err := fromGraphviz(d, &gj, map[int]string{1: "PII"})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Edges) != 3 {
		t.Fatalf("%d edges, want 3", len(l.Edges))
	}
	for i, e := range l.Edges {
		if e.Index != i || len(e.Points) < 2 {
			t.Errorf("edge %d: index %d, %d points", i, e.Index, len(e.Points))
		}
	}
	if !l.Edges[0].Curved || l.Edges[1].Curved || l.Edges[1].Note.W == 0 || l.Edges[1].Label.W == 0 {
		t.Errorf("edges %+v", l.Edges)
	}
	if len(l.Warnings) != 1 || !strings.Contains(l.Warnings[0], `2 flow(s) ("f1", "f2")`) {
		t.Errorf("warnings %q", l.Warnings)
	}
}
