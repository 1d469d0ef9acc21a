package stride_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	jsonexp "github.com/threatmap/threatmap/exporters/json"
	"github.com/threatmap/threatmap/importers/dot"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

// TestGoldenTelehealth analyses the bundled example through the DOT
// importer and compares the JSON report with testdata/telehealth.golden.json.
// Run go test -update after a deliberate change and review the diff.
func TestGoldenTelehealth(t *testing.T) {
	src := filepath.Join("..", "examples", "telehealth.dot")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dot.Import("examples/telehealth.dot", data, dot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	r, err := stride.Analyze(ds[0], stride.Options{Generator: "threatmap (test)", SourceSHA256: hex.EncodeToString(sum[:])})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := jsonexp.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	testsupport.Golden(t, "telehealth.golden.json", buf.Bytes())
	if r.Summary.EntryPoints != 11 || r.Summary.Threats < 30 || r.Summary.Threats > 75 {
		t.Errorf("summary %+v", r.Summary)
	}
}
