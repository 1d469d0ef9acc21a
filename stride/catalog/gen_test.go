package catalog

import (
	"bytes"
	_ "embed"
	"flag"
	"os"
	"reflect"
	"testing"

	"github.com/threatmap/threatmap/internal/golit"
)

// defaultData is the built-in catalog's source of truth; techs_gen.go is
// generated from it.
//
//go:embed technologies.yaml
var defaultData []byte

var generate = flag.Bool("generate", false, "rewrite techs_gen.go from technologies.yaml")

// generatedSource is techs_gen.go as technologies.yaml gives it.
func generatedSource(t testing.TB) []byte {
	t.Helper()
	m, err := Parse("technologies.yaml", defaultData)
	if err != nil {
		t.Fatal(err)
	}
	src, err := golit.File("catalog", "go test -run TestGeneratedCatalog -generate", golit.Decl{
		Name:    "builtinTechs",
		Doc:     "builtinTechs are the entries of technologies.yaml, parsed, given their group's defaults and checked.",
		Value:   m.Techs(),
		PkgPath: reflect.TypeFor[Tech]().PkgPath(),
	}, golit.Decl{
		Name:    "builtinIndex",
		Doc:     "builtinIndex is buildIndex of builtinTechs: the matcher's tables, generated so that a run builds none.",
		Value:   *m.idx,
		PkgPath: reflect.TypeFor[Tech]().PkgPath(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestGeneratedCatalog: techs_gen.go is what technologies.yaml gives
// (run go generate ./stride/catalog after editing the YAML), and the
// matcher built from it holds the same entries as one parsed from the
// YAML.
func TestGeneratedCatalog(t *testing.T) {
	want := generatedSource(t)
	if *generate {
		if err := os.WriteFile("techs_gen.go", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return // this test binary holds the old entries
	}
	got, err := os.ReadFile("techs_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("techs_gen.go is stale: run go generate ./stride/catalog")
	}
	parsed, err := Parse("technologies.yaml", defaultData)
	if err != nil {
		t.Fatal(err)
	}
	p, g := parsed.Techs(), Default().Techs()
	if len(p) != len(g) {
		t.Fatalf("generated %d entries, YAML %d", len(g), len(p))
	}
	for i := range p {
		a, b := *p[i], *g[i]
		a.col, a.set, b.col, b.set = 0, nil, 0, nil
		if !reflect.DeepEqual(a, b) {
			t.Errorf("entry %d (%s, line %d) differs:\n yaml %+v\n  gen %+v", i, p[i].ID, p[i].Line, a, b)
		}
	}
}
