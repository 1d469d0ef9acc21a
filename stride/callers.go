package stride

import (
	"iter"

	"github.com/threatmap/threatmap/graph"
)

// Who calls whom. An arrow says which end starts the interaction: its
// source calls its target, and what the target receives is the source's
// input. A two-way arrow (heads at both ends: DOT dir=both, Mermaid
// "<-->", draw.io startArrow and endArrow) or a line without heads says
// that each end calls the other, whichever end the author started
// drawing from: "SPMD <-> NS Client" drawn from the monitor still
// carries the normal world's calls into the monitor. Every reasoning
// about callers (input arriving from another world or zone, who can reach
// a component, its entry points, where untrusted input spreads) asks
// here, never of the arrow's drawn source alone.

// twoWay reports whether both ends of fi start requests on it
// (graph.Flow.Bidirectional, which importers also set for a line without
// heads).
func (fi *flowInfo) twoWay() bool {
	return fi.f.Bidirectional || fi.f.Undirected
}

// call is one end of a flow calling the other.
type call struct {
	fi             *flowInfo
	caller, callee *compInfo
}

// callsIn yields the calls ci receives, in flow order: one per flow into
// it (its source calls), then one per two-way flow out of it (its target
// calls back). A two-way loop on ci is one call.
func (ci *compInfo) callsIn() iter.Seq[call] {
	return func(yield func(call) bool) {
		for _, fi := range ci.in {
			if !yield(call{fi, fi.src, ci}) {
				return
			}
		}
		for _, fi := range ci.out {
			if fi.twoWay() && fi.dst != ci && !yield(call{fi, fi.dst, ci}) {
				return
			}
		}
	}
}

// callsOut yields the calls ci makes, in flow order: one per flow out of
// it, then one per two-way flow into it.
func (ci *compInfo) callsOut() iter.Seq[call] {
	return func(yield func(call) bool) {
		for _, fi := range ci.out {
			if !yield(call{fi, ci, fi.dst}) {
				return
			}
		}
		for _, fi := range ci.in {
			if fi.twoWay() && fi.src != ci && !yield(call{fi, ci, fi.src}) {
				return
			}
		}
	}
}

// calls lists the calls fi carries: its source calling its target and,
// on a two-way flow between two components, its target calling back.
func (fi *flowInfo) calls() []call {
	if fi.twoWay() && fi.src != fi.dst {
		return []call{{fi, fi.src, fi.dst}, {fi, fi.dst, fi.src}}
	}
	return []call{{fi, fi.src, fi.dst}}
}

// readsBack reports whether the rules also read fi from its target: a
// two-way flow whose ends differ in trust or in how they reach the system
// (a world or port of the device against the firmware). Read as drawn,
// such a flow shows one end's requests; read back, the other's, and the
// author may have started the arrow at either end: "SPMD <-> NS Client"
// drawn from the monitor still carries the normal world's calls into the
// monitor, which the threats against the monitor need (crafted input into
// firmware, a request across an isolation boundary). Each rule raises at
// most one threat on the flow, from the first reading that matches, so
// the threats do not depend on which end the author started from. A
// two-way flow between ends of equal trust is read once, as drawn: read
// back it would raise again what the drawn reading raises.
func (fi *flowInfo) readsBack() bool {
	if !fi.twoWay() || fi.src == fi.dst {
		return false
	}
	return fi.dst.trust != fi.src.trust || fi.dst.local != fi.src.local
}

// direction is where a call goes relative to trust: the direction of
// its flow as the caller sees it.
func (c call) direction() Direction {
	switch {
	case len(c.fi.crosses) == 0:
		return DirInternal
	case c.callee.trust > c.caller.trust:
		return DirInbound
	case c.callee.trust < c.caller.trust:
		return DirOutbound
	}
	return DirLateral
}

// untrustedCaller reports whether the call brings input from outside the
// system into ci, a component of it: an untrusted external entity, or an
// untrusted component calling a more trusted one. Application code in a
// person's own browser is not reached by that person this way
// (clientapp.go).
func (c call) untrustedCaller() bool {
	src, ci := c.caller, c.callee
	if ci.kind == graph.KindExternal || ci.clientApp != "" && src.human() {
		return false
	}
	return src.kind == graph.KindExternal && src.trust == TrustUntrusted || src.trust == TrustUntrusted && ci.trust > TrustUntrusted
}

// A relay carries its caller's trust. A process that takes requests from
// a less trusted caller and makes its own calls onward (a dispatcher that
// passes normal-world calls to a partition manager, a front-end service
// that calls a back-end one with what the user sent) hands its callee what that caller
// sent: the onward hop carries the caller's input, so its callee is
// exposed to the caller's reach, not only the relay's zone. The reading
// is bounded:
//
//   - one relay: beyond the first onward hop, the request has been
//     parsed, checked and rebuilt by two components, and the untrusted
//     input propagation (propagate.go) still marks what it reaches,
//     at partner reach;
//   - the relay is a process: a data store keeps data, it does not
//     forward requests (what is read back from it is the stores' own
//     threats);
//   - the onward call goes to a process no less trusted than the relay:
//     a call back out towards the caller's side relays nothing inward;
//   - the caller is less trusted than the relay, or a world or port of
//     the device (local.go);
//   - the relay is not an edge component (an API gateway, a WAF, a CDN, a
//     reverse proxy): those exist to terminate, authenticate and check
//     what they pass on, and what sits behind them keeps the partner
//     reach the untrusted input propagation gives it.

// edgeRelay reports whether ci is an edge component that checks what it
// passes on (see relayedFrom).
func edgeRelay(ci *compInfo) bool {
	return ci.tags[TagGateway] || ci.tags[TagWAF] || ci.tags[TagCDN] || ci.tags[TagProxy] || ci.managedEdge()
}

// relayedFrom returns the least trusted caller whose requests reach
// callee through relay, with its reach; nil when relay relays nothing to
// callee.
func relayedFrom(relay, callee *compInfo) (*compInfo, int) {
	if relay.kind != graph.KindProcess || callee.kind != graph.KindProcess || relay == callee || callee.trust < relay.trust || edgeRelay(relay) {
		return nil, 0
	}
	var best *compInfo
	bestReach := 0
	for c := range relay.callsIn() {
		x := c.caller
		if x == callee || x == relay || x.trust >= relay.trust && x.local == "" {
			continue
		}
		r := reachOfTrust(x.trust)
		if x.local != "" {
			r = reachOfLocal(x)
		}
		if r > bestReach {
			best, bestReach = x, r
		}
	}
	return best, bestReach
}

// relayedReach is the widest reach of the callers whose requests reach ci
// through one relay (relayedFrom), with the reason; 0 when none.
func relayedReach(ci *compInfo) (int, string) {
	reach, why := 0, ""
	for c := range ci.callsIn() {
		if x, r := relayedFrom(c.caller, ci); x != nil && r > reach {
			reach, why = r, x.label+" ("+TrustName(x.trust)+") calls "+c.caller.label+", which relays its requests to it"
		}
	}
	return reach, why
}
