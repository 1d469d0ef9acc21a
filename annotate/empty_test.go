package annotate_test

import (
	"testing"

	"github.com/threatmap/threatmap/annotate"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/layout"
)

// TestEmptyModelWarning checks that the picture of a diagram without
// components says so under its title (issue 16.3: an empty model is a
// warning in every output), and that a real diagram's picture does not.
func TestEmptyModelWarning(t *testing.T) {
	d := graph.New("empty.mmd", "mermaid")
	r := testsupport.Analyze(t, d)
	p := annotate.Build(r, layout.Grid(d, layout.Options{}), annotate.Options{})
	if p.Title.Warning != graph.EmptyModelWarning {
		t.Errorf("empty model: title warning %q, want %q", p.Title.Warning, graph.EmptyModelWarning)
	}
	if _, p := telehealth(t); p.Title.Warning != "" {
		t.Errorf("telehealth: title warning %q, want none", p.Title.Warning)
	}
}
