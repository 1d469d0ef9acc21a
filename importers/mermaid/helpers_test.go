package mermaid

import (
	"fmt"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// dump renders a diagram as sorted-by-source lines that tests compare
// exactly:
//
//	C id|label|shape|boundary|class
//	F id|source->target|label|flags|style     flags: "bi", "un" or "-"
//	B id|label|parent|members
//	W warning
func dump(d *graph.Diagram) []string {
	var out []string
	for _, c := range d.Components {
		out = append(out, fmt.Sprintf("C %s|%s|%s|%s|%s", c.ID, c.Label, c.Shape, c.Boundary, c.Attributes["class"]))
	}
	for _, f := range d.Flows {
		flags := "-"
		switch {
		case f.Undirected && f.Bidirectional:
			flags = "un"
		case f.Bidirectional:
			flags = "bi"
		}
		out = append(out, fmt.Sprintf("F %s|%s->%s|%s|%s|%s", f.ID, f.Source, f.Target, f.Label, flags, f.Attributes["style"]))
	}
	for _, b := range d.Boundaries {
		out = append(out, fmt.Sprintf("B %s|%s|%s|%s", b.ID, b.Label, b.Parent, strings.Join(b.Members, ",")))
	}
	for _, w := range d.Warnings {
		out = append(out, "W "+w.String())
	}
	return out
}

func mustImport(t *testing.T, src string) *graph.Diagram {
	t.Helper()
	ds, err := Import("t.mmd", []byte(src), Options{})
	if err != nil {
		t.Fatalf("Import: %v\ninput:\n%s", err, src)
	}
	if len(ds) != 1 {
		t.Fatalf("Import returned %d diagrams, want 1", len(ds))
	}
	return ds[0]
}

func diffLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return
	}
	t.Errorf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
}
