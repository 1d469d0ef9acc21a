package stride

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// partitionDiagram reads one of the partition-manager diagrams written
// for this check (testdata/partitions: OP-TEE, Hafnium, Xen, an RTOS).
func partitionDiagram(t *testing.T, name string) *graph.Diagram {
	t.Helper()
	return diagramFile(t, filepath.Join("..", "testdata", "partitions", name))
}

// TestPartitionManagers checks, on diagrams of a TEE, two hypervisors and
// an RTOS, that a partition manager is recognised by its technology or
// words, that its value comes from that role and its exposure from the
// partitions it serves, and that the partition-messaging family rates a
// partition's request High and an isolation break Critical, painted on
// the manager whichever way the arrow is drawn. The RTOS whose tasks an
// MPU isolates is not a partition manager: its words do not say so.
func TestPartitionManagers(t *testing.T) {
	tests := []struct {
		file, manager string
		callers       []string
	}{
		{"optee.mmd", "TEE Core (OP-TEE OS)", []string{"TEE Driver", "Keymaster TA"}},
		// Arrows drawn from the hypervisor, two-way.
		{"hafnium.dot", "Hafnium hypervisor", []string{"Android kernel", "DRM VM", "Modem VM"}},
		{"xen.mmd", "Xen", []string{"Tenant A VM", "Tenant B VM", "Block and Net Back Ends"}},
	}
	want := map[string]Severity{
		"S-PMG-01": SeverityCritical, // a forged sender ID acts as another partition
		"E-PMG-01": SeverityCritical, // memory moved without entitlement
		"S-PMG-02": SeverityHigh,
		"T-PMG-01": SeverityHigh,
		"T-PMG-02": SeverityHigh,
		"D-PMG-01": SeverityHigh,
		"I-PMG-01": SeverityMedium, // side channels need a skilled attacker
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := analyze(t, partitionDiagram(t, tt.file), Options{})
			var mgrSev Severity
			for _, c := range r.Components {
				if c.Label == tt.manager {
					mgrSev = c.MaxSeverity
					if c.Role != "partition-manager" {
						t.Errorf("%s has role %q, want partition-manager", c.Label, c.Role)
					}
				} else if c.Role == "partition-manager" {
					t.Errorf("%s is read as a partition manager", c.Label)
				}
			}
			if mgrSev != SeverityCritical {
				t.Errorf("%s is %s, want Critical: the partition calls are its to close", tt.manager, mgrSev)
			}
			seen := map[string]bool{}
			for _, th := range r.Threats {
				w, ok := want[th.Rule]
				if !ok {
					continue
				}
				seen[th.Rule] = true
				if th.Severity != w {
					t.Errorf("%s %q is %s, want %s", th.Rule, th.Title, th.Severity, w)
				}
				text := th.Title + " " + th.Description
				if th.Rule == "I-PMG-01" {
					text = th.Title
				}
				for _, c := range tt.callers {
					if !strings.Contains(text, c) && len(threatElementIDs(th)) < 2 {
						t.Errorf("%s %q does not name caller %s", th.Rule, th.Title, c)
					}
				}
				sc := th.Scoring
				// The manager is worth its role (an outage costs
				// what every partition waiting on it loses), and a
				// partition reaches it as widely as anyone can.
				if wantAsset := map[bool]int{true: assetValuable, false: assetCrown}[th.Category == "Denial of service"]; sc == nil || sc.Asset != wantAsset || sc.Exposure != reachInternet {
					t.Errorf("%s scoring does not come from the manager's role and its callers: %+v", th.Rule, sc)
				}
			}
			for rule := range want {
				if !seen[rule] {
					t.Errorf("%s did not fire", rule)
				}
			}
		})
	}
	t.Run("rtos.mmd", func(t *testing.T) {
		r := analyze(t, partitionDiagram(t, "rtos.mmd"), Options{})
		for _, c := range r.Components {
			if c.Role == "partition-manager" {
				t.Errorf("%s is read as a partition manager", c.Label)
			}
		}
		for _, th := range r.Threats {
			if strings.Contains(th.Rule, "-PMG-") {
				t.Errorf("%s fired on an RTOS: %q", th.Rule, th.Title)
			}
		}
	})
}

// threatElementIDs lists the elements a threat names.
func threatElementIDs(th Threat) []string {
	var out []string
	for _, v := range th.Views() {
		out = append(out, v.Element.ID)
	}
	return out
}

// TestServedBy is the table of who is a partition a manager serves.
func TestServedBy(t *testing.T) {
	mgr := func() *compInfo {
		return &compInfo{label: "Hafnium", kind: graph.KindProcess, trust: TrustInternal, tech: techByID(t, "hafnium")}
	}
	tests := []struct {
		name string
		src  *compInfo
		want bool
	}{
		{"guest VM", &compInfo{label: "Guest VM", kind: graph.KindProcess, trust: TrustInternal}, true},
		{"less trusted world", &compInfo{label: "NS Client", kind: graph.KindExternal, trust: TrustUntrusted, local: localWorld}, true},
		{"another manager", &compInfo{label: "SPMD", kind: graph.KindProcess, trust: TrustInternal, tech: techByID(t, "generic-secure-partition-manager")}, false},
		{"boot stage", &compInfo{label: "BL2", kind: graph.KindProcess, trust: TrustInternal}, false},
		{"isolation hardware", &compInfo{label: "SMMU", kind: graph.KindProcess, trust: TrustInternal, tags: tagSet{TagIsolationHW: true}}, false},
		{"physical port", &compInfo{label: "UART", kind: graph.KindExternal, trust: TrustUntrusted, local: localPhysical}, false},
		{"memory", &compInfo{label: "DDR", kind: graph.KindDataStore, trust: TrustInternal}, false},
		{"internet party", &compInfo{label: "Update Server", kind: graph.KindExternal, trust: TrustUntrusted}, false},
		{"more trusted", &compInfo{label: "Root of trust", kind: graph.KindProcess, trust: TrustRestricted}, false},
	}
	for _, tt := range tests {
		if tt.src.tags == nil {
			tt.src.tags = tagSet{}
		}
		tt.src.w, tt.src.lw = newWords(tt.src.label), newWords(tt.src.label)
		m := mgr()
		m.tags = tagSet{}
		if got := servedBy(tt.src, m); got != tt.want {
			t.Errorf("%s: servedBy = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// techByID is the catalog entry id.
func techByID(t *testing.T, id string) *catalog.Tech {
	t.Helper()
	tech, ok := catalog.Default().Lookup(id)
	if !ok {
		t.Fatalf("no catalog entry %s", id)
	}
	return tech
}
