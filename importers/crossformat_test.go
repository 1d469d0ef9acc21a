package importers

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testcorpus"
)

// canonical is a diagram reduced to what must not depend on the format:
// component labels, flows as "source label -> target label : label", and
// boundaries as "label < parent label : member labels".
type canonical struct {
	Components []string
	Flows      []string
	Boundaries []string
}

func canon(d *graph.Diagram) canonical {
	var c canonical
	label := func(id string) string { return d.Component(id).Label }
	blabel := func(id string) string {
		if b := d.Boundary(id); b != nil {
			return b.Label
		}
		return ""
	}
	for _, comp := range d.Components {
		c.Components = append(c.Components, comp.Label)
	}
	for _, f := range d.Flows {
		arrow := " -> "
		if f.Bidirectional {
			arrow = " <-> "
		}
		c.Flows = append(c.Flows, label(f.Source)+arrow+label(f.Target)+" : "+f.Label)
	}
	for _, b := range d.Boundaries {
		var m []string
		for _, id := range b.Members {
			m = append(m, label(id))
		}
		sort.Strings(m)
		c.Boundaries = append(c.Boundaries, b.Label+" < "+blabel(b.Parent)+" : "+strings.Join(m, ", "))
	}
	sort.Strings(c.Components)
	sort.Strings(c.Flows)
	sort.Strings(c.Boundaries)
	return c
}

// TestExampleSameInEveryFormat checks that the bundled example gives the
// same components, flows and boundary membership from every format.
func TestExampleSameInEveryFormat(t *testing.T) {
	dir := filepath.Join(testcorpus.RepoRoot(t), "examples")
	load := func(name string) *graph.Diagram {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		ds, err := Import(name, data, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(ds) != 1 {
			t.Fatalf("%s: %d diagrams", name, len(ds))
		}
		return ds[0]
	}
	ref := canon(load("telehealth.dot"))
	if len(ref.Components) != 14 || len(ref.Flows) != 15 || len(ref.Boundaries) != 5 {
		t.Fatalf("reference model has %d/%d/%d elements", len(ref.Components), len(ref.Flows), len(ref.Boundaries))
	}
	for _, name := range exampleFiles {
		got := canon(load(name))
		if !reflect.DeepEqual(got.Components, ref.Components) {
			t.Errorf("%s components differ:\n got %q\nwant %q", name, got.Components, ref.Components)
		}
		if !reflect.DeepEqual(got.Flows, ref.Flows) {
			t.Errorf("%s flows differ:\n got %q\nwant %q", name, got.Flows, ref.Flows)
		}
		if !reflect.DeepEqual(got.Boundaries, ref.Boundaries) {
			t.Errorf("%s boundaries differ:\n got %q\nwant %q", name, got.Boundaries, ref.Boundaries)
		}
	}
}

// exampleFiles are the other renderings of examples/telehealth.dot.
var exampleFiles = []string{"telehealth.drawio", "telehealth.mmd", "telehealth.md"}
