package graph

import "testing"

func TestScopePhrase(t *testing.T) {
	for text, want := range map[string]string{
		"Payment provider (out of scope)":         "out of scope",
		"Legacy CRM — OUT-OF-SCOPE":               "out of scope",
		"Billing\n(existing)":                     "",
		"Billing\n(out of scope)":                 "out of scope",
		"Cognito: already threat-modelled":        "already threat modelled",
		"Amplify, already threat modeled in 2024": "already threat modeled",
		"Search — not in scope for this review":   "not in scope",
		"outside the scope of this model":         "outside the scope",
		"In scope":                                "",
		"Scope service":                           "",
		"not out of scope":                        "",
		"Existing users DB":                       "",
		"without of scope":                        "",
		"Checkout of scope-limited tokens":        "",
		"":                                        "",
	} {
		if got := ScopePhrase(text); got != want {
			t.Errorf("ScopePhrase(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestScopeFromAttributes(t *testing.T) {
	for _, tc := range []struct {
		attrs  map[string]string
		out    bool
		reason string
	}{
		{map[string]string{"outOfScope": "true", "reasonOutOfScope": "Third party"}, true, `Third party (property outOfScope="true")`},
		{map[string]string{"outOfScope": "false", "reasonOutOfScope": ""}, false, ""},
		{map[string]string{"out_of_scope": "yes", "justification_out_of_scope": "  SaaS,\n vendor audited "}, true, `SaaS, vendor audited (property out_of_scope="yes")`},
		{map[string]string{"inScope": "False"}, true, `property inScope="False"`},
		{map[string]string{"inScope": "true"}, false, ""},
		{map[string]string{"scope": "out"}, true, `property scope="out"`},
		{map[string]string{"scope": "internal"}, false, ""},
		{map[string]string{"class": "db outOfScope"}, true, `class "outOfScope"`},
		{map[string]string{"class": "existing-system"}, false, ""},
		{map[string]string{"class": "not-in-scope"}, true, `class "not-in-scope"`},
		{map[string]string{"class": "grey"}, false, ""},
		{map[string]string{"reasonOutOfScope": "stale"}, false, ""},
		{nil, false, ""},
	} {
		out, reason := ScopeFromAttributes(tc.attrs)
		if out != tc.out || reason != tc.reason {
			t.Errorf("%v: %v %q, want %v %q", tc.attrs, out, reason, tc.out, tc.reason)
		}
	}
}

// TestInheritScope: Finalize takes the components inside an out-of-scope
// boundary, at any depth, out of scope, naming the boundary; a derived
// label's words mark nothing; an element marked by its importer keeps its
// reason.
func TestInheritScope(t *testing.T) {
	d := New("t", "test")
	_ = d.AddBoundary(&Boundary{ID: "old", Label: "Legacy estate", Attributes: map[string]string{"outOfScope": "true"}})
	_ = d.AddBoundary(&Boundary{ID: "inner", Label: "Billing", Parent: "old"})
	_ = d.AddBoundary(&Boundary{ID: "f", Label: "frame of Out of scope list", LabelDerived: true})
	_ = d.AddComponent(&Component{ID: "a", Label: "Invoices", Boundary: "inner"})
	_ = d.AddComponent(&Component{ID: "b", Label: "Ledger", Boundary: "old", OutOfScope: true, OutOfScopeReason: "legend"})
	_ = d.AddComponent(&Component{ID: "c", Label: "API", Boundary: "f"})
	_ = d.AddComponent(&Component{ID: "x", Label: "frame of (existing) things", LabelDerived: true})
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"a": `inside "Billing": inside "Legacy estate": property outOfScope="true"`,
		"b": "legend",
		"c": "",
		"x": "",
	} {
		c := d.Component(id)
		if c.OutOfScopeReason != want || c.OutOfScope != (want != "") {
			t.Errorf("%s: %v %q, want %q", id, c.OutOfScope, c.OutOfScopeReason, want)
		}
	}
	if d.Boundary("f").OutOfScope {
		t.Error("a derived frame name marked its frame out of scope")
	}
}
