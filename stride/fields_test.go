package stride

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/rule-fields.md and docs/rules.md from the code")

// TestRuleFieldsDoc fails when docs/rule-fields.md is not what Env's doc
// comments generate; run with -update-docs to regenerate it.
func TestRuleFieldsDoc(t *testing.T) {
	got, err := FieldReference()
	if err != nil {
		t.Fatal(err)
	}
	checkGeneratedDoc(t, "rule-fields.md", got, "TestRuleFieldsDoc")
}

// checkGeneratedDoc compares docs/name with got, the text the code
// generates for it, and rewrites the file under -update-docs.
func checkGeneratedDoc(t *testing.T, name, got, test string) {
	t.Helper()
	path := filepath.Join("..", "docs", name)
	if *updateDocs {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s is stale: run go test ./stride -run %s -update-docs", path, test)
	}
}

// Every field a rule can use is listed once, with its type and a doc
// comment.
func TestFields(t *testing.T) {
	fields, err := Fields()
	if err != nil {
		t.Fatal(err)
	}
	want := reflect.TypeOf(Env{}).NumField() + reflect.TypeOf(Endpoint{}).NumField() + reflect.TypeOf(Hardening{}).NumField()
	if len(fields) != want {
		t.Errorf("%d fields, want %d", len(fields), want)
	}
	seen := map[string]bool{}
	for _, f := range fields {
		if f.Doc == "" || f.Type == "" || seen[f.Name] {
			t.Errorf("field %+v: missing doc or type, or listed twice", f)
		}
		seen[f.Name] = true
	}
	for _, name := range []string{"Name", "Keywords", "Source", "Source.Kind", "Source.Keywords", "PHI", "OutFlows", "Hardening", "Hardening.Transport", "KeyedAuth"} {
		if !seen[name] {
			t.Errorf("field %s not listed", name)
		}
	}
}

// TestRulesDoc fails when docs/rules.md is not what the built-in rules
// generate; run with -update-docs to regenerate it.
func TestRulesDoc(t *testing.T) {
	checkGeneratedDoc(t, "rules.md", RulesReference(DefaultRules(), parseMermaid), "TestRulesDoc")
}

// Every built-in family has a description, and every rule one family.
func TestFamilies(t *testing.T) {
	rules := DefaultRules()
	n := 0
	for _, f := range Families(rules) {
		if _, ok := familyTitles[f.Name]; !ok {
			t.Errorf("family %s has no description in familyTitles", f.Name)
		}
		n += len(f.Rules)
	}
	if n != len(rules) {
		t.Errorf("%d rules in families, want %d", n, len(rules))
	}
}
