package stride

import (
	"slices"
	"sort"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// This file decides which element a threat about an external entity sits
// on. A person or a third party is outside the system: nobody on the team
// can fix it. A threat about someone posing as it is stopped by the part
// of the system that accepts it, so that is where the threat belongs, and
// where the picture colours it: account takeover where the account signs
// in (the identity provider), a forged webhook at the service that
// receives it. The threat is still scored as what it is about (that
// account's data, that provider's events), and says where it was placed
// and why.

// Places a rule's threat can sit on (Rule.SitsOn).
const (
	// SitsOnReceiver is the one system component the entity sends to.
	SitsOnReceiver = "receiver"
	// SitsOnSignIn is the identity provider the entity's requests reach
	// through the system's processes, else the receiver.
	SitsOnSignIn = "sign-in"
)

// signInDepth is how many hops from the entity an identity provider may
// be: a browser's sign-in typically passes a CDN, a gateway and a web
// front end before the token endpoint.
const signInDepth = 4

// placeThreat moves tc from the external entity it was raised on to the
// element its rule sits on, when the diagram shows exactly one.
func (a *analysis) placeThreat(tc *threatCand) {
	r, ci := tc.rule, tc.comp
	if r.SitsOn == "" || ci == nil || ci.kind != graph.KindExternal {
		return
	}
	idp, rc := ci.signIn, ci.receiver
	if !ci.hostsFound {
		idp, rc = signInProvider(ci), soleReceiver(ci)
	}
	var host *compInfo
	var why string
	if r.SitsOn == SitsOnSignIn && idp != nil {
		host, why = idp, "placed on "+idp.label+", the identity provider "+ci.label+" signs in through: MFA and credential-stuffing defences are enforced there, not by "+ci.label
	}
	if host == nil && rc != nil {
		host, why = rc, "placed on "+rc.label+", which accepts "+ci.label+"'s requests and must tell it from an impostor"
	}
	if host == nil {
		return
	}
	tc.actor = ci
	tc.comp = host
	t := &tc.t
	t.Element = ElementRef{Type: "component", ID: host.c.ID}
	t.ElementName = host.label
	tc.keyArr = [4]string{t.ElementName, t.Rule, ci.label, host.c.ID + "\x00" + ci.c.ID}
	tc.key = tc.keyArr[:]
	t.Reasons = append(t.Reasons, why)
	t.Description += placedText(host.label)
	if listsOnActor(r) {
		t.Elements = []ElementRef{t.Element, {Type: "component", ID: ci.c.ID}}
		t.Description += actorText(ci.label)
	}
}

// listsOnActor reports whether a threat placed on a host is also listed
// on the entity it is about. An account is taken over on its owner's own
// client (phishing, a stolen session, malware on the device or the staff
// laptop), which is where experts list it, while the identity provider
// keeps what it must enforce (MFA, session binding): the threat sits on
// the host (its identity, colour and controls) and lists the entity among
// its elements, so it is found on both. Its colour stays on the host: the
// person's own machine is not the team's to change.
func listsOnActor(r *Rule) bool { return r.SitsOn == SitsOnSignIn }

// actorText is the sentence a threat also listed on the entities it is
// about ends with.
func actorText(actors string) string {
	return " It is also listed on " + actors + ": an account is taken over on its owner's own device (phishing, a stolen session, malware), whatever the sign-in enforces."
}

// attachActors lists a placed threat, number i, on the entities it is
// about (listsOnActor) without raising their colour.
func attachActors(tc *threatCand, i int) {
	if !listsOnActor(tc.rule) {
		return
	}
	if tc.members == nil {
		if tc.actor != nil {
			tc.actor.threats = append(tc.actor.threats, i)
		}
		return
	}
	for _, m := range tc.members {
		if m.actor != nil && !slices.Contains(m.actor.threats, i) {
			m.actor.threats = append(m.actor.threats, i)
		}
	}
}

// findHosts works out, once per external entity that a placed rule
// matched, the elements its threats may sit on (placeThreat), before
// makeThreat runs on several goroutines: a search of the flows per match
// was 2% of the pass at 2,000 components.
func findHosts(matches []match) {
	for _, x := range matches {
		ci := x.comp
		if x.rule.SitsOn == "" || ci == nil || ci.kind != graph.KindExternal || ci.hostsFound {
			continue
		}
		ci.signIn, ci.receiver, ci.hostsFound = signInProvider(ci), soleReceiver(ci), true
	}
}

// placedText is the sentence a placed threat's description ends with, so
// the text names the element the threat sits on.
func placedText(host string) string {
	return "\n\nThe threat is listed on " + host + ", where it is stopped."
}

// soleReceiver is the one component ci sends to, other than external
// entities; nil when it sends to none or to several.
func soleReceiver(ci *compInfo) *compInfo {
	var rc *compInfo
	for _, fi := range ci.out {
		d := fi.dst
		if d == ci || d.kind == graph.KindExternal && !isIdentityProvider(d) {
			continue
		}
		if rc != nil && rc != d {
			return nil
		}
		rc = d
	}
	return rc
}

// signInProvider is the identity provider ci's requests reach: the
// nearest one along the flows from ci through the system's processes, at
// most signInDepth hops away; nil when there is none, or several at the
// same distance. An identity provider drawn with a flow to ci is one hop
// away too: a sign-in is often drawn from the provider to the person it
// authenticates ("Authenticate", "ID token").
func signInProvider(ci *compInfo) *compInfo {
	seen := map[*compInfo]bool{ci: true}
	front := []*compInfo{ci}
	for depth := 0; depth < signInDepth && len(front) > 0; depth++ {
		var next, found []*compInfo
		if depth == 0 {
			for _, fi := range ci.in {
				if s := fi.src; !seen[s] && isIdentityProvider(s) {
					seen[s] = true
					found = append(found, s)
				}
			}
		}
		for _, c := range front {
			for _, fi := range c.out {
				d := fi.dst
				if seen[d] {
					continue
				}
				seen[d] = true
				switch {
				case isIdentityProvider(d):
					found = append(found, d)
				case d.kind == graph.KindProcess:
					next = append(next, d)
				}
			}
		}
		if len(found) == 1 {
			return found[0]
		}
		if len(found) > 1 {
			return nil
		}
		sort.SliceStable(next, func(i, j int) bool { return next[i].c.ID < next[j].c.ID })
		front = next
	}
	return nil
}

// isIdentityProvider reports whether ci signs people in: the catalog's
// identity provider or directory role, or a label that names one.
func isIdentityProvider(ci *compInfo) bool {
	if t := ci.tech; t != nil && (t.Role == catalog.RoleIdentityProvider || t.Role == catalog.RoleDirectory) {
		return true
	}
	return ci.tags[TagIdentity]
}
