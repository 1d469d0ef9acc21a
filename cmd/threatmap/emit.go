package main

import (
	"io"
	"strings"

	jsonexp "github.com/threatmap/threatmap/exporters/json"
	"github.com/threatmap/threatmap/exporters/markdown"
	"github.com/threatmap/threatmap/exporters/sarif"
	"github.com/threatmap/threatmap/exporters/svg"
	"github.com/threatmap/threatmap/exporters/xlsx"
	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
)

// output is what the exporters are handed for one diagram.
type output struct {
	report *stride.Report
	// picture is the annotated diagram; nil when no selected output
	// draws it.
	picture *picture.Picture
	date    string // YYYY-MM-DD or ""
	stem    string // output file stem, for cross-links between outputs
	// src is the input file's content and rules the rule set, for SARIF.
	src   []byte
	rules []stride.Rule
}

// emitter is one output kind of `threatmap analyze --emit`.
type emitter struct {
	name   string
	suffix string
	// picture is set when the writer draws the annotated diagram, so
	// that the layout and annotate stages run.
	picture bool
	write   func(w io.Writer, o output) error
}

var emitters = []emitter{
	{name: "json", suffix: ".threats.json", write: func(w io.Writer, o output) error {
		return jsonexp.Write(w, o.report)
	}},
	{name: "svg", suffix: ".annotated.svg", picture: true, write: func(w io.Writer, o output) error {
		return svg.Write(w, o.picture)
	}},
	{name: "xlsx", suffix: ".risk-register.xlsx", write: func(w io.Writer, o output) error {
		opts := xlsx.Options{Version: version()}
		if o.date != "" {
			t, err := parseDate(o.date)
			if err != nil {
				return err
			}
			opts.Date = t
		}
		return xlsx.Write(w, o.report, opts)
	}},
	{name: "md", suffix: ".threat-model.md", write: func(w io.Writer, o output) error {
		return markdown.Write(w, o.report, markdown.Options{Date: o.date, SVGName: o.stem + ".annotated.svg"})
	}},
	{name: "sarif", suffix: ".sarif", write: func(w io.Writer, o output) error {
		return sarif.Write(w, o.report, sarif.Options{Version: version(), Rules: o.rules, Source: o.src})
	}},
}

// defaultEmit are the outputs written without --emit; SARIF is asked for.
var defaultEmit = []string{"json", "svg", "xlsx", "md"}

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
