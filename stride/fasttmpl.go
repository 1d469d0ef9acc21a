package stride

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
)

// fastTmpl renders the subset of text/template the rule library uses —
// literal text, string fields of Env ({{.Name}}, {{.Target.Name}},
// {{cap .Attacker}}), and {{if}}/{{else if}}/{{else}} over fields, eq, ne,
// has, not, and, or — without text/template's per-execution reflection
// by field name. A template using anything else returns nil from
// compileFast and is executed by text/template. Both give the same bytes;
// TestFastTemplates checks every built-in template. Field paths are
// resolved once, by name, so the order of Env's fields does not matter.
//
// It is kept because it pays: BenchmarkTemplates renders the built-in
// templates over a generated model in ~35 ms with 4.7k allocations against
// ~520 ms and 368k allocations with text/template, and BenchmarkAnalyze2000
// takes ~370 ms CPU, 56 MB and 716k allocations per op with it against
// ~490 ms CPU, 68 MB and 1.07M allocations without (a quarter of the CPU).
type fastTmpl struct {
	run func(*bytes.Buffer, reflect.Value)
}

var envType = reflect.TypeOf(Env{})

func compileFast(root *parse.ListNode) *fastTmpl {
	if root == nil {
		return nil
	}
	run := fastList(root)
	if run == nil {
		return nil
	}
	return &fastTmpl{run: run}
}

type emitFn func(*bytes.Buffer, reflect.Value)
type condFn func(reflect.Value) bool

func fastList(l *parse.ListNode) emitFn {
	if l == nil {
		return func(*bytes.Buffer, reflect.Value) {}
	}
	var parts []emitFn
	for _, n := range l.Nodes {
		f := fastNode(n)
		if f == nil {
			return nil
		}
		parts = append(parts, f)
	}
	return func(b *bytes.Buffer, v reflect.Value) {
		for _, p := range parts {
			p(b, v)
		}
	}
}

func fastNode(n parse.Node) emitFn {
	switch n := n.(type) {
	case *parse.TextNode:
		s := string(n.Text)
		return func(b *bytes.Buffer, _ reflect.Value) { b.WriteString(s) }
	case *parse.ActionNode:
		p := n.Pipe
		if p == nil || len(p.Decl) != 0 || len(p.Cmds) != 1 {
			return nil
		}
		args := p.Cmds[0].Args
		capital := false
		if len(args) == 2 {
			if id, ok := args[0].(*parse.IdentifierNode); ok && id.Ident == "cap" {
				capital, args = true, args[1:]
			}
		}
		if len(args) != 1 {
			return nil
		}
		get := stringField(args[0])
		if get == nil {
			return nil
		}
		if capital {
			return func(b *bytes.Buffer, v reflect.Value) {
				s := get(v)
				if s != "" {
					b.WriteString(strings.ToUpper(s[:1]))
					s = s[1:]
				}
				b.WriteString(s)
			}
		}
		return func(b *bytes.Buffer, v reflect.Value) { b.WriteString(get(v)) }
	case *parse.IfNode:
		if len(n.Pipe.Decl) != 0 || len(n.Pipe.Cmds) != 1 {
			return nil
		}
		cond := fastCond(n.Pipe.Cmds[0].Args)
		then, els := fastList(n.List), fastList(n.ElseList)
		if cond == nil || then == nil || els == nil {
			return nil
		}
		return func(b *bytes.Buffer, v reflect.Value) {
			if cond(v) {
				then(b, v)
			} else {
				els(b, v)
			}
		}
	}
	return nil
}

// fastCond compiles the arguments of one command used as a condition.
func fastCond(args []parse.Node) condFn {
	if len(args) == 1 {
		switch a := args[0].(type) {
		case *parse.FieldNode:
			idx, _ := fieldPath(envType, a.Ident)
			if idx == nil {
				return nil
			}
			return func(v reflect.Value) bool { return truth(field(v, idx)) }
		case *parse.PipeNode:
			if len(a.Decl) != 0 || len(a.Cmds) != 1 {
				return nil
			}
			return fastCond(a.Cmds[0].Args)
		}
		return nil
	}
	id, ok := args[0].(*parse.IdentifierNode)
	if !ok {
		return nil
	}
	switch id.Ident {
	case "eq", "ne":
		if len(args) != 3 {
			return nil
		}
		get := stringField(args[1])
		lit, ok := args[2].(*parse.StringNode)
		if get == nil || !ok {
			return nil
		}
		want, eq := lit.Text, id.Ident == "eq"
		return func(v reflect.Value) bool { return (get(v) == want) == eq }
	case "has":
		return fastHas(args)
	case "not":
		if len(args) != 2 {
			return nil
		}
		c := fastCond(args[1:])
		if c == nil {
			return nil
		}
		return func(v reflect.Value) bool { return !c(v) }
	case "and", "or":
		return fastAndOr(id.Ident == "and", args[1:])
	}
	return nil
}

// fastHas compiles {{has .Field "value"}} over a []string field.
func fastHas(args []parse.Node) condFn {
	if len(args) != 3 {
		return nil
	}
	fn, ok1 := args[1].(*parse.FieldNode)
	lit, ok2 := args[2].(*parse.StringNode)
	if !ok1 || !ok2 {
		return nil
	}
	idx, t := fieldPath(envType, fn.Ident)
	if idx == nil || t != reflect.TypeOf([]string(nil)) {
		return nil
	}
	want := lit.Text
	// Index, not Interface: Interface copies an addressable slice header
	// to the heap on every call.
	return func(v reflect.Value) bool {
		l := field(v, idx)
		for i, n := 0, l.Len(); i < n; i++ {
			if l.Index(i).String() == want {
				return true
			}
		}
		return false
	}
}

// fastAndOr compiles and/or over conditions, short-circuiting as
// text/template does.
func fastAndOr(and bool, args []parse.Node) condFn {
	var cs []condFn
	for _, a := range args {
		c := fastCond([]parse.Node{a})
		if c == nil {
			return nil
		}
		cs = append(cs, c)
	}
	return func(v reflect.Value) bool {
		for _, c := range cs {
			if c(v) != and {
				return !and
			}
		}
		return and
	}
}

func stringField(n parse.Node) func(reflect.Value) string {
	fn, ok := n.(*parse.FieldNode)
	if !ok {
		return nil
	}
	idx, t := fieldPath(envType, fn.Ident)
	if idx == nil || t.Kind() != reflect.String {
		return nil
	}
	return func(v reflect.Value) string { return field(v, idx).String() }
}

// fieldPath resolves a chain of field names to an index path, following
// pointers to structs; nil if a name is not a plain exported field.
func fieldPath(t reflect.Type, names []string) ([]int, reflect.Type) {
	var idx []int
	for _, n := range names {
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil, nil
		}
		sf, ok := t.FieldByName(n)
		if !ok || len(sf.Index) != 1 || !sf.IsExported() {
			return nil, nil
		}
		idx = append(idx, sf.Index[0])
		t = sf.Type
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Slice:
		return idx, t
	}
	return nil, nil
}

func field(v reflect.Value, idx []int) reflect.Value {
	for i, j := range idx {
		if i > 0 && v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		v = v.Field(j)
	}
	return v
}

// truth is text/template's truth for the kinds fieldPath allows.
func truth(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool()
	case reflect.String, reflect.Slice:
		return v.Len() > 0
	case reflect.Int:
		return v.Int() != 0
	}
	return false
}

func (f *fastTmpl) execute(buf *bytes.Buffer, env *Env) {
	f.run(buf, reflect.ValueOf(env).Elem())
}

// tmplText is one template of a rule: its text, parsed by text/template
// on first use. A built-in rule's fast forms are compiled from the syntax
// trees generated with the library (rules_tmpl_gen.go), so text/template
// parses a built-in template only when one is executed that way (a group
// title, a template the fast form does not cover, a rule sample); a rule
// from a file has its templates parsed when loaded, so that their errors
// are load errors.
type tmplText struct {
	name, src string
	once      sync.Once
	t         *template.Template
	err       error
}

func newTmplText(name, src string) *tmplText { return &tmplText{name: name, src: src} }

// parsed returns the template parsed by text/template, parsing it on
// first use.
func (x *tmplText) parsed() (*template.Template, error) {
	x.once.Do(func() { x.t, x.err = parseTmpl(x.name, x.src) })
	return x.t, x.err
}

// Execute runs the template with text/template.
func (x *tmplText) Execute(w io.Writer, data any) error {
	t, err := x.parsed()
	if err != nil {
		return err
	}
	return t.Execute(w, data)
}

// fastOf compiles the fast form of x: from the generated tree of a
// built-in text when tree is given, else from text/template's parse.
func fastOf(x *tmplText, tree func(string) *parse.ListNode) (*fastTmpl, error) {
	if tree != nil {
		if root := tree(x.src); root != nil {
			return compileFast(root), nil
		}
	}
	t, err := x.parsed()
	if err != nil {
		return nil, err
	}
	return compileFast(t.Tree.Root), nil
}

// render executes t (or its fast form) with env into buf.
func render(buf *bytes.Buffer, t *tmplText, f *fastTmpl, env *Env) error {
	buf.Reset()
	if f != nil {
		f.execute(buf, env)
		return nil
	}
	return t.Execute(buf, env)
}

// plainTree is the syntax tree text/template gives a text without an
// action: the text itself (nil for a text with one).
func plainTree(src string) *parse.ListNode {
	if strings.Contains(src, "{{") {
		return nil
	}
	l := &parse.ListNode{NodeType: parse.NodeList}
	if src != "" {
		l.Nodes = []parse.Node{&parse.TextNode{NodeType: parse.NodeText, Text: []byte(src)}}
	}
	return l
}
