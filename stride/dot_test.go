package stride

import (
	"os"
	"reflect"
	"testing"

	"github.com/threatmap/threatmap/importers/dot"
)

// The bundled example imported by the DOT importer gives the same entry
// points, threats and questions as the hand-built model with other IDs.
func TestDOTExampleMatchesHandBuilt(t *testing.T) {
	data, err := os.ReadFile("../examples/telehealth.dot")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dot.Import("telehealth.dot", data, dot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a1, t1, q1 := views(analyze(t, ds[0], Options{}))
	a2, t2, q2 := views(analyze(t, telehealthSpec().build(t, func(k, key string) string { return k + "-" + key + "-x" }, nil), Options{}))
	if !reflect.DeepEqual(a1, a2) || !reflect.DeepEqual(t1, t2) || !reflect.DeepEqual(q1, q2) {
		t.Errorf("DOT import and hand-built model differ:\n%v\n%v", t1, t2)
	}
}
