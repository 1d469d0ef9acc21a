package stride

import "testing"

// TestReplayWords: a flow's label that names a nonce, a sequence number
// or replay protection shows the replay-protection control; a timestamp
// alone does not.
func TestReplayWords(t *testing.T) {
	tests := []struct {
		label string
		want  bool
	}{
		{"gRPC, nonce per request", true},
		{"direct message, sequence number", true},
		{"HTTPS (anti-replay)", true},
		{"MQTT with replay protection", true},
		{"HTTPS, timestamped", false},
		{"HTTPS", false},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			if got := readLabelSays(tc.label).replay != ""; got != tc.want {
				t.Errorf("replay protection read from %q: %v, want %v", tc.label, got, tc.want)
			}
		})
	}
}
