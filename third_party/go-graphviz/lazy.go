package graphviz

// Added in threatmap's patched copy (see NOTES.md).

import (
	"github.com/threatmap/threatmap/third_party/go-graphviz/cgraph"
	"github.com/threatmap/threatmap/third_party/go-graphviz/gvc"
	"github.com/threatmap/threatmap/third_party/go-graphviz/internal/wasm"
)

// SetCompilationCacheDir sets where wazero caches the compiled Graphviz
// module ("" for no cache). Call it before the first use of the package;
// later calls have no effect.
func SetCompilationCacheDir(dir string) { wasm.SetCacheDir(dir) }

// Init loads Graphviz's WebAssembly module, once. New and NewWithPlugins
// call it; calling it first only moves the cost.
func Init() error {
	if err := gvc.Init(); err != nil {
		return err
	}
	Directed = cgraph.Directed
	StrictDirected = cgraph.StrictDirected
	UnDirected = cgraph.UnDirected
	StrictUnDirected = cgraph.StrictUnDirected
	return nil
}
