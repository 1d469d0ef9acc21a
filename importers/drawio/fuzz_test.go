package drawio

import (
	"reflect"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// FuzzImport feeds arbitrary bytes to Import: it must never panic, must
// fail only with an *graph.InputError, must produce valid diagrams and must
// be deterministic. Seeds are in testdata/fuzz/FuzzImport.
func FuzzImport(f *testing.F) {
	f.Add([]byte(model(vertex("a", "1", "A", "container=1;", 0, 0, 100, 100) + vertex("b", "a", "B", "", 10, 10, 20, 20) + edgeCell("e", "1", "a", "b", "x", ""))))
	f.Add([]byte(`<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/></root></mxGraphModel>`))
	limits := graph.Limits{MaxInputBytes: 1 << 20, MaxDecompressedBytes: 1 << 20, MaxDepth: 50, MaxElements: 5000}
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Import("fuzz.drawio", data, Options{Limits: limits})
		if err != nil {
			if !graph.IsInputError(err) {
				t.Fatalf("error is not an InputError: %T %v", err, err)
			}
			return
		}
		for _, d := range ds {
			if err := d.Validate(); err != nil {
				t.Fatalf("invalid diagram: %v", err)
			}
			for _, c := range d.Components {
				if c.Attributes == nil {
					t.Fatalf("component %q without attributes", c.ID)
				}
			}
		}
		again, err := Import("fuzz.drawio", data, Options{Limits: limits})
		if err != nil || !reflect.DeepEqual(ds, again) {
			t.Fatalf("not deterministic: %v", err)
		}
		Sniff(data)
	})
}
