package stride

import "github.com/threatmap/threatmap/graph"

// This file is the second stage: facts spread along the flows. Each step
// reads what the earlier ones left, in this order.

// propagate spreads sensitivity (store → flows → endpoints), controls
// (WAF/CDN/gateway to what sits behind them) and untrusted input.
func (a *analysis) propagate() {
	a.propagateStoreSensitivity()
	a.propagateResponses()
	a.propagateHandledSensitivity()
	a.propagateToSinks()
	a.propagateEdgeControls()
	a.propagateUntrustedInput()
}

// propagateStoreSensitivity: a data store holds what its label, attributes
// and any touching flow say; every flow that reads or writes it carries
// that.
func (a *analysis) propagateStoreSensitivity() {
	for _, ci := range a.comps {
		if ci.kind != graph.KindDataStore {
			continue
		}
		for _, fi := range ci.in {
			ci.addData("the flow "+fi.name()+" carries it", fi.sens.sorted()...)
		}
		for _, fi := range ci.out {
			ci.addData("the flow "+fi.name()+" carries it", fi.sens.sorted()...)
		}
	}
	for _, fi := range a.flows {
		for _, end := range []*compInfo{fi.src, fi.dst} {
			if end.kind == graph.KindDataStore {
				for s := range end.sens {
					fi.sens.add(s)
				}
			}
		}
	}
}

// propagateHandledSensitivity: processes and externals handle what their
// flows carry.
func (a *analysis) propagateHandledSensitivity() {
	for _, ci := range a.comps {
		if ci.kind == graph.KindDataStore {
			continue
		}
		for _, fl := range [][]*flowInfo{ci.in, ci.out} {
			for _, fi := range fl {
				for s := range fi.sens {
					if ci.knowsWhy(s) {
						ci.sens.add(s) // the reason given first stands
						continue
					}
					ci.addData("the flow "+fi.name()+" carries it", s)
				}
			}
		}
	}
}

// propagateEdgeControls: edge controls protect the processes behind them,
// a WAF or CDN for two hops through processes, an API gateway for one
// (edgeControls), unless the process is also reachable around them.
func (a *analysis) propagateEdgeControls() {
	for _, ci := range a.comps {
		for _, e := range edgeControls {
			if !ci.tags[e.tag] {
				continue
			}
			frontier := []*compInfo{ci}
			for h := 0; h < e.hops; h++ {
				var next []*compInfo
				for _, x := range frontier {
					for c := range x.callsOut() {
						t := c.callee
						if t.kind != graph.KindProcess || t == ci {
							continue
						}
						next = append(next, t)
						if !t.controls[e.control] && !bypasses(t, e.tag) {
							t.addControl(e.control, "behind "+ci.label)
						}
					}
				}
				frontier = next
			}
		}
	}
}

// bypasses reports whether t also takes traffic straight from a trust-0
// component that is not itself the edge control: that path is not
// protected by the WAF or CDN in front of its other callers.
func bypasses(t *compInfo, tag Tag) bool {
	for c := range t.callsIn() {
		if c.caller.trust == TrustUntrusted && !c.caller.tags[tag] {
			return true
		}
	}
	return false
}

// propagateUntrustedInput marks the processes reachable from an untrusted
// source through processes (not through stores), following the data: along
// an arrow, or against it when the arrow is a pull ("poll", "GET"). An
// external entity is a source wherever it is drawn (so a diagram without
// boundaries still has untrusted input); a process or store outside every
// boundary is one for more trusted targets.
func (a *analysis) propagateUntrustedInput() {
	var queue []*compInfo
	mark := func(t *compInfo) {
		// Application code in the user's browser is the user's side: what
		// it renders is its own rules' concern (clientapp.go), and what
		// it sends on is untrusted from its own zone.
		if t.kind == graph.KindProcess && !t.untrusted && t.clientApp == "" {
			t.untrusted = true
			queue = append(queue, t)
		}
	}
	held := a.boxMembers()
	for _, ci := range a.comps {
		if ci.trust == TrustUntrusted || ci.kind == graph.KindExternal || ci.clientApp != "" {
			for _, t := range dataReceivers(ci) {
				if ci.kind == graph.KindExternal || ci.clientApp != "" || t.trust > ci.trust {
					mark(t)
					for _, m := range held[t] {
						mark(m)
					}
				}
			}
		}
	}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, t := range dataReceivers(x) {
			mark(t)
			for _, m := range held[t] {
				mark(m)
			}
		}
	}
}

// boxMembers maps each component that stands for a whole box (an arrow
// drawn to a frame, DOT's lhead, standsForBox) to the processes drawn in
// that box, directly or in boxes nested in it. An arrow to a frame
// delivers to what the frame holds: "API Gateway → [Assistant runtime]"
// hands the request to the planner and the tools drawn inside, which have
// no arrow of their own, so untrusted input reaching the frame reaches
// them too. Nil when no component stands for a box.
func (a *analysis) boxMembers() map[*compInfo][]*compInfo {
	var boxes map[string]*compInfo
	for _, ci := range a.comps {
		if standsForBox(ci) {
			if boxes == nil {
				boxes = map[string]*compInfo{}
			}
			boxes[ci.c.ID] = ci
		}
	}
	if boxes == nil {
		return nil
	}
	held := map[*compInfo][]*compInfo{}
	for _, ci := range a.comps {
		if standsForBox(ci) || ci.kind != graph.KindProcess || ci.c.Boundary == "" {
			continue
		}
		for _, b := range a.d.BoundaryChain(ci.c.Boundary) {
			if box := boxes[b]; box != nil {
				held[box] = append(held[box], ci)
			}
		}
	}
	return held
}

// dataReceivers lists the components x's data reaches directly: the
// targets of its arrows that are not pulls, the sources of the pulls that
// fetch from it, and the far ends of its two-way flows, which it calls
// and answers alike (callers.go).
func dataReceivers(x *compInfo) []*compInfo {
	var out []*compInfo
	for _, fi := range x.out {
		if !fi.facts.Pull || fi.twoWay() {
			out = append(out, fi.dst)
		}
	}
	for _, fi := range x.in {
		if fi.facts.Pull || fi.twoWay() {
			out = append(out, fi.src)
		}
	}
	return out
}

// addData adds data classes to the component, keeping the first reason
// given for each.
func (ci *compInfo) addData(why string, classes ...string) {
	for _, c := range classes {
		if c == "" {
			continue
		}
		ci.sens.add(c)
		if ci.dataWhy == nil {
			ci.dataWhy = map[string]string{}
		}
		if _, ok := ci.dataWhy[c]; !ok {
			ci.dataWhy[c] = why
		}
	}
}

// knowsWhy reports whether the component holds data class c with a
// reason already: addData would keep that reason, so a caller need not
// build another.
func (ci *compInfo) knowsWhy(c string) bool {
	_, ok := ci.dataWhy[c]
	return ok && c != ""
}

// name is the flow as prose: "Source → Target".
func (fi *flowInfo) name() string {
	return fi.src.label + " → " + fi.dst.label
}
