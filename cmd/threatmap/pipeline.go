package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/threatmap/threatmap/annotate"
	"github.com/threatmap/threatmap/baseline"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/stride/merge"
)

// sink receives one rendered output, named as in the output folder.
type sink func(name string, write func(io.Writer) error) error

// render runs the whole pipeline on one input held in memory, one stage
// after the other:
//
//	importers → graph → stride → layout → annotate → exporters
//
// Each output is handed to out. It fills res's summary lines (with the
// warnings of the layout and annotate stages) and gate findings.
func (e *analyzeEnv) render(file string, data []byte, cfg *stride.Config, res *fileResult, out sink) error {
	// Import: the file becomes one graph.Diagram per page or block.
	diagrams, err := importers.Import(file, data, e.importOpts)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	analysed := 0
	stems := e.stemsOf(file, diagrams)
	for i, d := range diagrams {
		// Text hygiene: no bidi or zero-width characters reach any output.
		graph.CleanText(d)
		// Pages that are not data-flow diagrams (attack trees, org
		// charts...) are skipped, with the reason.
		if why := stride.NotDataFlow(d); why != "" {
			res.lines = append(res.lines, fmt.Sprintf("%s: skipped, not a data-flow diagram: %s", diagramName(file, d), why))
			continue
		}
		analysed++
		if len(d.Components) == 0 {
			d.Warnings = append(d.Warnings, graph.Warning{Message: emptyWarning})
			res.empty = append(res.empty, diagramName(file, d))
		}
		// STRIDE: classification, threats, entry points, scores.
		rep, err := stride.Analyze(d, stride.Options{
			Config: cfg, Rules: e.ruleSet, Generator: "threatmap " + version(),
			SourceSHA256: hex.EncodeToString(sum[:]), Date: e.date,
		})
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		// Threats a threat-model input (Threat Dragon, OTM) already records.
		merged := merge.Merge(rep, d)
		// Outputs name the input as given, never by a local absolute path.
		rep.Source.File = displayName(file)
		// Baseline: ids and people's decisions carried over.
		if e.baseline != nil {
			if len(diagrams) > 1 {
				return graph.Errorf(file, graph.Position{}, "--baseline applies to one diagram; this file holds %d (pick one with --page)", len(diagrams))
			}
			baseline.Apply(rep, e.baseline, e.date)
		}
		// Layout and annotate: only when an output draws the picture.
		var pic *picture.Picture
		var warnings []string
		engine := ""
		if e.drawsPicture() {
			l, err := e.layoutDiagram(d, annotate.Notes(rep))
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			pic = annotate.Build(rep, l, annotate.Options{Date: e.date})
			engine = l.Engine
			warnings = append(append(warnings, l.Warnings...), pic.Warnings...)
		}
		// Export: each selected writer writes what it is handed.
		o := output{report: rep, picture: pic, date: e.date, engine: engine, source: data, page: d.Name,
			maxInflate: e.importOpts.Limits.MaxDecompressedBytes,
			warn:       func(w string) { warnings = append(warnings, w) }, rules: e.ruleSet,
			stem: stems[i]}
		for _, em := range e.emit {
			if err := out(o.stem+em.suffix, func(w io.Writer) error { return em.write(w, o) }); err != nil {
				return fmt.Errorf("%s: writing %s: %w", file, em.name, err)
			}
		}
		if merged.Matched+merged.Added > 0 {
			warnings = append(warnings, fmt.Sprintf("recorded threats: %d matched threatmap's, %d added", merged.Matched, merged.Added))
		}
		e.summarize(res, file, d, rep, o.stem, warnings)
	}
	if analysed == 0 {
		// Every page was skipped: for the gate, the file is empty.
		res.empty = append(res.empty, termName(file))
	}
	return nil
}

// emptyWarning is the warning every output of a diagram without
// components carries: the gate cannot pass on what was not analysed.
const emptyWarning = graph.EmptyModelWarning

// drawsPicture reports whether a selected output needs the picture.
func (e *analyzeEnv) drawsPicture() bool {
	for _, em := range e.emit {
		if em.picture {
			return true
		}
	}
	return false
}

// layoutDiagram places d: with its own geometry when it has some and
// --layout is source, else automatically: Graphviz up to --layout-max
// components and the work limit, the native layered layout beyond (a
// choice made from the diagram's size alone). --layout-timeout is a
// safety net: past it the run fails, naming the flag. notes are the
// sensitive-data tags the layout makes room for.
func (e *analyzeEnv) layoutDiagram(d *graph.Diagram, notes map[int]string) (*layout.Layout, error) {
	opts := e.layoutOpts
	opts.EdgeNotes = notes
	if e.layoutMode == "source" && d.HasLayout {
		return layout.Source(d, opts), nil
	}
	l, err := layout.Auto(context.Background(), d, opts)
	if errors.Is(err, layout.ErrTimeout) {
		return nil, fmt.Errorf("%w; raise --layout-timeout, or lower --layout-max (now %d) to use the native layered layout", err, opts.MaxComponents)
	}
	return l, err
}

// summarize adds the summary line of one diagram, its warnings and the
// threats that trip --fail-on to res.
func (e *analyzeEnv) summarize(res *fileResult, file string, d *graph.Diagram, rep *stride.Report, stem string, warnings []string) {
	res.lines = append(res.lines, summaryLine(file, d, rep)+" -> "+termName(filepath.Join(e.outDir, stem))+".*")
	if len(d.Components) == 0 {
		res.lines = append(res.lines, "  warning: "+emptyWarning)
	}
	for _, w := range warnings {
		res.lines = append(res.lines, "  warning: "+termText(w))
	}
	if e.failOn == "" {
		return
	}
	res.gate = append(res.gate, gateThreats(rep, e.failOn, e.newOnly)...)
}
