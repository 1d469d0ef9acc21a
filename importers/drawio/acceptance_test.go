package drawio

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testcorpus"
)

// TestCorpusConnectedEdges is issue 15's acceptance check on every draw.io
// file of the shared corpus: each page with 10 or more shapes imports with
// components, and every connected edge (both source and target set, not
// hidden, not part of a legend) becomes a flow, directly or joined through
// a junction dot. The shapes and edges are counted here from the cells as
// read from the XML (their attributes), independently of the importer's
// classification.
func TestCorpusConnectedEdges(t *testing.T) {
	dir := testcorpus.Dir(t, "drawio")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		r := &reader{file: e.Name(), limits: graph.Limits{}.WithDefaults()}
		pages, err := r.pages(data)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := Import(e.Name(), data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range pages {
			if err := r.load(&pages[i]); err != nil {
				t.Fatal(err)
			}
			shapes, connected := xmlCounts(pages[i].model)
			d := ds[i]
			t.Logf("%s / %s: %d shapes, %d connected edges; %d components, %d flows", e.Name(), d.Name, shapes, len(connected), len(d.Components), len(d.Flows))
			if shapes >= 10 && len(d.Components) == 0 {
				t.Errorf("%s / %s: %d shapes but no component", e.Name(), d.Name, shapes)
			}
			for _, id := range connected {
				if !flowFor(d, id) {
					t.Errorf("%s / %s: connected edge %q is no flow", e.Name(), d.Name, id)
				}
			}
		}
	}
}

// xmlCounts counts a page's visible shapes (vertices that are not edge
// labels) and lists its visible connected edges outside legends.
func xmlCounts(model *pageModel) (shapes int, connected []string) {
	type info struct {
		parent, value        string
		vertex, edge, hidden bool
		src, dst             string
	}
	cells := map[string]*info{}
	var order []string
	if model == nil {
		return 0, nil
	}
	for _, c := range model.cells {
		cells[c.id] = &info{parent: c.parentID, value: c.value, vertex: c.vertexFlag, edge: c.edgeFlag,
			hidden: !c.visible, src: c.source, dst: c.target}
		order = append(order, c.id)
	}
	legendParents := map[string]bool{}
	for _, c := range cells {
		if isLegendLabel(strings.TrimSpace(c.value)) {
			legendParents[c.parent] = true
		}
	}
	hidden := func(id string) bool {
		for n := 0; id != "" && n < 1000; n++ {
			c := cells[id]
			if c == nil {
				return false
			}
			if c.hidden {
				return true
			}
			id = c.parent
		}
		return false
	}
	inLegend := func(id string) bool {
		for n := 0; id != "" && n < 1000; n++ {
			if legendParents[id] {
				return true
			}
			id = cells[id].parent
		}
		return false
	}
	for _, id := range order {
		c := cells[id]
		if hidden(id) {
			continue
		}
		switch {
		case c.vertex && cells[c.parent] != nil && !cells[c.parent].edge:
			shapes++
		case c.edge && c.src != "" && c.dst != "" && !inLegend(id):
			connected = append(connected, id)
		}
	}
	return shapes, connected
}

func flowFor(d *graph.Diagram, id string) bool {
	for _, f := range d.Flows {
		if f.ID == id {
			return true
		}
		for _, v := range strings.Split(f.Attributes["via"], ",") {
			if v == id {
				return true
			}
		}
	}
	return false
}
