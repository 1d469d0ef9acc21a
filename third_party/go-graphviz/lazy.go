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

// Release closes the WebAssembly instance, if one is live, so that its
// linear memory (which grows to the largest layout run in it and never
// shrinks) is given back; the compiled module stays, and the next New
// makes a fresh instance. Every Graphviz and Graph made before must have
// been closed and must not be used again.
func Release() error { return wasm.Release() }

// MemorySize returns the size in bytes of the live instance's linear
// memory, 0 when none is live.
func MemorySize() uint64 { return wasm.MemorySize() }
