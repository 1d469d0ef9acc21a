package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/urfave/cli/v2"

	"github.com/threatmap/threatmap/baseline"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/stride"
)

func analyzeCommand() *cli.Command {
	flags := append(importFlags(),
		&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: ".", Usage: "folder for the output files (created if missing)"},
		&cli.StringFlag{Name: "emit", Value: strings.Join(defaultEmitters(), ","), Usage: "comma-separated outputs to write: " + strings.Join(emitterNames(), ", ") + " (drawio: the annotated draw.io diagram; threatdragon: an OWASP Threat Dragon v2 model; otm, otm.yaml: Open Threat Model 0.2.0)"},
		&cli.BoolFlag{Name: "otm-yaml", Usage: "write the Open Threat Model (--emit otm) as YAML (NAME.otm.yaml)"},
		&cli.StringFlag{Name: "fail-on", Usage: "exit 3 when a threat at or above this residual severity exists: low, medium, high, critical"},
		&cli.StringFlag{Name: "baseline", Usage: "previous *.threats.json or edited *.risk-register.xlsx: keep its ids and everyone's decisions, mark new and closed threats"},
		&cli.BoolFlag{Name: "new-only", Usage: "with --fail-on and --baseline: gate only on threats new or worse since the baseline"},
		&cli.StringFlag{Name: "config", Usage: "overrides file (default: threatmap.yaml next to the diagram)"},
		&cli.StringSliceFlag{Name: "rules", Usage: "extra rules file that adds or overrides library rules (repeatable)"},
		&cli.StringFlag{Name: "layout", Value: "source", Usage: "SVG layout for draw.io input: source (the file's own) or auto"},
		&cli.DurationFlag{Name: "layout-timeout", Value: layout.DefaultTimeout, Usage: "safety net for the Graphviz layout: past it the run fails (exit 1); it never changes the picture"},
		&cli.IntFlag{Name: "layout-max", Value: layout.DefaultMaxComponents, Usage: "largest diagram (components) given the Graphviz layout; larger ones, or ones past the work limit, get the native layered layout"},
		&cli.StringFlag{Name: "date", Usage: "date printed in documents, YYYY-MM-DD (default: from SOURCE_DATE_EPOCH, else none, so output is reproducible)"},
		&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Value: runtime.NumCPU(), Usage: "files analysed in parallel"},
		&cli.StringSliceFlag{Name: "include", Usage: "in a folder, analyse only files matching this glob (** for any depth; repeatable)"},
		&cli.StringSliceFlag{Name: "exclude", Usage: "in a folder, leave out files and folders matching this glob (repeatable)"},
		&cli.BoolFlag{Name: "no-gitignore", Usage: "in a folder, also analyse files that .gitignore ignores"},
	)
	return &cli.Command{
		Name:      "analyze",
		Usage:     "run the STRIDE pass and write the threat model outputs",
		ArgsUsage: "FILE|FOLDER... (or - for stdin)",
		Description: `analyze imports each diagram, runs the STRIDE pass and writes, per diagram,
into the --out folder:
   <name>.threats.json       the JSON report (docs/report-json.md)
   <name>.annotated.svg      the diagram with boundaries, entry points, risk highlights
   <name>.risk-register.xlsx the Excel risk register
   <name>.threat-model.md    the Markdown threat model document
A folder is searched recursively for supported diagrams (hidden folders, what
.gitignore ignores and --exclude globs left out); a file found there that holds no
diagram (a README without a flowchart, a plain image) is skipped with a line saying
why. Files are analysed in parallel; one bad file does not stop the others (exit 2
at the end). Output names are decided from the sorted input list and the files'
page lists before any work: a name two inputs or pages share gets -2, -3... in
input and page order. Outputs are
written to a temporary file and renamed into place, never over an input.

Examples:
   threatmap analyze examples/telehealth.dot -o out/
   threatmap analyze --emit json,md --fail-on high arch.drawio
   threatmap analyze -o out/ docs/diagrams/
   threatmap analyze --fail-on high --exclude 'vendor/**' -o out/ docs/`,
		Flags: flags,
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usagef("analyze needs at least one FILE or FOLDER (or - for stdin); see threatmap analyze --help")
			}
			return runAnalyze(c)
		},
	}
}

type fileResult struct {
	file    string
	skip    string   // why a folder scan skipped the file; "" when analysed
	lines   []string // one summary line per diagram
	written []string
	gate    []string // threats that tripped --fail-on
	empty   []string // diagrams (or the file) with nothing analysed
	err     error
}

func runAnalyze(c *cli.Context) error {
	env, err := newAnalyzeEnv(c)
	if err != nil {
		return err
	}
	results := env.analyzeAll(c.Int("jobs"))
	return env.report(results)
}

// newAnalyzeEnv checks the flags and arguments of analyze, loads the
// config and rules, and creates the output folder.
func newAnalyzeEnv(c *cli.Context) (*analyzeEnv, error) {
	emit, err := parseEmit(c.String("emit"))
	if err != nil {
		return nil, err
	}
	if c.Bool("otm-yaml") {
		if emit, err = otmAsYAML(emit); err != nil {
			return nil, err
		}
	}
	var failOn stride.Severity
	if v := c.String("fail-on"); v != "" {
		var ok bool
		if failOn, ok = stride.ParseSeverity(v); !ok {
			return nil, usagef("--fail-on %q: want low, medium, high or critical", v)
		}
	}
	layoutMode := c.String("layout")
	if layoutMode != "source" && layoutMode != "auto" {
		return nil, usagef("--layout %q: want source or auto", layoutMode)
	}
	date, err := docDate(c.String("date"))
	if err != nil {
		return nil, err
	}
	scan := scanOptions{include: c.StringSlice("include"), exclude: c.StringSlice("exclude"), gitignore: !c.Bool("no-gitignore")}
	if err := scan.checkGlobs(); err != nil {
		return nil, err
	}
	files, err := expandInputs(c.Args().Slice(), scan)
	if err != nil {
		return nil, err
	}
	base, err := loadBaseline(c, len(files), failOn)
	if err != nil {
		return nil, err
	}
	outDir := c.String("out")
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create output folder: %w", err)
	}
	removeStaleTemps(outDir, time.Now())
	var cfg *stride.Config
	if p := c.String("config"); p != "" {
		if cfg, err = loadConfig(p); err != nil {
			return nil, err
		}
	}
	ruleSet, err := loadRules(c.StringSlice("rules"))
	if err != nil {
		return nil, err
	}
	env := &analyzeEnv{
		c: c, importOpts: importOptions(c), emit: emit, failOn: failOn, layoutMode: layoutMode, date: date,
		outDir: outDir, config: cfg, ruleSet: ruleSet, inputs: files, paths: inputPaths(files),
		stems: assignStems(files), baseline: base, newOnly: c.Bool("new-only"),
		layoutOpts: layout.Options{Timeout: c.Duration("layout-timeout"), MaxComponents: c.Int("layout-max")},
	}
	env.planPageStems()
	return env, nil
}

// analyzeAll analyses the inputs, jobs at a time, and returns their
// results in input order.
func (e *analyzeEnv) analyzeAll(jobs int) []fileResult {
	jobs = max(jobs, 1)
	results := make([]fileResult, len(e.inputs))
	progress := newProgress(e.c.App.ErrWriter, len(e.inputs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, jobs)
	for i, in := range e.inputs {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, in input) {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = e.analyzeFile(in)
			progress.done(in.path)
		}(i, in)
	}
	wg.Wait()
	progress.finish()
	return results
}

// report prints the summary of every input and returns the error that
// sets the exit code: failed inputs first, then the --fail-on gate.
func (e *analyzeEnv) report(results []fileResult) error {
	failed, gated, skipped, internal := 0, 0, 0, false
	var empty []string
	w := e.c.App.Writer
	for _, r := range results {
		if r.skip != "" {
			skipped++
			fmt.Fprintf(w, "SKIP %s: %s\n", termName(r.file), termText(r.skip))
			continue
		}
		if r.err != nil {
			failed++
			internal = internal || exitCode(r.err) == exitInternal
			fmt.Fprintf(e.c.App.ErrWriter, "threatmap: %s\n", termText(r.err.Error()))
			fmt.Fprintf(w, "FAIL %s\n", termName(r.file))
			continue
		}
		empty = append(empty, r.empty...)
		for _, l := range r.lines {
			fmt.Fprintln(w, l)
		}
		if len(r.gate) > 0 {
			gated++
			for _, g := range r.gate {
				fmt.Fprintln(w, "  "+g)
			}
		}
	}
	n := len(e.inputs)
	if n > 1 {
		if skipped > 0 {
			fmt.Fprintf(w, "%d files: %d analysed, %d skipped, %d failed\n", n, n-failed-skipped, skipped, failed)
		} else {
			fmt.Fprintf(w, "%d files: %d analysed, %d failed\n", n, n-failed, failed)
		}
	}
	switch {
	case failed > 0:
		return &failedFilesError{n: failed, total: n, internal: internal}
	case e.failOn != "" && len(empty) > 0:
		// A gate never passes on what it did not see.
		return &emptyModelError{names: empty, failOn: e.failOn}
	case gated > 0:
		return &gateError{msg: fmt.Sprintf("policy gate: threats at or above %s residual severity found (--fail-on %s)", e.failOn, strings.ToLower(string(e.failOn)))}
	}
	return nil
}

// failedFilesError reports that some inputs could not be analysed; each
// was already printed. It maps to exit code 2, or 1 when a failure was
// internal (a write error, a bug) rather than the input's fault.
type failedFilesError struct {
	n, total int
	internal bool
}

func (e *failedFilesError) Error() string {
	return fmt.Sprintf("%d of %d inputs failed", e.n, e.total)
}

// emptyModelError fails a --fail-on gate because some diagram imported to
// no components (or every page of a file was skipped): exit 2.
type emptyModelError struct {
	names  []string
	failOn stride.Severity
}

func (e *emptyModelError) Error() string {
	return fmt.Sprintf("policy gate (--fail-on %s) cannot pass: nothing to analyse in %s", strings.ToLower(string(e.failOn)), strings.Join(e.names, ", "))
}

type analyzeEnv struct {
	c          *cli.Context
	importOpts importers.Options
	ruleSet    []stride.Rule
	emit       []emitter
	failOn     stride.Severity
	layoutMode string         // source | auto
	layoutOpts layout.Options // bounds of the automatic layout
	date       string
	outDir     string
	config     *stride.Config
	inputs     []input
	paths      []string          // the inputs' paths, never overwritten
	stems      map[string]string // input path -> output stem, decided before any work
	// baseline, when set, is carried over to the report (--baseline);
	// newOnly gates only on threats new or worse since it.
	baseline *baseline.Baseline
	newOnly  bool

	// pageStems are the output stems of the diagrams of inputs whose
	// names could meet another input's, planned before any work
	// (planPageStems).
	pageStems map[string][]string
	// stdin holds standard input when planPageStems had to read it.
	stdin     []byte
	stdinErr  error
	stdinRead bool
}

// inputPaths returns the paths of inputs.
func inputPaths(inputs []input) []string {
	p := make([]string, len(inputs))
	for i, in := range inputs {
		p[i] = in.path
	}
	return p
}

// assignStems decides the output stem of every input before any work, from
// the input list alone (folders expanded and sorted): the first input with
// a given stem keeps it, the next get -2, -3... in input order. So the
// names are the same on every run whatever order files finish in.
func assignStems(inputs []input) map[string]string {
	stems := make(map[string]string, len(inputs))
	used := map[string]bool{}
	for _, in := range inputs {
		base := stem(in.path, "", false)
		name := base
		for i := 2; used[name]; i++ {
			name = base + "-" + strconv.Itoa(i)
		}
		used[name] = true
		stems[in.path] = name
	}
	return stems
}

// relatedStems returns the inputs whose page stems could meet another
// input's outputs: those whose stem is, or starts with, another input's
// stem followed by "-" (a page stem is the file's stem, "-" and the page).
// Other inputs own every name starting with their stem and "-", so their
// pages are named file by file.
func relatedStems(stems map[string]string) map[string]bool {
	byStem := make(map[string]string, len(stems))
	sorted := make([]string, 0, len(stems))
	for path, st := range stems {
		byStem[st] = path
		sorted = append(sorted, st)
	}
	// "-" sorts before every other byte safeName keeps, so the stems
	// starting with s+"-" come right after s.
	sort.Strings(sorted)
	related := map[string]bool{}
	for i := 0; i+1 < len(sorted); i++ {
		if strings.HasPrefix(sorted[i+1], sorted[i]+"-") {
			related[byStem[sorted[i]]] = true
			related[byStem[sorted[i+1]]] = true
		}
	}
	return related
}

// planPageStems names, before any work, the pages of the inputs whose page
// stems could meet another input's outputs (relatedStems): each is read and
// imported once, in input order, and its pages get the first free name of
// stem-page, stem-page-2... in page order. A file that cannot be read or
// imported gets no names (it fails again, and writes nothing, when
// analysed). Stdin, read here, is kept for the analysis.
func (e *analyzeEnv) planPageStems() {
	related := relatedStems(e.stems)
	if len(related) == 0 {
		return
	}
	used := map[string]bool{}
	for _, st := range e.stems {
		used[st] = true
	}
	e.pageStems = map[string][]string{}
	for _, in := range e.inputs {
		if !related[in.path] || in.skip != "" {
			continue
		}
		data, err := readInput(e.c, in.path, e.importOpts.Limits.MaxInputBytes)
		if in.path == "-" {
			e.stdin, e.stdinErr, e.stdinRead = data, err, true
		}
		if err != nil || in.inFolder && notADiagram(in.path, data, e.importOpts.Format) != "" {
			continue
		}
		diagrams, err := importers.Import(in.path, data, e.importOpts)
		if err != nil {
			continue
		}
		names := make([]string, len(diagrams))
		for i, d := range diagrams {
			names[i] = d.Name
		}
		e.pageStems[in.path] = pageStems(e.stems[in.path], names, used)
	}
}

// pageStems returns the output stems of the diagrams named names, in one
// file whose own stem is fileStem: the file's stem for a single (or an
// unnamed) diagram, else fileStem-page, with -2, -3... for a name already
// in used. It adds the names it makes to used.
func pageStems(fileStem string, names []string, used map[string]bool) []string {
	out := make([]string, len(names))
	for i, n := range names {
		if len(names) == 1 || n == "" {
			out[i] = fileStem
			continue
		}
		base := fileStem + "-" + safeName(n)
		name := base
		for k := 2; used[name]; k++ {
			name = base + "-" + strconv.Itoa(k)
		}
		used[name] = true
		out[i] = name
	}
	return out
}

// stemsOf returns the output stems of the diagrams of file, in order:
// planned before any work for inputs related to others (planPageStems),
// else decided from the file's own page list.
func (e *analyzeEnv) stemsOf(file string, diagrams []*graph.Diagram) []string {
	names := make([]string, len(diagrams))
	for i, d := range diagrams {
		names[i] = d.Name
	}
	if planned, ok := e.pageStems[file]; ok && len(planned) == len(names) {
		return planned
	}
	s, ok := e.stems[file]
	if !ok {
		s = stem(file, "", false)
	}
	// The file's own stem is taken (by its single-diagram outputs, or
	// as the prefix every other input leaves alone).
	return pageStems(s, names, map[string]bool{s: true})
}

func (e *analyzeEnv) analyzeFile(in input) (res fileResult) {
	file := in.path
	res.file = file
	if in.skip != "" {
		res.skip = in.skip
		return res
	}
	defer func() {
		if p := recover(); p != nil {
			res.err = fmt.Errorf("%s: internal error: %v", file, p)
		}
	}()
	data, err := e.stdin, e.stdinErr
	if file != "-" || !e.stdinRead {
		data, err = readInput(e.c, file, e.importOpts.Limits.MaxInputBytes)
	}
	if err != nil {
		res.err = err
		return res
	}
	if in.inFolder {
		if why := notADiagram(file, data, e.importOpts.Format); why != "" {
			res.skip = why
			return res
		}
	}
	cfg := e.config
	if cfg == nil && file != "-" {
		if p, ok := findConfig(file); ok {
			if cfg, err = loadConfig(p); err != nil {
				res.err = err
				return res
			}
		}
	}
	// Outputs go to temporary files and are renamed into place only when
	// every diagram of the file rendered: a failing input leaves nothing.
	st := &stage{dir: e.outDir, inputs: e.paths}
	if err := e.render(file, data, cfg, &res, st.add); err != nil {
		st.abort()
		if in.inFolder && errors.Is(err, graph.ErrNotDiagram) {
			res.lines, res.skip = nil, strings.TrimPrefix(err.Error(), file+": ")
			return res
		}
		res.err = err
		return res
	}
	written, err := st.commit()
	res.written = written
	if err != nil {
		res.err = fmt.Errorf("%s: %w", file, err)
	}
	return res
}

// diagramName names a diagram of file for the terminal: the file, then the
// page or block name in brackets, each quoted when it holds anything that
// could pass for another line or hide characters.
func diagramName(file string, d *graph.Diagram) string {
	name := termName(file)
	if d.Name != "" {
		name += " [" + termName(d.Name) + "]"
	}
	return name
}

// termName returns s as is when it is plain printable text without
// brackets or quotes, else Go-quoted, so that a file or page name can
// never forge a summary line or hide characters on a terminal.
func termName(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) || graph.Invisible(r) || r == '"' || r == '[' || r == ']' {
			return strconv.Quote(s)
		}
	}
	return s
}

// termText makes a message safe for one terminal line: control and
// invisible characters are written as escapes.
func termText(s string) string {
	q := strconv.Quote(s)
	q = q[1 : len(q)-1]
	if q == strings.ReplaceAll(s, `"`, `\"`) || !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) || graph.Invisible(r) }) {
		return s
	}
	return q
}

func summaryLine(file string, d *graph.Diagram, r *stride.Report) string {
	name := diagramName(file, d)
	var sev []string
	for _, s := range stride.Severities {
		if n := r.Summary.BySeverity[s]; n > 0 {
			sev = append(sev, fmt.Sprintf("%d %s", n, strings.ToLower(string(s))))
		}
	}
	s := fmt.Sprintf("%s: %d components, %d flows, %d boundaries, %d entry points, %d threats",
		name, r.Summary.Components, r.Summary.Flows, r.Summary.Boundaries, r.Summary.EntryPoints, r.Summary.Threats)
	if len(sev) > 0 {
		s += " (" + strings.Join(sev, ", ") + ")"
	}
	if n := len(r.OpenQuestions); n > 0 {
		s += fmt.Sprintf(", %d open questions", n)
	}
	if n := len(d.Warnings); n > 0 {
		s += fmt.Sprintf(", %d warnings", n)
	}
	if ch := r.Changes; ch != nil {
		s += fmt.Sprintf("; since %s: %d new, %d changed, %d closed", ch.Baseline, len(ch.New)+len(ch.Reopened), len(ch.Changed), len(ch.Closed))
	}
	return s
}

// docDate returns the date for documents: the flag, else SOURCE_DATE_EPOCH,
// else "" (no date) so that output stays reproducible.
func docDate(flag string) (string, error) {
	if flag != "" {
		if _, err := parseDate(flag); err != nil {
			return "", usagef("--date %q: want YYYY-MM-DD", flag)
		}
		return flag, nil
	}
	if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
		sec, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "", usagef("SOURCE_DATE_EPOCH %q is not a number of seconds", v)
		}
		return time.Unix(sec, 0).UTC().Format("2006-01-02"), nil
	}
	return "", nil
}

// progress prints "[n/total] file" on stderr, only when it is a terminal
// and there is more than one file.
type progress struct {
	w     io.Writer
	total int
	n     int
	mu    sync.Mutex
	on    bool
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total}
	if f, ok := w.(*os.File); ok && total > 1 {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) done(file string) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	fmt.Fprintf(p.w, "\r\033[K[%d/%d] %s", p.n, p.total, file)
}

func (p *progress) finish() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func parseDate(s string) (time.Time, error) {
	return time.Parse("2006-01-02", s)
}
