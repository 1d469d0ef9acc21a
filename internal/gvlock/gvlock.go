// Package gvlock serialises use of go-graphviz. go-graphviz runs Graphviz
// compiled to WebAssembly in one module instance shared by the whole process,
// so parsing (cgraph) and layout (gvc) must never run concurrently. Every
// call into go-graphviz goes through Do.
package gvlock

import "sync"

var mu sync.Mutex

// Do runs f while holding the process-wide go-graphviz lock.
func Do(f func() error) error {
	mu.Lock()
	defer mu.Unlock()
	return f()
}
