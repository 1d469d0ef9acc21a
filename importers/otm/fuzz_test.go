package otm

import (
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// FuzzImport feeds arbitrary bytes to the OTM importer (JSON and YAML): it
// must never panic, and whatever it accepts must be a consistent model.
func FuzzImport(f *testing.F) {
	for _, s := range []string{
		`{"otmVersion":"0.2.0","project":{"name":"a","id":"a"},"trustZones":[{"id":"z","name":"Z","risk":{"trustRating":50}}],"components":[{"id":"c","name":"C","type":"web-service","parent":{"trustZone":"z"}}]}`,
		"otmVersion: 0.2.0\ncomponents:\n  - {id: a, name: A, parent: {component: b}}\n  - {id: b, name: B, parent: {component: a}}\ndataflows:\n  - {id: f, name: F, source: a, destination: b}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Import("fuzz.otm", data, Options{Limits: graph.Limits{MaxDepth: 50, MaxElements: 2000}})
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
