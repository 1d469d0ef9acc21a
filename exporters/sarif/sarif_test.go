package sarif

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/stride"
)

func schema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func example(t *testing.T, name string) (*stride.Report, []byte) {
	t.Helper()
	path := "../../examples/" + name
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := importers.Import("examples/"+name, data, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := stride.Analyze(ds[0], stride.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r, data
}

func write(t *testing.T, r *stride.Report, src []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r, Options{Version: "v0.0.0-test", Source: src}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type decoded struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID         string         `json:"id"`
					Help       map[string]any `json:"help"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID              string            `json:"ruleId"`
			RuleIndex           int               `json:"ruleIndex"`
			Level               string            `json:"level"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Locations           []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
					Region           struct{ StartLine int } `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					Name               string `json:"name"`
					FullyQualifiedName string `json:"fullyQualifiedName"`
				} `json:"logicalLocations"`
			} `json:"locations"`
			Properties map[string]any `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

// Every format of the example validates against the SARIF 2.1.0 schema,
// has one result per threat with its fingerprint, a level from the
// residual severity, rule metadata with CWE and mitigations, and a
// location: the line for DOT and Mermaid, the page and cell for draw.io.
func TestExampleValidatesAndLocates(t *testing.T) {
	sch := schema(t)
	for _, name := range []string{"telehealth.dot", "telehealth.mmd", "telehealth.drawio", "telehealth.md"} {
		r, src := example(t, name)
		out := write(t, r, src)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Fatalf("%s: SARIF does not validate: %v", name, err)
		}
		var d decoded
		if err := json.Unmarshal(out, &d); err != nil {
			t.Fatal(err)
		}
		res := d.Runs[0].Results
		if len(res) != len(r.Threats) {
			t.Fatalf("%s: %d results for %d threats", name, len(res), len(r.Threats))
		}
		rules := d.Runs[0].Tool.Driver.Rules
		for i, x := range res {
			th := r.Threats[i]
			if x.RuleID != th.Rule || rules[x.RuleIndex].ID != th.Rule || x.PartialFingerprints["threatmap/v1"] != th.Fingerprint ||
				x.Level != Levels[th.ResidualRisk] || x.Properties["threatId"] != th.ID {
				t.Errorf("%s: result %d = %+v for %s", name, i, x, th.ID)
			}
			loc := x.Locations[0]
			if loc.PhysicalLocation.ArtifactLocation.URI != "examples/"+name || loc.PhysicalLocation.Region.StartLine < 1 {
				t.Errorf("%s: %s location %+v", name, th.ID, loc.PhysicalLocation)
			}
			if th.Element.Type == stride.AppliesSystem {
				// A threat on the system as a whole points at the file.
				if loc.LogicalLocations[0].FullyQualifiedName != "system" {
					t.Errorf("%s: %s logical location %+v", name, th.ID, loc.LogicalLocations)
				}
				continue
			}
			switch name {
			case "telehealth.drawio":
				if !strings.HasPrefix(loc.LogicalLocations[0].FullyQualifiedName, "page:Telehealth Platform/cell:") || loc.PhysicalLocation.Region.StartLine < 2 {
					t.Errorf("drawio %s: %+v line %d", th.ID, loc.LogicalLocations, loc.PhysicalLocation.Region.StartLine)
				}
			case "telehealth.dot", "telehealth.mmd":
				if loc.PhysicalLocation.Region.StartLine < 3 {
					t.Errorf("%s %s: line %d", name, th.ID, loc.PhysicalLocation.Region.StartLine)
				}
			}
		}
		cwe := 0
		for _, ru := range rules {
			if _, ok := ru.Properties["cwe"]; ok {
				cwe++
			}
			if md, _ := ru.Help["markdown"].(string); !strings.Contains(md, "**Mitigations**") || strings.Contains(md, "{{") {
				t.Errorf("%s: rule %s help %q", name, ru.ID, md)
			}
		}
		if cwe < len(rules)*2/3 {
			t.Errorf("%s: only %d of %d rules carry a CWE", name, cwe, len(rules))
		}
	}
}

// The DOT line of a flow threat is the line of the edge.
func TestDOTLines(t *testing.T) {
	r, src := example(t, "telehealth.dot")
	var d decoded
	if err := json.Unmarshal(write(t, r, src), &d); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	for i, x := range d.Runs[0].Results {
		th := r.Threats[i]
		if th.Element.Type == stride.AppliesSystem {
			continue // no line: the system as a whole
		}
		line := lines[x.Locations[0].PhysicalLocation.Region.StartLine-1]
		var want string
		if th.Element.Type == "component" {
			want = th.Element.ID
		} else {
			want = "->"
		}
		if !strings.Contains(line, want) {
			t.Errorf("%s on %s: line %q", th.ID, th.ElementName, line)
		}
	}
}

// Two runs give the same bytes, hence the same fingerprints.
func TestDeterministic(t *testing.T) {
	r1, src := example(t, "telehealth.drawio")
	r2, _ := example(t, "telehealth.drawio")
	if !bytes.Equal(write(t, r1, src), write(t, r2, src)) {
		t.Error("two runs differ")
	}
}

func TestUntemplate(t *testing.T) {
	for in, want := range map[string]string{
		"Stolen {{.AuthName}} replayed to {{.Target.Name}}":                                        "Stolen the auth name replayed to the target",
		"{{if has .Keywords \"cdn\"}}Cache poisoning at {{.Name}}{{else}}Request smuggling{{end}}": "Request smuggling",
		"Eavesdropping on {{.Name}}{{if .Sensitive}} exposes {{.Data}}{{end}}":                     "Eavesdropping on the element",
		"Modification in transit ({{.ProtocolText}} without TLS)":                                  "Modification in transit (the protocol without TLS)",
	} {
		if got := Untemplate(in); got != want {
			t.Errorf("Untemplate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestArtifactURI(t *testing.T) {
	for in, want := range map[string]string{"-": "stdin", "/home/me/arch.dot": "arch.dot", "docs/../arch.dot": "arch.dot", "docs/a.mmd": "docs/a.mmd"} {
		if got := ArtifactURI(in); got != want {
			t.Errorf("ArtifactURI(%q) = %q, want %q", in, got, want)
		}
	}
}

// The schema check is real: a log with a wrong version or a result
// without a message fails it.
func TestSchemaRejects(t *testing.T) {
	sch := schema(t)
	for _, doc := range []string{
		`{"version":"2.0.0","runs":[]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"A"}]}]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"critical"}]}]}`,
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("schema accepted %s", doc)
		}
	}
}

// A rule's references (CWE, CAPEC, ASVS, Threagile, pytm) reach SARIF as
// the rule's "references" property, its help text and one
// external/cwe tag per CWE id, for every rule of the example with refs.
func TestRuleReferences(t *testing.T) {
	r, src := example(t, "telehealth.drawio")
	var d decoded
	if err := json.Unmarshal(write(t, r, src), &d); err != nil {
		t.Fatal(err)
	}
	want := map[string]*stride.Refs{}
	for _, th := range r.Threats {
		if !th.Refs.Empty() {
			want[th.Rule] = th.Refs
		}
	}
	if len(want) == 0 {
		t.Fatal("no threat of the example carries references")
	}
	seen := 0
	for _, ru := range d.Runs[0].Tool.Driver.Rules {
		refs := want[ru.ID]
		if refs == nil {
			continue
		}
		seen++
		raw, err := json.Marshal(ru.Properties["references"])
		if err != nil {
			t.Fatal(err)
		}
		var got stride.Refs
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("rule %s: references %s: %v", ru.ID, raw, err)
		}
		if !reflect.DeepEqual(&got, refs) {
			t.Errorf("rule %s: references %+v, want %+v", ru.ID, got, *refs)
		}
		tags, _ := json.Marshal(ru.Properties["tags"])
		for _, c := range refs.CWE {
			if tag := "external/cwe/cwe-" + strings.TrimPrefix(c, "CWE-"); !strings.Contains(string(tags), `"`+tag+`"`) {
				t.Errorf("rule %s: tags %s lack %s", ru.ID, tags, tag)
			}
		}
		if md, _ := ru.Help["markdown"].(string); !strings.Contains(md, "**References**: "+refs.Text()) {
			t.Errorf("rule %s: help does not list the references %q", ru.ID, refs.Text())
		}
	}
	if seen != len(want) {
		t.Errorf("%d rules with references in SARIF, want %d", seen, len(want))
	}
}
