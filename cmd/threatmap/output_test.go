package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSafeName(t *testing.T) {
	tests := map[string]string{
		"arch":                   "arch",
		"../../x":                "x",
		"..":                     "diagram",
		"CON":                    "_CON",
		"con.txt":                "_con.txt",
		"Page 1":                 "Page-1",
		"a/b\\c":                 "a-b-c",
		"Übersicht":              "Übersicht",
		"\x00\x01":               "diagram",
		".hidden":                "hidden",
		"COM1":                   "_COM1",
		"name<>:\"|?*":           "name",
		strings.Repeat("x", 200): strings.Repeat("x", 80),
	}
	for in, want := range tests {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStem(t *testing.T) {
	tests := []struct {
		file, diagram string
		many          bool
		want          string
	}{
		{"dir/arch.drawio", "Page-1", false, "arch"},
		{"dir/arch.drawio", "Page 1", true, "arch-Page-1"},
		{"arch.drawio.svg", "", false, "arch"},
		{"-", "", false, "stdin"},
		{"README.md", "../../etc/passwd", true, "README-etc-passwd"},
		{".dot", "", false, "dot"},
	}
	for _, tt := range tests {
		if got := stem(tt.file, tt.diagram, tt.many); got != tt.want {
			t.Errorf("stem(%q, %q) = %q, want %q", tt.file, tt.diagram, got, tt.want)
		}
	}
}

func TestStage(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	names := func() []string {
		var n []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			n = append(n, e.Name())
		}
		return n
	}

	// Nothing is visible under its final name before commit.
	st := &stage{dir: dir}
	if err := st.add("a.json", write("one")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.json")); err == nil {
		t.Error("output visible before commit")
	}
	if written, err := st.commit(); err != nil || len(written) != 1 {
		t.Fatalf("commit: %v %v", written, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.json")); string(b) != "one" {
		t.Errorf("content = %q", b)
	}

	// A writer that fails, then abort: no temporary file is left.
	st = &stage{dir: dir}
	st.add("b.json", write("partial"))
	if err := st.add("c.json", func(w io.Writer) error { return errors.New("boom") }); err == nil {
		t.Fatal("writer error lost")
	}
	st.abort()
	if got := strings.Join(names(), " "); got != "a.json" {
		t.Errorf("after abort the folder holds %s", got)
	}

	// An output that would replace an input is refused, and nothing of
	// that stage is renamed.
	in := filepath.Join(dir, "in.dot")
	os.WriteFile(in, []byte("digraph{}"), 0o644)
	st = &stage{dir: dir, inputs: []string{in}}
	st.add("d.json", write("d"))
	st.add("in.dot", write("x"))
	if _, err := st.commit(); err == nil || !strings.Contains(err.Error(), "refusing to overwrite the input") {
		t.Errorf("commit over an input: %v", err)
	}
	if b, _ := os.ReadFile(in); string(b) != "digraph{}" {
		t.Error("input changed")
	}
	if got := strings.Join(names(), " "); got != "a.json in.dot" {
		t.Errorf("after refusal the folder holds %s", got)
	}
}
