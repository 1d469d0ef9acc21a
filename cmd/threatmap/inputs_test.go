package main

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
)

func TestFindConfig(t *testing.T) {
	dir := t.TempDir()
	diagram := filepath.Join(dir, "arch.drawio")
	if _, ok := findConfig(diagram); ok {
		t.Error("found a config that does not exist")
	}
	if err := os.WriteFile(filepath.Join(dir, "threatmap.yml"), []byte("system: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if p, ok := findConfig(diagram); !ok || p != filepath.Join(dir, "threatmap.yml") {
		t.Errorf("findConfig = %q, %v", p, ok)
	}
	if err := os.WriteFile(filepath.Join(dir, "threatmap.yaml"), []byte("system: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if p, ok := findConfig(diagram); !ok || p != filepath.Join(dir, "threatmap.yaml") {
		t.Errorf("findConfig with both = %q, %v; want threatmap.yaml first", p, ok)
	}
	if _, ok := findConfig("-"); ok {
		t.Error("stdin has no config")
	}
}

// File errors name the file; parse errors name the file and line.
func TestLoadConfigAndRulesErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "threatmap.yaml")
	if err := os.WriteFile(bad, []byte("system: x\ncomponents:\n  A: {kind: blob}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badRules := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(badRules, []byte("rules:\n  - id: X-1\n    category: Q\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nope.yaml")
	_, errMissingCfg := loadConfig(missing)
	_, errBadCfg := loadConfig(bad)
	_, errMissingRules := loadRules([]string{missing})
	_, errBadRules := loadRules([]string{badRules})
	for _, tt := range []struct {
		err  error
		file string
		line int
		msg  string
	}{
		{errMissingCfg, missing, 0, "cannot read configuration"},
		{errBadCfg, bad, 3, "unknown component kind"},
		{errMissingRules, missing, 0, "cannot read rules file"},
		{errBadRules, badRules, 2, "unknown category"},
	} {
		var ie *graph.InputError
		if !errors.As(tt.err, &ie) || ie.File != tt.file || ie.Pos.Line != tt.line || !strings.Contains(tt.err.Error(), tt.msg) {
			t.Errorf("error %v, want %q at %s:%d", tt.err, tt.msg, tt.file, tt.line)
		}
	}
}

// rules --fields lists every field of stride.Fields, one per line.
func TestRulesFields(t *testing.T) {
	code, out, _ := runCLI(t, "", "rules", "--fields")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	fields, err := stride.Fields()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(fields)+2 || !strings.HasPrefix(lines[0], "FIELD") {
		t.Fatalf("%d lines for %d fields:\n%s", len(lines), len(fields), out)
	}
	for i, f := range fields {
		if got := strings.Fields(lines[i+1]); len(got) < 3 || got[0] != f.Name || got[1] != f.Type {
			t.Errorf("line %d = %q, want field %s %s", i+2, lines[i+1], f.Name, f.Type)
		}
	}
}

// rules --check runs the examples of the built-in rules and of --rules
// files; a user rule whose example does not hold is an input error (exit
// 2) naming its file and line.
func TestRulesCheck(t *testing.T) {
	code, out, _ := runCLI(t, "", "rules", "--check")
	if want := strconv.Itoa(len(stride.DefaultRules())) + " rules, 0 failed"; code != 0 || !strings.HasSuffix(strings.TrimSpace(out), want) {
		t.Fatalf("built-in rules: exit %d:\n%s", code, out)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "house.yaml")
	if err := os.WriteFile(file, []byte(`rules:
  - id: X-HOUSE-01
    category: Spoofing
    applies_to: [process]
    when: 'Name == "Orders API"'
    title: 'House rule on {{.Name}}'
    description: 'Company-specific.'
    likelihood: 2
    impact: 2
    examples:
      fires:
        - element: Orders API
          mermaid: |
            flowchart LR
              u(["Customer"]) -->|HTTPS| api["Orders API"]
      quiet:
        - mermaid: |
            flowchart LR
              u(["Customer"]) -->|HTTPS| api["Orders API"]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", "rules", "--rules", file, "--check")
	if code != 2 || !strings.Contains(out, "FAIL X-HOUSE-01") || !strings.Contains(out, "quiet example 1: the rule fires on Orders API") ||
		!strings.Contains(stderr, file+":2") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
}
