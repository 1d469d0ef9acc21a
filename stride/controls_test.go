package stride

import (
	"reflect"
	"testing"
)

func TestPlanControls(t *testing.T) {
	mfa := Mitigation{Control: "Enforce MFA", Type: "Preventive", Effort: "S", Priority: "P2"}
	threats := []Threat{
		{ID: "T-001", ResidualRisk: SeverityCritical, Mitigations: []Mitigation{
			{Control: "Split the network", Type: "Preventive", Effort: "L", Priority: "P1"},
			{Control: "Enforce MFA", Type: "Preventive", Effort: "S", Priority: "P1"},
		}},
		{ID: "T-002", ResidualRisk: SeverityMedium, Mitigations: []Mitigation{mfa, {Control: "Log reads", Type: "Detective", Effort: "M", Priority: "P3"}}},
	}
	got := PlanControls(threats)
	var names []string
	for _, c := range got {
		names = append(names, c.Control+"|"+c.Priority+"|"+c.Roadmap+"|"+string(c.Risk))
	}
	want := []string{
		"Enforce MFA|P1|Quick win|Critical",
		"Split the network|P1|architectural change|Critical",
		"Log reads|P3|planned|Medium",
	}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("plan = %q, want %q", names, want)
	}
	if !reflect.DeepEqual(got[0].Threats, []string{"T-001", "T-002"}) {
		t.Errorf("MFA threats = %v", got[0].Threats)
	}
}
