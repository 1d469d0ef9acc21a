package main

import (
	"bufio"
	"io"
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
	for _, ext := range []string{".threatdragon.json", ".otm.json", ".otm.yaml", ".otm.yml", ".otm", ".drawio.svg", ".drawio.png", ".drawio.xml", ".drawio", ".dio", ".xml", ".dot", ".gv", ".mmd", ".mermaid", ".markdown", ".md", ".svg", ".png", ".json", ".yaml", ".yml"} {
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

// stage holds outputs in temporary files inside the output folder until
// commit renames them all into place, so that a reader never sees a
// half-written file and a failed input leaves nothing behind (abort).
// Writing to disk as each output is rendered keeps only one output in
// memory at a time.
type stage struct {
	dir    string
	inputs []string // never replaced
	files  []stagedFile
}

type stagedFile struct{ tmp, final string }

// add renders one output named name into a temporary file.
func (s *stage) add(name string, write func(io.Writer) error) error {
	final := filepath.Join(s.dir, name)
	tmp, err := temps.create(s.dir, "."+name+".tmp-*")
	if err != nil {
		return err
	}
	s.files = append(s.files, stagedFile{tmp.Name(), final})
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Chmod(tmp.Name(), 0o644)
}

// commit renames every staged file into place, refusing to replace an
// input file. It returns the paths written.
func (s *stage) commit() ([]string, error) {
	for _, f := range s.files {
		if err := notAnInput(f.final, s.inputs); err != nil {
			s.abort()
			return nil, err
		}
	}
	var written []string
	for _, f := range s.files {
		if err := os.Rename(f.tmp, f.final); err != nil {
			s.abort()
			return written, err
		}
		temps.done(f.tmp)
		written = append(written, f.final)
	}
	s.files = nil
	return written, nil
}

// abort removes the temporary files not yet renamed.
func (s *stage) abort() {
	for _, f := range s.files {
		os.Remove(f.tmp)
		temps.done(f.tmp)
	}
	s.files = nil
}

func notAnInput(path string, inputs []string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return nil
	}
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		if ii, err := os.Stat(in); err == nil && os.SameFile(fi, ii) {
			return usagef("refusing to overwrite the input file %s; choose another -o folder", in)
		}
	}
	return nil
}
