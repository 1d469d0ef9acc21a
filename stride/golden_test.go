package stride_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"testing"

	jsonexp "github.com/threatmap/threatmap/exporters/json"
	"github.com/threatmap/threatmap/importers/dot"
	"github.com/threatmap/threatmap/stride"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenTelehealth analyses the bundled example through the DOT
// importer and compares the JSON report with testdata/telehealth.golden.json.
// Run with -update after a deliberate change and review the diff.
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
	golden := filepath.Join("testdata", "telehealth.golden.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./stride -run Golden -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("report differs from %s; run with -update and review the diff", golden)
	}
	if r.Summary.EntryPoints != 11 || r.Summary.Threats < 30 || r.Summary.Threats > 75 {
		t.Errorf("summary %+v", r.Summary)
	}
}
