package otm_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/threatmap/threatmap/exporters/otm"
	"github.com/threatmap/threatmap/exporters/scene"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

const schemaURL = "https://iriusrisk.com/schema/otm-0.2.0.schema.json"

func schema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "otm-0.2.0.schema.json"))
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
	s, err := c.Compile(schemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validate checks a JSON or YAML document against the OTM schema.
func validate(t *testing.T, s *jsonschema.Schema, out []byte, isYAML bool) {
	t.Helper()
	if isYAML {
		var v any
		if err := yaml.Unmarshal(out, &v); err != nil {
			t.Fatal(err)
		}
		var err error
		if out, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(inst); err != nil {
		t.Fatalf("does not validate against the OTM 0.2.0 schema: %v", err)
	}
}

func report(t *testing.T, name string) (*stride.Report, *scene.Scene) {
	t.Helper()
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
	return r, s
}

func TestExampleValidatesAgainstSchema(t *testing.T) {
	sch := schema(t)
	r, s := report(t, "telehealth.drawio")
	for _, yml := range []bool{false, true} {
		var a, b bytes.Buffer
		if err := otm.Write(&a, r, s, otm.Options{YAML: yml}); err != nil {
			t.Fatal(err)
		}
		validate(t, sch, a.Bytes(), yml)
		if err := otm.Write(&b, r, s, otm.Options{YAML: yml}); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("yaml=%v: not deterministic", yml)
		}
	}
	doc := otm.Build(r, s, otm.Options{})
	inst := 0
	for _, c := range doc.Components {
		inst += len(c.Threats)
	}
	for _, f := range doc.Dataflows {
		inst += len(f.Threats)
	}
	// OTM keeps threat instances on components, flows and zones only: a
	// threat on the system as a whole is defined but has no instance.
	whole := 0
	for _, th := range r.Threats {
		if th.Element.Type == stride.AppliesSystem {
			whole++
		}
	}
	zones := len(r.Boundaries)
	for _, c := range r.Components {
		if c.Boundary == "" {
			zones = len(r.Boundaries) + 1 // the synthetic outside zone
		}
	}
	if len(doc.TrustZones) != zones || len(doc.Components) != len(r.Components) || len(doc.Dataflows) != len(r.Flows) ||
		len(doc.Threats) != len(r.Threats) || inst != len(r.Threats)-whole || len(doc.Mitigations) == 0 || len(doc.Assets) == 0 {
		t.Errorf("%d zones, %d components, %d flows, %d threats (%d instances), %d mitigations, %d assets; report %d/%d/%d/%d",
			len(doc.TrustZones), len(doc.Components), len(doc.Dataflows), len(doc.Threats), inst, len(doc.Mitigations), len(doc.Assets),
			len(r.Boundaries), len(r.Components), len(r.Flows), len(r.Threats))
	}
}

// A report without a picture and with components outside every boundary
// still validates: those components go in the synthetic outside zone.
func TestFixtureWithoutScene(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	r.Components[0].Boundary = ""
	var buf bytes.Buffer
	if err := otm.Write(&buf, r, nil, otm.Options{Owner: "team"}); err != nil {
		t.Fatal(err)
	}
	validate(t, schema(t), buf.Bytes(), false)
	doc := otm.Build(r, nil, otm.Options{})
	if last := doc.TrustZones[len(doc.TrustZones)-1]; last.ID != otm.OutsideZone || doc.Components[0].Parent.TrustZone != otm.OutsideZone {
		t.Errorf("outside zone %+v, first component parent %+v", last, doc.Components[0].Parent)
	}
}

func TestState(t *testing.T) {
	for in, want := range map[string]string{"Unmitigated": "exposed", "Partial": "partly-mitigated", "Mitigated": "mitigated", "NA": "na"} {
		if got := otm.State(in); got != want {
			t.Errorf("State(%q) = %q, want %q", in, got, want)
		}
	}
}
