package json

import (
	"bufio"
	"bytes"
	stdjson "encoding/json"
	"io"
	"testing"

	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

// wholeDocument is how the writer worked before it streamed: the whole
// report encoded by encoding/json at once (one buffer for the document, a
// second to indent it). The streamed output must be byte-identical to it.
func wholeDocument(w io.Writer, r *stride.Report) error {
	bw := bufio.NewWriter(w)
	enc := stdjson.NewEncoder(bw)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(normalize(r)); err != nil {
		return err
	}
	return bw.Flush()
}

// reports are the shapes the writer must get right: every example, a
// large generated system, optional sections present (document, closed
// threats, changes) and absent, empty lists, hostile text.
func reports(t testing.TB) map[string]*stride.Report {
	out := map[string]*stride.Report{}
	for _, name := range []string{"telehealth.dot", "telehealth.drawio", "telehealth.mmd", "telehealth.md"} {
		out[name] = testsupport.ExampleReport(t, name)
	}
	out["generated-300"] = testsupport.Analyze(t, testsupport.Generated(300, false))
	full := *testsupport.ExampleReport(t, "telehealth.dot")
	full.Notes = []string{"a note"}
	full.Assumptions = []string{"an assumption <b>&</b>"}
	full.Document = &stride.Document{Version: "2", Owner: "Sec \"team\"", Reviewers: []string{"a", "b"}}
	full.Closed = full.Threats[:2]
	full.Changes = &stride.Changes{Baseline: "old.threats.json", New: []string{"T-001"}, Unchanged: 3}
	full.Warnings = []string{"line 1: \u2028odd\x01 <text> & \"quotes\""}
	out["optional-sections"] = &full
	out["empty"] = &stride.Report{}
	out["one-of-each"] = &stride.Report{
		Components:    []stride.Component{{ID: "a"}},
		Flows:         []stride.Flow{{ID: "f"}},
		Boundaries:    []stride.Boundary{{ID: "b"}},
		Threats:       []stride.Threat{{ID: "T-001"}},
		EntryPoints:   []stride.EntryPoint{{ID: "EP-01"}},
		OpenQuestions: []stride.OpenQuestion{{ID: "OQ-1"}},
	}
	return out
}

// TestStreamedMatchesWholeDocument checks that streaming changed no byte.
func TestStreamedMatchesWholeDocument(t *testing.T) {
	for name, r := range reports(t) {
		t.Run(name, func(t *testing.T) {
			var want, got bytes.Buffer
			if err := wholeDocument(&want, r); err != nil {
				t.Fatal(err)
			}
			if err := Write(&got, r); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("streamed output differs (- whole document, + streamed):\n%s", testsupport.LineDiff(want.String(), got.String()))
			}
		})
	}
}

// TestGolden pins the report of the telehealth example byte for byte.
func TestGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, testsupport.ExampleReport(t, "telehealth.dot")); err != nil {
		t.Fatal(err)
	}
	testsupport.Golden(t, "telehealth.golden.json", buf.Bytes())
}

// failAfter is a writer that fails once n bytes are written.
type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return f.n, io.ErrShortWrite
	}
	f.n -= len(p)
	return len(p), nil
}

// TestWriteError checks that a failing writer's error comes back.
func TestWriteError(t *testing.T) {
	r := testsupport.Analyze(t, testsupport.Generated(300, false))
	for _, n := range []int{0, 10, 100_000} {
		if err := Write(&failAfter{n: n}, r); err == nil {
			t.Errorf("writer failing after %d bytes: no error", n)
		}
	}
}

// BenchmarkWrite20000 writes the report of a 20,000-component system, as
// issue 19 measured it: allocations per run show whether the document is
// held in memory.
func BenchmarkWrite20000(b *testing.B) {
	r := testsupport.Analyze(b, testsupport.Generated(20000, false))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Write(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
