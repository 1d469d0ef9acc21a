package main

import (
	"io"
	"strings"

	jsonexp "github.com/threatmap/threatmap/exporters/json"
	"github.com/threatmap/threatmap/exporters/markdown"
	"github.com/threatmap/threatmap/exporters/svg"
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
}

// emitter is one output kind of `threatmap analyze --emit`.
type emitter struct {
	name   string
	suffix string
	write  func(w io.Writer, r *stride.Report, o emitOptions) error
}

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
		if part == "markdown" {
			part = "md"
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
