package layout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/threatmap/threatmap/graph"
)

// Budget defaults.
const (
	// DefaultMaxComponents is the largest diagram handed to Graphviz;
	// larger ones get the native layered layout.
	DefaultMaxComponents = 300
	// DefaultMaxWork bounds GraphvizWork for diagrams handed to Graphviz:
	// about 170 components with a flow and a half each, in boundaries.
	// Up to there dot runs with its full effort (global ranking) in well
	// under a second; beyond, its cost grows much faster than linearly
	// and the effort has to be cut, which gave 1:7 ribbons with
	// overlapping clusters at 200 components, where the layered engine
	// draws a compact 4:3 picture in a few milliseconds.
	DefaultMaxWork = 700
	// DefaultTimeout is the safety net of one Graphviz layout: past it
	// Auto fails (ErrTimeout) rather than draw something else.
	DefaultTimeout = 60 * time.Second
)

// ErrTimeout is returned (wrapped) by Auto when Graphviz does not finish
// within Options.Timeout. The work model should keep this from ever
// happening; when it does, the user raises the timeout or lowers the size
// limit, and the picture never silently depends on the machine's load.
var ErrTimeout = errors.New("automatic layout did not finish in time")

// Options configure every layout engine; each reads the fields it needs.
type Options struct {
	// MaxComponents and MaxWork bound what Auto hands to Graphviz
	// (components, and GraphvizWork): larger diagrams get the native
	// layered layout. Zero means the default.
	MaxComponents int
	MaxWork       int
	// Timeout is Auto's safety net for a Graphviz run; zero means
	// DefaultTimeout. It never chooses the engine.
	Timeout time.Duration
	// Direction overrides the diagram's direction for Auto ("TB", "BT",
	// "LR", "RL"); "" uses Diagram.Direction, and LR when that is empty
	// too.
	Direction string
	// EdgeNotes are short tags drawn under flow labels, by index in
	// Diagram.Flows (sensitive-data tags); every engine reserves room for
	// them.
	EdgeNotes map[int]string
}

func (o Options) withDefaults() Options {
	if o.MaxComponents <= 0 {
		o.MaxComponents = DefaultMaxComponents
	}
	if o.MaxWork <= 0 {
		o.MaxWork = DefaultMaxWork
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return o
}

// GraphvizWork is the deterministic cost model that chooses the engine: a
// measure of the work dot does for d, from the diagram alone. Every node
// and edge counts once; a labelled edge once more (dot turns each label
// into a virtual node and doubles the ranks it crosses); a boundary four
// times (each cluster is laid out recursively and constrains the ranks
// and the order of everything inside it), and nesting once per level.
func GraphvizWork(d *graph.Diagram) int {
	w := len(d.Components) + len(d.Flows)
	for _, f := range d.Flows {
		if f.Label != "" {
			w++
		}
	}
	for _, b := range d.Boundaries {
		w += 3 + d.Depth(b.ID)
	}
	return w
}

// UsesGraphviz reports whether Auto hands d to Graphviz under opts: it
// depends on the diagram's size only, never on time or load.
func UsesGraphviz(d *graph.Diagram, opts Options) bool {
	opts = opts.withDefaults()
	return len(d.Components) <= opts.MaxComponents && GraphvizWork(d) <= opts.MaxWork
}

// Auto lays d out automatically: with Graphviz dot when the diagram is
// within the size limits (UsesGraphviz), else with the native layered
// engine (Layered). Boundaries become nested boxes and the diagram's
// direction the rank direction. The choice depends on the diagram alone,
// so the same input gives the same picture on any machine. A Graphviz
// failure gives the layered layout with a warning. Timeout is only a
// safety net: past it Auto returns an error wrapping ErrTimeout (Graphviz
// cannot be interrupted: the run finishes in the background, holding the
// go-graphviz lock until then). A ctx that ends also gives its error.
func Auto(ctx context.Context, d *graph.Diagram, opts Options) (*Layout, error) {
	if d == nil {
		return nil, errors.New("layout: nil diagram")
	}
	opts = opts.withDefaults()
	if !UsesGraphviz(d, opts) {
		return Layered(d, opts)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("automatic layout: %w", err)
	}
	type result struct {
		l   *Layout
		err error
	}
	done := make(chan result, 1)
	go func() {
		l, err := runGraphviz(d, dirOf(d, opts), opts.EdgeNotes)
		done <- result{l, err}
	}()
	timer := time.NewTimer(opts.Timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.err != nil {
			l, _ := Layered(d, opts)
			l.Warnings = append(l.Warnings, "Graphviz layout failed ("+r.err.Error()+"); used the layered layout")
			return l, nil
		}
		return r.l, nil
	case <-timer.C:
		return nil, fmt.Errorf("%w: Graphviz ran past %s on %d components, %d flows", ErrTimeout, opts.Timeout, len(d.Components), len(d.Flows))
	case <-ctx.Done():
		return nil, fmt.Errorf("automatic layout: %w", ctx.Err())
	}
}

func dirOf(d *graph.Diagram, o Options) string {
	for _, s := range []string{o.Direction, d.Direction} {
		switch s {
		case "TB", "BT", "LR", "RL":
			return s
		case "TD":
			return "TB"
		}
	}
	return "LR"
}
