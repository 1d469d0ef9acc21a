package stride

import (
	"strings"
	"testing"

	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/threatmap/threatmap/graph"
)

// The fast form of a condition must give what expr's VM gives, for every
// built-in condition and modifier on every element of the example models.
func TestFastConditions(t *testing.T) {
	var envs []*Env
	for _, d := range []*graph.Diagram{
		telehealthSpec().build(t, nil, nil),
		bigDiagram(t, 400),
		mini(t, famBounds, append([]string{"ftp:Legacy Partner (Redis)::inet", "ops:Administrator:actor:"}, famComps...), []string{"user>gw:HTTP", "gw>svc:gRPC, JWT", "svc>bucket:S3 API, IAM role (PII)",
			"gw>admin:HTTP", "svc>db:SQL (PHI)", "svc>q:SQS", "q>worker:SQS", "svc>psp:HTTPS, API key", "psp>gw:signed webhook",
			"ftp>svc:FTP", "svc>db:basic auth", "ops>admin:Telnet", "svc>ftp:HTTPS (PHI)", "db>svc:SQL, mTLS"}),
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
	var m vm.VM
	conds, fast, trues := 0, 0, 0
	check := func(where string, c *cond) {
		conds++
		if c.fast == nil {
			t.Logf("%s: no fast form", where)
			return
		}
		fast++
		tree, err := parser.Parse(c.src)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		slow := &condCompiler{viaReflect: true}
		viaReflect := slow.boolean(tree.Node)
		for i, e := range envs {
			got, err := runBool(&m, c, e)
			if err != nil {
				t.Fatalf("%s, env %d: %v", where, i, err)
			}
			p, err := c.program()
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			v, err := m.Run(p, e)
			if err != nil {
				t.Fatalf("%s, env %d: VM: %v", where, i, err)
			}
			if want, _ := v.(bool); got != want {
				t.Fatalf("%s on %q: fast %v, VM %v", where, e.Name, got, want)
			}
			if viaReflect(e) != got {
				t.Fatalf("%s on %q: typed accessors %v, reflect %v", where, e.Name, got, !got)
			}
			if got {
				trues++
			}
		}
	}
	for _, r := range preparedRules(t) {
		check("rule "+r.ID, r.when)
		for i := range r.Modifiers {
			check("rule "+r.ID+" modifier "+r.Modifiers[i].When, r.Modifiers[i].prog)
		}
		for i := range r.Mitigations {
			if c := r.Mitigations[i].cond; c != nil {
				check("rule "+r.ID+" mitigation "+r.Mitigations[i].When, c)
			}
		}
	}
	// Every built-in condition is in the supported subset, and the
	// comparison saw both outcomes.
	if fast != conds || trues == 0 || trues == fast*len(envs) {
		t.Fatalf("%d of %d conditions fast, %d true results over %d envs", fast, conds, trues, len(envs))
	}
	t.Logf("%d conditions, %d envs, %d true", conds, len(envs), trues)
}

// Each operator of the subset, and what stays with the VM.
func TestFastConditionForms(t *testing.T) {
	env := &Env{Kind: "process", Name: "Orders API", Trust: 2, InFlows: 3, Internet: true,
		Keywords: []string{"admin", "web"}, StoreData: "PHI and card data", Auth: "jwt",
		Source: &Endpoint{Kind: "external", Trust: 0, Keywords: []string{"mobile"}, Internet: true},
		Target: &Endpoint{Kind: "datastore", Trust: 4, Sensitive: true}}
	tests := []struct {
		src        string
		want, fast bool
	}{
		{`true`, true, true},
		{`false`, false, true},
		{`Internet`, true, true},
		{`!Internet`, false, true},
		{`not Human`, true, true},
		{`Kind == "process"`, true, true},
		{`Kind != "process"`, false, true},
		{`"process" == Kind`, true, true},
		{`Internet == true`, true, true},
		{`Trust == 2`, true, true},
		{`Trust != Source.Trust`, true, true},
		{`InFlows > 2 && InFlows >= 3 && InFlows < 4 && InFlows <= 3`, true, true},
		{`Source.Trust <= 1 and Target.Trust >= 3`, true, true},
		{`"admin" in Keywords`, true, true},
		{`"db" in Keywords`, false, true},
		{`"db" not in Keywords`, true, true},
		{`"mobile" in Source.Keywords`, true, true},
		{`"x" in Controls`, false, true},
		{`Auth in ["jwt", "oauth"]`, true, true},
		{`Auth in ["basic"]`, false, true},
		{`StoreData contains "card data"`, true, true},
		{`StoreData contains "PII"`, false, true},
		{`Human || Target.Sensitive`, true, true},
		{`Human or (PHI and Internet)`, false, true},
		{`!("web" in Keywords) || Source.Internet`, true, true},
		// Outside the subset: the VM decides.
		{`len(Keywords) == 2`, true, false},
		{`Name startsWith "Orders"`, true, false},
		{`Trust + 1 == 3`, true, false},
		{`Internet ? Trust > 1 : false`, true, false},
		{`Keywords[0] == "admin"`, true, false},
		{`Trust == -2`, false, false},
	}
	var m vm.VM
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			c, err := compileCond(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if (c.fast != nil) != tt.fast {
				t.Errorf("fast form: %v, want %v", c.fast != nil, tt.fast)
			}
			got, err := runBool(&m, c, env)
			if err != nil || got != tt.want {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// A nil endpoint is not read by the fast form: the VM runs and reports
// its error, as before.
func TestFastConditionNilEndpoint(t *testing.T) {
	c, err := compileCond(`Source.Internet`)
	if err != nil || c.fast == nil {
		t.Fatalf("%v, fast %v", err, c.fast != nil)
	}
	var m vm.VM
	if _, err := runBool(&m, c, &Env{}); err == nil || !strings.Contains(err.Error(), "Internet") {
		t.Fatalf("err = %v", err)
	}
	if ok, err := runBool(&m, c, &Env{Source: &Endpoint{Internet: true}, Target: noEndpoint}); !ok || err != nil {
		t.Fatalf("got %v, %v", ok, err)
	}
}

// BenchmarkConditions runs every built-in condition on every element of
// a generated model, fast form against expr's VM.
func BenchmarkConditions(b *testing.B) {
	a := &analysis{d: bigDiagram(b, 400)}
	a.readContext()
	var envs []*Env
	for _, ci := range a.comps {
		envs = append(envs, ci.env)
	}
	for _, fi := range a.flows {
		envs = append(envs, fi.env)
	}
	rules := DefaultRules()
	for _, mode := range []string{"fast", "vm"} {
		b.Run(mode, func(b *testing.B) {
			var m vm.VM
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				for _, r := range rules {
					c := r.when
					if mode == "vm" {
						p, err := c.program()
						if err != nil {
							b.Fatal(err)
						}
						c = &cond{prog: p}
						c.once.Do(func() {})
					}
					for _, e := range envs {
						if _, err := runBool(&m, c, e); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
		})
	}
}
