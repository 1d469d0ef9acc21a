package drawio

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/threatmap/threatmap/exporters/scene"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
)

// Options say where the user's diagram is.
type Options struct {
	// Source is the draw.io file the report was made from, as read
	// (.drawio/.xml, .drawio.svg or .drawio.png). Nil (any other input
	// format) draws a new diagram from the scene.
	Source []byte
	// Page is the analysed page's name as the importer gave it (its name,
	// or "Page-N" when it has none); "" picks the first page.
	Page string
	// MaxInflate bounds a compressed page's inflated size; 0 takes
	// graph.DefaultMaxDecompressedBytes.
	MaxInflate int64
	// Warn, when set, receives what could not be written (attributes
	// that are not XML names in a new diagram).
	Warn func(msg string)
}

// Write writes the annotated draw.io file for report r, whose picture is
// s, to w. Nothing is written when it fails.
func Write(w io.Writer, r *stride.Report, s *scene.Scene, opts Options) error {
	if r == nil || s == nil {
		return errors.New("drawio: nil report or scene")
	}
	max := opts.MaxInflate
	if max <= 0 {
		max = graph.DefaultMaxDecompressedBytes
	}
	layer := func(root string) []string { return layerCells(r, s, root) }
	var out []byte
	if opts.Source != nil {
		var err error
		out, err = annotateFile(opts.Source, opts.Page, max, layer)
		if err != nil {
			return fmt.Errorf("drawio: %w", err)
		}
	} else {
		var buf bytes.Buffer
		newDiagram(&buf, r, s, opts.Warn, layer)
		out = buf.Bytes()
	}
	_, err := w.Write(out)
	return err
}
