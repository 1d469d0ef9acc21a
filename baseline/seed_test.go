package baseline

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteFuzzSeeds regenerates the register seed corpus when
// THREATMAP_WRITE_SEEDS is set: a small register as a fuzz seed file.
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("THREATMAP_WRITE_SEEDS") == "" {
		t.Skip("set THREATMAP_WRITE_SEEDS to regenerate testdata/fuzz")
	}
	buf := workbook(t, "Risk Register", [][]any{
		{"Threat ID", "Likelihood", "Analysis likelihood", "Status", "Owner", "Due date", "Team"},
		{"T-0001", 2, 4, "Accepted", "Bea", 46387, "x"},
	})
	p := filepath.Join("testdata", "fuzz", "FuzzReadRegister", "register")
	if err := os.WriteFile(p, []byte(fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", buf.Bytes())), 0o644); err != nil {
		t.Fatal(err)
	}
}
