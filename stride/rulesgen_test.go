package stride

import (
	"bytes"
	"embed"
	"flag"
	"os"
	"reflect"
	"testing"

	"github.com/threatmap/threatmap/internal/golit"
)

// rulesFS holds the built-in library's source of truth; rules_gen.go is
// generated from it.
//
//go:embed rules/*.yaml
var rulesFS embed.FS

var generate = flag.Bool("generate", false, "rewrite rules_gen.go from rules/*.yaml")

// rulesSource is rules_gen.go as it holds rules.
func rulesSource(t testing.TB, rules []Rule) []byte {
	t.Helper()
	src, err := golit.File("stride", "go test -run TestGeneratedRules -generate", golit.Decl{
		Name:    "builtinRuleData",
		Doc:     "builtinRuleData returns the rules of rules/*.yaml, parsed, checked and sorted by id, not yet compiled.",
		Value:   rules,
		PkgPath: reflect.TypeFor[Rule]().PkgPath(),
		Func:    true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestGeneratedRules: rules_gen.go is what rules/*.yaml gives (run go
// generate ./stride after editing a rules file), and the built-in rules
// compiled from it are the rules parsed from the YAML, field for field.
func TestGeneratedRules(t *testing.T) {
	parsed, err := loadRuleFiles(rulesFS)
	if err != nil {
		t.Fatal(err)
	}
	writeCondTrees(t, parsed)
	want := rulesSource(t, parsed)
	if *generate {
		if err := os.WriteFile("rules_gen.go", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("rules_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("rules_gen.go is stale: run go generate ./stride")
	}
	if !bytes.Equal(rulesSource(t, DefaultRules()), want) {
		t.Error("the compiled built-in rules differ from the rules parsed from the YAML")
	}
}

// preparedRules returns the built-in rules with everything compiled,
// including what a rule compiles only when it first fires.
func preparedRules(t testing.TB) []Rule {
	t.Helper()
	rules := DefaultRules()
	for i := range rules {
		if err := rules[i].prepare(); err != nil {
			t.Fatal(err)
		}
	}
	return rules
}

// BenchmarkLoadBuiltin measures what a process pays once to load the
// built-in library: "generated" is what DefaultRules does (the Go data of
// rules_gen.go, conditions' fast forms), "yaml" parsing and compiling
// rules/*.yaml in full as before rules_gen.go.
func BenchmarkLoadBuiltin(b *testing.B) {
	b.Run("generated", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := loadBuiltin(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("yaml", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := loadRuleFiles(rulesFS); err != nil {
				b.Fatal(err)
			}
		}
	})
}
