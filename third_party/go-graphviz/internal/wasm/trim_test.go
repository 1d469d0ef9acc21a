package wasm

import (
	"context"
	"slices"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// tiny is a module importing env.f (function 0) and defining a mutable
// global and functions a (1, returns 7) and b (2, returns 8), exported.
var tiny = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type 0: () -> i32
	0x02, 0x09, 0x01, 0x03, 'e', 'n', 'v', 0x01, 'f', 0x00, 0x00, // import env.f
	0x03, 0x03, 0x02, 0x00, 0x00, // functions a, b
	0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x05, 0x0b, // global 0: mut i32 = 5
	0x07, 0x09, 0x02, 0x01, 'a', 0x00, 0x01, 0x01, 'b', 0x00, 0x02, // exports
	0x0a, 0x0b, 0x02, 0x04, 0x00, 0x41, 0x07, 0x0b, 0x04, 0x00, 0x41, 0x08, 0x0b, // code
}

// TestTrim: a kept function runs as before and leaves the stub global at
// 0; a trimmed one traps and sets it; the module's own global is intact.
func TestTrim(t *testing.T) {
	ctx := context.Background()
	bin, err := trim(tiny, []uint32{1})
	if err != nil {
		t.Fatal(err)
	}
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
	defer r.Close(ctx)
	if _, err := r.NewHostModuleBuilder("env").NewFunctionBuilder().
		WithFunc(func() int32 { return 1 }).Export("f").Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	m, err := r.Instantiate(ctx, bin)
	if err != nil {
		t.Fatalf("the trimmed module does not instantiate: %v", err)
	}
	hit := m.ExportedGlobal(StubGlobal)
	if hit == nil {
		t.Fatal("no stub global exported")
	}
	if got, err := m.ExportedFunction("a").Call(ctx); err != nil || got[0] != 7 {
		t.Fatalf("kept function: %v, %v", got, err)
	}
	if hit.Get() != 0 {
		t.Fatal("the stub global is set after a kept function")
	}
	if _, err := m.ExportedFunction("b").Call(ctx); err == nil {
		t.Fatal("a trimmed function did not trap")
	}
	if hit.Get() != 1 {
		t.Fatal("a trimmed function did not set the stub global")
	}
	for _, bad := range [][]byte{nil, tiny[:20], append(slices.Clone(tiny[:len(tiny)-1]), 0x0b, 0x00)} {
		if _, err := trim(bad, nil); err == nil {
			t.Errorf("trim of %d malformed bytes succeeded", len(bad))
		}
	}
}

// TestTrimGraphviz: in the trimmed Graphviz module, a function left out of
// the hot list sets the stub global (its index counts the module's
// imported globals right) and traps.
func TestTrimGraphviz(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles Graphviz")
	}
	if Checksum(wasmFile) != hotModule {
		t.Skip("hot list stale (layout's TestHotFunctions says so)")
	}
	bin, err := trim(wasmFile, hotFunctions)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r, compiled := load(ctx, wazero.NewRuntimeConfigInterpreter(), bin)
	defer r.Close(ctx)
	m, err := r.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName("trimtest"))
	if err != nil {
		t.Fatal(err)
	}
	var cold api.FunctionDefinition
	for _, def := range compiled.ExportedFunctions() {
		if _, ok := slices.BinarySearch(hotFunctions, def.Index()); !ok && len(def.ParamTypes()) == 0 && def.GoFunction() == nil {
			cold = def
			break
		}
	}
	if cold == nil {
		t.Fatal("no exported function without parameters outside the hot list")
	}
	if _, err := m.ExportedFunction(cold.ExportNames()[0]).Call(ctx); err == nil {
		t.Fatalf("%s did not trap", cold.ExportNames()[0])
	}
	if m.ExportedGlobal(StubGlobal).Get() != 1 {
		t.Fatalf("%s did not set the stub global", cold.ExportNames()[0])
	}
}
