// Package importers detects the format of an input diagram and dispatches
// it to the importer for that format (one package per format below this
// one). It is the only place that knows the list of formats.
package importers

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers/dot"
	"github.com/threatmap/threatmap/importers/drawio"
	"github.com/threatmap/threatmap/importers/mermaid"
	"github.com/threatmap/threatmap/importers/otm"
	"github.com/threatmap/threatmap/importers/threatdragon"
)

// Options are passed to every importer.
type Options struct {
	// Format forces a format by name, skipping detection.
	Format string
	// Page selects one draw.io page by name or 0-based index.
	Page   string
	Limits graph.Limits
}

// Format describes one supported input format.
type Format struct {
	Name        string
	Description string
	// Extensions are matched case-insensitively against the end of the
	// file name (".drawio.svg" before ".svg").
	Extensions []string
	// Sniff reports whether content looks like this format.
	Sniff  func(data []byte) bool
	Import func(file string, data []byte, opts Options) ([]*graph.Diagram, error)
}

// formats lists every importer, in sniffing order (most specific first).
var formats = []Format{
	{
		Name:        "drawio",
		Description: "draw.io / diagrams.net (pages, containers as trust boundaries, the file's own layout)",
		Extensions:  []string{".drawio", ".dio", ".drawio.svg", ".drawio.png", ".drawio.xml", ".xml", ".svg", ".png"},
		Sniff:       drawio.Sniff,
		Import: func(file string, data []byte, o Options) ([]*graph.Diagram, error) {
			return drawio.Import(file, data, drawio.Options{Page: o.Page, Limits: o.Limits})
		},
	},
	{
		Name:        "threatdragon",
		Description: "OWASP Threat Dragon v2 model (JSON, detected by content; its threats are kept and merged)",
		Extensions:  nil, // plain .json: recognised by its content only
		Sniff:       threatdragon.Sniff,
		Import: func(file string, data []byte, o Options) ([]*graph.Diagram, error) {
			return threatdragon.Import(file, data, threatdragon.Options{Limits: o.Limits})
		},
	},
	{
		Name:        "otm",
		Description: "Open Threat Model 0.2.0, JSON or YAML (trust zones as boundaries; its threats are kept and merged)",
		Extensions:  []string{".otm", ".otm.json", ".otm.yaml", ".otm.yml"},
		Sniff:       otm.Sniff,
		Import: func(file string, data []byte, o Options) ([]*graph.Diagram, error) {
			return otm.Import(file, data, otm.Options{Limits: o.Limits})
		},
	},
	{
		Name:        "dot",
		Description: "Graphviz DOT (digraph/graph, clusters as trust boundaries)",
		Extensions:  []string{".dot", ".gv"},
		Sniff:       dot.Sniff,
		Import: func(file string, data []byte, o Options) ([]*graph.Diagram, error) {
			return dot.Import(file, data, dot.Options{Limits: o.Limits})
		},
	},
	{
		Name:        "mermaid",
		Description: "Mermaid flowchart (subgraphs as trust boundaries)",
		Extensions:  []string{".mmd", ".mermaid"},
		Sniff:       mermaid.Sniff,
		Import: func(file string, data []byte, o Options) ([]*graph.Diagram, error) {
			return mermaid.Import(file, data, mermaid.Options{Limits: o.Limits})
		},
	},
	{
		Name:        "markdown",
		Description: "Markdown with ```mermaid flowchart blocks, one diagram per block",
		Extensions:  []string{".md", ".markdown"},
		Sniff:       mermaid.SniffMarkdown,
		Import: func(file string, data []byte, o Options) ([]*graph.Diagram, error) {
			return mermaid.ImportMarkdown(file, data, mermaid.Options{Limits: o.Limits})
		},
	},
}

// Formats returns the supported formats.
func Formats() []Format { return append([]Format(nil), formats...) }

// Names returns the supported format names, sorted.
func Names() []string {
	var n []string
	for _, f := range formats {
		n = append(n, f.Name)
	}
	sort.Strings(n)
	return n
}

// UnknownFormatError is returned when the format cannot be determined or a
// named format does not exist.
type UnknownFormatError struct {
	File   string
	Format string // the name asked for, "" when detection failed
}

func (e *UnknownFormatError) Error() string {
	var list []string
	for _, f := range formats {
		exts := strings.Join(f.Extensions, ", ")
		if exts == "" {
			exts = "recognised by content"
		}
		list = append(list, f.Name+" ("+exts+")")
	}
	if e.Format != "" {
		return fmt.Sprintf("%s: unknown format %q; supported formats: %s", e.File, e.Format, strings.Join(list, "; "))
	}
	return fmt.Sprintf("%s: cannot tell the diagram format from the file name or content; supported formats: %s (use --format to say which)", e.File, strings.Join(list, "; "))
}

// Detect returns the format of file with content data: forced by name when
// forced is non-empty, else by extension, else by sniffing the content.
// file "-" (stdin) is always sniffed.
func Detect(file string, data []byte, forced string) (*Format, error) {
	if forced != "" {
		for i := range formats {
			if strings.EqualFold(formats[i].Name, forced) {
				return &formats[i], nil
			}
		}
		return nil, &UnknownFormatError{File: file, Format: forced}
	}
	if file != "-" {
		base := strings.ToLower(filepath.Base(file))
		best, bestLen := -1, 0
		for i, f := range formats {
			for _, ext := range f.Extensions {
				if strings.HasSuffix(base, ext) && len(ext) > bestLen {
					best, bestLen = i, len(ext)
				}
			}
		}
		// A generic extension (.xml, .svg, .png, .md) must also sniff right.
		if best >= 0 && (!generic(base) || formats[best].Sniff(data)) {
			return &formats[best], nil
		}
	}
	for i, f := range formats {
		if f.Sniff(data) {
			return &formats[i], nil
		}
	}
	return nil, &UnknownFormatError{File: file}
}

func generic(base string) bool {
	for _, ext := range []string{".xml", ".svg", ".png", ".txt"} {
		if strings.HasSuffix(base, ext) && !strings.HasSuffix(base, ".drawio"+ext) {
			return true
		}
	}
	return false
}

// Import detects the format of data and imports it. file names the input in
// messages ("-" for stdin). It returns one diagram per page or block.
func Import(file string, data []byte, opts Options) ([]*graph.Diagram, error) {
	lim := opts.Limits.WithDefaults()
	if int64(len(data)) > lim.MaxInputBytes {
		return nil, graph.Wrap(file, graph.Position{}, fmt.Sprintf("input is %d bytes, over the limit of %d (raise it with --max-input)", len(data), lim.MaxInputBytes), graph.ErrLimit)
	}
	f, err := Detect(file, data, opts.Format)
	if err != nil {
		return nil, err
	}
	opts.Limits = lim
	ds, err := f.Import(file, data, opts)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, graph.Errorf(file, graph.Position{}, "no diagram found")
	}
	return ds, nil
}
