package stride

import "sort"

// Tracking is what people decided about a threat in the register or a
// previous report: it is carried over to the matching threat of the next
// run (see package baseline). Empty fields mean "not decided".
type Tracking struct {
	// Status, when set, is the owner's status, which replaces the one the
	// analysis derives from the diagram's controls: Open, In progress,
	// Mitigated, Accepted, Transferred, Closed.
	Status string `json:"status,omitempty"`
	// Treatment is Mitigate, Accept, Transfer or Avoid; Justification says
	// why (required by most policies for Accept and Transfer).
	Treatment     string `json:"treatment,omitempty"`
	Justification string `json:"justification,omitempty"`
	Owner         string `json:"owner,omitempty"`
	DueDate       string `json:"due_date,omitempty"`
	ReviewDate    string `json:"review_date,omitempty"`
	Approver      string `json:"approver,omitempty"`
	Ticket        string `json:"ticket,omitempty"`
	Notes         string `json:"notes,omitempty"`
	// Likelihood and Impact, when non-zero, override the analysis'
	// inherent values; ResidualLikelihood and ResidualImpact the residual
	// ones. Scores and severities follow.
	Likelihood         int `json:"likelihood,omitempty"`
	Impact             int `json:"impact,omitempty"`
	ResidualLikelihood int `json:"residual_likelihood,omitempty"`
	ResidualImpact     int `json:"residual_impact,omitempty"`
	// History records what happened to the threat across runs, oldest
	// first ("closed: no longer in the diagram").
	History []string `json:"history,omitempty"`
	// Extra holds register columns people added (header → value), so that
	// nothing typed in the register is lost.
	Extra map[string]string `json:"extra,omitempty"`
	// Source is TrackingSourceConfig when the decision (Status, Treatment,
	// Justification, Owner) comes from the configuration's "threats"
	// section; "" when a person made it in the register or a baseline.
	Source string `json:"source,omitempty"`
	// Config is what the configuration decided, as it was applied (its
	// status, owner and reason), kept beside the fields above so that a
	// run reading this one back (a register or a report as a baseline)
	// can tell the configuration's values from a person's edits: the
	// fields still equal to it are the configuration's and follow the
	// configuration of that run; the others are a person's and win.
	Config *ConfigDecision `json:"config,omitempty"`
}

// ConfigDecision is the configuration's decision on a threat as recorded
// in Tracking.Config.
type ConfigDecision struct {
	// Status is StatusAccepted or StatusTransferred.
	Status string `json:"status"`
	Owner  string `json:"owner,omitempty"`
	Reason string `json:"reason"`
}

// Empty reports whether nothing was decided.
func (t *Tracking) Empty() bool {
	return t == nil || (t.Status == "" && t.Treatment == "" && t.Justification == "" && t.Owner == "" &&
		t.DueDate == "" && t.ReviewDate == "" && t.Approver == "" && t.Ticket == "" && t.Notes == "" &&
		t.Likelihood == 0 && t.Impact == 0 && t.ResidualLikelihood == 0 && t.ResidualImpact == 0 && len(t.History) == 0 &&
		len(t.Extra) == 0 && t.Source == "" && t.Config == nil)
}

// Assessment is what the analysis derived for a threat, before owners'
// overrides.
type Assessment struct {
	Status             string `json:"status"`
	Likelihood         int    `json:"likelihood"`
	Impact             int    `json:"impact"`
	ResidualLikelihood int    `json:"residual_likelihood"`
	ResidualImpact     int    `json:"residual_impact"`
}

// AnalysisValues returns what the analysis derived for t: t.Analysis when
// an override replaced it, else t's own values.
func AnalysisValues(t *Threat) Assessment {
	if t.Analysis != nil {
		return *t.Analysis
	}
	return Assessment{Status: t.Status, Likelihood: t.Likelihood, Impact: t.Impact,
		ResidualLikelihood: t.ResidualLikelihood, ResidualImpact: t.ResidualImpact}
}

// Changes summarises a run against its baseline.
type Changes struct {
	// Baseline names the baseline file as given (relative or base name).
	Baseline string `json:"baseline"`
	// New, Changed, Reopened and Closed list threat ids; Unchanged counts
	// the rest.
	New       []string `json:"new"`
	Changed   []string `json:"changed"`
	Reopened  []string `json:"reopened"`
	Closed    []string `json:"closed"`
	Unchanged int      `json:"unchanged"`
	// Worse lists threats whose residual severity rose since the baseline,
	// or that now list an element they did not (the same concern on more
	// of the system).
	Worse []string `json:"worse"`
	// EntryPointsNew and EntryPointsRemoved list entry point ids.
	EntryPointsNew     []string `json:"entry_points_new"`
	EntryPointsRemoved []string `json:"entry_points_removed"`
}

// Change values of Threat.Change and EntryPoint.Change.
const (
	ChangeNew       = "new"
	ChangeChanged   = "changed"
	ChangeUnchanged = "unchanged"
	ChangeClosed    = "closed"
	ChangeReopened  = "reopened"
)

// Finish completes a report after the STRIDE pass: default residual
// impact, identities and fingerprints, and ids derived from them.
func Finish(r *Report) {
	for i := range r.Threats {
		if r.Threats[i].ResidualImpact == 0 {
			r.Threats[i].ResidualImpact = r.Threats[i].Impact
		}
	}
	Identify(r)
	Renumber(r, nil)
}

// ApplyOverrides recomputes a threat's scores after an owner changed its
// likelihood or impact: the inherent values as given, the residual
// likelihood lowered by as much as the existing controls lowered it
// before (unless the owner gave it too), severities from the bands. It
// may be called again after t.Tracking changed: it starts from t.Analysis
// when an earlier call overrode t.
func ApplyOverrides(t *Threat) {
	tr := t.Tracking
	if tr == nil {
		return
	}
	if a := t.Analysis; a != nil {
		// Overridden before (a configuration decision the baseline now
		// merges with): start again from what the analysis derived.
		t.Status, t.Likelihood, t.Impact = a.Status, a.Likelihood, a.Impact
		t.ResidualLikelihood, t.ResidualImpact = a.ResidualLikelihood, a.ResidualImpact
		t.Analysis = nil
	}
	if tr.Likelihood > 0 || tr.Impact > 0 || tr.ResidualLikelihood > 0 || tr.ResidualImpact > 0 || tr.Status != "" {
		t.Analysis = &Assessment{Status: t.Status, Likelihood: t.Likelihood, Impact: t.Impact,
			ResidualLikelihood: t.ResidualLikelihood, ResidualImpact: t.ResidualImpact}
	}
	reduce := t.Likelihood - t.ResidualLikelihood
	if tr.Likelihood > 0 {
		t.Likelihood = clamp(tr.Likelihood)
	}
	if tr.Impact > 0 {
		t.Impact = clamp(tr.Impact)
	}
	t.Score = t.Likelihood * t.Impact
	t.Severity = Band(t.Score)
	t.ResidualLikelihood = clamp(t.Likelihood - reduce)
	if tr.ResidualLikelihood > 0 {
		t.ResidualLikelihood = clamp(tr.ResidualLikelihood)
	}
	t.ResidualImpact = t.Impact
	if tr.ResidualImpact > 0 {
		t.ResidualImpact = clamp(tr.ResidualImpact)
	}
	t.ResidualScore = t.ResidualLikelihood * t.ResidualImpact
	t.ResidualRisk = Band(t.ResidualScore)
	if tr.Status != "" {
		t.Status = tr.Status
	}
}

// SortThreatsByID sorts threats by id (see LessID).
func SortThreatsByID(ts []Threat) {
	sort.SliceStable(ts, func(i, j int) bool { return LessID(ts[i].ID, ts[j].ID) })
}
