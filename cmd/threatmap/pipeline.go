package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"

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
		// The STRIDE pass's working set is garbage now: collect it, so that
		// the writers' heap grows from the report's size, not from the
		// pass's peak (see collectBetween).
		big := len(d.Components)+len(d.Flows) >= collectMinElements
		collectBetween(big)
		// Export: each selected writer writes what it is handed, one at a
		// time, to its own file.
		o := output{report: rep, date: e.date, source: data, page: d.Name,
			maxInflate: e.importOpts.Limits.MaxDecompressedBytes,
			rules:      e.ruleSet, stem: stems[i]}
		warnings, err := e.export(o, d, out)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if merged.Matched+merged.Added > 0 {
			warnings = append(warnings, fmt.Sprintf("recorded threats: %d matched threatmap's, %d added", merged.Matched, merged.Added))
		}
		e.summarize(res, file, d, rep, o.stem, warnings)
		// The next page's run does not need this one's graph.
		diagrams[i] = nil
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

// export runs the selected writers on o, the report of d, and returns the
// warnings of the layout, annotate and the writers, in that order (the
// writers' in --emit order). The writers that draw the picture run first:
// the picture (layout and annotate) is made for them and dropped before
// the others run, so that it is never held beside another writer's
// working set (at 20,000 components it is larger than the report). Every
// writer gets its own file, so the order they run in changes no output.
// A failed layout fails the run before any writer.
func (e *analyzeEnv) export(o output, d *graph.Diagram, out sink) ([]string, error) {
	var drawWarnings []string
	writeWarnings := make([][]string, len(e.emit))
	big := len(d.Components)+len(d.Flows) >= collectMinElements
	written := 0
	write := func(j int) error {
		if written > 0 {
			// The previous writer's working set is garbage now.
			collectBetween(big)
		}
		written++
		em := e.emit[j]
		o := o
		o.warn = func(w string) { writeWarnings[j] = append(writeWarnings[j], w) }
		if err := out(o.stem+em.suffix, func(w io.Writer) error { return em.write(w, o) }); err != nil {
			return fmt.Errorf("writing %s: %w", em.name, err)
		}
		return nil
	}
	for j, em := range e.emit {
		if !em.picture {
			continue
		}
		if o.picture == nil {
			pic, engine, warned, err := e.draw(d, o.report)
			if err != nil {
				return nil, err
			}
			o.picture, o.engine, drawWarnings = pic, engine, warned
		}
		if err := write(j); err != nil {
			return nil, err
		}
	}
	// The picture is garbage from here on.
	o.picture = nil
	for j, em := range e.emit {
		if em.picture {
			continue
		}
		if err := write(j); err != nil {
			return nil, err
		}
	}
	warnings := drawWarnings
	for _, w := range writeWarnings {
		warnings = append(warnings, w...)
	}
	return warnings, nil
}

// collectMinElements is the size of diagram (components and flows) from
// which render collects garbage between stages.
const collectMinElements = 5000

// collectBetween runs a garbage collection between two stages of a large
// diagram's run. The runtime's next collection comes when the heap has
// grown by GOGC (100%) over what the last collection left live: after the
// STRIDE pass, whose working set is several times the report, or after a
// writer, that target is twice the previous stage's peak, and the next
// stage's garbage fills the heap up to it. Collecting when a stage ends
// restarts the count from what the next stage keeps (the report, the
// picture), which holds each writer's peak to about twice its own live
// heap. Each collection marks the live heap once (about 0.3 s of CPU at
// 20,000 components, 1-2% of the run); small diagrams, whose heap is
// small anyway, skip it (their first collection is deferred, see
// deferFirstGC).
func collectBetween(big bool) {
	if big {
		runtime.GC()
	}
}

// draw lays d out and annotates it with rep's findings. It returns the
// picture, the layout engine that placed it and the warnings of both
// stages, the layout's first; the layout itself is not kept.
func (e *analyzeEnv) draw(d *graph.Diagram, rep *stride.Report) (pic *picture.Picture, engine string, warnings []string, err error) {
	l, err := e.layoutDiagram(d, annotate.Notes(rep))
	if err != nil {
		return nil, "", nil, err
	}
	pic = annotate.Build(rep, l, annotate.Options{Date: e.date})
	warnings = append(append(warnings, l.Warnings...), pic.Warnings...)
	return pic, l.Engine, warnings, nil
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
