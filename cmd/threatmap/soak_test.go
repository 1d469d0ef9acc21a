package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/internal/testcorpus"
)

// hostileFolder returns a folder holding every hostile input: the files of
// testdata/hostile and the generated ones of hostileCases.
func hostileFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "..", "testdata", "hostile")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, hc := range hostileCases() {
		if hc.gen != nil {
			if err := os.WriteFile(filepath.Join(dir, hc.file), hc.gen(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// TestSoak runs the whole command, as a user would, over every example,
// corpus diagram and hostile input three times and checks that the
// summaries and every output file are identical each time (under -race in
// make test).
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	args := []string{"analyze", "-j", "2", filepath.Join("..", "..", "examples"), hostileFolder(t)}
	for _, sub := range []string{"dot", "drawio", "mermaid"} {
		args = append(args, testcorpus.Dir(t, sub))
	}
	var firstOut string
	var first map[string][]byte
	for run := range 3 {
		out := filepath.Join(t.TempDir(), "out")
		code, stdout, _ := runCLI(t, "", append(args, "-o", out)...)
		if code != exitInput { // the hostile suite holds inputs that must fail
			t.Fatalf("run %d: exit %d, want 2\n%s", run, code, stdout)
		}
		stdout = strings.ReplaceAll(stdout, out, "OUT")
		files := readDir(t, out)
		if run == 0 {
			firstOut, first = stdout, files
			if len(files) < 100 {
				t.Fatalf("only %d outputs: %v", len(files), names(files))
			}
			continue
		}
		if stdout != firstOut {
			t.Errorf("run %d: summary differs:\n%s", run, stdout)
		}
		if strings.Join(names(files), " ") != strings.Join(names(first), " ") {
			t.Fatalf("run %d: output names differ:\n%v\n%v", run, names(files), names(first))
		}
		for n, b := range files {
			if !bytes.Equal(b, first[n]) {
				t.Errorf("run %d: %s differs", run, n)
			}
		}
	}
}

// TestHostileUnderMemoryLimit runs the built binary on the hostile suite
// with its memory limited to 256 MB: every input gets its verdict (exit 2
// with a message, or analysed), never a crash for want of memory.
//
// The limit is RLIMIT_DATA (ulimit -d), which since Linux 4.7 counts every
// private writable mapping, so the whole Go heap. RLIMIT_AS (ulimit -v)
// cannot be used: the Go runtime reserves far more address space than that
// at start-up (page summaries, arena index) without touching it, and no Go
// program starts under it.
func TestHostileUnderMemoryLimit(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash for ulimit")
	}
	bin := buildBinary(t)
	dir := hostileFolder(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]hostileCase{}
	for _, hc := range hostileCases() {
		want[hc.file] = hc
	}
	// One process per input: the bound is per input. (A single run over
	// the whole folder needs more: the runtime keeps the heap it grew for
	// one bomb while the next is read.)
	for _, e := range entries {
		in := filepath.Join(dir, e.Name())
		cmd := exec.Command(bash, "-c", `ulimit -d 262144 && exec "$0" analyze -o "$1" "$2"`, bin, t.TempDir(), in)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		_ = cmd.Run()
		code := cmd.ProcessState.ExitCode()
		for _, bad := range []string{"out of memory", "cannot allocate", "internal error", "panic", "fatal error"} {
			if strings.Contains(stderr.String(), bad) {
				t.Errorf("%s: stderr mentions %q:\n%.2000s", e.Name(), bad, stderr.String())
			}
		}
		hc, ok := want[e.Name()]
		if !ok {
			continue
		}
		if code != hc.code {
			t.Errorf("%s: exit %d, want %d\n%s", e.Name(), code, hc.code, stderr.String())
		}
		if hc.code == 2 && !strings.Contains(stderr.String(), hc.msg) {
			t.Errorf("%s: stderr lacks %q", e.Name(), hc.msg)
		}
	}
}
