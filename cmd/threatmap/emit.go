package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/threatmap/threatmap/exporters/drawio"
	jsonexp "github.com/threatmap/threatmap/exporters/json"
	"github.com/threatmap/threatmap/exporters/markdown"
	"github.com/threatmap/threatmap/exporters/otm"
	"github.com/threatmap/threatmap/exporters/sarif"
	"github.com/threatmap/threatmap/exporters/scene"
	"github.com/threatmap/threatmap/exporters/svg"
	"github.com/threatmap/threatmap/exporters/threatdragon"
	"github.com/threatmap/threatmap/exporters/xlsx"
	"github.com/threatmap/threatmap/internal/scenebuild"
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
	// engine is the layout engine that placed the picture.
	engine string
	// source is the input file as read and page the diagram's page name:
	// the annotated draw.io copy is written into them; maxInflate bounds a
	// compressed draw.io page.
	source     []byte
	page       string
	maxInflate int64
	// warn receives what a writer could not write, for the run summary.
	warn func(string)
	// rules is the rule set, for SARIF's rule metadata.
	rules []stride.Rule
}

// scene is the picture as the interchange writers read it.
func (o output) scene() *scene.Scene {
	return scenebuild.FromPicture(o.report, o.engine, o.picture)
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
		return sarif.Write(w, o.report, sarif.Options{Version: version(), Rules: o.rules, Source: o.source})
	}},
	{name: "drawio", suffix: ".threats.drawio", picture: true, write: func(w io.Writer, o output) error {
		opts := drawio.Options{Page: o.page, MaxInflate: o.maxInflate, Warn: o.warn}
		if o.report.Source.Format == "drawio" {
			opts.Source = o.source
			err := drawio.Write(w, o.report, o.scene(), opts)
			if err == nil {
				return nil
			}
			// The importer reads files the writer cannot copy byte for byte
			// (bytes it had to replace): draw the model as a new diagram
			// instead, and say so. A failed Write wrote nothing.
			if o.warn != nil {
				o.warn(fmt.Sprintf("the annotated draw.io is a new diagram: the source could not be copied (%v)", err))
			}
			opts.Source = nil
		}
		return drawio.Write(w, o.report, o.scene(), opts)
	}},
	{name: "threatdragon", suffix: ".threatdragon.json", picture: true, write: func(w io.Writer, o output) error {
		return threatdragon.Write(w, o.report, o.scene(), threatdragon.Options{})
	}},
	{name: "otm", suffix: ".otm.json", picture: true, write: func(w io.Writer, o output) error {
		return otm.Write(w, o.report, o.scene(), otm.Options{})
	}},
	{name: "otm.yaml", suffix: ".otm.yaml", picture: true, write: func(w io.Writer, o output) error {
		return otm.Write(w, o.report, o.scene(), otm.Options{YAML: true})
	}},
}

// optIn names the emitters written only when --emit asks for them.
var optIn = map[string]bool{"sarif": true, "drawio": true, "threatdragon": true, "otm": true, "otm.yaml": true}

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
