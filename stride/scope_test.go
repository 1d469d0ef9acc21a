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
