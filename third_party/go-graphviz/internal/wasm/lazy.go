package wasm

// Added in threatmap's patched copy (see NOTES.md): the module is compiled
// and instantiated on first use instead of in init(), with the compilation
// cache its user chooses, and an instance can be closed (Release) so that
// its linear memory, which only ever grows while it lives, goes back to
// the Go heap; the next Load instantiates the compiled module again.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/tetratelabs/wazero"
)

var (
	// wazeroRuntime and compiledModule are set once by load; the runtime, its
	// host modules and the compiled code live as long as the process.
	wazeroRuntime  wazero.Runtime
	compiledModule wazero.CompiledModule

	compileOnce sync.Once
	compileErr  error

	mu         sync.Mutex // guards mod, generation (with compileOnce)
	generation uint64

	cacheMu  sync.Mutex
	cacheDir string
)

// SetCacheDir sets the directory of wazero's compilation cache; "" (the
// default) compiles without a cache. It has effect only before the first
// Load.
func SetCacheDir(dir string) {
	cacheMu.Lock()
	cacheDir = dir
	cacheMu.Unlock()
}

// Load makes sure an instance of the module is ready: it compiles the
// module once (a failure to compile is returned by every later call) and
// instantiates it when there is no live instance (first use, or after
// Release). A cache that cannot be created or written is not used: the
// module is compiled without it.
func Load() error {
	mu.Lock()
	defer mu.Unlock()
	compileOnce.Do(func() {
		cacheMu.Lock()
		dir := cacheDir
		cacheMu.Unlock()
		if cache := openCache(dir); cache != nil {
			if compileErr = guard(func() { load(cache) }); compileErr == nil {
				generation++
				return
			}
		}
		if compileErr = guard(func() { load(nil) }); compileErr == nil {
			generation++
		}
	})
	if compileErr != nil {
		return compileErr
	}
	if mod != nil {
		return nil
	}
	if err := guard(instantiate); err != nil {
		return err
	}
	generation++
	return nil
}

// Release closes the live instance, if any, so that its memory can be
// reclaimed. Values that pointed into it (graphs, descriptors, contexts)
// must not be used afterwards; the next Load makes a fresh instance, and
// Generation tells the packages that keep such values to rebuild them.
func Release() error {
	mu.Lock()
	defer mu.Unlock()
	if mod == nil {
		return nil
	}
	m := mod.mod
	mod = nil
	return m.Close(context.Background())
}

// Generation counts the instances made so far: it changes whenever Load
// made a new instance, whose global values (enum copies, descriptors,
// registered callbacks) must be set up again.
func Generation() uint64 {
	mu.Lock()
	defer mu.Unlock()
	return generation
}

// MemorySize returns the size in bytes of the live instance's linear
// memory, 0 when there is none.
func MemorySize() uint64 {
	mu.Lock()
	defer mu.Unlock()
	if mod == nil {
		return 0
	}
	return uint64(mod.mod.Memory().Size())
}

// guard runs f, turning its panics into an error and leaving no partial
// instance behind.
func guard(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			mod = nil
			err = fmt.Errorf("graphviz: loading the WebAssembly module: %v", r)
		}
	}()
	f()
	return nil
}

// openCache returns a compilation cache in dir when dir can be created and
// written to, else nil. wazero writes each entry to a temporary file and
// renames it, so processes starting at once share the cache safely.
func openCache(dir string) wazero.CompilationCache {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil
	}
	probe, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return nil
	}
	name := probe.Name()
	probe.Close()
	os.Remove(name)
	cache, err := wazero.NewCompilationCacheWithDir(filepath.Clean(dir))
	if err != nil {
		return nil
	}
	return cache
}
