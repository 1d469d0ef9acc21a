package stride

import (
	"errors"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// FuzzParseConfig: any bytes give a configuration or an *graph.InputError,
// never a panic, and every decision read is complete.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("system: x\ncomponents:\n  A: {kind: process, trust: dmz, sensitivity: [PII]}\n"))
	f.Add([]byte("threats:\n  - {id: T-0001, status: Accepted, owner: a, reason: r, expires: 2027-01-31}\n  - {rule: R, element: system, status: transferred, reason: r}\n"))
	f.Add([]byte("threats:\n  - id: T-1\n    status: Closed\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig("threatmap.yaml", data)
		if err != nil {
			var ie *graph.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an InputError", err)
			}
			return
		}
		for _, d := range cfg.Threats {
			if (d.ID == "" && (d.Rule == "" || d.Element == "")) || d.Reason == "" ||
				(d.Status != StatusAccepted && d.Status != StatusTransferred) {
				t.Fatalf("incomplete decision %+v", d)
			}
		}
	})
}
