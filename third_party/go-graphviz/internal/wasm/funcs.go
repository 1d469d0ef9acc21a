package wasm

// Added in threatmap's patched copy (see NOTES.md): the binding calls an
// export by name for every operation (a graph of a dozen nodes makes
// thousands of calls), and wazero's ExportedFunction makes a new function
// value each time, with a fresh call stack that grows again during the
// call (10 KB allocated per call by the compiler's engine). The instance
// now keeps one function value per export and reuses it.

import (
	"context"

	"github.com/tetratelabs/wazero/api"
)

// ExportedFunction returns the instance's export name, made once per
// instance and reused; nil when the module has no such export. A call
// that re-enters the same export (from a host callback) uses a fresh
// function value, since a value's call stack is in use until its call
// returns.
func (m *WasmModule) ExportedFunction(name string) api.Function {
	if f, ok := m.funcs[name]; ok {
		return f
	}
	fn := m.mod.ExportedFunction(name)
	if fn == nil {
		return nil
	}
	if m.funcs == nil {
		m.funcs = map[string]*reusedFunction{}
	}
	f := &reusedFunction{Function: fn, m: m, name: name}
	m.funcs[name] = f
	return f
}

// reusedFunction is an export's function value kept by its instance.
type reusedFunction struct {
	api.Function
	m    *WasmModule
	name string
	busy bool
}

// Call calls the export: on the kept value, or on a fresh one when the
// kept one is in a call. A value whose call failed is not kept (the
// instance is usually discarded then; nothing of its state is reused).
func (f *reusedFunction) Call(ctx context.Context, params ...uint64) ([]uint64, error) {
	if f.busy {
		return f.m.mod.ExportedFunction(f.name).Call(ctx, params...)
	}
	f.busy = true
	ok := false
	defer func() {
		f.busy = false
		if !ok {
			delete(f.m.funcs, f.name)
		}
	}()
	res, err := f.Function.Call(ctx, params...)
	ok = err == nil
	return res, err
}
