package testsupport

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/stride"
)

var (
	rootOnce sync.Once
	root     string
)

// Root returns the module's root folder (the one holding go.mod), found
// from the test's working directory.
func Root(t testing.TB) string {
	t.Helper()
	rootOnce.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			return
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				root = dir
				return
			}
			up := filepath.Dir(dir)
			if up == dir {
				return
			}
			dir = up
		}
	})
	if root == "" {
		t.Fatal("testsupport: go.mod not found above the working directory")
	}
	return root
}

// Example returns the bytes of examples/name, the bundled example systems
// that are the tests' one source of truth.
func Example(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(Root(t), "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// ExampleDiagram imports examples/name as threatmap analyze does and
// returns its first diagram. Its File is "examples/<name>", whatever the
// test's working directory.
func ExampleDiagram(t testing.TB, name string) *graph.Diagram {
	t.Helper()
	ds, err := importers.Import("examples/"+name, Example(t, name), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ds[0]
}

// ExampleReport is the real STRIDE analysis of examples/name, as
// threatmap analyze makes it (default rules, no config), with the
// generator "threatmap (test)". Each call returns a fresh report the
// caller may modify.
func ExampleReport(t testing.TB, name string) *stride.Report {
	t.Helper()
	data := Example(t, name)
	sum := sha256.Sum256(data)
	return analyze(t, ExampleDiagram(t, name), hex.EncodeToString(sum[:]))
}

// Analyze runs the real STRIDE pass on d with the default rules.
func Analyze(t testing.TB, d *graph.Diagram) *stride.Report {
	t.Helper()
	return analyze(t, d, "")
}

func analyze(t testing.TB, d *graph.Diagram, sha string) *stride.Report {
	t.Helper()
	r, err := stride.Analyze(d, stride.Options{Generator: "threatmap (test)", SourceSHA256: sha})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
