package markdown

import (
	"bytes"
	"errors"
	"testing"

	"github.com/threatmap/threatmap/internal/testsupport"
)

var errFull = errors.New("disk full")

// failAfter is a writer that fails once n bytes are written.
type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return 0, errFull
	}
	f.n -= len(p)
	return len(p), nil
}

// TestStreamedWriteError checks that the document, written as it is
// made, reports the writer's error wherever it happens.
func TestStreamedWriteError(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	var whole bytes.Buffer
	if err := Write(&whole, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if whole.Len() <= 70000 {
		t.Fatalf("document of %d bytes is too small to fail part-way", whole.Len())
	}
	// Before the first buffer is written out, and at the final flush.
	for _, n := range []int{0, 70000} {
		if err := Write(&failAfter{n: n}, r, Options{}); !errors.Is(err, errFull) {
			t.Errorf("writer failing after %d bytes: error %v, want %v", n, err, errFull)
		}
	}
}
