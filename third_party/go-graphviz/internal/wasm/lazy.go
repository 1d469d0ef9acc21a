package wasm

// Added in threatmap's patched copy (see NOTES.md): the module is compiled
// and instantiated on first use instead of in init(), with the compilation
// cache its user chooses, and an instance can be closed (Release) so that
// its linear memory, which only ever grows while it lives, goes back to
// the Go heap; the next Load instantiates the compiled module again.
//
// Which module and which engine an instance runs on is chosen when it is
// made (see Load): the trimmed module (trim.go) unless a run of it reached
// a stub, then the full module; wazero's compiler when the compiled module
// is in the cache or the work to interpret would exceed the budget, else
// wazero's interpreter, which starts several times faster than a
// compilation but runs several times slower.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// DefaultInterpretBudget is the work (as passed to SetWork) interpreted
// before the module is compiled, counted over the processes that share a
// compilation cache (and per process without one). Interpreting costs
// about the compilation's CPU time at a few hundred units of work (three
// to five small diagrams): past the budget, compiling once and loading the
// compiled module from the cache afterwards is cheaper.
const DefaultInterpretBudget = 300

// engine is one compiled form of the module: a runtime with its host
// modules and the compiled code, kept for the life of the process.
type engine struct {
	once     sync.Once
	err      error
	runtime  wazero.Runtime
	compiled wazero.CompiledModule
	trimmed  bool
}

func (e *engine) ready() bool { return e.runtime != nil }

var (
	trimmedInterp, trimmedNative, fullNative, traceEngine engine

	mu         sync.Mutex // guards everything below, and mod
	generation uint64
	live       *engine // the engine of the live instance
	cacheDir   string
	full       bool // a trimmed instance reached a stub: full module from now on
	tracing    bool
	nextWork   = -1 // work of the next instance; -1: unknown (compile)
	budget     = DefaultInterpretBudget
	state      *cacheState
	forced     string // SetEngine
	stubHits   int

	trimOnce    sync.Once
	trimmedFile []byte // nil when the hot list does not match the module
)

// SetCacheDir sets the directory of wazero's compilation cache; "" (the
// default) compiles without a cache. It has effect only before the first
// Load.
func SetCacheDir(dir string) {
	mu.Lock()
	cacheDir = dir
	mu.Unlock()
}

// SetInterpretBudget sets the work interpreted before the module is
// compiled; 0 always compiles.
func SetInterpretBudget(n int) {
	mu.Lock()
	budget = max(n, 0)
	mu.Unlock()
}

// SetEngine makes every later instance run on one engine: "interpreter"
// or "compiler" (the trimmed module), "full" (the full module, compiled);
// "" (the default) chooses as Load says. For tests and measurements.
func SetEngine(name string) {
	mu.Lock()
	forced = name
	mu.Unlock()
}

// SetWork tells the size of the work the next instance will do (nodes plus
// edges, or any measure that grows with the layout's cost); a negative
// value means unknown, which compiles.
func SetWork(n int) {
	mu.Lock()
	nextWork = n
	mu.Unlock()
}

// Load makes sure an instance of the module is ready: it compiles the
// module (each form once per process; a failure to compile is returned by
// every later call that needs that form) and instantiates it when there
// is no live instance (first use, or after Release). A cache that cannot
// be created or written is not used: the module is compiled without it.
func Load() error {
	mu.Lock()
	defer mu.Unlock()
	if mod != nil {
		return nil
	}
	e, err := choose()
	if err != nil {
		return err
	}
	if err := guard(func() { instantiate(e.runtime, e.compiled) }); err != nil {
		return err
	}
	live = e
	generation++
	return nil
}

// choose returns the engine of the next instance, compiling it if needed.
func choose() (*engine, error) {
	if tracing {
		return &traceEngine, traceEngine.load(wasmFile, false)
	}
	trimOnce.Do(func() {
		if Checksum(wasmFile) == hotModule {
			trimmedFile, _ = trim(wasmFile, hotFunctions)
		}
	})
	switch forced {
	case "full":
		return &fullNative, fullNative.load(wasmFile, true)
	case "interpreter", "compiler":
		if trimmedFile == nil {
			return nil, fmt.Errorf("graphviz: no trimmed module (the hot function list is for module %q, not %q)", hotModule, Checksum(wasmFile))
		}
		if forced == "interpreter" {
			return &trimmedInterp, trimmedInterp.load(trimmedFile, false)
		}
		return &trimmedNative, trimmedNative.load(trimmedFile, true)
	}
	if full || trimmedFile == nil {
		return &fullNative, fullNative.load(wasmFile, true)
	}
	if trimmedNative.ready() {
		return &trimmedNative, nil
	}
	if state == nil {
		state = readState(cacheDir, Checksum(trimmedFile))
	}
	if state.compiled || nextWork < 0 || state.interpreted+nextWork > budget {
		if err := trimmedNative.load(trimmedFile, true); err != nil {
			return nil, err
		}
		state.markCompiled()
		return &trimmedNative, nil
	}
	if err := trimmedInterp.load(trimmedFile, false); err != nil {
		return nil, err
	}
	state.addInterpreted(nextWork)
	return &trimmedInterp, nil
}

// load compiles bin once: with wazero's compiler (and the cache, if it is
// usable; without it if that fails) when native, else with its
// interpreter.
func (e *engine) load(bin []byte, native bool) error {
	e.once.Do(func() {
		e.trimmed = e == &trimmedInterp || e == &trimmedNative
		ctx := context.Background()
		if e == &traceEngine {
			ctx = experimental.WithFunctionListenerFactory(ctx, traceFactory{})
		}
		if !native {
			e.err = guard(func() { e.runtime, e.compiled = load(ctx, wazero.NewRuntimeConfigInterpreter(), bin) })
			return
		}
		if cache := openCache(cacheDir); cache != nil {
			if e.err = guard(func() { e.runtime, e.compiled = load(ctx, wazero.NewRuntimeConfig().WithCompilationCache(cache), bin) }); e.err == nil {
				return
			}
		}
		e.err = guard(func() { e.runtime, e.compiled = load(ctx, wazero.NewRuntimeConfig(), bin) })
	})
	return e.err
}

// StubHit reports whether the live instance runs the trimmed module and
// reached one of its stubs: its results are not to be used, and the work
// is to be done again after Release and UseFull.
func StubHit() bool {
	mu.Lock()
	defer mu.Unlock()
	if mod == nil || live == nil || !live.trimmed {
		return false
	}
	g := mod.mod.ExportedGlobal(StubGlobal)
	return g != nil && g.Get() != 0
}

// UseFull makes every later instance run the full module; StubHits
// counts its calls.
func UseFull() {
	mu.Lock()
	full = true
	stubHits++
	mu.Unlock()
}

// StubHits returns how many times UseFull was called.
func StubHits() int {
	mu.Lock()
	defer mu.Unlock()
	return stubHits
}

// EngineName tells whether the live instance runs the trimmed module with
// the interpreter ("interpreter"), compiled ("compiler"), or the full
// module ("full"); "" when none is live.
func EngineName() string {
	mu.Lock()
	defer mu.Unlock()
	switch {
	case mod == nil || live == nil:
		return ""
	case live == &trimmedInterp:
		return "interpreter"
	case live == &trimmedNative:
		return "compiler"
	}
	return "full"
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
	mod, live = nil, nil
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

// StartTrace makes every later instance run the full module with the
// interpreter, recording which functions are called (Traced). It is how
// the hot function list is made; call it before the first Load.
func StartTrace() {
	mu.Lock()
	tracing = true
	mu.Unlock()
}

// Traced returns the indices of the functions called since StartTrace,
// sorted.
func Traced() []uint32 {
	traceMu.Lock()
	defer traceMu.Unlock()
	out := make([]uint32, 0, len(traced))
	for i := range traced {
		out = append(out, i)
	}
	slices.Sort(out)
	return out
}

// HotFunctions returns the hot function list compiled in and the checksum
// of the module it was made for.
func HotFunctions() ([]uint32, string) { return slices.Clone(hotFunctions), hotModule }

// ModuleChecksum is Checksum of the embedded full module.
func ModuleChecksum() string { return Checksum(wasmFile) }

type traceFactory struct{}

func (traceFactory) NewFunctionListener(def api.FunctionDefinition) experimental.FunctionListener {
	return traceListener(def.Index())
}

type traceListener uint32

func (l traceListener) Before(context.Context, api.Module, api.FunctionDefinition, []uint64, experimental.StackIterator) {
	traceMu.Lock()
	traced[uint32(l)] = true
	traceMu.Unlock()
}

func (traceListener) After(context.Context, api.Module, api.FunctionDefinition, []uint64) {}

func (traceListener) Abort(context.Context, api.Module, api.FunctionDefinition, error) {}

var (
	traceMu sync.Mutex
	traced  = map[uint32]bool{} // guarded by traceMu
)

// cacheState is what the processes sharing a cache directory know of the
// trimmed module: whether it is compiled in the cache, and how much work
// was interpreted so far. Without a usable directory it lives in memory.
type cacheState struct {
	dir, key    string // dir "": in memory only
	compiled    bool
	interpreted int
}

func readState(dir, key string) *cacheState {
	s := &cacheState{key: key}
	if dir == "" || !usable(dir) {
		return s
	}
	s.dir = dir
	if _, err := os.Stat(s.path("compiled")); err == nil {
		s.compiled = true
	}
	if b, err := os.ReadFile(s.path("interpreted")); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && n > 0 {
			s.interpreted = n
		}
	}
	return s
}

func (s *cacheState) path(what string) string {
	return filepath.Join(s.dir, "graphviz-"+s.key+"."+what)
}

func (s *cacheState) markCompiled() {
	if s.compiled {
		return
	}
	s.compiled = true
	if s.dir != "" {
		writeAtomic(s.path("compiled"), nil)
	}
}

func (s *cacheState) addInterpreted(n int) {
	s.interpreted += n
	if s.dir != "" {
		writeAtomic(s.path("interpreted"), []byte(strconv.Itoa(s.interpreted)+"\n"))
	}
}

// writeAtomic writes b to a temporary file and renames it to name, so
// that processes reading it at the same time see all or nothing; errors
// are ignored (the state is an optimisation).
func writeAtomic(name string, b []byte) {
	f, err := os.CreateTemp(filepath.Dir(name), ".state-*")
	if err != nil {
		return
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), name) != nil {
		os.Remove(f.Name())
	}
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

// usable reports whether dir exists or can be created, and can be
// written to.
func usable(dir string) bool {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false
	}
	probe, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return false
	}
	name := probe.Name()
	probe.Close()
	os.Remove(name)
	return true
}

// openCache returns a compilation cache in dir when dir can be created and
// written to, else nil. wazero writes each entry to a temporary file and
// renames it, so processes starting at once share the cache safely.
func openCache(dir string) wazero.CompilationCache {
	if dir == "" || !usable(dir) {
		return nil
	}
	cache, err := wazero.NewCompilationCacheWithDir(filepath.Clean(dir))
	if err != nil {
		return nil
	}
	return cache
}
