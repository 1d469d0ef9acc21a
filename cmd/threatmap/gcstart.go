package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
)

// startHeap is the heap a run may reach before its first garbage
// collection. The runtime's default first collection comes at a 4 MB heap:
// a small run (a few components, one output) reaches it once, and that one
// cycle, with its idle-time mark workers, cost about a tenth of the run's
// CPU time. Runs that grow past startHeap go back to the default pacing
// (GOGC=100, no memory limit) from their first collection on, so a large
// input's peak memory is what it was, plus at most this much once.
const startHeap = 32 << 20

// deferFirstGC lets a small run finish without collecting: the collector
// is off under a memory limit of startHeap until the first collection,
// which restores the default settings. It leaves the settings alone when
// the user chose them (GOGC or GOMEMLIMIT in the environment).
func deferFirstGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(startHeap)
	// The cleanup runs after the first collection finds the sentinel
	// unreachable.
	sentinel := new(struct{ _ *byte })
	runtime.AddCleanup(sentinel, func(struct{}) {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}, struct{}{})
}
