package wasm

// Added in threatmap's patched copy (see NOTES.md): a trimmed form of the
// module, in which only the functions a layout is known to run keep their
// code. Every other function's body is replaced by a stub that sets the
// exported global StubGlobal and traps, so that compiling the module (with
// wazero's interpreter or its compiler) handles about a quarter of the
// code. Function indices, types, tables, element and data segments are
// unchanged, so a run that never reaches a stub executes exactly the
// instructions the full module would; a run that does is detected through
// StubGlobal and redone with the full module.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
)

// StubGlobal names the exported i32 global that a stub sets to 1 before
// it traps.
const StubGlobal = "threatmap_stub_hit"

// Checksum identifies a module's bytes (CRC-32C and length): the hot
// function list is valid only for the module it was made from.
func Checksum(bin []byte) string {
	return fmt.Sprintf("%08x-%d", crc32.Checksum(bin, crc32.MakeTable(crc32.Castagnoli)), len(bin))
}

// WASM section ids.
const (
	secImport = 2
	secGlobal = 6
	secExport = 7
	secCode   = 10
)

// trim returns bin with the body of every defined function whose index
// (in the function index space, imports first) is not in keep replaced by
// a stub, a new mutable i32 global StubGlobal (initially 0) that the
// stubs set, and its export. keep must be sorted.
func trim(bin []byte, keep []uint32) ([]byte, error) {
	if len(bin) < 8 || string(bin[:4]) != "\x00asm" {
		return nil, errors.New("trim: not a WebAssembly module")
	}
	type section struct {
		id   byte
		body []byte
	}
	var secs []section
	for r := bin[8:]; len(r) > 0; {
		id := r[0]
		size, n := binary.Uvarint(r[1:])
		if n <= 0 || uint64(len(r)-1-n) < size {
			return nil, errors.New("trim: truncated section")
		}
		secs = append(secs, section{id, r[1+n : 1+n+int(size)]})
		r = r[1+n+int(size):]
	}
	var importedFuncs, importedGlobals uint32
	for _, s := range secs {
		if s.id == secImport {
			var err error
			if importedFuncs, importedGlobals, err = countImports(s.body); err != nil {
				return nil, err
			}
		}
	}
	var stubGlobal uint32
	seen := 0
	bodies := make([][]byte, len(secs))
	size := 8
	for i, s := range secs {
		body := s.body
		switch s.id {
		case secGlobal:
			n, k := binary.Uvarint(body)
			if k <= 0 {
				return nil, errors.New("trim: bad global section")
			}
			stubGlobal = importedGlobals + uint32(n)
			// i32, mutable, init i32.const 0.
			body = append(binary.AppendUvarint(nil, n+1), body[k:]...)
			body = append(body, 0x7f, 0x01, 0x41, 0x00, 0x0b)
			seen++
		case secExport:
			n, k := binary.Uvarint(body)
			if k <= 0 || seen != 1 {
				return nil, errors.New("trim: bad export section")
			}
			body = append(binary.AppendUvarint(nil, n+1), body[k:]...)
			body = binary.AppendUvarint(body, uint64(len(StubGlobal)))
			body = append(body, StubGlobal...)
			body = append(body, 0x03) // global
			body = binary.AppendUvarint(body, uint64(stubGlobal))
			seen++
		case secCode:
			if seen != 2 {
				return nil, errors.New("trim: no global or export section before the code")
			}
			n, err := trimmedCodeSize(body, importedFuncs, stubGlobal, keep)
			if err != nil {
				return nil, err
			}
			size += 1 + uvarintLen(n) + n
			seen++
			continue
		}
		bodies[i] = body
		size += 1 + uvarintLen(len(body)) + len(body)
	}
	if seen != 3 {
		return nil, errors.New("trim: module has no code section")
	}
	// One allocation of the exact size: this runs in every process that
	// lays a diagram out.
	out := make([]byte, 0, size)
	out = append(out, bin[:8]...)
	for i, s := range secs {
		if s.id == secCode {
			out = appendTrimmedCode(out, s.body, importedFuncs, stubGlobal, keep)
			continue
		}
		out = append(out, s.id)
		out = binary.AppendUvarint(out, uint64(len(bodies[i])))
		out = append(out, bodies[i]...)
	}
	return out, nil
}

// uvarintLen is the length of n's unsigned LEB128 encoding.
func uvarintLen(n int) int {
	l := 1
	for ; n >= 0x80; n >>= 7 {
		l++
	}
	return l
}

// stubBody is the body of a function trim does not keep: no locals;
// i32.const 1; global.set stubGlobal; unreachable; end.
func stubBody(stubGlobal uint32) []byte {
	stub := []byte{0x00, 0x41, 0x01, 0x24}
	stub = binary.AppendUvarint(stub, uint64(stubGlobal))
	return append(stub, 0x00, 0x0b)
}

// codeEntries calls each with every function body entry (size and body)
// of a code section's body and whether trim keeps it.
func codeEntries(body []byte, importedFuncs uint32, keep []uint32, each func(entry []byte, kept bool)) error {
	n, k := binary.Uvarint(body)
	if k <= 0 {
		return errors.New("trim: bad code section")
	}
	r := body[k:]
	for i := uint64(0); i < n; i++ {
		size, m := binary.Uvarint(r)
		if m <= 0 || uint64(len(r)-m) < size {
			return errors.New("trim: truncated function body")
		}
		_, kept := slices.BinarySearch(keep, importedFuncs+uint32(i))
		each(r[:m+int(size)], kept)
		r = r[m+int(size):]
	}
	if len(r) != 0 {
		return errors.New("trim: bytes after the last function body")
	}
	return nil
}

// trimmedCodeSize is the size of the trimmed code section's body; it
// checks the section.
func trimmedCodeSize(body []byte, importedFuncs, stubGlobal uint32, keep []uint32) (int, error) {
	n, _ := binary.Uvarint(body)
	stub := stubBody(stubGlobal)
	size := uvarintLen(int(n))
	err := codeEntries(body, importedFuncs, keep, func(entry []byte, kept bool) {
		if kept {
			size += len(entry)
		} else {
			size += uvarintLen(len(stub)) + len(stub)
		}
	})
	return size, err
}

// appendTrimmedCode appends the code section (id, size, body) with every
// function not in keep replaced by the stub to dst. The section was
// checked by trimmedCodeSize.
func appendTrimmedCode(dst, body []byte, importedFuncs, stubGlobal uint32, keep []uint32) []byte {
	n, _ := binary.Uvarint(body)
	size, _ := trimmedCodeSize(body, importedFuncs, stubGlobal, keep)
	stub := stubBody(stubGlobal)
	dst = append(dst, secCode)
	dst = binary.AppendUvarint(dst, uint64(size))
	dst = binary.AppendUvarint(dst, n)
	_ = codeEntries(body, importedFuncs, keep, func(entry []byte, kept bool) {
		if kept {
			dst = append(dst, entry...)
		} else {
			dst = binary.AppendUvarint(dst, uint64(len(stub)))
			dst = append(dst, stub...)
		}
	})
	return dst
}

// countImports counts the imported functions and globals of an import
// section's body.
func countImports(b []byte) (funcs, globals uint32, err error) {
	bad := errors.New("trim: bad import section")
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return 0, 0, bad
	}
	b = b[k:]
	skipName := func() bool {
		l, m := binary.Uvarint(b)
		if m <= 0 || uint64(len(b)-m) < l {
			return false
		}
		b = b[m+int(l):]
		return true
	}
	uv := func() bool {
		_, m := binary.Uvarint(b)
		if m <= 0 {
			return false
		}
		b = b[m:]
		return true
	}
	limits := func() bool {
		if len(b) < 1 {
			return false
		}
		flags := b[0]
		b = b[1:]
		if !uv() {
			return false
		}
		if flags&1 != 0 {
			return uv()
		}
		return true
	}
	for i := uint64(0); i < n; i++ {
		// Module name, then field name.
		for range 2 {
			if !skipName() {
				return 0, 0, bad
			}
		}
		if len(b) < 1 {
			return 0, 0, bad
		}
		kind := b[0]
		b = b[1:]
		ok := false
		switch kind {
		case 0x00: // function: type index
			funcs++
			ok = uv()
		case 0x01: // table: reference type, limits
			if len(b) > 0 {
				b = b[1:]
				ok = limits()
			}
		case 0x02: // memory: limits
			ok = limits()
		case 0x03: // global: value type, mutability
			globals++
			if len(b) >= 2 {
				b, ok = b[2:], true
			}
		case 0x04: // tag: attribute, type index
			if len(b) > 0 {
				b = b[1:]
				ok = uv()
			}
		}
		if !ok {
			return 0, 0, bad
		}
	}
	return funcs, globals, nil
}
