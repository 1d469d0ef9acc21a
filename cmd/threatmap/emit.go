package main

import (
	"io"
	"strings"

	"github.com/threatmap/threatmap/exporters/drawio"
	jsonexp "github.com/threatmap/threatmap/exporters/json"
	"github.com/threatmap/threatmap/exporters/markdown"
	"github.com/threatmap/threatmap/exporters/otm"
	"github.com/threatmap/threatmap/exporters/scene"
	"github.com/threatmap/threatmap/exporters/svg"
	"github.com/threatmap/threatmap/exporters/threatdragon"
	"github.com/threatmap/threatmap/exporters/xlsx"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/stride"
)

// emitOptions carry what the writers need beyond the report.
type emitOptions struct {
	date   string // YYYY-MM-DD or ""
	layout string // source | auto
	// layoutOpts bound the automatic layout (time, size).
	layoutOpts layout.Options
	stem       string // output file stem, for cross-links between outputs
	// warn receives writer warnings (layout fallbacks) for the run summary.
	warn func(msg string)
	// source is the input file as read and page the diagram's draw.io
	// page name: the annotated draw.io copy is written into them.
	source []byte
	page   string
	// scene is the computed picture (layout and annotations) for the
	// interchange writers, computed once per diagram.
	scene func() (*scene.Scene, error)
	// maxInflate bounds a compressed draw.io page.
	maxInflate int64
}

// emitter is one output kind of `threatmap analyze --emit`.
type emitter struct {
	name   string
	suffix string
	write  func(w io.Writer, r *stride.Report, o emitOptions) error
}

// optIn names the emitters written only when --emit asks for them.
var optIn = map[string]bool{"drawio": true, "threatdragon": true, "otm": true, "otm.yaml": true}

var emitters = []emitter{
	{"json", ".threats.json", func(w io.Writer, r *stride.Report, o emitOptions) error {
		return jsonexp.Write(w, r)
	}},
	{"svg", ".annotated.svg", func(w io.Writer, r *stride.Report, o emitOptions) error {
		return svg.Write(w, r, svg.Options{Layout: o.layout, Date: o.date, Warn: o.warn, LayoutOptions: o.layoutOpts})
	}},
	{"xlsx", ".risk-register.xlsx", func(w io.Writer, r *stride.Report, o emitOptions) error {
		opts := xlsx.Options{Version: version()}
		if o.date != "" {
			t, err := parseDate(o.date)
			if err != nil {
				return err
			}
			opts.Date = t
		}
		return xlsx.Write(w, r, opts)
	}},
	{"md", ".threat-model.md", func(w io.Writer, r *stride.Report, o emitOptions) error {
		return markdown.Write(w, r, markdown.Options{Date: o.date, SVGName: o.stem + ".annotated.svg"})
	}},
	{"drawio", ".threats.drawio", func(w io.Writer, r *stride.Report, o emitOptions) error {
		s, err := o.scene()
		if err != nil {
			return err
		}
		opts := drawio.Options{Page: o.page, MaxInflate: o.maxInflate, Warn: o.warn}
		if r.Source.Format == "drawio" {
			opts.Source = o.source
		}
		return drawio.Write(w, r, s, opts)
	}},
	{"threatdragon", ".threatdragon.json", func(w io.Writer, r *stride.Report, o emitOptions) error {
		s, err := o.scene()
		if err != nil {
			return err
		}
		return threatdragon.Write(w, r, s, threatdragon.Options{})
	}},
	{"otm", ".otm.json", func(w io.Writer, r *stride.Report, o emitOptions) error {
		s, err := o.scene()
		if err != nil {
			return err
		}
		return otm.Write(w, r, s, otm.Options{})
	}},
	{"otm.yaml", ".otm.yaml", func(w io.Writer, r *stride.Report, o emitOptions) error {
		s, err := o.scene()
		if err != nil {
			return err
		}
		return otm.Write(w, r, s, otm.Options{YAML: true})
	}},
}

// defaultEmitters names the outputs written without --emit.
func defaultEmitters() []string {
	var n []string
	for _, e := range emitters {
		if !optIn[e.name] {
			n = append(n, e.name)
		}
	}
	return n
}

func emitterNames() []string {
	var n []string
	for _, e := range emitters {
		n = append(n, e.name)
	}
	return n
}

func parseEmit(s string) ([]emitter, error) {
	var out []emitter
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		switch part {
		case "markdown":
			part = "md"
		case "otm.yml", "otm-yaml":
			part = "otm.yaml"
		}
		if part == "" || seen[part] {
			continue
		}
		found := false
		for _, e := range emitters {
			if e.name == part {
				out = append(out, e)
				found = true
			}
		}
		if !found {
			return nil, usagef("--emit %q: want a comma-separated list of %s", part, strings.Join(emitterNames(), ", "))
		}
		seen[part] = true
	}
	if len(out) == 0 {
		return nil, usagef("--emit is empty; want some of %s", strings.Join(emitterNames(), ", "))
	}
	return out, nil
}
