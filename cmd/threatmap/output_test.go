package main

import (
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

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	if err := writeAtomic(p, []byte("one"), nil); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(p, []byte("two"), nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "two" {
		t.Errorf("content = %q", b)
	}
	in := filepath.Join(dir, "in.dot")
	os.WriteFile(in, []byte("digraph{}"), 0o644)
	if err := writeAtomic(in, []byte("x"), []string{in}); err == nil {
		t.Error("overwrote the input")
	}
	if b, _ := os.ReadFile(in); string(b) != "digraph{}" {
		t.Error("input changed")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
