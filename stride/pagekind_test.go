package stride

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/testcorpus"
)

func importText(t *testing.T, name, text string) *graph.Diagram {
	t.Helper()
	ds, err := importers.Import(name, []byte(text), importers.Options{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ds[0]
}

func TestNotDataFlow(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // substring; "" means analysed
	}{
		{"attack-tree.mmd", `flowchart TD
  g[Read the CEO's mail] --> a[Steal the laptop]
  g --> b[Phish the password]
  g --> c[Bribe the admin]
  b --> d[Guess the password]
`, "attack steps in a tree"},
		{"org.mmd", `flowchart TD
  ceo[CEO] --> cto[CTO]
  ceo --> cfo[CFO]
  cto --> m1[Engineering Manager]
  cto --> m2[Director of Platform]
`, "org chart"},
		{"classes.mmd", `flowchart TD
  a["Order<br>+ id: int<br>+ total(): Money"] --> b["Line<br>+ sku: string"]
  a --> c["Customer<br>- name: string"]
  c --> d["Address<br># street: string"]
`, "class members"},
		// A system with an attack-sounding label is still a system.
		{"system.mmd", `flowchart LR
  u[Attacker] -->|HTTPS| w[Web App]
  w -->|SQL| db[(Database)]
  w --> s[Steal-proof vault]
  s --> k[Key store]
`, ""},
		// A tree of services without protocols is still a system.
		{"services.mmd", `flowchart TD
  gw[API Gateway] --> a[Orders Service]
  gw --> b[Billing Service]
  a --> c[Orders DB]
  b --> d[Billing DB]
`, ""},
	}
	for _, tt := range tests {
		got := NotDataFlow(importText(t, tt.name, tt.text))
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: NotDataFlow = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestNotDataFlowByNameAndShape(t *testing.T) {
	d := importText(t, "x.mmd", "flowchart LR\n  a[Login] --> b[Session]\n")
	d.Name = "Attack Tree"
	if got := NotDataFlow(d); !strings.Contains(got, `"Attack Tree" is named as an attack tree`) {
		t.Errorf("by name: %q", got)
	}
	d.Name = "Legend"
	if got := NotDataFlow(d); !strings.Contains(got, "a legend") {
		t.Errorf("legend: %q", got)
	}
	d.Name = "Overview"
	d.Components[0].Shape, d.Components[1].Shape = "xor", "or"
	if got := NotDataFlow(d); !strings.Contains(got, "2 AND/OR gate shapes") {
		t.Errorf("by shape: %q", got)
	}
}

// The bundled example is a system in every format.
func TestNotDataFlowOnExamples(t *testing.T) {
	ex, _ := filepath.Glob(filepath.Join(testcorpus.RepoRoot(t), "examples", "telehealth.*"))
	if len(ex) < 4 {
		t.Fatalf("examples: %v", ex)
	}
	for f, why := range notDataFlowPages(t, ex) {
		t.Errorf("%s skipped: %s", f, why)
	}
}

// Every corpus page that is a system is analysed; the corpus's attack-tree
// page is the only one skipped.
func TestNotDataFlowOnCorpus(t *testing.T) {
	var files []string
	for _, sub := range []string{"drawio", "mermaid", "dot"} {
		m, _ := filepath.Glob(filepath.Join(testcorpus.Dir(t, sub), "*"))
		files = append(files, m...)
	}
	skipped := notDataFlowPages(t, files)
	const tree = "threat-modelling.drawio#Attack Tree"
	for k, why := range skipped {
		if k != tree {
			t.Errorf("%s skipped: %s", k, why)
		}
	}
	if _, ok := skipped[tree]; !ok {
		t.Errorf("the corpus attack tree was analysed")
	}
}

func notDataFlowPages(t *testing.T, files []string) map[string]string {
	skipped := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := importers.Import(f, data, importers.Options{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, d := range ds {
			if why := NotDataFlow(d); why != "" {
				skipped[filepath.Base(f)+"#"+d.Name] = why
			}
		}
	}
	return skipped
}
