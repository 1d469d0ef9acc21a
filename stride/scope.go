package stride

import "github.com/threatmap/threatmap/graph"

// This file decides what the analysis reads as the author's: labels an
// importer derived (graph.Component.LabelDerived) name an element without
// being read for its context.

// authorComponents returns the components as context reading must see
// them: a component whose label the importer derived (a frame named
// after what it holds) is a copy without a label, so that its roles,
// data classes, technology and kind come from its shape, attributes and
// flows, never from words the author did not write about it. It returns
// cs itself when no label is derived.
func authorComponents(cs []*graph.Component) []*graph.Component {
	var out []*graph.Component
	for i, c := range cs {
		if !c.LabelDerived {
			if out != nil {
				out[i] = c
			}
			continue
		}
		if out == nil {
			out = make([]*graph.Component, len(cs))
			copy(out, cs[:i])
		}
		v := *c
		v.Label = ""
		out[i] = &v
	}
	if out == nil {
		return cs
	}
	return out
}

// nameDerived gives ci, read from view (authorComponents), back its
// component c and the name the importer derived for it, which every output
// shows.
func (ci *compInfo) nameDerived(c, view *graph.Component) {
	if c == view {
		return
	}
	ci.c = c
	if l := oneLine(c.Label); l != "" {
		ci.label = l
	}
}

// authorLabel is the boundary label context reading reads: "" when the
// importer derived it.
func authorLabel(b *graph.Boundary) string {
	if b.LabelDerived {
		return ""
	}
	return b.Label
}

// statedKindReason says why an importer's kind stands: what in the
// source stated it.
func statedKindReason(c *graph.Component) string {
	if c.KindEvidence != "" {
		return c.KindEvidence
	}
	return "kind " + string(c.Kind) + " stated in the source diagram"
}

// Out-of-scope elements. An author takes a part out of the threat model
// (graph.Component.OutOfScope: a Threat Dragon outOfScope property, words
// such as "out of scope" or "already threat modelled", a legend that names its style, a
// frame marked so). The analysis does what Threat Dragon, IriusRisk
// (components marked not applicable) and Threagile (out_of_scope technical
// assets) do: the part's own threats are not raised, and it is listed once
// in the report (Report.OutOfScope) with the reason and the number of
// threats not raised, so nothing is dropped silently. It stays in the model:
// what it sends and holds is still read (data classes carried to the parts
// in scope, who reaches them), and the flows between it and a part in scope
// are still analysed, from the in-scope side: a flow threat colours the
// in-scope end (outOfScopeEnd). A flow the author marks out of scope, or one
// between two parts out of scope, raises nothing.

// OutOfScope is an element the author took out of the threat model.
type OutOfScope struct {
	Element ElementRef `json:"element"`
	Label   string     `json:"label"`
	// Reason is the author's reason when given (Threat Dragon's
	// reasonOutOfScope), else what marked it ("label says \"out of
	// scope\"", "the legend says ... for fillColor #E0E0E0").
	Reason string `json:"reason"`
	// NotRaised counts the threats the rules found on it that the report
	// does not raise.
	NotRaised int `json:"threats_not_raised"`
}

// scopeState counts, per out-of-scope element, the matches not raised.
type scopeState struct {
	comps map[*compInfo]int
	flows map[*flowInfo]int
}

// flowOutOfScope reports whether a flow raises nothing: the author marked
// it out of scope, or both its ends are.
func flowOutOfScope(fi *flowInfo) bool {
	return fi.f.OutOfScope || fi.src.c.OutOfScope && fi.dst.c.OutOfScope
}

// dropOutOfScope removes the rated threats that sit on out-of-scope
// components and flows (where placeThreat put them: a threat about a
// person in scope that sits on the out-of-scope service that stops it is
// that service's), counting them for the report.
func (a *analysis) dropOutOfScope(ms []*rated) []*rated {
	marked := false
	for _, ci := range a.comps {
		marked = marked || ci.c.OutOfScope
	}
	for _, fi := range a.flows {
		marked = marked || fi.f.OutOfScope
	}
	if !marked {
		return ms
	}
	a.scope = &scopeState{comps: map[*compInfo]int{}, flows: map[*flowInfo]int{}}
	out := ms[:0]
	for _, m := range ms {
		switch {
		case m.flow != nil && flowOutOfScope(m.flow):
			a.scope.flows[m.flow]++
		case m.flow == nil && m.comp != nil && m.comp.c.OutOfScope:
			a.scope.comps[m.comp]++
		default:
			out = append(out, m)
		}
	}
	return out
}

// outOfScopeEnd reports whether a flow threat that would colour server
// colours client instead: server is out of scope and client is not, so
// the flow is analysed from the in-scope side.
func outOfScopeEnd(server, client *compInfo) bool {
	return server.c.OutOfScope && !client.c.OutOfScope
}

// outOfScopeList lists the out-of-scope components and flows, in diagram
// order, with the reason and the threats not raised.
func (a *analysis) outOfScopeList() []OutOfScope {
	var out []OutOfScope
	for _, ci := range a.comps {
		if !ci.c.OutOfScope {
			continue
		}
		o := OutOfScope{Element: ElementRef{Type: "component", ID: ci.c.ID}, Label: reportLabel(ci), Reason: ci.c.OutOfScopeReason}
		if a.scope != nil {
			o.NotRaised = a.scope.comps[ci]
		}
		out = append(out, o)
	}
	for _, fi := range a.flows {
		if !flowOutOfScope(fi) {
			continue
		}
		reason := fi.f.OutOfScopeReason
		if !fi.f.OutOfScope {
			reason = "both ends are out of scope"
		}
		o := OutOfScope{Element: ElementRef{Type: "flow", ID: fi.f.ID}, Label: reportLabel(fi.src) + " → " + reportLabel(fi.dst), Reason: reason}
		if a.scope != nil {
			o.NotRaised = a.scope.flows[fi]
		}
		out = append(out, o)
	}
	return out
}
