package main

import (
	"go/build"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const modulePath = "github.com/threatmap/threatmap"

// moduleDeps returns the module packages that pkg (a path inside the
// module) imports, directly or not, leaving out test files, as go list
// -deps would.
func moduleDeps(t *testing.T, root, pkg string) []string {
	t.Helper()
	seen := map[string]bool{}
	var visit func(p string)
	visit = func(p string) {
		bp, err := build.ImportDir(filepath.Join(root, strings.TrimPrefix(p, modulePath)), 0)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, imp := range bp.Imports {
			if (imp == modulePath || strings.HasPrefix(imp, modulePath+"/")) && !seen[imp] {
				seen[imp] = true
				visit(imp)
			}
		}
	}
	visit(pkg)
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// TestExportersOnlyWrite checks the pipeline's layering: every exporter
// writes what cmd/threatmap hands it (a report or a picture) and never
// runs a stage itself, so no exporter depends on layout or annotate.
func TestExportersOnlyWrite(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := os.ReadDir(filepath.Join(root, "exporters"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		n++
		pkg := modulePath + "/exporters/" + d.Name()
		for _, dep := range moduleDeps(t, root, pkg) {
			for _, stage := range []string{"layout", "annotate"} {
				if dep == modulePath+"/"+stage || strings.HasPrefix(dep, modulePath+"/"+stage+"/") {
					t.Errorf("%s depends on %s", pkg, dep)
				}
			}
		}
	}
	if n < 9 {
		t.Errorf("%d exporter packages, want at least 9 (drawio, json, markdown, otm, sarif, scene, svg, threatdragon, xlsx)", n)
	}
}
