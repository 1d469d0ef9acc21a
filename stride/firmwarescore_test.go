package stride

import (
	"strings"
	"testing"
)

// TestPhysicalPortReach: on a firmware diagram a physical port or medium
// is reached by whoever holds the device (reach 5, as another world is),
// unless the diagram keeps the device where physical access is controlled
// (a data centre, a rack), where a port takes a foothold inside (3). A
// world's reach does not depend on where the device stands.
func TestPhysicalPortReach(t *testing.T) {
	const handheld = `flowchart LR
  dbg["JTAG Probe"]
  ree["Rich OS"]
  subgraph tb [Trusted firmware]
    mon["Secure Monitor (EL3)"]
  end
  dbg -->|"debug"| mon
  ree -->|"SMC"| mon
`
	const racked = `flowchart LR
  dbg["JTAG Probe"]
  ree["Rich OS"]
  subgraph dc [Data centre rack]
    subgraph tb [Trusted firmware]
      mon["Secure Monitor (EL3)"]
    end
  end
  dbg -->|"debug"| mon
  ree -->|"SMC"| mon
`
	tests := []struct {
		name, diagram, element string
		exposure               int
		severity               Severity
	}{
		{"port of a device in its users' hands", handheld, "JTAG Probe → Secure Monitor (EL3)", 5, SeverityCritical},
		{"port of a device in a data centre", racked, "JTAG Probe → Secure Monitor (EL3)", 3, SeverityHigh},
		{"world of a device in its users' hands", handheld, "Rich OS → Secure Monitor (EL3)", 5, SeverityCritical},
		{"world of a device in a data centre", racked, "Rich OS → Secure Monitor (EL3)", 5, SeverityCritical},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyzeMermaidText(t, tc.diagram)
			ths := threatsBy(r, "E-FWL-01", tc.element)
			if len(ths) != 1 {
				t.Fatalf("E-FWL-01 on %s: %d threats, want 1", tc.element, len(ths))
			}
			th := ths[0]
			if th.Scoring == nil || th.Scoring.Exposure != tc.exposure {
				t.Errorf("exposure %+v, want %d", th.Scoring, tc.exposure)
			}
			if th.Severity != tc.severity {
				t.Errorf("severity %s (L%d x I%d), want %s", th.Severity, th.Likelihood, th.Impact, tc.severity)
			}
		})
	}
}

// TestWorldsBelowAvailability: firmware that two or more worlds call (a
// secure monitor beneath the secure and the normal world) is what each of
// them runs on, so a crash or hang of it costs the device (availability
// value 4, a malformed call rated High); firmware serving one world, however
// many applications that world draws, is an outage like any other.
func TestWorldsBelowAvailability(t *testing.T) {
	const twoWorlds = `flowchart LR
  ree["Rich OS"]
  tee["Trusted OS"]
  subgraph tb [Trusted firmware]
    mon["Secure Monitor (EL3)"]
  end
  ree -->|"SMC"| mon
  tee -->|"SMC"| mon
`
	const oneWorld = `flowchart LR
  subgraph nspe [NSPE]
    a1["Sensor App"]
    a2["Network App"]
  end
  subgraph spe [SPE]
    svc["Crypto Service"]
  end
  a1 -->|"PSA call"| svc
  a2 -->|"PSA call"| svc
`
	tests := []struct {
		name, diagram, element string
		impact                 int
		severity               Severity
		why                    string
	}{
		{"monitor beneath two worlds", twoWorlds, "Rich OS → Secure Monitor (EL3)", 3, SeverityHigh, "every world that calls"},
		{"service of one world", oneWorld, "Sensor App → Crypto Service", 2, SeverityMedium, "an outage of the system's own component"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyzeMermaidText(t, tc.diagram)
			ths := threatsBy(r, "D-FWL-01", tc.element)
			if len(ths) != 1 {
				t.Fatalf("D-FWL-01 on %s: %d threats, want 1", tc.element, len(ths))
			}
			th := ths[0]
			if th.Impact != tc.impact || th.Severity != tc.severity {
				t.Errorf("L%d x I%d = %s, want impact %d and %s", th.Likelihood, th.Impact, th.Severity, tc.impact, tc.severity)
			}
			if th.Scoring == nil || !strings.Contains(th.Scoring.AssetReason, tc.why) {
				t.Errorf("asset reason %+v, want it to say %q", th.Scoring, tc.why)
			}
		})
	}
}

// TestIsolationHardwareMisconfigured: the flow on which privileged firmware
// programs the hardware that keeps worlds apart carries the
// misconfiguration threats, Critical (a region left open needs no exploit
// and costs the secure side); the same flow to ordinary hardware, or from
// firmware no other world calls, does not.
func TestIsolationHardwareMisconfigured(t *testing.T) {
	tests := []struct {
		name, diagram, element string
		fires                  bool
	}{
		{"monitor programs the MPU", `flowchart LR
  ns["Normal World"]
  subgraph tb [Secure firmware]
    fw["Secure Firmware"]
    mpu["MPU"]
  end
  ns -->|"SMC"| fw
  fw -->|"program regions"| mpu
`, "Secure Firmware → MPU", true},
		{"monitor writes a sensor", `flowchart LR
  ns["Normal World"]
  subgraph tb [Secure firmware]
    fw["Secure Firmware"]
    temp["Temperature Sensor"]
  end
  ns -->|"SMC"| fw
  fw -->|"read"| temp
`, "Secure Firmware → Temperature Sensor", false},
		{"nobody calls the firmware", `flowchart LR
  subgraph tb [Secure firmware]
    fw["Secure Firmware"]
    mpu["MPU"]
  end
  fw -->|"program regions"| mpu
`, "Secure Firmware → MPU", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyzeMermaidText(t, tc.diagram)
			for _, rule := range []string{"I-FWL-02", "E-FWL-02"} {
				ths := threatsBy(r, rule, tc.element)
				if !tc.fires {
					if len(ths) != 0 {
						t.Errorf("%s fired on %s", rule, tc.element)
					}
					continue
				}
				if len(ths) != 1 {
					t.Fatalf("%s on %s: %d threats, want 1", rule, tc.element, len(ths))
				}
				if ths[0].Severity != SeverityCritical {
					t.Errorf("%s: L%d x I%d = %s, want Critical", rule, ths[0].Likelihood, ths[0].Impact, ths[0].Severity)
				}
			}
		})
	}
}
