package stride

import (
	"slices"
	"sort"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// Statuses of a threat. The analysis derives the first three from the
// existing controls; Accepted and Transferred come from people: the
// configuration (threats: accept/transfer) or the register and baseline
// (Tracking.Status).
const (
	StatusUnmitigated = "Unmitigated"
	StatusPartial     = "Partial"
	StatusMitigated   = "Mitigated"
	StatusAccepted    = "Accepted"
	StatusTransferred = "Transferred"
)

// Roadmap classes of a recommended control, as a security architect's
// report plans them.
const (
	// RoadmapQuickWin is a small-effort control on a medium or higher
	// residual risk: do it this sprint.
	RoadmapQuickWin = "Quick win"
	// RoadmapArchitectural is a large-effort change to the design: plan it
	// as a design change.
	RoadmapArchitectural = "architectural change"
	// RoadmapPlanned is every other control: plan it this quarter.
	RoadmapPlanned = "planned"
)

// Efforts of a mitigation: S is a quick win (days), M moderate (weeks), L
// architectural (months, a change to the design). DefaultEffort is what a
// rule's mitigation without an effort gets.
const (
	EffortQuickWin      = "S"
	EffortModerate      = "M"
	EffortArchitectural = "L"
	DefaultEffort       = EffortModerate
)

// EffortName names an effort for people: "quick win", "moderate",
// "architectural"; the effort itself when unknown.
func EffortName(effort string) string {
	switch effort {
	case EffortQuickWin:
		return "quick win"
	case EffortModerate:
		return "moderate"
	case EffortArchitectural:
		return "architectural"
	}
	return effort
}

// MitigationPriority is the priority of a control of the given effort
// against a residual risk: a critical risk is P1 whatever it costs; on a
// high risk a quick win is P1 and anything larger P2; on a medium risk a
// quick win is P2 and anything larger P3; a low risk is P4.
func MitigationPriority(residual Severity, effort string) string {
	p := residual.Priority()
	if p == "" {
		return ""
	}
	switch residual {
	case SeverityHigh, SeverityMedium:
		if effort != EffortQuickWin {
			return "P" + string(p[1]+1)
		}
	}
	return p
}

// PlannedControl is one recommended control with the threats it addresses.
type PlannedControl struct {
	Mitigation
	// Threats are the IDs of the threats it addresses, in the order given.
	Threats []string
	// Risk is the highest residual risk among them.
	Risk Severity
	// Roadmap is RoadmapQuickWin, RoadmapArchitectural or RoadmapPlanned.
	Roadmap string
}

// PlanControls groups the mitigations of threats by control text, each
// control once with the most urgent priority recommended for it, sorted by
// priority, then quick wins before planned controls before architectural
// changes, then by first appearance in threats.
func PlanControls(threats []Threat) []PlannedControl {
	index := map[string]int{}
	var out []PlannedControl
	for _, t := range threats {
		for _, m := range t.Mitigations {
			i, ok := index[m.Control]
			if !ok {
				i = len(out)
				index[m.Control] = i
				out = append(out, PlannedControl{Mitigation: m})
			}
			c := &out[i]
			if m.Priority != "" && (c.Priority == "" || m.Priority < c.Priority) {
				c.Priority = m.Priority
			}
			c.Threats = append(c.Threats, t.ID)
			c.Risk = MaxSeverity(c.Risk, t.ResidualRisk)
		}
	}
	for i := range out {
		out[i].Roadmap = RoadmapClass(out[i].Effort, out[i].Risk)
	}
	rank := map[string]int{RoadmapQuickWin: 0, RoadmapPlanned: 1, RoadmapArchitectural: 2}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Priority != out[j].Priority {
			return out[i].Priority < out[j].Priority
		}
		return rank[out[i].Roadmap] < rank[out[j].Roadmap]
	})
	return out
}

// RoadmapClass classifies a control by its effort and the highest residual
// risk it addresses: small effort on a medium or higher risk is a quick
// win (this sprint), large effort an architectural change (a design
// change), the rest planned (this quarter).
func RoadmapClass(effort string, risk Severity) string {
	switch {
	case effort == EffortQuickWin && risk.Rank() >= SeverityMedium.Rank():
		return RoadmapQuickWin
	case effort == EffortArchitectural:
		return RoadmapArchitectural
	}
	return RoadmapPlanned
}

// CreditedControl is an existing control credited on a threat: what it
// does to the threat and where the analysis found it.
type CreditedControl struct {
	// Control is the control id (see Env.Controls).
	Control string `json:"control"`
	// Effect is what it does to the threat: "addresses the threat"
	// (residual likelihood 1), "lowers likelihood by 1", "lowers impact by
	// 2", or, for network isolation, "lowers likelihood by 1 (isolation)".
	Effect string `json:"effect"`
	// Source says where it comes from, naming the element: "diagram: Web →
	// API: encrypted: protocol HTTPS", "catalog: Trusted Firmware-M
	// provides hardware-isolation: ...", "configuration: ...".
	Source string `json:"source"`
}

// String is "control (effect; source)".
func (c CreditedControl) String() string {
	return c.Control + " (" + c.Effect + "; " + c.Source + ")"
}

// catalogSource is the source of a control a technology's catalog entry
// provides.
func catalogSource(t *catalog.Tech, p catalog.Provided) string {
	if !p.ByDefault() {
		return "catalog: " + t.Name + " " + catalogOffers + p.Control + ": " + p.Note
	}
	return "catalog: " + t.Name + " provides " + p.Control + ": " + p.Note
}

// catalogOffers marks the source of a control the catalog says the
// technology offers but deployments configure (catalog.Provided.Default
// unset): the diagram does not show it enabled, so it lowers likelihood
// by one point at most and never alone mitigates (applyControls).
const catalogOffers = "offers (the diagram does not show it enabled) "

// offeredOnly reports whether a control's source is a catalog offer
// the diagram does not show enabled.
func offeredOnly(source string) bool {
	return strings.HasPrefix(source, "catalog: ") && strings.Contains(source, catalogOffers)
}

// creditCatalogControls credits the controls each component's technology
// provides with a scope (catalog.Provided.To), before the Envs are built:
//
//   - self: on the component, so on its own threats and, as every control
//     of a component, on the flows into it (built-in enforcement of the
//     requests made to it);
//   - outbound: on the flows out of it (what it sends is signed, or sent
//     with its own cloud identity);
//   - contained: on the components drawn inside its box and on the flows
//     they start (their inbound flows get it as a control of their target).
//
// A technology's control for others (a WAF's filtering, a CDN's DDoS
// protection) is never credited on itself: only controls the catalog
// scopes "self" are, and the catalog gives that scope only to enforcement
// the technology applies to its own data and callers.
func (a *analysis) creditCatalogControls() {
	for _, ci := range a.comps {
		t := ci.tech
		if t == nil {
			continue
		}
		var inside []*compInfo
		for _, p := range t.Provides {
			if len(p.To) == 0 {
				continue
			}
			src := catalogSource(t, p)
			if p.Credited(catalog.ScopeSelf) {
				ci.addControl(p.Control, src)
				if p.Control == "encryption-at-rest" {
					ci.atRestInfo = true
				}
			}
			if p.Credited(catalog.ScopeOutbound) {
				for _, fi := range ci.out {
					if outboundApplies(p, fi) {
						fi.addControl(p.Control, src)
					}
				}
			}
			if p.Credited(catalog.ScopeContained) {
				if inside == nil {
					inside = a.containedIn(ci)
				}
				for _, x := range inside {
					x.addControl(p.Control, src)
					for _, fi := range x.out {
						fi.addControl(p.Control, src)
					}
				}
			}
		}
	}
}

// outboundApplies reports whether an outbound credit reaches flow fi: its
// target is a technology of the provider p.Toward names, and its label
// names what p.Carrying says, when they are set.
func outboundApplies(p catalog.Provided, fi *flowInfo) bool {
	if p.Toward != "" && (fi.dst.tech == nil || fi.dst.tech.Provider != p.Toward) {
		return false
	}
	if p.Carrying == catalog.CarryingTokens {
		kws := tagsOf(newWords(fi.f.Label), flowTags)
		return kws[TagToken] || kws[TagLogin]
	}
	return true
}

// containedIn lists the components drawn inside ci's box: those whose
// boundary chain includes a boundary with ci's id (an importer keeps a
// container that is also an endpoint of flows as a component and a
// boundary of the same id), in diagram order. It returns a non-nil slice.
func (a *analysis) containedIn(ci *compInfo) []*compInfo {
	out := []*compInfo{}
	if a.d.Boundary(ci.c.ID) == nil {
		return out
	}
	for _, x := range a.comps {
		if x == ci || x.c.Boundary == "" {
			continue
		}
		for _, b := range a.d.BoundaryChain(x.c.Boundary) {
			if b == ci.c.ID {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

// reachesFromCallee reports whether control c of the flow's target counts
// on the flow, as built-in enforcement of the requests made to it. Every
// control does, with two exceptions. A target's hardware isolation does
// not count on a flow from a physical port or medium of the device (a
// UART, a debug port, external flash) or from the internet: the isolation
// hardware keeps the target's memory apart from other execution worlds of
// the same chip, not what travels on a wire, a bus or a network, where
// someone with hands on the board or a network position reads and changes
// it. And no control of the target counts on a flow from a hardware debug
// port (JTAG, SWD, a debug probe): the port halts the processor and reads
// and writes its memory below any software, so the target's input
// validation, signature checks and isolation never see what it does; only
// a control stated on the flow itself (debug authentication, a locked or
// fused-off port) answers it. Controls stated on the flow still count
// (fi.controls).
//
// It is asked of a flow read as call k (callers.go): the callee's control
// c against what the caller sends.
func (k call) reachesFromCallee(c string) bool {
	if k.caller.debugPort {
		return false
	}
	if c != "hardware-isolation" {
		return true
	}
	return k.caller.local != localPhysical && !k.caller.onInternet()
}

// controlView is what applyControls reads about the element a threat is
// on: the controls it shows and where each comes from (source). It is made
// for every match, so it holds what source needs rather than a closure
// over it (an allocation per match).
type controlView struct {
	controls []string
	// flow or comp is the element; neither for the system as a whole.
	flow *flowInfo
	comp *compInfo
	// callers are the controls credited to comp because every flow into
	// it carries them; byCallers says the rule credits what callers do
	// (Rule.ByCallers) rather than their authentication.
	callers   []string
	byCallers bool
}

func (v controlView) has(c string) bool {
	for _, x := range v.controls {
		if x == c {
			return true
		}
	}
	return false
}

// source says where the element's control c comes from.
func (v controlView) source(c string) string {
	if fi := v.flow; fi != nil {
		if why, ok := fi.ctrlWhy[c]; ok {
			return sourceText(fi.name(), why)
		}
		if why, ok := fi.dst.ctrlWhy[c]; ok {
			return sourceText(fi.dst.label, why)
		}
		if why, ok := fi.src.ctrlWhy[c]; ok {
			return sourceText(fi.src.label, why)
		}
		return "diagram: " + fi.name()
	}
	ci := v.comp
	if ci == nil {
		return "diagram"
	}
	if why, ok := ci.ctrlWhy[c]; ok {
		return sourceText(ci.label, why)
	}
	for _, x := range v.callers {
		if x == c {
			if v.byCallers {
				return "diagram: every flow into " + ci.label + " carries " + ControlName(c) + " (" + callerAuthWhy(ci, c) + ")"
			}
			return "diagram: every flow into " + ci.label + " authenticates its caller: " + ControlName(c) + " (" + callerAuthWhy(ci, c) + ")"
		}
	}
	for _, fi := range ci.out {
		if why, ok := fi.ctrlWhy[c]; ok {
			return "diagram: " + ci.label + " presents it on the flows it starts (" + fi.name() + ": " + why + ")"
		}
	}
	return "diagram: " + ci.label
}

// controlView returns the controls of the threat's element: the Env's (for
// a flow: its own and its target's, and the edge controls in front of its
// source), and for a spoofing threat on a
// process or data store, the authentication every flow into it carries (a
// component whose every caller authenticates can tell them from
// impostors). An external entity's spoofing threats are about someone
// posing as it, which its callers' credentials do nothing against.
func (tc *threatCand) controlView(env *Env) controlView {
	v := controlView{controls: env.Controls}
	if fi := tc.flow; fi != nil {
		v.flow = fi
		if front := edgeFront(fi.src); len(front) > 0 {
			all := set{}
			all.add(env.Controls...)
			all.add(front...)
			v.controls = all.sorted()
		}
		return v
	}
	ci := tc.comp
	if ci == nil {
		// A threat on the system as a whole: only the Env's controls.
		return v
	}
	v.comp = ci
	callers, ctl := ci.callerAuthCtl, ci.callerCtl
	if ci.env == nil {
		// (Envs not built: worked out here.)
		callers, ctl = callerAuth(ci), callerControls(ci)
	}
	if tc.rule.ByCallers && ci.kind != graph.KindExternal {
		callers = ctl
	}
	v.callers, v.byCallers = callers, tc.rule.ByCallers
	if (tc.rule.Stride == "S" || tc.rule.ByCallers) && ci.kind != graph.KindExternal && len(callers) > 0 {
		own := set{}
		own.add(env.Controls...)
		for _, c := range callers {
			own.add(c)
		}
		v.controls = own.sorted()
	}
	return v
}

// edgeFront lists the edge controls (a WAF, CDN or API gateway) in front
// of ci, drawn in front of it or stated on it: what they filter reaches
// ci's outbound flows too, so a rule that credits one on a flow
// (injection into the store ci writes) sees it.
func edgeFront(ci *compInfo) []string {
	var out []string
	for _, e := range edgeControls {
		if ci.controls[e.control] {
			out = append(out, e.control)
		}
	}
	return out
}

// callerAuth lists the authentication controls (authControls) that every
// flow into ci carries, sorted; nil when it receives no flow.
func callerAuth(ci *compInfo) []string {
	return authOnly(callerControls(ci))
}

// authOnly keeps the authentication controls (authControls) of ctl, in
// order; nil when there are none.
func authOnly(ctl []string) []string {
	var out []string
	for _, c := range ctl {
		if slices.Contains(authControls, c) {
			out = append(out, c)
		}
	}
	return out
}

// callerControls lists every control that all flows into ci carry,
// sorted; nil when it receives no flow. A ByCallers rule credits them: what
// the callers do to ci, they do with what their flows show.
func callerControls(ci *compInfo) []string {
	if len(ci.in) == 0 {
		return nil
	}
	var out []string
	for c := range ci.in[0].controls {
		all := true
		for _, fi := range ci.in[1:] {
			if !fi.controls[c] {
				all = false
				break
			}
		}
		if all {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// callerAuthWhy says where the first flow into ci got control c.
func callerAuthWhy(ci *compInfo, c string) string {
	fi := ci.in[0]
	return fi.name() + ": " + fi.ctrlWhy[c]
}

// sourceText renders a control's reason as a source: a catalog or
// configuration reason names its origin; anything else is what the
// diagram shows on the element.
func sourceText(element, why string) string {
	switch {
	case strings.HasPrefix(why, "catalog: "):
		return why + " (" + element + ")"
	case strings.Contains(why, "configuration file"):
		return "configuration: " + element + ": " + why
	}
	return "diagram: " + element + ": " + why
}
