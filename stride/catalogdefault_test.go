package stride

import (
	"strings"
	"testing"
)

// A control the catalog says a product offers, but which each deployment
// configures, leaves the threat Partial until the diagram shows it; one
// the product always has, or has on by default, still mitigates (session
// 8, DATA item 5).
func TestOfferedControlIsPartial(t *testing.T) {
	for _, tc := range []struct {
		name, text   string
		rule, elem   string
		status       string
		sourceSubstr string
	}{
		{"offered.mmd", `flowchart LR
  subgraph cp [Control Plane]
    api["kube-apiserver"]
  end
  subgraph nodes [Nodes]
    w["Orders API"]
  end
  api -->|"HTTPS"| w
`, "E-ORC-01", "kube-apiserver", StatusPartial, "offers (the diagram does not show it enabled) rbac"},
		{"shown.dot", `digraph { subgraph cluster_cp { label="Control Plane"; api [label="kube-apiserver", controls="rbac"] }
  subgraph cluster_n { label="Nodes"; w [label="Orders API"] }
  api -> w [label="HTTPS"] }`, "E-ORC-01", "kube-apiserver", StatusMitigated, "diagram: kube-apiserver"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := analyze(t, importText(t, tc.name, tc.text), Options{Unfolded: true})
			th := oneThreat(t, r, tc.rule, tc.elem)
			if th.Status != tc.status {
				t.Errorf("%s on %s: %s, want %s (%+v)", tc.rule, tc.elem, th.Status, tc.status, th.Controls)
			}
			found := false
			for _, c := range th.Controls {
				found = found || (c.Control == "rbac" && strings.Contains(c.Source, tc.sourceSubstr))
			}
			if !found {
				t.Errorf("%s on %s: no rbac control with source %q: %+v", tc.rule, tc.elem, tc.sourceSubstr, th.Controls)
			}
		})
	}
	// Always on: DynamoDB's encryption at rest still mitigates.
	r := analyze(t, importText(t, "always.mmd", `flowchart LR
  u(["Customer"])
  subgraph app [App Tier]
    api["Orders API"]
  end
  subgraph data [Data Tier]
    db[("DynamoDB Orders Table (PII)")]
  end
  u -->|"HTTPS"| api
  api -->|"DynamoDB API"| db
`), Options{Unfolded: true})
	th := oneThreat(t, r, "I-DS-01", "DynamoDB Orders Table (PII)")
	if th.Status != StatusMitigated {
		t.Errorf("I-DS-01 on DynamoDB: %s, want Mitigated (%+v)", th.Status, th.Controls)
	}
}
