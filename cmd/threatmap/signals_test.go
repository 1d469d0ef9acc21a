package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the threatmap command into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "threatmap")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	// As make build does: a static binary, whose memory under a limit does
	// not depend on how many threads the runtime starts (with cgo each
	// holds an 8 MB C stack counted by RLIMIT_DATA, and under load the
	// hostile suite's 256 MB limit was reached).
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func tempOutputs(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var tmp []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			tmp = append(tmp, e.Name())
		}
	}
	return tmp
}

// SIGINT and SIGTERM remove the temporary outputs before the process exits
// with 130 or 143 (issue 16.7).
func TestSignalRemovesTempFiles(t *testing.T) {
	bin := buildBinary(t)
	in := filepath.Join(t.TempDir(), "big.mmd")
	if err := os.WriteFile(in, bigMermaid(3000), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		out := t.TempDir()
		cmd := exec.Command(bin, "analyze", "--emit", "xlsx,json,md", "-o", out, in, in+"-copy-does-not-exist")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Signal as soon as a temporary output exists (or after 20 s).
		seen := false
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if len(tempOutputs(t, out)) > 0 {
				seen = true
				break
			}
		}
		if err := cmd.Process.Signal(tt.sig); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != tt.code {
			t.Errorf("%v: %v, want exit %d", tt.sig, err, tt.code)
		}
		if !seen {
			t.Logf("%v: no temporary output seen before the signal", tt.sig)
		}
		if left := tempOutputs(t, out); len(left) > 0 {
			t.Errorf("%v: left %v", tt.sig, left)
		}
	}
}

// Temporary outputs that a killed run left behind are removed by the next
// run once they are old enough not to belong to a run still writing.
func TestStaleTempFilesRemoved(t *testing.T) {
	out := t.TempDir()
	old := filepath.Join(out, ".arch.threats.json.tmp-12345")
	young := filepath.Join(out, ".arch.annotated.svg.tmp-678")
	other := filepath.Join(out, ".notes.txt.tmp-1") // not ours
	for _, p := range []string{old, young, other} {
		if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-time.Hour)
	for _, p := range []string{old, other} {
		if err := os.Chtimes(p, long, long); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, stderr := runCLI(t, "", "analyze", "--emit", "json", "-o", out, example("telehealth.dot")); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := tempOutputs(t, out)
	want := []string{".arch.annotated.svg.tmp-678", ".notes.txt.tmp-1"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("left %v, want %v", got, want)
	}
}

func TestIsTempOutput(t *testing.T) {
	for name, want := range map[string]bool{
		".arch.threats.json.tmp-123":        true,
		".a.b.risk-register.xlsx.tmp-9":     true,
		"arch.threats.json.tmp-123":         false,
		".arch.threats.json.tmp-":           false,
		".arch.threats.json.tmp-12x":        false,
		".arch.threats.json":                false,
		".arch.txt.tmp-1":                   false,
		".arch.threat-model.md.tmp-4294967": true,
	} {
		if got := isTempOutput(name); got != want {
			t.Errorf("isTempOutput(%q) = %v, want %v", name, got, want)
		}
	}
}
