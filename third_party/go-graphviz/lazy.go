package graphviz

// Added in threatmap's patched copy (see NOTES.md).

import (
	"context"

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

// SetInterpretBudget sets how much work (see SetWork) is laid out with
// wazero's interpreter before the module is compiled, counted over the
// processes that share the compilation cache; 0 always compiles.
func SetInterpretBudget(n int) { wasm.SetInterpretBudget(n) }

// DefaultInterpretBudget is the budget when SetInterpretBudget was not
// called.
const DefaultInterpretBudget = wasm.DefaultInterpretBudget

// SetWork tells the size of the next layout (nodes plus edges, or any
// measure that grows with its cost), before New: a small layout without a
// compiled module in the cache runs in wazero's interpreter. A negative
// value (unknown) compiles.
func SetWork(n int) { wasm.SetWork(n) }

// StubHit reports whether the live instance runs the trimmed module (only
// the functions a layout is known to call keep their code) and reached
// one of the others: what it computed must be discarded and the work done
// again after Release and UseFull.
func StubHit() bool { return wasm.StubHit() }

// UseFull makes every later instance run the full module.
func UseFull() { wasm.UseFull() }

// Engine names what the live instance runs: "interpreter" or "compiler"
// (the trimmed module), "full" (the full module, compiled), "" when none
// is live.
func Engine() string { return wasm.EngineName() }

// StartTrace makes every later instance run the full module in the
// interpreter and record the functions it calls (TracedFunctions); call
// it before the first use of the package. It makes the hot function list.
func StartTrace() { wasm.StartTrace() }

// TracedFunctions returns the functions called since StartTrace, sorted.
func TracedFunctions() []uint32 { return wasm.Traced() }

// HotFunctions returns the hot function list compiled in and the checksum
// of the module it was made for; ModuleChecksum is the embedded module's.
func HotFunctions() ([]uint32, string) { return wasm.HotFunctions() }

// ModuleChecksum returns the checksum of the embedded module.
func ModuleChecksum() string { return wasm.ModuleChecksum() }

// SetEngine makes every later instance run on one engine: "interpreter"
// or "compiler" (the trimmed module), "full" (the full module, compiled);
// "" (the default) chooses by the cache and the work. For tests and
// measurements.
func SetEngine(name string) { wasm.SetEngine(name) }

// StubHits counts the calls of UseFull: the layouts the trimmed module
// could not do.
func StubHits() int { return wasm.StubHits() }

// Layout lays graph out with g's layout engine, without rendering
// anything: read the result with cgraph's Coord, BoundingBox, Spline and
// LabelPos, then call FreeLayout (or Release the whole instance).
func (g *Graphviz) Layout(ctx context.Context, graph *Graph) error {
	return g.ctx.Layout(ctx, graph, string(g.layout))
}

// FreeLayout frees what Layout computed.
func (g *Graphviz) FreeLayout(ctx context.Context, graph *Graph) error {
	return g.ctx.FreeLayout(ctx, graph)
}
