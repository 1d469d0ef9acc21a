package annotate_test

import (
	"testing"

	"github.com/threatmap/threatmap/annotate"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/layout"
)

// packed is a draw.io-like diagram of icons stacked 8 px apart, as
// azure_1.xml packs its availability sets: "vm" icons the author left
// unlabelled (named by the importer after the palette, label_from) and
// one "web" icon the author labelled, all with their labels below.
func packed(t *testing.T, n int) *graph.Diagram {
	t.Helper()
	d := graph.New("packed.drawio", "drawio")
	d.HasLayout = true
	add := func(id, label, from string, x, y float64) {
		c := &graph.Component{ID: id, Label: label, Kind: graph.KindProcess, Style: "verticalLabelPosition=bottom;verticalAlign=top;",
			Geometry: &graph.Rect{X: x, Y: y, W: 40, H: 40}, Attributes: map[string]string{}}
		if from != "" {
			c.Attributes["label_from"] = from
		}
		if err := d.AddComponent(c); err != nil {
			t.Fatal(err)
		}
	}
	add("lb", "Load Balancer", "", 0, 0)
	for i := range n {
		id := "vm" + string(rune('a'+i))
		add(id, "Virtual Machine", "palette", 200, float64(i)*48)
		d.Flows = append(d.Flows, &graph.Flow{ID: "f" + id, Source: "lb", Target: id, Label: "RDP"})
	}
	// An author's label stays where the author put it, even crowded.
	add("web", "Web front end", "", 200, float64(n)*48)
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDerivedLabelsHideNothing(t *testing.T) {
	for _, n := range []int{1, 3, 6} {
		d := packed(t, n)
		r := testsupport.Analyze(t, d)
		l := layout.Source(d, layout.Options{EdgeNotes: annotate.Notes(r)})
		p := annotate.Build(r, l, annotate.Options{})
		if bad := annotate.DerivedLabelConflicts(r, p); len(bad) > 0 {
			t.Errorf("%d icons: %q", n, bad)
		}
		drawn := 0
		for _, c := range p.Components {
			switch {
			case c.ID == "web":
				want := graph.Rect{X: 200 + 20 - 60, Y: float64(n)*48 + 40 + 2, W: 120}
				if c.LabelRect.X != want.X || c.LabelRect.Y != want.Y || c.LabelRect.W != want.W {
					t.Errorf("%d icons: the author's label moved to %+v, want %+v", n, c.LabelRect, want)
				}
			case c.LabelRect.W > 0:
				drawn++
			}
		}
		// Labels find room below, beside or above,
		// or are left to the tooltip, but never all of
		// them lose it.
		if drawn == 0 {
			t.Errorf("%d icons: no label drawn at all", n)
		}
	}
}
