package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs threatmap with args and returns exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"threatmap"}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func example(name string) string { return filepath.Join("..", "..", "examples", name) }

func TestInspectDOT(t *testing.T) {
	code, out, errs := runCLI(t, "", "inspect", example("telehealth.dot"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Components []struct{ ID, Boundary string }
		Flows      []struct {
			ID      string
			Crosses []string
		}
		Boundaries []struct {
			ID, Parent string
			Members    []string
		}
		Warnings []string
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if len(doc.Components) != 14 || len(doc.Flows) != 15 || len(doc.Boundaries) != 5 {
		t.Errorf("got %d components, %d flows, %d boundaries", len(doc.Components), len(doc.Flows), len(doc.Boundaries))
	}
	for _, f := range doc.Flows {
		if f.ID == "patient->cdn" {
			if got := strings.Join(f.Crosses, ","); got != "cluster_internet,cluster_cloud,cluster_dmz" {
				t.Errorf("patient->cdn crosses %s", got)
			}
		}
	}
	// Stable output: a second run gives the same bytes.
	_, out2, _ := runCLI(t, "", "inspect", example("telehealth.dot"))
	if out != out2 {
		t.Error("inspect output differs between runs")
	}
}

func TestInspectStdin(t *testing.T) {
	code, out, errs := runCLI(t, "digraph { a -> {b c} }", "inspect", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if n := strings.Count(out, `"source": "a"`); n != 2 {
		t.Errorf("a -> {b c} gave %d flows from a, want 2:\n%s", n, out)
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.dot")
	os.WriteFile(bad, []byte("digraph {\n a -> b\n b -> ;\n}\n"), 0o644)
	tests := []struct {
		name    string
		args    []string
		code    int
		errWant string
	}{
		{"version", []string{"--version"}, 0, ""},
		{"help", []string{"inspect", "--help"}, 0, ""},
		{"syntax error", []string{"inspect", bad}, 2, bad + ":3:7: syntax error"},
		{"missing file", []string{"inspect", filepath.Join(dir, "nope.dot")}, 2, "no such file"},
		{"no args", []string{"inspect"}, 2, "exactly one FILE"},
		{"unknown flag", []string{"inspect", "--bogus", bad}, 2, "flag provided but not defined"},
		{"unknown format", []string{"inspect", "--format", "visio", bad}, 2, `unknown format "visio"`},
		{"directory", []string{"inspect", dir}, 2, "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errs)
			}
			if !strings.Contains(errs, tt.errWant) {
				t.Errorf("stderr %q does not contain %q", errs, tt.errWant)
			}
			if strings.Contains(errs, "goroutine ") || strings.Contains(errs, "panic") {
				t.Errorf("stack trace on stderr: %s", errs)
			}
		})
	}
}

func TestHelpHasExamples(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"inspect", "--help"}} {
		_, out, _ := runCLI(t, "", args...)
		if !strings.Contains(out, "Examples:") {
			t.Errorf("%v: help has no examples:\n%s", args, out)
		}
	}
}
