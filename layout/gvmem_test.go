package layout_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/third_party/go-graphviz"
)

// TestGraphvizReleasesInstance: after a Graphviz layout no WebAssembly
// instance (and so none of its linear memory) is left alive, and the
// fresh instance the next layout makes lays the same diagram out exactly
// as the first did.
func TestGraphvizReleasesInstance(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Graphviz")
	}
	var first *layout.Layout
	for i, n := range []int{60, 12, 60} {
		d := testsupport.Generated(n, false)
		l, err := layout.Auto(context.Background(), d, layout.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if l.Engine != layout.EngineGraphviz {
			t.Fatalf("%d components: engine %s, want Graphviz", n, l.Engine)
		}
		if size := graphviz.MemorySize(); size != 0 {
			t.Errorf("layout %d: an instance with %d bytes of memory is still alive", i, size)
		}
		switch i {
		case 0:
			first = l
		case 2:
			if !reflect.DeepEqual(first, l) {
				t.Error("the same diagram laid out in a fresh instance differs from the first layout")
			}
		}
	}
}
