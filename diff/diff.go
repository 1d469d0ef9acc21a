// Package diff compares two states of a threat model (two reports, a
// report and a register, or the reports of two diagrams): which threats
// and entry points are new, removed or changed, matched on their stable
// identity (see docs/identity.md). It renders the result as text, as
// Markdown for a pull-request comment, and as JSON.
package diff

import (
	"github.com/threatmap/threatmap/baseline"
	"github.com/threatmap/threatmap/stride"
)

// Result is the difference between an old and a new threat model.
type Result struct {
	Old string `json:"old"`
	New string `json:"new"`
	// Summary counts each list.
	Summary Summary `json:"summary"`
	// NewThreats are in the new model only; Removed in the old only (an
	// old threat already closed is not listed again); Changed in both
	// with differences.
	NewThreats         []ThreatRef    `json:"new_threats"`
	RemovedThreats     []ThreatRef    `json:"removed_threats"`
	ChangedThreats     []ThreatChange `json:"changed_threats"`
	NewEntryPoints     []EntryRef     `json:"new_entry_points"`
	RemovedEntryPoints []EntryRef     `json:"removed_entry_points"`
	ChangedEntryPoints []EntryChange  `json:"changed_entry_points"`
}

// Summary counts the result's lists.
type Summary struct {
	NewThreats         int `json:"new_threats"`
	RemovedThreats     int `json:"removed_threats"`
	ChangedThreats     int `json:"changed_threats"`
	UnchangedThreats   int `json:"unchanged_threats"`
	NewEntryPoints     int `json:"new_entry_points"`
	RemovedEntryPoints int `json:"removed_entry_points"`
	ChangedEntryPoints int `json:"changed_entry_points"`
	// Worse counts threats new, whose residual risk rose, or that now
	// list an element they did not.
	Worse int `json:"worse"`
}

// ThreatRef names a threat.
type ThreatRef struct {
	ID           string          `json:"id"`
	Rule         string          `json:"rule"`
	Category     stride.Category `json:"category"`
	Element      string          `json:"element"`
	Title        string          `json:"title"`
	Severity     stride.Severity `json:"severity"`
	ResidualRisk stride.Severity `json:"residual_risk"`
	Fingerprint  string          `json:"fingerprint"`
}

// ThreatChange is a threat present on both sides with differences.
type ThreatChange struct {
	ThreatRef
	// NewID is the id on the new side when it differs (a fresh analysis
	// without a baseline); "" otherwise.
	NewID   string   `json:"new_id,omitempty"`
	Changes []string `json:"changes"`
	// Worse is set when the residual risk rose or the threat now lists an
	// element it did not (baseline.Worse).
	Worse bool `json:"worse"`
}

// EntryRef names an entry point.
type EntryRef struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Label     string `json:"label"`
	Direction string `json:"direction"`
}

// EntryChange is an entry point on both sides with differences.
type EntryChange struct {
	EntryRef
	NewID   string   `json:"new_id,omitempty"`
	Changes []string `json:"changes"`
}

func ref(t stride.Threat) ThreatRef {
	return ThreatRef{ID: t.ID, Rule: t.Rule, Category: t.Category, Element: t.ElementName, Title: t.Title,
		Severity: t.Severity, ResidualRisk: t.ResidualRisk, Fingerprint: t.Fingerprint}
}

func epRef(e stride.EntryPoint) EntryRef {
	return EntryRef{ID: e.ID, Name: e.Name, Label: e.Label, Direction: e.Direction}
}

// Compare computes what changed from old to new.
func Compare(old, new *baseline.Baseline) *Result {
	res := &Result{Old: old.File, New: new.File, NewThreats: []ThreatRef{}, RemovedThreats: []ThreatRef{},
		ChangedThreats: []ThreatChange{}, NewEntryPoints: []EntryRef{}, RemovedEntryPoints: []EntryRef{},
		ChangedEntryPoints: []EntryChange{}}
	olds := append(append([]stride.Threat{}, old.Threats...), old.Closed...)
	pairs := baseline.MatchThreats(olds, new.Threats)
	oldOf := map[int]int{}
	paired := make([]bool, len(olds))
	for _, p := range pairs {
		oldOf[p.New] = p.Old
		paired[p.Old] = true
	}
	for i, n := range new.Threats {
		oi, ok := oldOf[i]
		if !ok || oi >= len(old.Threats) {
			// Not in the old model, or closed there: new again.
			res.NewThreats = append(res.NewThreats, ref(n))
			continue
		}
		o := olds[oi]
		ch := baseline.Compare(o, n)
		if len(ch) == 0 {
			res.Summary.UnchangedThreats++
			continue
		}
		tc := ThreatChange{ThreatRef: ref(o), Changes: ch,
			Worse: baseline.Worse(o, n)}
		tc.Severity, tc.ResidualRisk, tc.Title = n.Severity, n.ResidualRisk, n.Title
		if n.ID != o.ID {
			tc.NewID = n.ID
		}
		res.ChangedThreats = append(res.ChangedThreats, tc)
	}
	for i := range old.Threats {
		if !paired[i] {
			res.RemovedThreats = append(res.RemovedThreats, ref(old.Threats[i]))
		}
	}
	epPairs := baseline.MatchEntryPoints(old.EntryPoints, new.EntryPoints)
	epOld := map[int]int{}
	epPaired := make([]bool, len(old.EntryPoints))
	for _, p := range epPairs {
		epOld[p.New] = p.Old
		epPaired[p.Old] = true
	}
	for i, n := range new.EntryPoints {
		oi, ok := epOld[i]
		if !ok {
			res.NewEntryPoints = append(res.NewEntryPoints, epRef(n))
			continue
		}
		o := old.EntryPoints[oi]
		var ch []string
		if o.Label != n.Label {
			ch = append(ch, "label "+quote(o.Label)+" → "+quote(n.Label))
		}
		if o.Direction != n.Direction {
			ch = append(ch, "direction "+o.Direction+" → "+n.Direction)
		}
		if o.Name != n.Name {
			ch = append(ch, "now "+n.Name)
		}
		if len(ch) > 0 {
			ec := EntryChange{EntryRef: epRef(o), Changes: ch}
			ec.Label = n.Label
			if n.ID != o.ID {
				ec.NewID = n.ID
			}
			res.ChangedEntryPoints = append(res.ChangedEntryPoints, ec)
		}
	}
	for i, o := range old.EntryPoints {
		if !epPaired[i] {
			res.RemovedEntryPoints = append(res.RemovedEntryPoints, epRef(o))
		}
	}
	s := &res.Summary
	s.NewThreats, s.RemovedThreats, s.ChangedThreats = len(res.NewThreats), len(res.RemovedThreats), len(res.ChangedThreats)
	s.NewEntryPoints, s.RemovedEntryPoints, s.ChangedEntryPoints = len(res.NewEntryPoints), len(res.RemovedEntryPoints), len(res.ChangedEntryPoints)
	s.Worse = s.NewThreats
	for _, c := range res.ChangedThreats {
		if c.Worse {
			s.Worse++
		}
	}
	return res
}

func quote(s string) string {
	if s == "" {
		return "(none)"
	}
	return "\"" + s + "\""
}

// Gate returns the threats, new or worse than before, whose residual risk
// is at least sev (stride severity name), as "ID Severity [element] title".
func (r *Result) Gate(sev stride.Severity) []string {
	var out []string
	min := sev.Rank()
	for _, t := range r.NewThreats {
		if t.ResidualRisk.Rank() >= min {
			out = append(out, t.ID+" "+string(t.ResidualRisk)+" (new) ["+t.Element+"] "+t.Title)
		}
	}
	for _, t := range r.ChangedThreats {
		if t.Worse && t.ResidualRisk.Rank() >= min {
			out = append(out, t.ID+" "+string(t.ResidualRisk)+" (worse) ["+t.Element+"] "+t.Title)
		}
	}
	return out
}
