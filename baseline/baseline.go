// Package baseline reads what an earlier run produced and people edited,
// a previous *.threats.json report or a *.risk-register.xlsx register,
// and carries it over to a new report: ids, fingerprints and every
// decision (status, treatment, owner, dates, ticket, notes, likelihood and
// impact overrides). Threats are matched on their identity (see
// docs/identity.md): a threat that no longer appears is kept as Closed, a
// new one is marked new.
package baseline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
)

// Baseline is the previous state of a threat model.
type Baseline struct {
	// File names the baseline as given.
	File string
	// System is the system name recorded in the baseline, "" if unknown.
	System string
	// Threats are the threats that were open; Closed those already closed
	// (still matched, so that a threat that comes back keeps its id).
	Threats []stride.Threat
	Closed  []stride.Threat
	// EntryPoints are the baseline's entry points; NoEntryPoints is set
	// when the baseline does not say (a register without its Entry Points
	// sheet), so that no entry point is reported new or removed.
	EntryPoints   []stride.EntryPoint
	NoEntryPoints bool
}

// MaxSize bounds the size of a baseline file.
const MaxSize = 64 << 20

// Load reads a baseline from path: a register when it ends in .xlsx, else
// a JSON report. name is how to name the file in messages and outputs
// (as given relative to the working directory).
func Load(path, name string) (*Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &graph.InputError{File: name, Msg: "cannot read baseline: " + errText(err), Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, &graph.InputError{File: name, Msg: "cannot read baseline: " + errText(err), Err: err}
	}
	if len(data) > MaxSize {
		return nil, graph.Errorf(name, graph.Position{}, "baseline is larger than %d MiB", MaxSize>>20)
	}
	if strings.EqualFold(filepath.Ext(path), ".xlsx") || bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return ReadRegister(name, bytes.NewReader(data))
	}
	return ReadJSON(name, bytes.NewReader(data))
}

func errText(err error) string {
	var pe *os.PathError
	if ok := asPathError(err, &pe); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

func asPathError(err error, pe **os.PathError) bool {
	p, ok := err.(*os.PathError)
	if ok {
		*pe = p
	}
	return ok
}

// ReadJSON reads a threatmap JSON report as a baseline. Reports written
// before threats had fingerprints get them from their components and
// flows.
func ReadJSON(name string, r io.Reader) (*Baseline, error) {
	var rep stride.Report
	dec := json.NewDecoder(r)
	if err := dec.Decode(&rep); err != nil {
		pos := graph.Position{}
		if se, ok := err.(*json.SyntaxError); ok {
			pos.Column = int(se.Offset)
		}
		return nil, graph.Wrap(name, pos, "not a threatmap JSON report", err)
	}
	if rep.SchemaVersion == "" || rep.Threats == nil && rep.Components == nil {
		return nil, graph.Errorf(name, graph.Position{}, "not a threatmap JSON report (no schema_version or threats)")
	}
	missing := false
	for _, t := range rep.Threats {
		if t.Fingerprint == "" {
			missing = true
		}
	}
	if missing {
		ids := make([]string, len(rep.Threats))
		for i, t := range rep.Threats {
			ids[i] = t.ID
		}
		epIDs := make([]string, len(rep.EntryPoints))
		for i, ep := range rep.EntryPoints {
			epIDs[i] = ep.ID
		}
		stride.Identify(&rep)
		// Identify does not renumber: the report's ids stay as they were.
		for i := range rep.Threats {
			rep.Threats[i].ID = ids[i]
		}
		for i := range rep.EntryPoints {
			rep.EntryPoints[i].ID = epIDs[i]
		}
	}
	for i, t := range rep.Threats {
		if t.ID == "" {
			return nil, graph.Errorf(name, graph.Position{}, "threat %d has no id", i+1)
		}
	}
	b := &Baseline{File: name, System: rep.System, Threats: rep.Threats, EntryPoints: rep.EntryPoints}
	for _, t := range rep.Closed {
		if t.Tracking == nil {
			t.Tracking = &stride.Tracking{}
		}
		t.Tracking.Status = StatusClosed
		b.Closed = append(b.Closed, t)
	}
	return b, nil
}

// StatusClosed is the status of a threat that is no longer in the diagram.
const StatusClosed = "Closed"

// mergeConfigDecision returns tr, the people's tracking from the baseline,
// with the configuration's decision cfg (nil for none) where they decided
// no status: a person's decision in the register or baseline wins over
// the configuration. nil when nothing is left.
func mergeConfigDecision(tr stride.Tracking, cfg *stride.Tracking) *stride.Tracking {
	if cfg != nil && tr.Status == "" {
		tr.Status, tr.Treatment, tr.Justification, tr.Source = cfg.Status, cfg.Treatment, cfg.Justification, cfg.Source
		tr.Config = cfg.Config
		if tr.Owner == "" {
			tr.Owner = cfg.Owner
		}
	}
	if tr.Empty() {
		return nil
	}
	return &tr
}

// withoutConfig returns tr, a baseline's tracking, without what the
// configuration of that run decided, leaving what people typed: the
// status, treatment, justification and owner still equal to the recorded
// decision (tr.Config) are the configuration's; one a person changed is
// theirs. A tracking marked as the configuration's without the record (a
// report written before it was kept) loses all four.
func withoutConfig(tr stride.Tracking) stride.Tracking {
	switch c := tr.Config; {
	case c != nil:
		if tr.Status == c.Status {
			tr.Status = ""
		}
		if tr.Treatment == stride.DecisionTreatment(c.Status) {
			tr.Treatment = ""
		}
		if tr.Justification == c.Reason {
			tr.Justification = ""
		}
		if tr.Owner == c.Owner {
			tr.Owner = ""
		}
	case tr.Source == stride.TrackingSourceConfig:
		tr.Status, tr.Treatment, tr.Justification, tr.Owner = "", "", "", ""
	}
	tr.Source, tr.Config = "", nil
	return tr
}

// closedNote is the history entry of a threat that disappeared.
const closedNote = "closed: no longer in the diagram"

// Apply carries the baseline over to r: matched threats and entry points
// keep their ids and fingerprints and take the people's decisions (with
// scores recomputed from overrides); threats of the baseline that are
// gone are kept in r.Closed; r.Changes lists what changed. date, when not
// empty, stamps history entries.
func Apply(r *stride.Report, b *Baseline, date string) {
	old := make([]stride.Threat, 0, len(b.Threats)+len(b.Closed))
	old = append(old, b.Threats...)
	old = append(old, b.Closed...)
	pairs := MatchThreats(old, r.Threats)
	ch := &stride.Changes{Baseline: b.File, New: []string{}, Changed: []string{}, Reopened: []string{},
		Closed: []string{}, Worse: []string{}, EntryPointsNew: []string{}, EntryPointsRemoved: []string{}}
	num := &stride.Numbering{Threats: map[string]string{}, EntryPoints: map[string]string{}}
	newOf := make(map[int]int, len(pairs)) // new index -> old index
	oldPaired := make([]bool, len(old))
	for _, p := range pairs {
		newOf[p.New] = p.Old
		oldPaired[p.Old] = true
	}
	stamp := func(s string) string {
		if date != "" {
			return date + ": " + s
		}
		return s
	}
	for i := range r.Threats {
		t := &r.Threats[i]
		oi, ok := newOf[i]
		if !ok {
			t.Change = stride.ChangeNew
			continue
		}
		o := old[oi]
		if o.Fingerprint != "" {
			t.Fingerprint = o.Fingerprint
		}
		num.Threats[t.Fingerprint] = o.ID
		reopened := oi >= len(b.Threats) || (o.Tracking != nil && o.Tracking.Status == StatusClosed)
		if o.Tracking != nil {
			tr := *o.Tracking
			tr.History = append([]string(nil), o.Tracking.History...)
			// The configuration of this run decides again: a decision
			// removed from it must not live on through the baseline.
			tr = withoutConfig(tr)
			if reopened {
				tr.Status = ""
				tr.History = append(tr.History, stamp("reopened: back in the diagram"))
			}
			t.Tracking = mergeConfigDecision(tr, t.Tracking)
		}
		stride.ApplyOverrides(t)
		switch {
		case reopened:
			t.Change = stride.ChangeReopened
		case len(Compare(o, *t)) > 0:
			t.Change = stride.ChangeChanged
		default:
			t.Change = stride.ChangeUnchanged
		}
	}
	// Threats of the baseline that are gone stay, closed, ids reserved.
	for i, o := range old {
		if oldPaired[i] {
			continue
		}
		c := o
		tr := stride.Tracking{}
		if o.Tracking != nil {
			tr = *o.Tracking
			tr.History = append([]string(nil), o.Tracking.History...)
		}
		if tr.Status != StatusClosed {
			tr.Status = StatusClosed
			tr.History = append(tr.History, stamp(closedNote))
			ch.Closed = append(ch.Closed, o.ID)
		}
		c.Tracking = &tr
		c.Status = StatusClosed
		c.Change = stride.ChangeClosed
		r.Closed = append(r.Closed, c)
		num.Reserved = append(num.Reserved, o.ID)
	}
	stride.SortThreatsByID(r.Closed)
	// Entry points.
	epPairs := MatchEntryPoints(b.EntryPoints, r.EntryPoints)
	epNew := map[int]int{}
	epOld := make([]bool, len(b.EntryPoints))
	for _, p := range epPairs {
		epNew[p.New] = p.Old
		epOld[p.Old] = true
	}
	for i := range r.EntryPoints {
		ep := &r.EntryPoints[i]
		if b.NoEntryPoints {
			continue
		}
		if oi, ok := epNew[i]; ok {
			o := b.EntryPoints[oi]
			if o.Fingerprint != "" {
				ep.Fingerprint = o.Fingerprint
			}
			num.EntryPoints[ep.Fingerprint] = o.ID
			ep.Change = stride.ChangeUnchanged
		} else {
			ep.Change = stride.ChangeNew
		}
	}
	for i, o := range b.EntryPoints {
		if !epOld[i] {
			ch.EntryPointsRemoved = append(ch.EntryPointsRemoved, o.ID)
			num.Reserved = append(num.Reserved, o.ID)
		}
	}
	stride.Renumber(r, num)
	for i, t := range r.Threats {
		switch t.Change {
		case stride.ChangeNew:
			ch.New = append(ch.New, t.ID)
		case stride.ChangeChanged:
			ch.Changed = append(ch.Changed, t.ID)
		case stride.ChangeReopened:
			ch.Reopened = append(ch.Reopened, t.ID)
		default:
			ch.Unchanged++
		}
		if oi, ok := newOf[i]; ok && Worse(old[oi], t) {
			ch.Worse = append(ch.Worse, t.ID)
		}
	}
	for _, ep := range r.EntryPoints {
		if ep.Change == stride.ChangeNew {
			ch.EntryPointsNew = append(ch.EntryPointsNew, ep.ID)
		}
	}
	for _, l := range [][]string{ch.New, ch.Changed, ch.Reopened, ch.Closed, ch.Worse, ch.EntryPointsNew, ch.EntryPointsRemoved} {
		stride.SortIDs(l)
	}
	r.Changes = ch
}

// Compare lists what differs between an old and a new version of the same
// threat, in words: severities, title, existing controls, status.
func Compare(o, n stride.Threat) []string {
	var out []string
	if o.Severity != "" && o.Severity != n.Severity {
		out = append(out, fmt.Sprintf("severity %s → %s", o.Severity, n.Severity))
	}
	if o.ResidualRisk != "" && o.ResidualRisk != n.ResidualRisk {
		out = append(out, fmt.Sprintf("residual risk %s → %s", o.ResidualRisk, n.ResidualRisk))
	}
	if o.Title != "" && o.Title != n.Title {
		out = append(out, "title changed")
	}
	if added := addedElements(o, n); len(added) > 0 {
		out = append(out, fmt.Sprintf("now also on %d more element(s)", len(added)))
	}
	// Controls are compared when the old side knows them (a JSON report).
	if o.ExistingControls != nil {
		added, removed := setDiff(o.ExistingControls, n.ExistingControls)
		if len(added) > 0 {
			out = append(out, "existing controls added: "+strings.Join(stride.ControlNames(added), ", "))
		}
		if len(removed) > 0 {
			out = append(out, "existing controls removed: "+strings.Join(stride.ControlNames(removed), ", "))
		}
	}
	return out
}

func setDiff(a, b []string) (added, removed []string) {
	in := func(s []string, x string) bool {
		for _, y := range s {
			if y == x {
				return true
			}
		}
		return false
	}
	for _, x := range b {
		if !in(a, x) {
			added = append(added, x)
		}
	}
	for _, x := range a {
		if !in(b, x) {
			removed = append(removed, x)
		}
	}
	return added, removed
}

// FromReport is the baseline view of a report: its open and closed
// threats and its entry points, as a later run would read them back.
func FromReport(name string, r *stride.Report) *Baseline {
	b := &Baseline{File: name, System: r.System, Threats: r.Threats, EntryPoints: r.EntryPoints}
	b.Closed = append(b.Closed, r.Closed...)
	return b
}
