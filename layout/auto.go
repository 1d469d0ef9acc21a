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
	// DefaultMaxComponents is the largest diagram handed to Graphviz.
	DefaultMaxComponents = 1500
	// DefaultMaxFlows bounds the flows handed to Graphviz.
	DefaultMaxFlows = 4000
	// DefaultTimeout bounds one Graphviz layout.
	DefaultTimeout = 10 * time.Second
)

// Options configure every layout engine; each reads the fields it needs.
type Options struct {
	// MaxComponents and MaxFlows bound what Auto hands to Graphviz:
	// larger diagrams get the grid layout with a warning. Zero means the
	// default.
	MaxComponents int
	MaxFlows      int
	// Timeout bounds Auto's Graphviz run; zero means DefaultTimeout.
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
	if o.MaxFlows <= 0 {
		o.MaxFlows = DefaultMaxFlows
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return o
}

// Auto lays d out with Graphviz dot: boundaries become clusters, the
// diagram's direction the rank direction. It stays within a budget: a
// diagram over the size limits, a Graphviz failure or ctx ending before
// Graphviz is done all give the grid layout with a warning, so Auto never
// hangs on a large diagram. (Graphviz cannot be interrupted: a run that
// outlives its budget finishes in the background, holding the go-graphviz
// lock until then.) The error is non-nil only for a nil diagram.
func Auto(ctx context.Context, d *graph.Diagram, opts Options) (*Layout, error) {
	if d == nil {
		return nil, errors.New("layout: nil diagram")
	}
	opts = opts.withDefaults()
	if n := len(d.Components); n > opts.MaxComponents || len(d.Flows) > opts.MaxFlows {
		return fallback(d, opts, fmt.Sprintf("diagram too large for automatic layout (%d components, %d flows; limits %d, %d); used a grid layout",
			n, len(d.Flows), opts.MaxComponents, opts.MaxFlows)), nil
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	if ctx.Err() != nil {
		return fallback(d, opts, "automatic layout skipped: "+ctx.Err().Error()+"; used a grid layout"), nil
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
	select {
	case r := <-done:
		if r.err != nil {
			return fallback(d, opts, "automatic layout failed ("+r.err.Error()+"); used a grid layout"), nil
		}
		return r.l, nil
	case <-ctx.Done():
		return fallback(d, opts, "automatic layout exceeded its time budget ("+ctx.Err().Error()+"); used a grid layout"), nil
	}
}

func fallback(d *graph.Diagram, opts Options, warning string) *Layout {
	l := Grid(d, opts)
	l.Warnings = append(l.Warnings, warning)
	return l
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
