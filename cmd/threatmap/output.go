package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// safeName turns a file, page or heading name into a file-name stem that
// is safe on every platform: no path separators or "..", no control or
// reserved characters, no Windows device names (CON, NUL, COM1...), no
// leading dot, at most 80 bytes.
func safeName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		ok := r == '.' || r == '_' || r == '-' || (r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))) ||
			(r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)))
		if !ok {
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
			continue
		}
		b.WriteRune(r)
		dash = false
	}
	out := strings.Trim(b.String(), ".-_ ")
	for strings.Contains(out, "..") {
		out = strings.ReplaceAll(out, "..", ".")
	}
	if len(out) > 80 {
		cut := 80
		for cut > 0 && !isRuneStart(out[cut]) {
			cut--
		}
		out = strings.Trim(out[:cut], ".-_")
	}
	if out == "" {
		return "diagram"
	}
	base := strings.ToUpper(out)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	switch base {
	case "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		out = "_" + out
	}
	return out
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// stem returns the output stem for an input file and a diagram name in it.
func stem(file, diagram string, many bool) string {
	base := filepath.Base(file)
	if file == "-" {
		base = "stdin"
	}
	lower := strings.ToLower(base)
	for _, ext := range []string{".drawio.svg", ".drawio.png", ".drawio.xml", ".drawio", ".dio", ".xml", ".dot", ".gv", ".mmd", ".mermaid", ".markdown", ".md", ".svg", ".png"} {
		if strings.HasSuffix(lower, ext) && len(base) > len(ext) {
			base = base[:len(base)-len(ext)]
			break
		}
	}
	if many && diagram != "" {
		return safeName(base) + "-" + safeName(diagram)
	}
	return safeName(base)
}

// writeAtomic writes data to path through a temporary file in the same
// folder renamed into place, so a reader never sees a half-written file and
// a failure leaves nothing behind. It refuses to replace any of inputs.
func writeAtomic(path string, data []byte, inputs []string) error {
	if fi, err := os.Stat(path); err == nil {
		for _, in := range inputs {
			if in == "-" {
				continue
			}
			if ii, err := os.Stat(in); err == nil && os.SameFile(fi, ii) {
				return fmt.Errorf("refusing to overwrite the input file %s", in)
			}
		}
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(name, 0o644); err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	ok = true
	return nil
}
