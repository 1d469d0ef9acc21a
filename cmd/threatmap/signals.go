package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// temps holds the temporary output files being written, so that an
// interrupted run removes them before it exits.
var temps = tempRegistry{files: map[string]bool{}}

type tempRegistry struct {
	mu     sync.Mutex
	files  map[string]bool
	closed bool // set once the process is going down: no new files
}

// create makes a temporary file in dir, registered for removal on signal.
func (r *tempRegistry) create(dir, pattern string) (*os.File, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, fmt.Errorf("interrupted")
	}
	f, err := os.CreateTemp(dir, pattern)
	if err == nil {
		r.files[f.Name()] = true
	}
	return f, err
}

// done forgets a temporary file that was renamed into place or removed.
func (r *tempRegistry) done(name string) {
	r.mu.Lock()
	delete(r.files, name)
	r.mu.Unlock()
}

// removeAll removes every registered temporary file and refuses new ones.
// It returns how many it removed.
func (r *tempRegistry) removeAll() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	n := 0
	for name := range r.files {
		if os.Remove(name) == nil {
			n++
		}
		delete(r.files, name)
	}
	return n
}

// handleSignals removes the temporary outputs on SIGINT or SIGTERM and
// exits with 128 plus the signal number (130, 143), as shells do. It
// returns a function that stops handling.
func handleSignals(stderr io.Writer, exit func(int)) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	quit := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			temps.removeAll()
			code := 128 + int(sig.(syscall.Signal))
			fmt.Fprintf(stderr, "\nthreatmap: %v: stopped; no partial output left\n", sig)
			exit(code)
		case <-quit:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(quit)
	}
}

// staleTempAge is how old a leftover temporary output must be before a new
// run removes it: younger ones may belong to a run still writing into the
// same folder, and are left alone (they are hidden and never read).
const staleTempAge = 10 * time.Minute

// removeStaleTemps removes the temporary outputs that an earlier run, killed
// before it could clean up, left in dir: hidden files named as add names
// them (.NAME.tmp-N, NAME ending in an output suffix).
func removeStaleTemps(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, de := range entries {
		if !isTempOutput(de.Name()) || !de.Type().IsRegular() {
			continue
		}
		if fi, err := de.Info(); err == nil && now.Sub(fi.ModTime()) > staleTempAge {
			os.Remove(filepath.Join(dir, de.Name()))
		}
	}
}

// isTempOutput reports whether name is that of a temporary output file.
func isTempOutput(name string) bool {
	if !strings.HasPrefix(name, ".") {
		return false
	}
	i := strings.LastIndex(name, ".tmp-")
	if i < 0 || strings.Trim(name[i+5:], "0123456789") != "" || len(name) == i+5 {
		return false
	}
	for _, em := range emitters {
		if strings.HasSuffix(name[:i], em.suffix) {
			return true
		}
	}
	return false
}
