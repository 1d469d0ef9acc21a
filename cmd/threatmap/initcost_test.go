package main

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartupStaysCheap guards what session 7 removed from every
// process's start (issue 19 item 1; docs/performance.md, "Session 7:
// BOOT2"): no package of the binary compiles a regular expression during
// package initialisation, and none imports a package whose own
// initialisation, or whose dependencies', every run would pay for while
// threatmap has no use for it.
func TestStartupStaysCheap(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := map[string]string{
		"net/http":                    "links crypto/tls, crypto/x509 and ~60 packages with package initialisation",
		"encoding/gob":                "its initialisation registers types",
		"github.com/xuri/excelize/v2": "use third_party/excelize, whose initialisation does no work",
	}
	pkgs := append(moduleDeps(t, root, modulePath+"/cmd/threatmap"), modulePath+"/cmd/threatmap")
	if len(pkgs) < 30 {
		t.Fatalf("%d packages in the binary, want at least 30 (is moduleDeps broken?)", len(pkgs))
	}
	for _, pkg := range pkgs {
		dir := filepath.Join(root, strings.TrimPrefix(pkg, modulePath))
		bp, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", pkg, err)
		}
		for _, imp := range bp.Imports {
			if why, ok := forbidden[imp]; ok {
				t.Errorf("%s imports %s: %s", pkg, imp, why)
			}
			if strings.HasPrefix(imp, "github.com/go-git/") {
				t.Errorf("%s imports %s: use internal/gitignore", pkg, imp)
			}
		}
		fset := token.NewFileSet()
		for _, name := range bp.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, pos := range initRegexps(f) {
				t.Errorf("%s: a package-level regular expression is compiled during initialisation; wrap it in sync.OnceValue", fset.Position(pos))
			}
		}
	}
}

// initRegexps returns where f's package-level variable initialisers call
// regexp.MustCompile or regexp.Compile outside a function literal.
func initRegexps(f *ast.File) []token.Pos {
	var found []token.Pos
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			for _, v := range spec.(*ast.ValueSpec).Values {
				ast.Inspect(v, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.FuncLit:
						return false // runs when called, not at initialisation
					case *ast.CallExpr:
						if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
							if x, ok := sel.X.(*ast.Ident); ok && x.Name == "regexp" &&
								(sel.Sel.Name == "MustCompile" || sel.Sel.Name == "Compile") {
								found = append(found, n.Pos())
							}
						}
					}
					return true
				})
			}
		}
	}
	return found
}

func TestInitRegexps(t *testing.T) {
	src := `package p
var a = regexp.MustCompile("a")
var b = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("b") })
var (
	c = []*regexp.Regexp{regexp.MustCompile("c"), nil}
	d = strings.ToUpper("d")
)
func f() { _ = regexp.MustCompile("f") }
`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(initRegexps(f)); got != 2 {
		t.Errorf("initRegexps found %d, want 2 (a and c)", got)
	}
}
