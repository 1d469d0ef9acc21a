package threatdragon

import (
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// FuzzImport feeds arbitrary bytes to the Threat Dragon importer: it must
// never panic, and whatever it accepts must be a consistent model.
func FuzzImport(f *testing.F) {
	for _, s := range []string{
		`{"version":"2.0.0","summary":{"title":"t"},"detail":{"diagrams":[{"cells":[{"id":"ab","shape":"actor","position":{"x":0,"y":0},"size":{"width":50,"height":50}}]}]}}`,
		`{"summary":{},"detail":{"diagrams":[{"cells":[{"id":"b1","shape":"trust-boundary-box","position":{"x":0,"y":0},"size":{"width":500,"height":500}},{"id":"p1","shape":"process","position":{"x":10,"y":10},"size":{"width":50,"height":50},"data":{"threats":[{"title":"x","type":"Spoofing"}]}},{"id":"f1","shape":"flow","source":{"cell":"p1"},"target":{"cell":"p1"},"labels":["a"]}]}]}}`,
		// Free flow ends: one 10 px outside a shape (attached), one far
		// from any (skipped, its threat named), one on a boundary.
		`{"summary":{},"detail":{"diagrams":[{"cells":[{"id":"b1","shape":"trust-boundary-box","position":{"x":300,"y":0},"size":{"width":100,"height":100}},{"id":"a","shape":"actor","position":{"x":0,"y":0},"size":{"width":100,"height":60}},{"id":"p","shape":"process","position":{"x":200,"y":0},"size":{"width":60,"height":60}},{"id":"f1","shape":"flow","source":{"x":110,"y":30},"target":{"cell":"p"}},{"id":"f2","shape":"flow","source":{"x":-90,"y":500},"target":{"cell":"p"},"data":{"threats":[{"title":"t","type":"Tampering"}]}},{"id":"f3","shape":"flow","source":{"cell":"a"},"target":{"cell":"b1"}}]}]}}`,
		// Version 1: JointJS cells, {id} and {x, y} ends, a boundary line,
		// threats and properties on the cell, a cell of an unknown type.
		`{"summary":{"title":"v1"},"detail":{"diagrams":[{"title":"D","diagramType":"STRIDE","diagramJson":{"cells":[{"type":"tm.Actor","id":"a","position":{"x":0,"y":0},"size":{"width":100,"height":60},"attrs":{"text":{"text":"User"}},"outOfScope":true},{"type":"tm.Process","id":"p","position":{"x":200,"y":0},"size":{"width":60,"height":60},"threats":[{"title":"x","type":"Spoofing","status":"Open"}]},{"type":"tm.Flow","id":"f","source":{"id":"a"},"target":{"x":205,"y":65},"labels":[{"attrs":{"text":{"text":"req"}}}],"protocol":"HTTPS","isEncrypted":true},{"type":"tm.Boundary","id":"b","source":{"x":150,"y":-50},"target":{"x":150,"y":150},"vertices":[{"x":160,"y":40}]},{"type":"tm.Note","id":"n"}]}}]}}`,
		`{"summary":{},"detail":{"diagrams":[{"diagramJson":{"cells":[{"type":"tm.Store","id":"s","position":{"x":"0"}}]}},{"diagramJson":"x"}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Import("fuzz.json", data, Options{Limits: graph.Limits{MaxDepth: 50}})
		if err != nil {
			if !graph.IsInputError(err) {
				t.Fatalf("error is not an InputError: %T %v", err, err)
			}
			return
		}
		for _, d := range ds {
			if err := d.Validate(); err != nil {
				t.Fatalf("inconsistent model: %v", err)
			}
		}
	})
}
