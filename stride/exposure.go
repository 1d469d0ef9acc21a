package stride

import (
	"strconv"

	"github.com/threatmap/threatmap/graph"
)

// Who can reach an element, and how hard the attack is: the likelihood
// side of the score (scoring.go). Reach follows the trust zones and the
// flows: the public internet, a partner or the less trusted side of a
// boundary, an internal zone, a restricted zone only administrators and
// the system's own services reach. Authentication on the path narrows who
// can try; the skill the attack needs (a rule's `skill:`, 1 = a nation
// state .. 5 = anyone with public tools) says how many of them can.

// Reach levels.
const (
	reachRestricted = 2 // only from a restricted or data zone
	reachInternal   = 3 // an attacker needs a foothold inside the system
	reachPartner    = 4 // a partner, or the less trusted side of a boundary
	reachInternet   = 5 // anyone on the internet
)

// exposure is who can reach an element and what stands on the path.
type exposure struct {
	// reach is who can get to the element on the network; content is who
	// can get their input processed by it (raised when untrusted input
	// flows to it through other components), with the reasons.
	reach         int
	reason        string
	content       int
	contentReason string
	// auth is -1 when every caller must present a strong credential, +1
	// when the path is marked unauthenticated, else 0; authWhy says so.
	auth    int
	authWhy string
}

// reachOfTrust is the reach of a zone of trust level t.
func reachOfTrust(t int) int {
	switch {
	case t <= TrustUntrusted:
		return reachInternet
	case t == TrustDMZ:
		return reachPartner
	case t >= TrustRestricted:
		return reachRestricted
	}
	return reachInternal
}

// componentExposure rates who can reach a component: the least trusted of
// its own zone and its callers' zones (callers.go); its content reach is raised when
// untrusted input reaches it through other processes.
func componentExposure(ci *compInfo) exposure {
	x := exposure{reach: reachOfTrust(ci.trust), reason: "it sits in " + ci.zone + " (" + TrustName(ci.trust) + ")"}
	if ci.kind == graph.KindExternal && ci.trust <= TrustUntrusted {
		x.reason = ci.label + " is outside the system, on the public internet"
	}
	if ci.local != "" {
		x.reach, x.reason = reachOfLocal(ci), ci.localWhere()
	}
	for c := range ci.callsIn() {
		src := c.caller
		r, why := reachOfTrust(src.trust), src.label+" ("+src.zone+", "+TrustName(src.trust)+") sends to it"
		if src.local != "" {
			r, why = reachOfLocal(src), src.localWhere()+", and sends to it"
		}
		if r > x.reach {
			x.reach, x.reason = r, why
		}
	}
	for _, fi := range ci.servedCalls() {
		if caller := partitionCaller(fi); x.reach < reachInternet {
			x.reach, x.reason = reachInternet, partitionCallerWhy(caller, ci)
		}
	}
	x.content, x.contentReason = x.reach, x.reason
	if ci.untrusted && x.reach < reachPartner {
		x.content, x.contentReason = reachPartner, "input from an untrusted zone reaches it through other components"
	}
	if r, why := relayedReach(ci); r > x.content {
		x.content, x.contentReason = r, why
	}
	x.auth, x.authWhy = pathAuth(inboundAuth(ci))
	return x
}

// flowExposure rates who can reach a flow: anyone when an end is on the
// internet, else an attacker with a foothold in the less trusted end's
// zone (the path runs inside the system's networks); its content reach is
// raised when its sender passes on untrusted input.
func flowExposure(fi *flowInfo) exposure {
	lo := fi.src
	if fi.dst.trust < lo.trust {
		lo = fi.dst
	}
	x := exposure{reach: min(reachOfTrust(lo.trust), reachInternal), reason: "an attacker needs a foothold in " + lo.zone + " (" + TrustName(lo.trust) + ") to reach the path"}
	if lo.trust >= TrustRestricted {
		x.reason = "both ends are in restricted zones"
	}
	if lo.trust <= TrustUntrusted {
		x.reach, x.reason = reachInternet, lo.label+" is in "+lo.zone+" (untrusted)"
		if lo.local != "" {
			x.reach, x.reason = reachOfLocal(lo), lo.localWhere()
		}
	}
	if c, m := partitionCall(fi); c != nil && x.reach < reachInternet {
		// No network between a partition and its manager: the
		// impostor, the replayer and the sender of crafted calls are
		// the calling partition's own code.
		x.reach, x.reason = reachInternet, partitionCallerWhy(c, m)
	}
	x.content, x.contentReason = x.reach, x.reason
	if fi.src.untrusted && x.reach < reachPartner {
		x.content, x.contentReason = reachPartner, fi.src.label+" passes on input from an untrusted zone"
	}
	for _, c := range fi.calls() {
		if from, r := relayedFrom(c.caller, c.callee); from != nil && r > x.content {
			x.content, x.contentReason = r, c.caller.label+" relays requests from "+from.label+" ("+TrustName(from.trust)+") on this hop"
		}
	}
	if betweenServices(fi, lo) {
		// Anyone can send the service input, but a position on the path
		// between two providers' networks takes a carrier, a hijacked
		// route or a compromised resolver, not a café's Wi-Fi.
		x.reach, x.reason = reachPartner, "the path runs between "+fi.src.label+" and "+fi.dst.label+
			" across providers' networks, where an attacker needs a carrier position or a hijacked route"
	}
	x.auth, x.authWhy = pathAuth([]string{fi.facts.Authenticated})
	return x
}

// betweenServices reports whether fi runs over the internet between two
// services, with no person at either end: lo, its less trusted end, is an
// outside service (a SaaS or partner API, not a person or their device)
// and the other end is the system's own.
func betweenServices(fi *flowInfo, lo *compInfo) bool {
	hi := fi.src
	if hi == lo {
		hi = fi.dst
	}
	return lo.onInternet() && lo.kind == graph.KindExternal && !lo.human() && lo.person == nil &&
		hi.trust > TrustUntrusted && hi.kind != graph.KindExternal
}

// inboundAuth lists the authentication of the calls into ci.
func inboundAuth(ci *compInfo) []string {
	out := make([]string, 0, len(ci.in))
	for c := range ci.callsIn() {
		out = append(out, c.fi.facts.Authenticated)
	}
	return out
}

// strongAuth are credentials an attacker cannot guess or replay from a
// public page: they narrow who can reach the element to holders of a key,
// a token from an identity provider or a workload identity.
var strongAuth = map[string]bool{"mtls": true, "jwt": true, "oauth": true, "saml": true, "iam": true, "hmac": true, "kerberos": true}

// pathAuth rates the authentication on the paths into an element: -1 when
// every path needs a strong credential, +1 when any is marked
// unauthenticated, 0 otherwise (unknown is not none).
func pathAuth(auths []string) (int, string) {
	if len(auths) == 0 {
		return 0, ""
	}
	strong := true
	for _, a := range auths {
		if a == "none" {
			return 1, "a path to it is marked unauthenticated (+1)"
		}
		strong = strong && strongAuth[a]
	}
	if strong {
		return -1, "every caller must present " + authList(auths) + " (-1)"
	}
	return 0, ""
}

func authList(auths []string) string {
	s := set{}
	s.add(auths...)
	names := s.sorted()
	for i, n := range names {
		names[i] = authName(n)
	}
	return joinOrdered(names)
}

// defaultSkill is the skill a rule's attack needs when the rule does not
// say (`skill:`), by STRIDE letter: spoofing with stolen or stuffed
// credentials, denying an action and flooding a service need little;
// tampering and disclosure an attacker who knows the protocol; elevation
// an exploit.
var defaultSkill = map[string]int{"S": 4, "T": 3, "R": 4, "I": 3, "D": 4, "E": 2}

// skillWords describe a skill level.
var skillWords = [...]string{1: "needs a nation-state attacker", 2: "needs a skilled, resourced attacker",
	3: "needs an attacker who knows the technology", 4: "needs modest skill", 5: "anyone with public tools can do it"}

// skillOf is a rule's skill level and its description.
func skillOf(r *Rule) (int, string) {
	s, from := r.Skill, "rule"
	if s == 0 {
		s, from = defaultSkill[r.Stride], "default for "+string(r.Category)
	}
	return s, "skill " + strconv.Itoa(s) + ": " + skillWords[s] + " (" + from + ")"
}

// forThreat is the reach that matters for a threat of category cat on an
// element of type element (Env.Element): an impostor (S) or someone on a
// flow's path (flow rules) needs the network position; repudiation counts
// at most as internal; every other threat on a component or an
// interaction rides on input, which untrusted callers can pass through the
// components in front.
func (x exposure) forThreat(cat, element string) (int, string) {
	if cat == "R" && x.reach > reachInternal {
		// The people who deny actions are the ones allowed to take them:
		// being reachable from the internet does not make it likelier.
		return reachInternal, x.reason + "; repudiation is by people already allowed in, so reach counts as internal"
	}
	if networkPosition(cat, element) {
		return x.reach, x.reason
	}
	return x.content, x.contentReason
}

// networkPosition reports whether a threat needs a position on the network
// rather than input the element processes: an impostor, or an attacker on
// a flow's path.
func networkPosition(cat, element string) bool {
	return cat == "S" || element == AppliesFlow
}
