// Code generated for threatmap's patched copy (see NOTES.md). DO NOT EDIT.

package cgraph

import "github.com/threatmap/threatmap/third_party/go-graphviz/internal/wasm"

// bindEnums sets the package's copies of WebAssembly enum values, which
// are only known once the module is loaded.
func bindEnums() {
	GRAPH = ObjectTag(wasm.GRAPH)
	NODE = ObjectTag(wasm.NODE)
	OUTEDGE = ObjectTag(wasm.OUT_EDGE)
	INEDGE = ObjectTag(wasm.IN_EDGE)
	EDGE = ObjectTag(wasm.EDGE)
}
