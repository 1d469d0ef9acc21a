package threatdragon_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/threatmap/threatmap/exporters/threatdragon"
	"github.com/threatmap/threatmap/importers"
	tdimport "github.com/threatmap/threatmap/importers/threatdragon"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

const schemaURL = "https://github.com/OWASP/threat-dragon/tree/main/td.vue/src/assets/schema/threat-dragon-v2.schema.json"

// schemas compiles Threat Dragon's published schema and, from it, the
// schema of one threat (the published schema describes threats at cell
// level; Threat Dragon writes them in data.threats, so each is checked
// against that part on its own).
func schemas(t *testing.T) (model, threat *jsonschema.Schema) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "threat-dragon-v2.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		t.Fatal(err)
	}
	if model, err = c.Compile(schemaURL); err != nil {
		t.Fatal(err)
	}
	if threat, err = c.Compile(schemaURL + "#/properties/detail/properties/diagrams/items/properties/cells/items/properties/threats/items"); err != nil {
		t.Fatal(err)
	}
	return model, threat
}

func validate(t *testing.T, out []byte) {
	t.Helper()
	model, threat := schemas(t)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := model.Validate(inst); err != nil {
		t.Fatalf("model does not validate against Threat Dragon's schema: %v", err)
	}
	var m struct {
		Detail struct {
			Diagrams []struct {
				Cells []struct {
					Data struct {
						Threats []json.RawMessage `json:"threats"`
					} `json:"data"`
				} `json:"cells"`
			} `json:"diagrams"`
		} `json:"detail"`
	}
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range m.Detail.Diagrams[0].Cells {
		for _, raw := range c.Data.Threats {
			ti, _ := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
			if err := threat.Validate(ti); err != nil {
				t.Errorf("threat does not validate: %v\n%s", err, raw)
			}
			n++
		}
	}
	if n == 0 {
		t.Error("no threats written")
	}
}

func TestExampleValidatesAgainstPublishedSchema(t *testing.T) {
	for _, name := range []string{"telehealth.drawio", "telehealth.mmd"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
			if err != nil {
				t.Fatal(err)
			}
			ds, err := importers.Import(name, data, importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			r, err := stride.Analyze(ds[0], stride.Options{})
			if err != nil {
				t.Fatal(err)
			}
			r.Diagram = ds[0]
			s, _, err := testsupport.BuildScene(r)
			if err != nil {
				t.Fatal(err)
			}
			var a, b bytes.Buffer
			if err := threatdragon.Write(&a, r, s, threatdragon.Options{}); err != nil {
				t.Fatal(err)
			}
			validate(t, a.Bytes())
			m := threatdragon.Build(r, s, threatdragon.Options{})
			cells := m.Detail.Diagrams[0].Cells
			counts := map[string]int{}
			threats := 0
			for _, c := range cells {
				counts[c.Shape]++
				threats += len(c.Data.Threats)
			}
			// Threats on the system as a whole have no cell: the model's
			// description lists them.
			whole := 0
			for _, th := range r.Threats {
				if th.Element.Type == stride.AppliesSystem {
					whole++
					if !strings.Contains(m.Summary.Description, th.ID+" "+th.Title) {
						t.Errorf("%s on the system is not in the description %q", th.ID, m.Summary.Description)
					}
				}
			}
			if counts["trust-boundary-box"] != len(r.Boundaries) || counts["flow"] != len(r.Flows) ||
				counts["actor"]+counts["process"]+counts["store"] != len(r.Components) || threats != len(r.Threats)-whole {
				t.Errorf("cells %v with %d threats; report has %d boundaries, %d components, %d flows, %d threats",
					counts, threats, len(r.Boundaries), len(r.Components), len(r.Flows), len(r.Threats))
			}
			if err := threatdragon.Write(&b, r, s, threatdragon.Options{}); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("output is not deterministic")
			}
		})
	}
}

// Without a picture (a report only) the elements go on a grid, nested
// boxes inside their parents.
func TestReportWithoutSceneUsesGrid(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	var buf bytes.Buffer
	if err := threatdragon.Write(&buf, r, nil, threatdragon.Options{Owner: "Security team"}); err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())
	ds, err := tdimport.Import("t.json", buf.Bytes(), tdimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	for _, c := range r.Components {
		g := d.Component(c.ID)
		if g == nil || g.Boundary != c.Boundary {
			t.Errorf("component %s: got %+v, want boundary %q", c.ID, g, c.Boundary)
		}
	}
	for _, b := range r.Boundaries {
		if g := d.Boundary(b.ID); g == nil || g.Parent != b.Parent {
			t.Errorf("boundary %s: got %+v, want parent %q", b.ID, g, b.Parent)
		}
	}
	if !strings.Contains(buf.String(), `"owner": "Security team"`) {
		t.Error("owner not written")
	}
}

func TestStatus(t *testing.T) {
	for in, want := range map[string]string{"Mitigated": "Mitigated", "Unmitigated": "Open", "Partial": "Open", "": "Open", "NA": "NA"} {
		if got := threatdragon.Status(in); got != want {
			t.Errorf("Status(%q) = %q, want %q", in, got, want)
		}
	}
}
