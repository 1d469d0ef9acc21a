package stride

import (
	"bytes"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// The fast renderer must produce exactly what text/template produces, for
// every built-in template it accepts, on the envs of the example model.
func TestFastTemplates(t *testing.T) {
	var envs []*Env
	for _, d := range []*graph.Diagram{
		telehealthSpec().build(t, nil, nil),
		bigDiagram(t, 400),
		mini(t, famBounds, famComps, []string{"user>gw:HTTP", "gw>svc:gRPC, JWT", "svc>bucket:S3 API, IAM role (PII)",
			"gw>admin:HTTP", "svc>db:SQL (PHI)", "svc>q:SQS", "q>worker:SQS", "svc>psp:HTTPS, API key", "psp>gw:signed webhook"}),
	} {
		a := &analysis{d: d}
		a.readContext()
		for _, ci := range a.comps {
			envs = append(envs, ci.env)
		}
		for _, fi := range a.flows {
			envs = append(envs, fi.env, asInteraction(fi.env))
		}
	}
	fast := 0
	var x, y bytes.Buffer
	for _, r := range preparedRules(t) {
		tmpls := []struct {
			name string
			r    func(*bytes.Buffer, *Env) error
			f    *fastTmpl
		}{
			{"title", func(b *bytes.Buffer, e *Env) error { return r.tx.title.Execute(b, e) }, r.tx.titleF},
			{"description", func(b *bytes.Buffer, e *Env) error { return r.tx.desc.Execute(b, e) }, r.tx.descF},
		}
		if r.tx.why != nil {
			tmpls = append(tmpls, struct {
				name string
				r    func(*bytes.Buffer, *Env) error
				f    *fastTmpl
			}{"why", func(b *bytes.Buffer, e *Env) error { return r.tx.why.Execute(b, e) }, r.tx.whyF})
		}
		for _, m := range r.Mitigations {
			if m.tmpl != nil {
				m := m
				tmpls = append(tmpls, struct {
					name string
					r    func(*bytes.Buffer, *Env) error
					f    *fastTmpl
				}{"mitigation", func(b *bytes.Buffer, e *Env) error { return m.tmpl.Execute(b, e) }, m.tmplF})
			}
		}
		for _, tm := range tmpls {
			if tm.f == nil {
				continue
			}
			fast++
			for _, e := range envs {
				x.Reset()
				y.Reset()
				if err := tm.r(&x, e); err != nil {
					t.Fatal(err)
				}
				tm.f.execute(&y, e)
				if x.String() != y.String() {
					t.Fatalf("%s %s: text/template %q, fast %q", r.ID, tm.name, x.String(), y.String())
				}
			}
		}
	}
	if fast < 200 {
		t.Errorf("only %d templates take the fast path", fast)
	}
	t.Logf("%d templates on the fast path", fast)
}

// BenchmarkTemplates renders the title, description and why of every
// built-in rule over the component and flow envs of a generated model,
// with text/template and with the fast renderer: the figure that decides
// whether fastTmpl is worth keeping.
func BenchmarkTemplates(b *testing.B) {
	a := &analysis{d: bigDiagram(b, 200)}
	a.readContext()
	var envs []*Env
	for _, ci := range a.comps {
		envs = append(envs, ci.env)
	}
	for _, fi := range a.flows {
		envs = append(envs, fi.env)
	}
	rules := preparedRules(b)
	for _, fast := range []bool{false, true} {
		name := "text-template"
		if fast {
			name = "fast"
		}
		b.Run(name, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				for ri := range rules {
					r := &rules[ri]
					for _, e := range envs {
						for _, tf := range []struct {
							t *tmplText
							f *fastTmpl
						}{{r.tx.title, r.tx.titleF}, {r.tx.desc, r.tx.descF}, {r.tx.why, r.tx.whyF}} {
							if tf.t == nil {
								continue
							}
							if !fast {
								tf.f = nil
							}
							if err := render(&buf, tf.t, tf.f, e); err != nil {
								b.Fatal(err)
							}
						}
					}
				}
			}
		})
	}
}
