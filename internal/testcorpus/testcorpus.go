// Package testcorpus locates the shared corpus of third-party diagrams
// (../shared/corpus next to the repository) for tests, and skips a test with
// a clear message when it is absent.
package testcorpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the corpus subfolder sub (for example "dot"), skipping t when
// the corpus is not there. Set THREATMAP_CORPUS to use another location.
func Dir(t testing.TB, sub string) string {
	t.Helper()
	root := os.Getenv("THREATMAP_CORPUS")
	if root == "" {
		top, err := repoRoot()
		if err != nil {
			t.Skipf("shared corpus not found: %v", err)
		}
		root = filepath.Join(top, "..", "shared", "corpus")
	}
	dir := filepath.Join(root, sub)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Skipf("shared corpus folder %s is absent; corpus tests skipped (CI always has it)", dir)
	}
	return dir
}

// RepoRoot returns the repository root (the folder holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	top, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return top
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
