package baseline

import (
	"bytes"
	"testing"
)

// FuzzReadJSON: any bytes give a baseline or an error, never a panic.
func FuzzReadJSON(f *testing.F) {
	f.Add([]byte(`{"schema_version":"1.0","threats":[{"id":"T-0001","rule":"S-EXT-01","fingerprint":"00aa11bb22cc33dd"}]}`))
	f.Add([]byte(`{"schema_version":"1.0","components":[{"id":"a","label":"A"}],"flows":[{"id":"f","source":"a","target":"b"}],"threats":[{"id":"T-1","rule":"R","element":{"type":"flow","id":"f"}}],"entry_points":[{"id":"EP-1","flow":"f"}]}`))
	f.Add([]byte(`{"schema_version":"1.0","threats":[],"closed_threats":[{"id":"T-0002","tracking":{"history":["x"]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadJSON("f.json", bytes.NewReader(data))
		if err == nil && b == nil {
			t.Fatal("nil baseline without error")
		}
	})
}

// FuzzReadRegister: any bytes give a baseline or an error, never a panic.
func FuzzReadRegister(f *testing.F) {
	f.Add([]byte("PK\x03\x04not really a zip"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadRegister("f.xlsx", bytes.NewReader(data))
		if err == nil && b == nil {
			t.Fatal("nil baseline without error")
		}
	})
}
