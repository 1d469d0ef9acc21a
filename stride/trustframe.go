package stride

import (
	"slices"
	"strconv"

	"github.com/threatmap/threatmap/graph"
)

// Outside a drawn trust boundary is less trusted, not the internet. When
// the author draws a frame and says it is the trust boundary ("Trust
// boundary", "Trusted", "Trusted zone", or a sentence such as "EL3
// monitor, SPMD, SPMC do not trust SPs"), what its inside accepts from
// components drawn outside it is input from someone it does not trust.
// Such a component is read as a less trusted caller of the inside: on the
// less trusted side of a boundary (DMZ: reached by a partner or a
// foothold, not by anyone on the internet), or, on a firmware diagram,
// another execution world of the device (local.go), as what is drawn
// outside every boundary there already is. It is never made the internet:
// a worker drawn beside the frame is still the system's own.
//
// A sentence is read the way it is written: "A does not trust B" says the
// frame's inside (A) distrusts what is outside (B), never the reverse.

// trustFrameWords in a boundary's label say it is the trust boundary,
// unless negated (negatedTrust).
var trustFrameWords = kw("trust boundary", "trusted", "trusted zone", "trust zone", "trusted boundary", "trusted domain")

// distrusts reports whether label is a sentence saying that its subject
// does not trust something else ("A does not trust B", "A do not trust
// B", "A doesn't trust B", "A never trusts B", "A distrusts B"), with the
// subject and the object's words; the subject comes first, the object
// after the verb.
func distrusts(label string) (subject, object string, ok bool) {
	w := newWords(label)
	t := w.toks
	for i, tok := range t {
		switch tok {
		case "distrust", "distrusts":
			if i > 0 && i < len(t)-1 {
				return joinToks(t[:i]), joinToks(t[i+1:]), true
			}
		case "trust", "trusts":
			if i >= 2 && i < len(t)-1 && negation(t[i-1]) {
				j := i - 1
				if j > 0 && (t[j-1] == "does" || t[j-1] == "do" || t[j-1] == "doesn" || t[j-1] == "don" || t[j-1] == "will") {
					j--
				}
				if j > 0 {
					return joinToks(t[:j]), joinToks(t[i+1:]), true
				}
			}
		}
	}
	return "", "", false
}

func negation(tok string) bool {
	return tok == "not" || tok == "never" || tok == "t" || tok == "cannot"
}

func joinToks(t []string) string {
	out := ""
	for i, s := range t {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}

// isTrustFrame reports whether the author's label of b says it is the
// trust boundary, and how ("" when it does not).
func isTrustFrame(b *graph.Boundary) string {
	label := authorLabel(b)
	if label == "" {
		return ""
	}
	if subj, obj, ok := distrusts(label); ok {
		return "its label says " + strconv.Quote(oneLine(label)) + ": " + subj + " inside it do not trust " + obj
	}
	w := newWords(label)
	k := w.first(trustFrameWords)
	if k == "" {
		return ""
	}
	for i, tok := range w.toks {
		if (tok == "trusted" || tok == "trust") && i > 0 && (negation(w.toks[i-1]) || w.toks[i-1] == "semi" || w.toks[i-1] == "less" || w.toks[i-1] == "partially") {
			return "" // "not trusted", "semi-trusted", "less trusted"
		}
	}
	return "its label says " + strconv.Quote(oneLine(label))
}

// distrustOutsideCallers lowers, for every frame the author calls the
// trust boundary, the trust of the components drawn outside it that call
// a component inside it and are not already less trusted than that
// component: to DMZ, the less trusted side of a boundary. Components
// inside some trust frame of their own keep their trust (two frames each
// calling into the other say nothing about which is trusted), and so do
// external entities and provider services, placed already. It runs after
// placeOutsiders and before markLocal, which makes such a component
// another world of the device on a firmware diagram.
func (a *analysis) distrustOutsideCallers() {
	frames := map[string]string{}
	for _, b := range a.d.Boundaries {
		if why := isTrustFrame(b); why != "" {
			frames[b.ID] = why
		}
	}
	if len(frames) == 0 {
		return
	}
	inFrame := func(ci *compInfo) string {
		if ci.c.Boundary == "" {
			return ""
		}
		for _, id := range a.d.BoundaryChain(ci.c.Boundary) {
			if frames[id] != "" {
				return id
			}
		}
		return ""
	}
	var ids []string
	for id := range frames {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, ci := range a.comps {
		if ci.kind == graph.KindExternal || ci.provider || ci.trust <= TrustDMZ || inFrame(ci) != "" || ci.clientApp != "" {
			continue
		}
		for c := range ci.callsOut() {
			f := inFrame(c.callee)
			if f == "" || c.callee.trust < ci.trust || a.cfg.component(ci.c) != nil || attrFirst(ci.c.Attributes, "trust", "trust_level") != "" {
				continue
			}
			b := a.d.Boundary(f)
			ci.trust = TrustDMZ
			ci.outsideTrust = f
			ci.placement = "drawn outside the trust boundary " + strconv.Quote(firstNonEmpty(oneLine(authorLabel(b)), f)) + " (" + frames[f] + ") and calls " +
				c.callee.label + " inside it: a less trusted caller of its inside, not the internet"
			ci.zoneReason = ci.placement
			break
		}
	}
}
