package stride

import (
	"slices"
	"testing"
)

// TestRatedElementNames: each element of a folded threat is named once,
// with its own rating where a member rates it apart from the threat: the
// rule when it differs, and the external entity a threat placed on a host
// is about.
func TestRatedElementNames(t *testing.T) {
	r := &Report{
		Components: []Component{{ID: "idp", Label: "Auth\n Service"}, {ID: "api", Label: "API"}},
		Flows:      []Flow{{ID: "f1", Source: "api", Target: "idp"}},
	}
	x := r.Index()
	idp := ElementRef{Type: "component", ID: "idp"}
	flow := ElementRef{Type: "flow", ID: "f1"}
	tests := []struct {
		name string
		t    Threat
		want []string
	}{
		{"one element", Threat{Rule: "S-1", Element: idp}, []string{"Auth Service"}},
		{"members rated apart", Threat{Rule: "I-1", Element: idp, Elements: []ElementRef{idp, flow},
			Members: []Member{{Element: flow, Rule: "I-1", ResidualRisk: SeverityLow, Status: StatusMitigated}}},
			[]string{"Auth Service", "API → Auth Service (Low, Mitigated)"}},
		{"another rule", Threat{Rule: "E-1", Element: idp, Elements: []ElementRef{idp, flow},
			Members: []Member{{Element: flow, Rule: "T-2", ResidualRisk: SeverityHigh, Status: StatusUnmitigated}}},
			[]string{"Auth Service", "API → Auth Service (T-2: High, Unmitigated)"}},
		{"about two people", Threat{Rule: "S-1", Element: idp,
			Members: []Member{
				{Element: idp, Rule: "S-1", About: "Patient", ResidualRisk: SeverityCritical, Status: StatusUnmitigated},
				{Element: idp, Rule: "S-1", About: "Clinician", ResidualRisk: SeverityHigh, Status: StatusPartial},
			}},
			[]string{"Auth Service (Patient: Critical, Unmitigated; Clinician: High, Partial)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := x.RatedElementNames(&tt.t); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
