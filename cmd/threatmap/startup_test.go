package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/threatmap/threatmap/third_party/go-graphviz"
)

// runBin runs the binary with env added and returns its exit code and
// combined output.
func runBin(t *testing.T, bin string, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, _ := cmd.CombinedOutput()
	return cmd.ProcessState.ExitCode(), string(out)
}

// TestGraphvizStartup builds the binary once for the start-up checks.
func TestGraphvizStartup(t *testing.T) {
	bin := buildBinary(t)
	t.Run("loaded only when used", func(t *testing.T) { graphvizLoadedOnlyWhenUsed(t, bin) })
	t.Run("cache", func(t *testing.T) { graphvizCache(t, bin) })
}

// graphvizLoadedOnlyWhenUsed: Graphviz's WebAssembly module is compiled
// on first use, so a run that draws nothing automatically never touches
// the compilation cache, and one that does fills it.
func graphvizLoadedOnlyWhenUsed(t *testing.T, bin string) {
	cache := filepath.Join(t.TempDir(), "cache")
	env := []string{"THREATMAP_CACHE_DIR=" + cache}
	out := t.TempDir()
	for _, args := range [][]string{
		{"--version"},
		{"analyze", "--emit", "json", "-o", out, example("telehealth.dot")},
		{"analyze", "-o", out, example("telehealth.drawio")}, // its own layout
	} {
		if code, msg := runBin(t, bin, env, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, msg)
		}
		if _, err := os.Stat(cache); err == nil {
			t.Fatalf("%v loaded Graphviz (the cache exists)", args)
		}
	}
	// A small automatic layout on a cold cache runs in wazero's
	// interpreter and counts the work it interpreted; once that passes
	// the budget, a run compiles the module into the cache, and the runs
	// after it load it from there. Every run draws the same SVG.
	var first []byte
	compiledAt := 0
	for run := 1; run <= 2+graphviz.DefaultInterpretBudget/20 && compiledAt == 0; run++ {
		if code, msg := runBin(t, bin, env, "analyze", "--emit", "svg", "-o", out, example("telehealth.mmd")); code != 0 {
			t.Fatalf("exit %d: %s", code, msg)
		}
		svg, err := os.ReadFile(filepath.Join(out, "telehealth.annotated.svg"))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = svg
		} else if !bytes.Equal(svg, first) {
			t.Errorf("run %d: the SVG differs from the first run's", run)
		}
		state, _ := filepath.Glob(filepath.Join(cache, "graphviz-*.interpreted"))
		if len(state) != 1 {
			t.Fatalf("run %d: interpreted work recorded in %v, want one file", run, state)
		}
		if entries, _ := filepath.Glob(filepath.Join(cache, "wazero-*", "*")); len(entries) > 0 {
			compiledAt = run
		}
	}
	if compiledAt < 2 {
		t.Errorf("the module was compiled into the cache at run %d: want the first runs interpreted and a later one compiled", compiledAt)
	}
	if code, msg := runBin(t, bin, env, "analyze", "--emit", "svg", "-o", out, example("telehealth.mmd")); code != 0 {
		t.Fatalf("exit %d: %s", code, msg)
	}
	if svg, _ := os.ReadFile(filepath.Join(out, "telehealth.annotated.svg")); !bytes.Equal(svg, first) {
		t.Error("warm cache: the SVG differs from the interpreted run's")
	}
}

// graphvizCache: an unusable cache directory (a file, a path under a
// file, a read-only folder when not run as root) and several processes
// filling a fresh cache at once all give the same SVG as no cache at all.
func graphvizCache(t *testing.T, bin string) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	svg := func(t *testing.T, cache string) []byte {
		out := t.TempDir()
		code, msg := runBin(t, bin, []string{"THREATMAP_CACHE_DIR=" + cache}, "analyze", "--emit", "svg", "-o", out, example("telehealth.mmd"))
		if code != 0 {
			t.Errorf("cache %s: exit %d: %s", cache, code, msg)
			return nil
		}
		b, err := os.ReadFile(filepath.Join(out, "telehealth.annotated.svg"))
		if err != nil {
			t.Error(err)
		}
		return b
	}
	want := svg(t, "off")
	for _, cache := range []string{file, readOnly, filepath.Join(file, "sub")} {
		if got := svg(t, cache); !bytes.Equal(got, want) {
			t.Errorf("cache %s: SVG differs", cache)
		}
	}
	fresh := filepath.Join(dir, "fresh")
	var wg sync.WaitGroup
	results := make([][]byte, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = svg(t, fresh)
		}()
	}
	wg.Wait()
	for i, got := range results {
		if !bytes.Equal(got, want) {
			t.Errorf("concurrent run %d: SVG differs", i)
		}
	}
	// And once more from the now warm cache.
	if got := svg(t, fresh); !bytes.Equal(got, want) {
		t.Error("warm cache: SVG differs")
	}
}

// BenchmarkStartup execs the built binary with --version: the fixed cost
// of every run (issue 19: under 15 ms of CPU, no Graphviz start-up).
func BenchmarkStartup(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "threatmap")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for b.Loop() {
		if err := exec.Command(bin, "--version").Run(); err != nil {
			b.Fatal(err)
		}
	}
}
