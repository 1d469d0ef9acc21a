package cgraph

import (
	"context"
	"sync"

	"github.com/threatmap/threatmap/third_party/go-graphviz/internal/wasm"
)

var (
	Directed         *Desc
	StrictDirected   *Desc
	UnDirected       *Desc
	StrictUnDirected *Desc
)

var (
	initMu  sync.Mutex
	initGen uint64 // the wasm.Generation the globals were set for
)

// Init loads the WebAssembly module and sets the package's globals
// (patched: was init(); see NOTES.md). Every entry point calls it; it sets
// the globals again for each new instance (after wasm.Release).
func Init() error {
	initMu.Lock()
	defer initMu.Unlock()
	if err := wasm.Load(); err != nil {
		return err
	}
	gen := wasm.Generation()
	if gen == initGen {
		return nil
	}
	bindEnums()
	if err := setGlobalVars(context.Background()); err != nil {
		return err
	}
	initGen = gen
	return nil
}

func setGlobalVars(ctx context.Context) error {
	// Set MAX to prevent outputting internally generated errors or warnings with agerr to the stderr.
	wasm.SetError(ctx, wasm.MAX)

	directed, err := wasm.NewGraphDescriptor(ctx)
	if err != nil {
		return err
	}
	directed.SetDirected(1)
	directed.SetMaingraph(1)

	strictDirected, err := wasm.NewGraphDescriptor(ctx)
	if err != nil {
		return err
	}
	strictDirected.SetDirected(1)
	strictDirected.SetStrict(1)
	strictDirected.SetMaingraph(1)

	undirected, err := wasm.NewGraphDescriptor(ctx)
	if err != nil {
		return err
	}
	undirected.SetMaingraph(1)

	strictUndirected, err := wasm.NewGraphDescriptor(ctx)
	if err != nil {
		return err
	}
	strictUndirected.SetStrict(1)
	strictUndirected.SetMaingraph(1)

	Directed = toDesc(directed)
	StrictDirected = toDesc(strictDirected)
	UnDirected = toDesc(undirected)
	StrictUnDirected = toDesc(strictUndirected)

	return nil
}
