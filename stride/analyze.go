package stride

import (
	"fmt"
	"runtime"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// Options control Analyze.
type Options struct {
	// Config overrides kinds, trust levels, sensitivity and controls; nil
	// for none.
	Config *Config
	// Rules, when non-nil, is the compiled rule set to use instead of
	// DefaultRules (see LoadRules for adding rule files).
	Rules []Rule
	// Generator is written to Report.Generator ("threatmap v1.2.3").
	Generator string
	// SourceSHA256 is the hex SHA-256 of the input file.
	SourceSHA256 string
	// Date is the run's date (YYYY-MM-DD) against which configuration
	// decisions expire; "" for none (no decision expires).
	Date string
	// Unfolded keeps one threat per rule and element: neither one rule's
	// threats on sibling elements (group.go) nor different rules' threats
	// of one concern (concern.go) are folded, as a rule's examples are
	// checked.
	Unfolded bool
}

// analysis is the state of one Analyze call. Its stages run in order, each
// in its own file:
//
//	classify, readFlows   elements.go     kinds, zones, stated facts
//	placeOutsiders,       placement.go    zones of what is drawn outside every
//	crossFlows                            boundary; crossings, the implicit boundary
//	distrustOutsideCallers trustframe.go  callers drawn outside a drawn trust boundary
//	propagate             propagate.go    sensitivity, edge controls, untrusted input
//	readClientApps        clientapp.go    browsers that run the system's own code
//	creditCatalogControls controls.go     controls the technologies build in
//	entryPoints           entrypoints.go  crossing flows numbered EP-01, ...
//	buildEnvs             ruleenv.go      the Env every rule reads
//	applyRules            match.go        conditions, then threat.go per match
//	groupConcerns         group.go        one threat per concern on sibling elements
//	foldConcerns          concern.go      one threat per concern across rules on the same elements
//	report                buildreport.go  ordering, numbering, the Report
type analysis struct {
	d      *graph.Diagram
	cfg    *Config
	bounds map[string]*boundaryInfo
	comps  []*compInfo
	byID   map[string]*compInfo
	flows  []*flowInfo
	eps    []*flowInfo
	// byKind groups components by kind.
	byKind map[string][]*compInfo
	// interEnvs are the flows' Envs as interactions', in flow order, made
	// only for rules that read Element (interactionEnvs); nil otherwise.
	interEnvs []Env
	// sysEnv is the Env of the system as a whole (system.go), which
	// "system" rules read.
	sysEnv *Env
	// assumptions the analysis made that the diagram does not state.
	assumptions []string
	// wordWarnings say where the words were read as something the
	// diagram does not state exactly: a misspelt technology, a process
	// read as a data store (report warnings).
	wordWarnings []string
	// workers bounds the goroutines applyRules uses.
	workers int
	// hardening memoises techHardening (buildEnvs, one goroutine).
	hardening map[*catalog.Tech]Hardening
	// scope counts the threats not raised on out-of-scope elements
	// (scope.go); nil when nothing is out of scope.
	scope *scopeState
}

// Analyze runs the STRIDE pass over d. It does not modify d (beyond the
// lookup index graph.Diagram keeps for itself).
func Analyze(d *graph.Diagram, opts Options) (*Report, error) {
	if d == nil {
		return nil, fmt.Errorf("stride: nil diagram")
	}
	if err := d.Validate(); err != nil {
		return nil, &graph.InputError{File: d.File, Msg: err.Error(), Err: err}
	}
	rules := opts.Rules
	if rules == nil {
		rules = DefaultRules()
	}
	a := &analysis{d: d, cfg: opts.Config, workers: runtime.GOMAXPROCS(0)}
	a.readContext()
	matched, err := a.applyRules(rules)
	if err != nil {
		return nil, err
	}
	var threats []*threatCand
	if opts.Unfolded {
		threats, err = a.unfolded(matched)
	} else if threats, err = a.groupConcerns(matched); err == nil {
		threats = a.foldConcerns(threats)
	}
	if err != nil {
		return nil, err
	}
	r := a.report(opts, threats)
	Finish(r)
	// Decisions come last: they name threats by id and keep the scores.
	r.Warnings = append(r.Warnings, applyDecisions(r, opts.Config, opts.Date)...)
	if opts.Config != nil && !opts.Config.Document.Empty() {
		doc := opts.Config.Document
		r.Document = &doc
	}
	return r, nil
}

// readContext reads everything the rules are evaluated against, in the
// order each step needs the ones before it: what each element is, what
// its flows carry, who sits outside, what crosses a boundary, which
// controls are shown, the entry points, and finally one Env per element
// and flow. Tests that look at Envs call it too, so that they see what
// Analyze's rules see.
func (a *analysis) readContext() {
	a.classify()
	a.readFlows()
	a.readClientApps()
	a.placeOutsiders()
	a.distrustOutsideCallers()
	a.markLocal()
	a.crossFlows()
	a.pairResponses()
	a.propagate()
	a.readDeviceInterfaces()
	a.creditCatalogControls()
	a.entryPoints()
	a.buildEnvs()
}
