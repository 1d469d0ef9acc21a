package gensys_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/gensys"
)

// importAs reads data as format, one diagram.
func importAs(tb testing.TB, format string, data []byte) *graph.Diagram {
	tb.Helper()
	ds, err := importers.Import("gen."+format, data, importers.Options{Format: format})
	if err != nil {
		tb.Fatal(err)
	}
	if len(ds) != 1 {
		tb.Fatalf("%d diagrams", len(ds))
	}
	return ds[0]
}

// Every format carries the same system: the same components (labels,
// zones), boundaries and flows, and draw.io its own layout.
func TestFormatsCarryTheSameSystem(t *testing.T) {
	for _, n := range []int{10, 60, 450} {
		s := gensys.New(n)
		if len(s.Components) != n {
			t.Fatalf("New(%d): %d components", n, len(s.Components))
		}
		for _, f := range []struct {
			name string
			data []byte
		}{{"drawio", s.DrawIO()}, {"mermaid", s.Mermaid()}, {"dot", s.DOT()}} {
			t.Run(fmt.Sprintf("%s/%d", f.name, n), func(t *testing.T) {
				d := importAs(t, f.name, f.data)
				if len(d.Components) != len(s.Components) || len(d.Flows) != len(s.Flows) || len(d.Boundaries) != len(s.Zones) {
					t.Fatalf("%d components, %d flows, %d boundaries; want %d, %d, %d", len(d.Components), len(d.Flows), len(d.Boundaries),
						len(s.Components), len(s.Flows), len(s.Zones))
				}
				for _, c := range s.Components {
					got := d.Component(c.ID)
					if got == nil || got.Label != c.Label || got.Boundary != boundaryID(f.name, c.Zone) {
						t.Fatalf("component %s: got %+v, want label %q in %q", c.ID, got, c.Label, c.Zone)
					}
				}
				labels := map[string]int{}
				for _, fl := range d.Flows {
					labels[fl.Source+">"+fl.Target+":"+fl.Label]++
				}
				for _, fl := range s.Flows {
					k := fl.Source + ">" + fl.Target + ":" + fl.Label
					if labels[k] == 0 {
						t.Fatalf("flow %s missing", k)
					}
					labels[k]--
				}
				if f.name == "drawio" && !d.HasLayout {
					t.Error("draw.io diagram without its layout")
				}
				if len(d.Warnings) != 0 {
					t.Errorf("warnings: %v", d.Warnings)
				}
			})
		}
	}
}

// boundaryID is a zone's boundary ID as the importer of format names it.
func boundaryID(format, zone string) string {
	if zone != "" && format == "dot" {
		return "cluster_" + zone
	}
	return zone
}

// The generator is deterministic.
func TestDeterministic(t *testing.T) {
	a, b := gensys.New(300), gensys.New(300)
	for _, f := range []func(*gensys.System) []byte{(*gensys.System).DrawIO, (*gensys.System).Mermaid, (*gensys.System).DOT,
		(*gensys.System).ThreagileYAML, (*gensys.System).PytmModel} {
		if !bytes.Equal(f(a), f(b)) {
			t.Fatal("two runs differ")
		}
	}
}
