package wasm

// Added in threatmap's patched copy (see NOTES.md): the module is compiled
// and instantiated on first use instead of in init(), with the compilation
// cache its user chooses.

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/tetratelabs/wazero"
)

var (
	loadOnce sync.Once
	loadErr  error
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

// Load compiles and instantiates the WebAssembly module, once; later
// calls return the first call's result. A cache that cannot be created or
// written is not used: the module is compiled without it.
func Load() error {
	loadOnce.Do(func() {
		cacheMu.Lock()
		dir := cacheDir
		cacheMu.Unlock()
		if cache := openCache(dir); cache != nil {
			if loadErr = tryLoad(cache); loadErr == nil {
				return
			}
		}
		loadErr = tryLoad(nil)
	})
	return loadErr
}

// tryLoad runs load, turning its panics into an error.
func tryLoad(cache wazero.CompilationCache) (err error) {
	defer func() {
		if r := recover(); r != nil {
			mod = nil
			err = fmt.Errorf("graphviz: loading the WebAssembly module: %v", r)
		}
	}()
	load(cache)
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
