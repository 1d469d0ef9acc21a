package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeferFirstGC: a small run finishes without a garbage collection,
// and GOGC in the environment keeps the runtime's own pacing (the same run
// then collects at least once). GOGC=10 puts the runtime's first
// collection at a 0.4 MB heap (4 MB x GOGC/100): the small run allocates
// less than the default 4 MB since package initialisation stopped
// building excelize's tables (session 7), so GOGC=100 would not show
// whether the setting was left alone.
func TestDeferFirstGC(t *testing.T) {
	bin := buildBinary(t)
	in := filepath.Join(t.TempDir(), "small.mmd")
	if err := os.WriteFile(in, []byte("flowchart LR\n  A[Web app] --> B[API service]\n  B --> C[(PostgreSQL)]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env     []string
		collect bool
	}{
		{[]string{"GODEBUG=gctrace=1"}, false},
		{[]string{"GODEBUG=gctrace=1", "GOGC=10"}, true},
	} {
		code, out := runBin(t, bin, tc.env, "analyze", "--emit", "json", "-o", t.TempDir(), in)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.env, code, out)
		}
		gcs := 0
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "gc ") {
				gcs++
			}
		}
		if (gcs > 0) != tc.collect {
			t.Errorf("%v: %d collections, want collections: %v\n%s", tc.env, gcs, tc.collect, out)
		}
	}
}
