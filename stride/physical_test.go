package stride

import (
	"slices"
	"testing"
)

// TestFieldDeviceWords: the machines a service puts where its users are
// (vehicles, kiosks, ATMs, smart locks, chargers) are devices in the
// field; the services and stores named after them are not.
func TestFieldDeviceWords(t *testing.T) {
	envs := mlEnvs(t, `flowchart LR
  subgraph field [Field]
    car["Connected Car"]
    k["Parking Kiosk"]
    atm["ATM"]
    lock["Smart Lock"]
    ch["EV Charger"]
  end
  subgraph cloud [Cloud]
    api["Car Rental API"]
    reg["Vehicle Registration Service"]
    db[("Cars DB")]
  end
  car -->|"MQTT"| api
  k -->|"HTTPS"| api
  atm -->|"HTTPS"| api
  lock -->|"MQTT"| api
  ch -->|"OCPP"| api
  api -->|"SQL"| db
  api -->|"HTTPS"| reg
`)
	for label, want := range map[string]bool{
		"Connected Car": true, "Parking Kiosk": true, "ATM": true, "Smart Lock": true, "EV Charger": true,
		"Car Rental API": false, "Vehicle Registration Service": false, "Cars DB": false,
	} {
		e := envs[label]
		if e == nil {
			t.Fatalf("%s: no such component", label)
		}
		if e.FieldDevice != want {
			t.Errorf("%s: FieldDevice = %v, want %v", label, e.FieldDevice, want)
		}
	}
}

// TestOwnerIsAPerson: an owner is a person, working through the device the
// label names; a service named after owners is software.
func TestOwnerIsAPerson(t *testing.T) {
	p, ok := readPerson("Owner Phone")
	if !ok || p.Role != "owner" || p.Device != "Owner Phone" || p.Privileged {
		t.Errorf("Owner Phone: got %+v, %v; want an unprivileged owner working through Owner Phone", p, ok)
	}
	if p, ok := readPerson("Owner Service"); ok {
		t.Errorf("Owner Service: read as %+v, want software", p)
	}
}

// TestPeopleFoldAcrossZones: people are reached by mail and phone
// wherever they are drawn, so S-PPL-01 is one threat listing the people of
// every zone (fold_system), and the physical threats stand on each device.
func TestPeopleFoldAcrossZones(t *testing.T) {
	r := analyzeMermaidText(t, `flowchart LR
  subgraph ops [Operations]
    op(["Release Operator"])
    pipe["Deploy Pipeline"]
  end
  subgraph support [Support Office]
    sa(["Support Agent"])
    desk["Ticket Desk"]
  end
  subgraph field [Field]
    car["Connected Car"]
  end
  op -->|"approve release"| pipe
  sa -->|"reset account"| desk
  car -->|"MQTT telemetry"| pipe
`)
	var ppl, phy []Threat
	for _, th := range r.Threats {
		switch th.Rule {
		case "S-PPL-01":
			ppl = append(ppl, th)
		case "D-PHY-01", "T-PHY-02":
			phy = append(phy, th)
		}
	}
	if len(ppl) != 1 {
		t.Fatalf("S-PPL-01: %d threats, want 1 listing both people", len(ppl))
	}
	if len(ppl[0].Elements) != 2 {
		t.Errorf("S-PPL-01 lists %d elements, want 2 (Release Operator and Support Agent): %q", len(ppl[0].Elements), ppl[0].Title)
	}
	var rules []string
	for _, th := range phy {
		rules = append(rules, th.Rule)
		if th.ElementName != "Connected Car" {
			t.Errorf("%s on %s, want Connected Car", th.Rule, th.ElementName)
		}
	}
	slices.Sort(rules)
	if !slices.Equal(rules, []string{"D-PHY-01", "T-PHY-02"}) {
		t.Errorf("physical threats %v, want D-PHY-01 and T-PHY-02", rules)
	}
}

// TestMemberClusters: a state store's member clusters are the other frames
// holding an API server of their own; one cluster drawn in several frames
// has none.
func TestMemberClusters(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"hub and two members", `flowchart LR
  subgraph hub [Fleet Hub]
    api["karmada-apiserver"]
    e[("etcd")]
    cm["karmada-controller-manager"]
  end
  subgraph m1 [Shop cluster]
    k1["kube-apiserver"]
  end
  subgraph m2 [Billing cluster]
    ag["karmada-agent"]
    k2["kube-apiserver"]
  end
  api -->|"gRPC"| e
  cm -->|"push"| k1
  ag -->|"pull"| api
  ag -->|"apply"| k2
`, "Billing cluster and Shop cluster"},
		{"one cluster in frames", `flowchart LR
  subgraph cp [Control Plane]
    api["kube-apiserver"]
    e[("etcd")]
  end
  subgraph node [Worker Node]
    k["kubelet"]
  end
  api -->|"gRPC"| e
  api -->|"HTTPS"| k
`, ""},
	}
	for _, tc := range tests {
		envs := mlEnvs(t, tc.src)
		if got := envs["etcd"].MemberClusters; got != tc.want {
			t.Errorf("%s: MemberClusters = %q, want %q", tc.name, got, tc.want)
		}
	}
}
