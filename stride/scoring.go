package stride

import (
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// Scoring says where a threat's likelihood and impact come from, in
// numbers and in words, so that a reviewer can check each factor.
//
// Impact starts from the asset (asset.go): the data classes at stake and
// the element's role. Likelihood starts from the exposure (exposure.go):
// who can reach the element, averaged with the skill the attack needs,
// less one when every path needs a strong credential. The rule then moves
// both by the weight of its concern (its likelihood - 3 and impact - 4),
// and its modifiers by what they say.
type Scoring struct {
	// Asset is the value of what is at stake (1..5) for this category.
	Asset       int    `json:"asset"`
	AssetReason string `json:"asset_reason"`
	// Exposure is who can reach the element: 5 the internet, 4 a partner
	// or the less trusted side of a boundary, 3 an internal zone, 2 a
	// restricted zone.
	Exposure       int    `json:"exposure"`
	ExposureReason string `json:"exposure_reason"`
	// Authentication is -1 when every path needs a strong credential, +1
	// when a path is marked unauthenticated, 0 otherwise, when the rule
	// credits authentication as a control instead, and for impostors and
	// attackers on a flow's path (a credential does not keep them off it).
	Authentication       int    `json:"authentication"`
	AuthenticationReason string `json:"authentication_reason,omitempty"`
	// Skill is what the attack needs: 1 a nation state .. 5 anyone with
	// public tools.
	Skill       int    `json:"skill"`
	SkillReason string `json:"skill_reason"`
	// RuleLikelihood and RuleImpact are the rule's adjustments for its
	// concern (likelihood - 3, impact - 4).
	RuleLikelihood int `json:"rule_likelihood"`
	RuleImpact     int `json:"rule_impact"`
	// Likelihood and Impact show the sums, e.g.
	// "(exposure 5 + skill 4) / 2 = 5, rule -1 → 4".
	Likelihood string `json:"likelihood"`
	Impact     string `json:"impact"`
}

// authControls are the controls that are themselves authentication: a
// rule that credits one of them scores the unauthenticated case, so the
// authentication on the path does not count twice.
var authControls = []string{"authentication", "mtls", "jwt", "oauth", "saml", "iam", "hmac", "api-key", "kerberos", "mfa", "token-validation"}

// creditsAuth reports whether r credits an authentication control.
func creditsAuth(r *Rule) bool {
	for _, c := range authControls {
		if _, ok := r.MitigatedBy[c]; ok {
			return true
		}
	}
	return false
}

// scoreBase computes the likelihood and impact of rule r on an element of
// type element (Env.Element) with asset value v and exposure x, before the
// rule's modifiers.
func scoreBase(r *Rule, element string, v asset, x exposure) (l, im int, sc *Scoring) {
	sc = new(Scoring)
	l, im = scoreInto(sc, r, element, v, x)
	return l, im, sc
}

// scoreInto is scoreBase writing the factors into sc, a zero Scoring the
// caller owns: a threat whose Scoring is not kept (an outcome-only match,
// Threat.score with words false) rates in a Scoring on its stack rather
// than one allocated per match.
func scoreInto(sc *Scoring, r *Rule, element string, v asset, x exposure) (l, im int) {
	sc.RuleLikelihood, sc.RuleImpact = r.Likelihood-3, r.Impact-4
	sc.Exposure, sc.ExposureReason = x.forThreat(r.Stride, element)
	sc.Asset, sc.AssetReason = v.impactFor(r.Stride)
	sc.Skill, sc.SkillReason = r.skillWords()
	if !creditsAuth(r) && !networkPosition(r.Stride, element) {
		sc.Authentication, sc.AuthenticationReason = x.auth, x.authWhy
	}
	l = (sc.Exposure+sc.Skill)/2 + sc.RuleLikelihood + sc.Authentication
	im = sc.Asset + sc.RuleImpact
	return l, im
}

// finish writes the sums in words: the factors, the modifiers' ml and mi,
// and the final (clamped) likelihood and impact.
func (sc *Scoring) finish(ml, mi, finalL, finalI int) {
	var lb, ib strings.Builder
	lb.WriteString("(exposure " + strconv.Itoa(sc.Exposure) + " + skill " + strconv.Itoa(sc.Skill) + ") / 2 = " + strconv.Itoa((sc.Exposure+sc.Skill)/2))
	addTerm(&lb, "rule", sc.RuleLikelihood)
	addTerm(&lb, "authentication", sc.Authentication)
	addTerm(&lb, "modifiers", ml)
	ib.WriteString("asset " + strconv.Itoa(sc.Asset))
	addTerm(&ib, "rule", sc.RuleImpact)
	addTerm(&ib, "modifiers", mi)
	sc.Likelihood = lb.String() + " → " + strconv.Itoa(finalL)
	sc.Impact = ib.String() + " → " + strconv.Itoa(finalI)
}

// addTerm appends ", what +n" for a non-zero n.
func addTerm(b *strings.Builder, what string, n int) {
	switch {
	case n > 0:
		b.WriteString(", " + what + " +" + strconv.Itoa(n))
	case n < 0:
		b.WriteString(", " + what + " " + strconv.Itoa(n))
	}
}

// isolationWords name a boundary that keeps the internet out: a private
// subnet or network, a VPC or VNet, a cluster network.
var isolationWords = kw("private subnet", "private network", "private", "vpc", "vnet", "virtual network", "cluster", "intranet", "isolated")

// isolation says why ci sits in an isolated network: a boundary around it
// (or one enclosing that) names one, or the diagram or configuration lists
// network-isolation as its control. "" when neither, or when the internet
// reaches it directly anyway.
func (a *analysis) isolation(ci *compInfo) string {
	if ci.controls["network-isolation"] {
		return ci.label + " lists network isolation (" + ci.ctrlWhy["network-isolation"] + ")"
	}
	if ci.trust <= TrustUntrusted || ci.reach.reach >= reachInternet {
		return ""
	}
	chain := a.d.BoundaryChain(ci.c.Boundary)
	for i := len(chain) - 1; i >= 0; i-- {
		b := a.bounds[chain[i]]
		if b != nil && b.words().first(isolationWords) != "" {
			return ci.label + " is inside " + strconv.Quote(oneLine(b.b.Label)) + ", an isolated network"
		}
	}
	return ""
}

// paintedEnd is the component whose colour a threat on flow fi raises:
// the end that must close it, not both. That is the side that serves the
// interaction, which accepts the calls, terminates the transport and
// decides what the request may do: the target of a request, the source of
// a response (pairs.go) or of a read from a data store. When that side is
// an external entity (a third party's API, a person), nobody on the team
// can change it, so the system's own end is painted instead. Painting
// both ends coloured every neighbour of a hop in clear with that hop's
// band, so one unencrypted or unauthenticated link made two components
// High; the flow itself keeps its own colour and threat list.
//
// A rule whose concern the sender must close (Rule.Paints "source": an
// injection built by the sender, an outage of what it calls that stalls
// it) paints the sender, the client side, under the same exception.
func (fi *flowInfo) paintedEnd(paints string) *compInfo {
	server, client := fi.dst, fi.src
	if fi.respOf != nil || (fi.src.kind == graph.KindDataStore && fi.dst.kind != graph.KindDataStore) {
		server, client = fi.src, fi.dst
	}
	if c, m := partitionCall(fi); c != nil {
		// A partition's call to its manager, however the arrow is
		// drawn: the manager serves it (partitionmgr.go).
		server, client = m, c
	}
	if paints == PaintsSource {
		server, client = client, server
	}
	if server.kind == graph.KindExternal && client.kind != graph.KindExternal || outOfScopeEnd(server, client) {
		return client
	}
	return server
}

// PaintsSource is Rule.Paints for a threat the flow's sender must close.
const PaintsSource = "source"
