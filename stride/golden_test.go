package stride_test

import (
	"bytes"
	"testing"

	jsonexp "github.com/threatmap/threatmap/exporters/json"
	"github.com/threatmap/threatmap/internal/testsupport"
)

// TestGoldenTelehealth analyses the bundled example as threatmap analyze
// does and compares the JSON report with testdata/telehealth.golden.json.
// Run go test -update after a deliberate change and review the diff.
func TestGoldenTelehealth(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	var buf bytes.Buffer
	if err := jsonexp.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	testsupport.Golden(t, "telehealth.golden.json", buf.Bytes())
	if r.Summary.EntryPoints != 11 || r.Summary.Threats < 30 || r.Summary.Threats > 90 {
		t.Errorf("summary %+v", r.Summary)
	}
}
