package stride

import (
	"reflect"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// cond is a rule's or modifier's compiled condition: the expr-lang
// program, and where the condition only uses the subset of expr-lang the
// rule library is written in, an equivalent evaluator that reads Env's
// fields without allocating.
//
// expr's VM reads a struct field through reflect.Value.Interface, which
// copies every string and slice it reads to the heap: with ~100 conditions
// over every element, that was a quarter of BenchmarkAnalyze2000's
// allocations. The fast form supports literals (strings, integers,
// booleans, arrays of strings), fields of Env and of its endpoints
// (Source.Kind), ! and not, && and and, || and or, ==, !=, <, <=, >, >=
// on strings, integers and booleans, in (a string in a []string field or
// in an array literal) and contains. Anything else keeps the VM.
// TestFastConditions checks that both give the same result for every
// built-in condition on every element of generated and real models.
type cond struct {
	// src is the condition's text; prog is compiled from it on first use
	// when it was not compiled up front (see compileCondLazy).
	src     string
	once    sync.Once
	prog    *vm.Program
	progErr error
	fast    envCond
	// ptrs are the indexes of Env's pointer fields the fast form reads
	// through, and nils a test of each; when one is nil the VM runs
	// instead (and reports the error expr reports).
	ptrs []int
	nils []envCond
}

// compileCond compiles a condition against Env, with its fast form when
// it has one.
func compileCond(src string) (*cond, error) {
	p, err := expr.Compile(src, expr.Env(&Env{}), expr.AsBool())
	if err != nil {
		return nil, err
	}
	c := &cond{src: src, prog: p}
	c.once.Do(func() {})
	if tree, err := parser.Parse(src); err == nil {
		c.compileFast(tree.Node)
	}
	return c, nil
}

// compileCondLazy compiles a condition known to be valid (a built-in
// rule's, checked when rules_gen.go was generated): only its fast form
// now, and expr's program on first use if the fast form cannot run. It
// saves compiling and type-checking every condition of the library with
// expr in every process, most of which never need the VM.
func compileCondLazy(src string) (*cond, error) {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, err
	}
	c := &cond{src: src}
	if !c.compileFast(tree.Node) {
		if _, err := c.program(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// compileFast sets the fast form of the parsed condition n, if it has
// one, and reports whether it does.
func (c *cond) compileFast(n ast.Node) bool {
	fc := &condCompiler{}
	f := fc.boolean(n)
	if f == nil {
		return false
	}
	c.fast, c.ptrs, c.nils = f, fc.ptrs, fc.nils
	return true
}

// program returns the condition's expr program, compiling it on first use.
func (c *cond) program() (*vm.Program, error) {
	c.once.Do(func() {
		c.prog, c.progErr = expr.Compile(c.src, expr.Env(&Env{}), expr.AsBool())
	})
	return c.prog, c.progErr
}

// runBool runs a compiled condition; a non-boolean result is false.
func runBool(m *vm.VM, c *cond, env *Env) (bool, error) {
	if c.fast != nil {
		fast := true
		for _, isNil := range c.nils {
			if isNil(env) {
				fast = false
			}
		}
		if fast {
			return c.fast(env), nil
		}
	}
	p, err := c.program()
	if err != nil {
		return false, err
	}
	out, err := m.Run(p, env)
	if err != nil {
		return false, err
	}
	b, _ := out.(bool)
	return b, nil
}

// condCompiler turns an expr-lang syntax tree into evaluators over an
// Env; each method returns nil for what it does not support. Fields are
// read through the typed accessors of env_access_gen.go, generated from
// Env, or through reflect for a field that file does not know yet (Env
// changed and go generate was not run): typed reads were a third of the
// conditions' cost with reflect.Value.Field on every operand.
type condCompiler struct {
	ptrs []int
	nils []envCond
	// viaReflect reads every field through reflect, as for a field the
	// generated accessors do not know (tests compare the two).
	viaReflect bool
}

type (
	envCond func(*Env) bool
	strFn   func(*Env) string
	intFn   func(*Env) int64
	listFn  func(*Env) []string
)

var stringSliceType = reflect.TypeOf([]string(nil))

// field resolves an identifier or a member chain (Source.Kind) to Env's
// field index path, its type and its dotted name.
func (fc *condCompiler) field(n ast.Node) ([]int, reflect.Type, string) {
	var names []string
	for {
		switch x := n.(type) {
		case *ast.IdentifierNode:
			names = append([]string{x.Value}, names...)
			idx, t := fieldPath(envType, names)
			if idx == nil {
				return nil, nil, ""
			}
			if len(idx) > 1 {
				if envType.Field(idx[0]).Type.Kind() != reflect.Pointer || len(idx) > 2 {
					return nil, nil, ""
				}
				fc.addPtr(idx[0], names[0])
			}
			return idx, t, strings.Join(names, ".")
		case *ast.MemberNode:
			p, ok := x.Property.(*ast.StringNode)
			if !ok || x.Optional || x.Method {
				return nil, nil, ""
			}
			names = append([]string{p.Value}, names...)
			n = x.Node
		default:
			return nil, nil, ""
		}
	}
}

func (fc *condCompiler) addPtr(i int, name string) {
	for _, j := range fc.ptrs {
		if j == i {
			return
		}
	}
	fc.ptrs = append(fc.ptrs, i)
	var isNil envCond
	if !fc.viaReflect {
		isNil = envNilPtr(name)
	}
	if isNil == nil {
		isNil = func(e *Env) bool { return reflect.ValueOf(e).Elem().Field(i).IsNil() }
	}
	fc.nils = append(fc.nils, isNil)
}

// boolean compiles a node of boolean type.
func (fc *condCompiler) boolean(n ast.Node) envCond {
	switch x := n.(type) {
	case *ast.BoolNode:
		b := x.Value
		return func(*Env) bool { return b }
	case *ast.IdentifierNode, *ast.MemberNode:
		idx, t, name := fc.field(n)
		if idx == nil || t.Kind() != reflect.Bool {
			return nil
		}
		if f := envBool(name); f != nil && !fc.viaReflect {
			return f
		}
		return func(e *Env) bool { return field(reflect.ValueOf(e).Elem(), idx).Bool() }
	case *ast.UnaryNode:
		if x.Operator != "!" && x.Operator != "not" {
			return nil
		}
		c := fc.boolean(x.Node)
		if c == nil {
			return nil
		}
		return func(e *Env) bool { return !c(e) }
	case *ast.BinaryNode:
		return fc.binary(x)
	}
	return nil
}

// binary compiles a boolean operator.
func (fc *condCompiler) binary(x *ast.BinaryNode) envCond {
	switch x.Operator {
	case "&&", "and", "||", "or":
		l, r := fc.boolean(x.Left), fc.boolean(x.Right)
		if l == nil || r == nil {
			return nil
		}
		if x.Operator == "&&" || x.Operator == "and" {
			return func(e *Env) bool { return l(e) && r(e) }
		}
		return func(e *Env) bool { return l(e) || r(e) }
	case "==", "!=":
		return fc.equality(x.Operator == "==", x.Left, x.Right)
	case "<", "<=", ">", ">=":
		return fc.order(x.Operator, x.Left, x.Right)
	case "in":
		return fc.in(x.Left, x.Right)
	case "contains":
		l, r := fc.str(x.Left), fc.str(x.Right)
		if l == nil || r == nil {
			return nil
		}
		return func(e *Env) bool { return strings.Contains(l(e), r(e)) }
	}
	return nil
}

// equality compiles == (eq) or != over two strings, integers or booleans.
func (fc *condCompiler) equality(eq bool, a, b ast.Node) envCond {
	if l, r := fc.str(a), fc.str(b); l != nil && r != nil {
		if lit, ok := b.(*ast.StringNode); ok {
			// A field against a literal (nearly every comparison).
			s := lit.Value
			return func(e *Env) bool { return (l(e) == s) == eq }
		}
		return func(e *Env) bool { return (l(e) == r(e)) == eq }
	}
	if l, r := fc.integer(a), fc.integer(b); l != nil && r != nil {
		return func(e *Env) bool { return (l(e) == r(e)) == eq }
	}
	if l, r := fc.boolean(a), fc.boolean(b); l != nil && r != nil {
		return func(e *Env) bool { return (l(e) == r(e)) == eq }
	}
	return nil
}

// order compiles <, <=, > and >= over integers.
func (fc *condCompiler) order(op string, a, b ast.Node) envCond {
	l, r := fc.integer(a), fc.integer(b)
	if l == nil || r == nil {
		return nil
	}
	switch op {
	case "<":
		return func(e *Env) bool { return l(e) < r(e) }
	case "<=":
		return func(e *Env) bool { return l(e) <= r(e) }
	case ">":
		return func(e *Env) bool { return l(e) > r(e) }
	}
	return func(e *Env) bool { return l(e) >= r(e) }
}

// in compiles a string in a []string field or in an array of string
// literals.
func (fc *condCompiler) in(a, b ast.Node) envCond {
	s := fc.str(a)
	if s == nil {
		return nil
	}
	if arr, ok := b.(*ast.ArrayNode); ok {
		var lits []string
		for _, e := range arr.Nodes {
			l, ok := e.(*ast.StringNode)
			if !ok {
				return nil
			}
			lits = append(lits, l.Value)
		}
		return func(e *Env) bool {
			want := s(e)
			for _, l := range lits {
				if l == want {
					return true
				}
			}
			return false
		}
	}
	list := fc.list(b)
	if list == nil {
		return nil
	}
	if lit, ok := a.(*ast.StringNode); ok {
		// A literal in a field ("admin" in Keywords, nearly every in).
		want := lit.Value
		return func(e *Env) bool {
			for _, x := range list(e) {
				if x == want {
					return true
				}
			}
			return false
		}
	}
	return func(e *Env) bool {
		want := s(e)
		for _, x := range list(e) {
			if x == want {
				return true
			}
		}
		return false
	}
}

// str compiles a string literal or a string field.
func (fc *condCompiler) str(n ast.Node) strFn {
	if l, ok := n.(*ast.StringNode); ok {
		s := l.Value
		return func(*Env) string { return s }
	}
	idx, t, name := fc.field(n)
	if idx == nil || t.Kind() != reflect.String {
		return nil
	}
	if f := envString(name); f != nil && !fc.viaReflect {
		return f
	}
	return func(e *Env) string { return field(reflect.ValueOf(e).Elem(), idx).String() }
}

// integer compiles an integer literal or an int field.
func (fc *condCompiler) integer(n ast.Node) intFn {
	if l, ok := n.(*ast.IntegerNode); ok {
		i := int64(l.Value)
		return func(*Env) int64 { return i }
	}
	idx, t, name := fc.field(n)
	if idx == nil || t.Kind() != reflect.Int {
		return nil
	}
	if f := envInt(name); f != nil && !fc.viaReflect {
		return f
	}
	return func(e *Env) int64 { return field(reflect.ValueOf(e).Elem(), idx).Int() }
}

// list compiles a []string field.
func (fc *condCompiler) list(n ast.Node) listFn {
	idx, t, name := fc.field(n)
	if idx == nil || t != stringSliceType {
		return nil
	}
	if f := envList(name); f != nil && !fc.viaReflect {
		return f
	}
	return func(e *Env) []string { return field(reflect.ValueOf(e).Elem(), idx).Interface().([]string) }
}
