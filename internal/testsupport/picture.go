// Package testsupport holds what tests and benchmarks across threatmap
// share: running the picture stages on a report the way threatmap analyze
// does.
package testsupport

import (
	"context"
	"github.com/threatmap/threatmap/exporters/scene"
	"github.com/threatmap/threatmap/internal/scenebuild"

	"github.com/threatmap/threatmap/annotate"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
)

// DrawOptions choose the layout and the title block of Draw.
type DrawOptions struct {
	// Auto lays the diagram out with Graphviz even when it has its own
	// layout (threatmap analyze --layout auto).
	Auto bool
	// Layout bounds the automatic layout; EdgeNotes are filled in from
	// the report.
	Layout layout.Options
	// Title and Date go to the title block.
	Title, Date string
}

// Draw lays out r.Diagram and annotates it as threatmap analyze does: the
// diagram's own layout when it has one (unless o.Auto), else the automatic
// layout (Graphviz, or the layered engine for large diagrams). It
// returns the picture and the warnings of both stages, layout first.
func Draw(r *stride.Report, o DrawOptions) (*picture.Picture, []string) {
	lo := o.Layout
	lo.EdgeNotes = annotate.Notes(r)
	var l *layout.Layout
	if r.Diagram.HasLayout && !o.Auto {
		l = layout.Source(r.Diagram, lo)
	} else {
		var err error
		if l, err = layout.Auto(context.Background(), r.Diagram, lo); err != nil {
			panic(err) // a nil diagram or a Graphviz run past its safety net: a broken test
		}
	}
	p := annotate.Build(r, l, annotate.Options{Title: o.Title, Date: o.Date})
	return p, append(append([]string(nil), l.Warnings...), p.Warnings...)
}

// BuildScene draws r as analyze does and hands the picture over as the
// scene the interchange exporters read, with the drawing's warnings.
func BuildScene(r *stride.Report) (*scene.Scene, []string, error) {
	p, warns := Draw(r, DrawOptions{})
	engine := layout.EngineGraphviz
	if r.Diagram.HasLayout {
		engine = layout.EngineSource
	}
	return scenebuild.FromPicture(r, engine, p), warns, nil
}
