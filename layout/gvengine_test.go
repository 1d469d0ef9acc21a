package layout_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/third_party/go-graphviz"
)

// updating reports go test -update (the flag internal/testsupport
// defines): TestHotFunctions then rewrites
// third_party/go-graphviz/internal/wasm/hot_gen.go.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// gvCase is one Graphviz layout of the training and agreement sets.
type gvCase struct {
	name    string
	d       *graph.Diagram
	rankdir string
	notes   map[int]string
}

// gvCases are the layouts the hot function list is made from and checked
// against: every example in two directions, with and without edge notes,
// the shop and generated systems from 3 to 170 components (the largest
// Auto hands to Graphviz), and, unless short, 300 components (Graphviz's
// bounded-effort settings).
func gvCases(t *testing.T, big bool) []gvCase {
	t.Helper()
	var cases []gvCase
	add := func(name string, d *graph.Diagram) {
		notes := map[int]string{}
		for i := range d.Flows {
			if i%3 == 0 {
				notes[i] = "PII"
			}
		}
		cases = append(cases,
			gvCase{name + "/LR", d, "LR", nil},
			gvCase{name + "/TB+notes", d, "TB", notes})
	}
	for _, name := range []string{"telehealth.mmd", "telehealth.dot", "telehealth.md", "telehealth.drawio"} {
		add(name, testsupport.ExampleDiagram(t, name))
	}
	add("shop", testsupport.Shop())
	sizes := []int{1, 3, 12, 40, 100, 170}
	if big {
		sizes = append(sizes, 300)
	}
	for _, n := range sizes {
		add(fmt.Sprintf("generated%d", n), testsupport.Generated(n, false))
	}
	return cases
}

// gvRun lays c out with Graphviz on one engine ("" chooses) and reports
// whether the trimmed module reached a stub (the layout was then redone
// with the full module).
func gvRun(t *testing.T, engine string, c gvCase) (*layout.Layout, bool) {
	t.Helper()
	graphviz.SetEngine(engine)
	defer graphviz.SetEngine("")
	hits := graphviz.StubHits()
	opts := layout.Options{MaxComponents: 1 << 20, MaxWork: 1 << 20, Direction: c.rankdir, EdgeNotes: c.notes, Timeout: 30 * time.Minute}
	l, err := layout.Auto(context.Background(), c.d, opts)
	if err != nil {
		t.Fatalf("%s on %q: %v", c.name, engine, err)
	}
	if l.Engine != layout.EngineGraphviz || len(l.Warnings) > 0 {
		t.Fatalf("%s on %q: engine %s, warnings %q", c.name, engine, l.Engine, l.Warnings)
	}
	return l, graphviz.StubHits() != hits
}

// TestHotFunctions: the hot function list is for the embedded module, and
// no layout of the training set reaches a stub of the trimmed module.
// With -update it traces the training set and rewrites the list.
func TestHotFunctions(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Graphviz")
	}
	if updating() {
		graphviz.StartTrace()
		for _, c := range gvCases(t, true) {
			gvRun(t, "", c)
		}
		writeHot(t, graphviz.TracedFunctions(), graphviz.ModuleChecksum())
		return
	}
	hot, module := graphviz.HotFunctions()
	if module != graphviz.ModuleChecksum() || len(hot) == 0 {
		t.Fatalf("the hot function list is for module %q, the embedded one is %q: go test ./layout -run TestHotFunctions -update", module, graphviz.ModuleChecksum())
	}
	for _, c := range gvCases(t, false) {
		if _, hit := gvRun(t, "compiler", c); hit {
			t.Errorf("%s reached a stub of the trimmed module: go test ./layout -run TestHotFunctions -update", c.name)
		}
	}
}

// TestEnginesAgree: the trimmed module in the interpreter, the trimmed
// module compiled, and the full module give identical layouts (so
// byte-identical SVG) for every example and generated systems up to 300
// components. The interpreter runs the cases it is given outside tests
// (work within the interpretation budget); THREATMAP_SLOW_TESTS=1 runs it
// on all of them (minutes: 100 to 300 components interpreted).
func TestEnginesAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Graphviz")
	}
	slow := os.Getenv("THREATMAP_SLOW_TESTS") != ""
	for _, c := range gvCases(t, true) {
		full, _ := gvRun(t, "full", c)
		for _, engine := range []string{"interpreter", "compiler"} {
			if engine == "interpreter" && !slow && layout.GraphvizWork(c.d) > graphviz.DefaultInterpretBudget {
				continue
			}
			got, hit := gvRun(t, engine, c)
			if hit {
				t.Errorf("%s on %s: reached a stub", c.name, engine)
			} else if !reflect.DeepEqual(got, full) {
				t.Errorf("%s: the layout on the %s differs from the full module's", c.name, engine)
			} else {
				t.Logf("%s: %s and full module agree", c.name, engine)
			}
		}
	}
}

// TestRecordsMatchJSON0: reading the geometry from Graphviz's layout records
// and rounding it as Graphviz prints it (what Auto does) gives exactly the
// layout parsed from Graphviz's json0 output (what it did up to session
// 7), on every case of the training and agreement sets. It also checks
// the record offsets in the go-graphviz copy (cgraph/geometry.go).
func TestRecordsMatchJSON0(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Graphviz")
	}
	defer graphviz.SetEngine("")
	for _, c := range gvCases(t, true) {
		got, _ := gvRun(t, "full", c)
		// json0's renderer is not in the trimmed module: the full one.
		graphviz.SetEngine("full")
		want, err := layout.LayoutViaJSON0(c.d, c.rankdir, c.notes)
		if err != nil {
			t.Fatalf("%s: json0: %v", c.name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the layout read from the layout records differs from json0's", c.name)
		}
	}
}

func writeHot(t *testing.T, hot []uint32, module string) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("// Code generated by go test ./layout -run TestHotFunctions -update; DO NOT EDIT.\n\npackage wasm\n\n")
	b.WriteString("// hotModule is the Checksum of the module hotFunctions was made for.\n")
	fmt.Fprintf(&b, "const hotModule = %q\n\n", module)
	b.WriteString("// hotFunctions are the functions (indices in the function index space,\n// imports first) that the layouts of layout's TestHotFunctions call.\nvar hotFunctions = []uint32{")
	for i, f := range hot {
		if i%12 == 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%d, ", f)
	}
	b.WriteString("\n}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "third_party", "go-graphviz", "internal", "wasm", "hot_gen.go")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: %d functions", path, len(hot))
}
