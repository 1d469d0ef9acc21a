package stride

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// analyzeOwnDiagram analyses one of the per-interaction test diagrams in
// testdata/perinteraction (DOT or Mermaid) with the real importers.
func analyzeOwnDiagram(t *testing.T, name string) *Report {
	t.Helper()
	return analyze(t, diagramFile(t, filepath.Join("testdata", "perinteraction", name)), Options{})
}

// TestPerInteraction: on a boundary-crossing interaction into a process,
// spoofing of the sender, repudiation or replay of its requests and what
// they may reach are threats on the flow itself, rated with the control
// the flow shows; on a hop inside one zone there are none.
func TestPerInteraction(t *testing.T) {
	tests := []struct {
		diagram, rule, flow string
		status              string
		control             string // credited on the flow; "" for none
	}{
		// Mutual TLS authenticates the gateway to the service.
		{"clinic-microservices.mmd", "S-BASE-INT", "API Gateway → Prescription Service", StatusMitigated, "mtls"},
		// A connection-level certificate names the sender but signs no request.
		{"clinic-microservices.mmd", "R-BASE-INT", "API Gateway → Prescription Service", StatusPartial, "mtls"},
		{"clinic-microservices.mmd", "E-BASE-INT", "API Gateway → Prescription Service", StatusUnmitigated, ""},
		// Nothing on the flow: S-INT-01 stands for its spoofing, unchanged.
		{"clinic-microservices.mmd", "S-INT-01", "API Gateway → Pharmacy Adapter", StatusUnmitigated, ""},
		{"clinic-microservices.mmd", "R-BASE-INT", "API Gateway → Pharmacy Adapter", StatusUnmitigated, ""},
		// A person's flow: their authentication is the entity's (S-EXT-01)
		// and so is their denial (R-BASE-EXT); what the request may reach
		// is the interaction's.
		{"clinic-microservices.mmd", "E-BASE-INT", "Clinician → API Gateway", StatusUnmitigated, ""},
		// pytm's notation: a signed request with a nonce.
		{"booking-pytm.dot", "S-BASE-INT", "Booking Portal → Slot Service", StatusMitigated, "hmac"},
		{"booking-pytm.dot", "R-BASE-INT", "Booking Portal → Slot Service", StatusMitigated, "hmac"},
		{"booking-pytm.dot", "R-BASE-INT", "Booking Portal → Slot Service", StatusMitigated, "replay-protection"},
		{"booking-pytm.dot", "R-BASE-INT", "Booking Portal → Reminder Sender", StatusUnmitigated, ""},
		// Firmware messages: another world's client, a partition's
		// numbered messages to its manager.
		// The partitions family's own rules (partitions.yaml) stand for
		// spoofing and elevation there: a specific rule of a category
		// covers the element, so the baseline does not repeat it.
		{"tee-messaging.mmd", "S-PMG-01", "TEE Client (Linux kernel) → Partition Manager (S-EL2)", StatusUnmitigated, ""},
		{"tee-messaging.mmd", "S-PMG-01", "Attestation Partition → Partition Manager (S-EL2)", StatusUnmitigated, ""},
		{"tee-messaging.mmd", "R-BASE-INT", "Attestation Partition → Partition Manager (S-EL2)", StatusPartial, "replay-protection"},
		{"tee-messaging.mmd", "E-PMG-01", "Attestation Partition → Partition Manager (S-EL2)", StatusUnmitigated, ""},
	}
	for _, tc := range tests {
		t.Run(tc.diagram+"/"+tc.rule+"/"+tc.flow+"/"+tc.control, func(t *testing.T) {
			r := analyzeOwnDiagram(t, tc.diagram)
			th := oneThreat(t, r, tc.rule, tc.flow)
			if th.Status != tc.status {
				t.Errorf("status %s (controls %v), want %s", th.Status, th.ExistingControls, tc.status)
			}
			if tc.control != "" && !slices.Contains(th.ExistingControls, tc.control) {
				t.Errorf("controls %v, want %s credited", th.ExistingControls, tc.control)
			}
			if tc.control == "" && len(th.ExistingControls) > 0 {
				t.Errorf("controls %v, want none", th.ExistingControls)
			}
		})
	}
}

// TestPerInteractionQuiet: no per-interaction threat where the concern is
// another rule's: a hop inside one zone, a flow into a data store, a
// person's own spoofing and denial (the entity's rules), a flow whose
// category a specific rule already raises.
func TestPerInteractionQuiet(t *testing.T) {
	tests := []struct{ diagram, rule, flow string }{
		{"clinic-microservices.mmd", "S-BASE-INT", "Prescription Service → Audit Writer"},
		{"clinic-microservices.mmd", "R-BASE-INT", "Prescription Service → Audit Writer"},
		{"clinic-microservices.mmd", "E-BASE-INT", "Prescription Service → Audit Writer"},
		{"clinic-microservices.mmd", "R-BASE-INT", "Prescription Service → Prescriptions DB (PHI)"},
		{"clinic-microservices.mmd", "E-BASE-INT", "Prescription Service → Prescriptions DB (PHI)"},
		{"clinic-microservices.mmd", "S-BASE-INT", "Clinician → API Gateway"},
		{"clinic-microservices.mmd", "R-BASE-INT", "Clinician → API Gateway"},
		{"clinic-microservices.mmd", "S-BASE-INT", "API Gateway → Pharmacy Adapter"},
		// E-FWL-01 raises what another world's input reaches.
		{"tee-messaging.mmd", "E-BASE-INT", "TEE Client (Linux kernel) → Partition Manager (S-EL2)"},
	}
	for _, tc := range tests {
		t.Run(tc.diagram+"/"+tc.rule+"/"+tc.flow, func(t *testing.T) {
			r := analyzeOwnDiagram(t, tc.diagram)
			if ths := threatsBy(r, tc.rule, tc.flow); len(ths) > 0 {
				t.Errorf("%s on %s: %d threats, want none", tc.rule, tc.flow, len(ths))
			}
		})
	}
}

// TestPerInteractionOneThreatPerConcern: the per-interaction threat and
// the per-element one of the same concern are one threat where they touch
// (the flows into a process and the process that cannot tell its callers
// apart), so no element is listed by two threats of one concern, and
// every flow and process stays findable in the threat's elements.
func TestPerInteractionOneThreatPerConcern(t *testing.T) {
	concern := map[string]int{}
	for i, c := range concerns {
		for _, r := range c {
			concern[r] = i
		}
	}
	for _, name := range []string{"clinic-microservices.mmd", "booking-pytm.dot", "tee-messaging.mmd"} {
		t.Run(name, func(t *testing.T) {
			r := analyzeOwnDiagram(t, name)
			type key struct {
				concern int
				el      ElementRef
			}
			owner := map[key]string{}
			perInteraction := 0
			for _, th := range r.Threats {
				for _, v := range th.Views() {
					c, ok := concern[v.Threat.Rule]
					if !ok || !slices.Contains([]string{"S", "R", "E"}, v.Threat.Stride) {
						continue
					}
					if strings.HasSuffix(v.Threat.Rule, "-BASE-INT") {
						perInteraction++
						if v.Element.Type != "flow" {
							t.Errorf("%s %s on %s %s, want a flow", th.ID, v.Threat.Rule, v.Element.Type, v.Element.ID)
						}
					}
					k := key{c, v.Element}
					if o, dup := owner[k]; dup && o != th.ID {
						t.Errorf("%s %s and %s both list %s %s", v.Threat.Rule, th.ID, o, v.Element.Type, v.Element.ID)
					}
					owner[k] = th.ID
				}
			}
			if perInteraction == 0 {
				t.Error("no per-interaction threat")
			}
		})
	}
}
