package stride

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"sync"
)

// envSource is this package's env.go: the doc comments of Env and
// Endpoint are the field reference for rule authors, so the reference
// cannot drift from the type.
//
//go:embed env.go
var envSource []byte

// Field is one field a rule's condition or template can use.
type Field struct {
	// Name is the field's name as a rule writes it: "Name", or
	// "Source.Name" for a field of a flow's ends.
	Name string
	// Type is the Go type ("string", "bool", "int", "[]string").
	Type string
	// Doc is the field's doc comment, on one line.
	Doc string
}

var (
	fieldsOnce sync.Once
	fieldList  []Field
	fieldsErr  error
)

// Fields lists the fields of Env, then those of Endpoint as Source.X (the
// same fields exist as Target.X), then those of Hardening as Hardening.X,
// in declaration order, with their doc comments.
func Fields() ([]Field, error) {
	fieldsOnce.Do(func() { fieldList, fieldsErr = readFields() })
	return fieldList, fieldsErr
}

func readFields() ([]Field, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "env.go", envSource, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	env, err := structFields(f, "Env", reflect.TypeOf(Env{}), "")
	if err != nil {
		return nil, err
	}
	ep, err := structFields(f, "Endpoint", reflect.TypeOf(Endpoint{}), "Source.")
	if err != nil {
		return nil, err
	}
	hard, err := structFields(f, "Hardening", reflect.TypeOf(Hardening{}), "Hardening.")
	if err != nil {
		return nil, err
	}
	return append(append(env, ep...), hard...), nil
}

// structFields reads the fields of the struct type name from f, with the
// types of t; a doc comment on a line declaring several fields is theirs.
func structFields(f *ast.File, name string, t reflect.Type, prefix string) ([]Field, error) {
	st := findStruct(f, name)
	if st == nil {
		return nil, fmt.Errorf("stride: type %s not found in env.go", name)
	}
	var out []Field
	for _, fl := range st.Fields.List {
		doc := strings.Join(strings.Fields(fl.Doc.Text()+" "+fl.Comment.Text()), " ")
		for _, n := range fl.Names {
			sf, ok := t.FieldByName(n.Name)
			if !ok {
				return nil, fmt.Errorf("stride: field %s.%s not found", name, n.Name)
			}
			typ := strings.TrimPrefix(sf.Type.String(), "*stride.")
			out = append(out, Field{Name: prefix + n.Name, Type: typ, Doc: doc})
		}
	}
	return out, nil
}

func findStruct(f *ast.File, name string) *ast.StructType {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, s := range gd.Specs {
			if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.Name == name {
				st, _ := ts.Type.(*ast.StructType)
				return st
			}
		}
	}
	return nil
}

// FieldReference renders Fields as the Markdown field reference for rule
// authors (docs/rule-fields.md).
func FieldReference() (string, error) {
	fields, err := Fields()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`# Rule fields

<!-- Generated from stride/env.go by "go test ./stride -run TestRuleFieldsDoc -update-docs"; do not edit. -->

A rule's ` + "`when`" + ` condition and its modifiers are [expr-lang](https://expr-lang.org/)
expressions over these fields (` + "`InternetFacing && !Proxy`, `\"db\" in Target.Keywords`" + `); its
title, description, why and mitigations are Go text/template templates over the same fields
(` + "`{{.Name}}`, `{{cap .Attacker}}`" + `, with the functions ` + "`lower`, `cap` and `has`" + `).
Component fields are zero on flows and flow fields are zero on components; an ` + "`interaction`" + `
rule sees the flow's fields. ` + "`threatmap rules --fields`" + ` prints the same list.

| Field | Type | Meaning |
|---|---|---|
`)
	section := ""
	for _, f := range fields {
		prefix, _, nested := strings.Cut(f.Name, ".")
		if nested && prefix != section {
			section = prefix
			b.WriteString(sectionHeads[prefix])
		}
		name := f.Name
		if nested {
			name = name[len(prefix)+1:]
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", name, f.Type, strings.ReplaceAll(f.Doc, "|", `\|`))
	}
	return b.String(), nil
}

// sectionHeads introduce the nested fields' tables in FieldReference.
var sectionHeads = map[string]string{
	"Source": `
## Source and Target

The ends of a flow (empty on a component). Every field below exists as ` + "`Source.X` and `Target.X`" + `.

| Field | Type | Meaning |
|---|---|---|
`,
	"Hardening": `
## Hardening

The technologies' own controls (the catalog's ` + "`hardening:`" + `, docs/technologies.md) by the concern
they address, as ` + "`Hardening.X`" + `: a mitigation names them where the element is a known technology,
` + "`{{if .Hardening.Transport}} ({{.Hardening.Transport}}){{end}}`" + `.

| Field | Type | Meaning |
|---|---|---|
`,
}
