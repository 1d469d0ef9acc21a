package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/gensys"
	"github.com/threatmap/threatmap/layout"
)

// TestGraphvizFolderUnderMemoryLimit runs one process over a folder of
// generated Mermaid and DOT diagrams that are all laid out by Graphviz,
// under the 256 MB bound of TestHostileUnderMemoryLimit (RLIMIT_DATA):
// each layout's WebAssembly instance is closed when it is done, so its
// memory does not stay with the process while the next input runs, and
// every input is analysed and drawn.
func TestGraphvizFolderUnderMemoryLimit(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash for ulimit")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	var files []string
	for i, n := range []int{20, 40, 60, 80, 100, 120} {
		s := gensys.New(n)
		for _, f := range []struct {
			ext  string
			data []byte
		}{{"mmd", s.Mermaid()}, {"dot", s.DOT()}} {
			name := fmt.Sprintf("s%d-%d.%s", i, n, f.ext)
			ds, err := importers.Import(name, f.data, importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !layout.UsesGraphviz(ds[0], layout.Options{}) {
				t.Fatalf("%s is not laid out by Graphviz", name)
			}
			if err := os.WriteFile(filepath.Join(dir, name), f.data, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, name)
		}
	}
	out := t.TempDir()
	cmd := exec.Command(bash, "-c", `ulimit -d 262144 && exec "$0" analyze --emit svg -o "$1" "$2"`, bin, out, dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	_ = cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit %d\n%s\n%.3000s", code, stdout.String(), stderr.String())
	}
	for _, bad := range []string{"out of memory", "cannot allocate", "internal error", "panic", "fatal error", "Graphviz layout failed"} {
		if strings.Contains(stdout.String()+stderr.String(), bad) {
			t.Errorf("output mentions %q:\n%.3000s%.3000s", bad, stdout.String(), stderr.String())
		}
	}
	if want := fmt.Sprintf("%d files: %d analysed, 0 failed", len(files), len(files)); !strings.Contains(stdout.String()+stderr.String(), want) {
		t.Errorf("summary lacks %q:\n%s%s", want, stdout.String(), stderr.String())
	}
	for _, f := range files {
		stem := strings.TrimSuffix(f, filepath.Ext(f))
		if _, err := os.Stat(filepath.Join(out, stem+".annotated.svg")); err != nil {
			t.Errorf("%s: no picture: %v", f, err)
		}
	}
}
