package wasm

// Added in threatmap's patched copy (see NOTES.md): reads of the live
// instance's memory, for the layout records cgraph's geometry.go reads.

import (
	"encoding/binary"
	"math"
)

// ReadU32 reads a little-endian uint32 (a wasm32 pointer or size) at addr.
func ReadU32(addr uint64) (uint32, error) {
	v, err := mod.readU32(addr)
	return uint32(v), err
}

// ReadF64s reads n little-endian float64 values starting at addr.
func ReadF64s(addr uint64, n int) ([]float64, error) {
	b, err := mod.read(addr, uint64(8*n))
	if err != nil {
		return nil, err
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out, nil
}
