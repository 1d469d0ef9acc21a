package stride

import (
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// TestDerivedLabelsNotRead: a label the importer made up (a frame named
// after what it holds) names the element in every output, but its words
// are not read as the author's: no technology, data class, role or kind
// comes from them. The same label written by the author is read.
func TestDerivedLabelsNotRead(t *testing.T) {
	const label = "frame of Stripe, Patient Records"
	for _, tc := range []struct {
		name    string
		derived bool
		// want is what the component's report entry shows: technology,
		// data classes, kind.
		tech, sens, kind string
	}{
		{"author's words", false, "Stripe", "PHI", "external"},
		{"derived", true, "", "", "process"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := mini(t, []string{"app:Application tier:"},
				[]string{"api:Orders API::app", "f:" + label + ":box:app"},
				[]string{"api>f:calls"})
			d.Component("f").LabelDerived = tc.derived
			r := analyze(t, d, Options{})
			var c *Component
			for i := range r.Components {
				if r.Components[i].ID == "f" {
					c = &r.Components[i]
				}
			}
			if c == nil {
				t.Fatal("component f missing")
			}
			if c.Label != label {
				t.Errorf("label %q, want %q", c.Label, label)
			}
			if c.Technology != tc.tech || strings.Join(c.Sensitivity, ",") != tc.sens || c.Kind != tc.kind {
				t.Errorf("technology %q, data %v, kind %s (%s); want %q, %q, %s", c.Technology, c.Sensitivity, c.Kind, c.KindReason, tc.tech, tc.sens, tc.kind)
			}
			for _, th := range r.Threats {
				if th.Element.ID == "f" && !strings.Contains(th.Title, "frame of Stripe") {
					t.Errorf("threat on f does not name it: %q", th.Title)
				}
			}
		})
	}
}

// TestDerivedBoundaryLabelsNotRead: a frame the importer named after what
// it holds ("frame of Internet Gateway") gets no trust level from those
// words; the author's own caption does.
func TestDerivedBoundaryLabelsNotRead(t *testing.T) {
	for _, tc := range []struct {
		derived bool
		want    string
	}{{false, "untrusted"}, {true, "internal"}} {
		d := mini(t, []string{"f:frame of Internet Gateway, Public Web:"},
			[]string{"gw:Internet Gateway::f", "web:Public Web::f"}, []string{"gw>web:requests"})
		d.Boundary("f").LabelDerived = tc.derived
		r := analyze(t, d, Options{})
		if got := r.Boundaries[0].TrustName; got != tc.want {
			t.Errorf("derived=%v: trust %s (%s), want %s", tc.derived, got, r.Boundaries[0].TrustReason, tc.want)
		}
	}
}

// TestStatedKindReason: a kind an importer read from the file's notation
// gives its evidence as the kind's reason.
func TestStatedKindReason(t *testing.T) {
	d := mini(t, nil, []string{"p:Player:square:"}, nil)
	c := d.Component("p")
	c.Kind, c.KindEvidence = graph.KindExternal, `shape "square" in pytm's data-flow notation (external entity)`
	r := analyze(t, d, Options{})
	if got := r.Components[0]; got.Kind != "external" || got.KindReason != c.KindEvidence {
		t.Errorf("kind %s, reason %q", got.Kind, got.KindReason)
	}
}

// TestOutOfScope: an element the author takes out of scope raises no
// threat of its own and is listed once with the reason and the number of
// threats not raised; the flows between it and the parts in scope are
// still analysed, colouring the in-scope end; a flow marked out of scope,
// or between two parts out of scope, raises nothing and is listed.
func TestOutOfScope(t *testing.T) {
	build := func(t *testing.T) *graph.Diagram {
		return mini(t, []string{"net:Internet:", "app:Application tier:"},
			[]string{"user:Customer::net", "web:Web App::app", "auth:Auth Service::app", "db:Orders DB:cylinder:app", "idp:Identity DB:cylinder:app"},
			[]string{"user>web:HTTPS login", "web>auth:token check", "web>db:SQL orders", "auth>idp:SQL users"})
	}
	base := analyze(t, build(t), Options{})
	if base.OutOfScope != nil {
		t.Fatalf("nothing marked, yet listed: %+v", base.OutOfScope)
	}
	onElem := func(r *Report, typ, id string) int {
		n := 0
		for _, th := range r.Threats {
			for _, e := range append([]ElementRef{th.Element}, th.Elements...) {
				if e.Type == typ && e.ID == id {
					n++
					break
				}
			}
		}
		return n
	}
	flowID := func(d *graph.Diagram, src, dst string) string {
		for _, f := range d.Flows {
			if f.Source == src && f.Target == dst {
				return f.ID
			}
		}
		t.Fatalf("no flow %s>%s", src, dst)
		return ""
	}
	for _, tc := range []struct {
		name string
		mark func(d *graph.Diagram)
		// listed is "type:id:reason" for each listed element.
		listed []string
		// quiet are elements with no threat; kept are flows whose
		// threats stay as in the unmarked model.
		quiet, kept []string
	}{
		{
			name: "component",
			mark: func(d *graph.Diagram) {
				d.Component("auth").OutOfScope, d.Component("auth").OutOfScopeReason = true, "threat modelled before deployment"
			},
			listed: []string{"component:auth:threat modelled before deployment"},
			quiet:  []string{"component:auth"},
			kept:   []string{"web>auth", "auth>idp"},
		},
		{
			name: "both ends",
			mark: func(d *graph.Diagram) {
				for _, id := range []string{"auth", "idp"} {
					d.Component(id).OutOfScope, d.Component(id).OutOfScopeReason = true, `label says "out of scope"`
				}
			},
			listed: []string{`component:auth:label says "out of scope"`, `component:idp:label says "out of scope"`, "flow:auth>idp:both ends are out of scope"},
			quiet:  []string{"component:auth", "component:idp", "flow:auth>idp"},
			kept:   []string{"web>auth"},
		},
		{
			name: "flow",
			mark: func(d *graph.Diagram) {
				for _, f := range d.Flows {
					if f.Source == "web" && f.Target == "db" {
						f.OutOfScope, f.OutOfScopeReason = true, "batch export, reviewed apart"
					}
				}
			},
			listed: []string{"flow:web>db:batch export, reviewed apart"},
			quiet:  []string{"flow:web>db"},
			kept:   []string{"user>web", "web>auth"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := build(t)
			tc.mark(d)
			r := analyze(t, d, Options{})
			var listed []string
			for _, o := range r.OutOfScope {
				id := o.Element.ID
				if o.Element.Type == "flow" {
					for _, f := range d.Flows {
						if f.ID == id {
							id = f.Source + ">" + f.Target
						}
					}
				}
				listed = append(listed, o.Element.Type+":"+id+":"+o.Reason)
				if o.NotRaised == 0 {
					t.Errorf("%s %s: no threat counted as not raised", o.Element.Type, id)
				}
			}
			if strings.Join(listed, "\n") != strings.Join(tc.listed, "\n") {
				t.Errorf("listed:\n%s\nwant:\n%s", strings.Join(listed, "\n"), strings.Join(tc.listed, "\n"))
			}
			for _, q := range tc.quiet {
				typ, id, _ := strings.Cut(q, ":")
				if typ == "flow" {
					src, dst, _ := strings.Cut(id, ">")
					id = flowID(d, src, dst)
				}
				if n := onElem(r, typ, id); n != 0 {
					t.Errorf("%s: %d threats, want none", q, n)
				}
			}
			for _, k := range tc.kept {
				src, dst, _ := strings.Cut(k, ">")
				id := flowID(d, src, dst)
				if got, want := onElem(r, "flow", id), onElem(base, "flow", id); got != want || want == 0 {
					t.Errorf("flow %s: %d threats, want %d as in scope", k, got, want)
				}
			}
			for _, c := range r.Components {
				if d.Component(c.ID).OutOfScope && c.MaxSeverity != "" {
					t.Errorf("%s is out of scope but coloured %s", c.ID, c.MaxSeverity)
				}
			}
		})
	}
}
