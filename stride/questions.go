package stride

import (
	"cmp"
	"sort"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// question is an open question with its sort key.
type question struct {
	key []string
	oq  OpenQuestion
}

// openQuestions lists what the diagram leaves unsaid that changes the
// model. Questions are ordered components (by label), boundaries (by
// label), then flows (by source, target and flow label), and numbered
// OQ-1, OQ-2, ... in that order.
func (a *analysis) openQuestions(threats []Threat) []OpenQuestion {
	qa := questionAsker{a: a, threats: threats}
	for _, ci := range a.comps {
		qa.askComponent(ci)
	}
	for _, bi := range a.bounds {
		qa.askBoundary(bi)
	}
	for _, fi := range a.flows {
		qa.askFlowProtocol(fi)
		qa.askIntegrationAuth(fi)
	}
	qa.askZones()
	qa.askInferredData()
	qs := qa.qs
	sort.Slice(qs, func(i, j int) bool { return lessKeys(qs[i].key, qs[j].key) })
	out := make([]OpenQuestion, len(qs))
	for i, x := range qs {
		x.oq.ID = "OQ-" + itoa(i+1)
		x.oq.Threats = nonNil(x.oq.Threats)
		out[i] = x.oq
	}
	return out
}

// questionAsker collects the open questions of one analysis.
type questionAsker struct {
	a       *analysis
	threats []Threat
	qs      []question
}

func (qa *questionAsker) add(key []string, oq OpenQuestion) {
	qa.qs = append(qa.qs, question{key, oq})
}

// compThreats lists the threats on a component and, withFlows, on its
// flows.
func (qa *questionAsker) compThreats(ci *compInfo, withFlows bool) []string {
	// Gathered with repeats and made distinct once (sortedDistinct), not
	// through a map per question.
	n := len(ci.threats)
	if withFlows {
		for _, fi := range ci.in {
			n += len(fi.threats)
		}
		for _, fi := range ci.out {
			n += len(fi.threats)
		}
	}
	if n == 0 {
		return []string{}
	}
	s := make([]string, 0, n)
	for _, i := range ci.threats {
		s = append(s, qa.threats[i].ID)
	}
	if withFlows {
		for _, fl := range [][]*flowInfo{ci.in, ci.out} {
			for _, fi := range fl {
				for _, i := range fi.threats {
					s = append(s, qa.threats[i].ID)
				}
			}
		}
	}
	return sortedDistinct(s)
}

// flowThreats lists the threats on a flow and those of the given
// categories on its ends (rules that read the flow's facts).
func (qa *questionAsker) flowThreats(fi *flowInfo, alsoOnEnds ...Category) []string {
	n := len(fi.threats)
	if len(alsoOnEnds) > 0 {
		n += len(fi.src.threats) + len(fi.dst.threats)
	}
	if n == 0 {
		return []string{}
	}
	s := make([]string, 0, n)
	for _, i := range fi.threats {
		s = append(s, qa.threats[i].ID)
	}
	for _, ci := range []*compInfo{fi.src, fi.dst} {
		for _, i := range ci.threats {
			for _, c := range alsoOnEnds {
				if qa.threats[i].Stride == c.Letter() {
					s = append(s, qa.threats[i].ID)
				}
			}
		}
	}
	return sortedDistinct(s)
}

// askComponent asks about an unclear kind, a store's contents and its
// encryption at rest, and a process or store drawn outside every zone.
func (qa *questionAsker) askComponent(ci *compInfo) {
	key := []string{"0", ci.label, ci.c.ID}
	ref := ElementRef{Type: "component", ID: ci.c.ID}
	if !ci.confident {
		qa.add(append(key, "0"), OpenQuestion{Element: ref,
			Question: "Is " + ci.label + " an external entity, a process or a data store? Nothing on the diagram says; it was treated as a process.",
			Impact:   "The kind decides which STRIDE categories apply; a data store would add tampering, disclosure and availability threats on its contents, an external entity would make its flows entry points.",
			Threats:  qa.compThreats(ci, false)})
	}
	if ci.kind == graph.KindDataStore && len(ci.sens) == 0 {
		qa.add(append(key, "1"), OpenQuestion{Element: ref,
			Question: "What data does " + ci.label + " hold (personal data, PHI, card data, credentials)? Neither the store nor any flow touching it says.",
			Impact:   "Sensitive contents raise the impact of every threat on the store and on the flows that read or write it, and add disclosure threats that are not listed now.",
			Threats:  qa.compThreats(ci, true)})
	}
	if ci.kind == graph.KindDataStore && len(ci.sens) > 0 && !ci.atRestInfo {
		qa.add(append(key, "2"), OpenQuestion{Element: ref,
			Question: "Is " + ci.label + " encrypted at rest, and who can use the key? It holds " + dataText(ci.sens.sorted()) + ".",
			Impact:   "Encryption at rest with a customer-managed key lowers the likelihood of disclosure through snapshots, backups and lost media.",
			Threats:  qa.compThreats(ci, false)})
	}
	if ci.outside && ci.kind != graph.KindExternal && len(qa.a.d.Boundaries) > 0 {
		qa.add(append(key, "3"), OpenQuestion{Element: ref,
			Question: ci.label + " is a " + string(ci.kind) + " drawn outside every trust boundary; where does it run, and who operates it?",
			Impact:   "threatmap placed it in the zone \"" + ci.zone + "\" (" + TrustName(ci.trust) + "): " + ci.placement + ". Placing it in a boundary changes which flows are entry points.",
			Threats:  qa.compThreats(ci, true)})
	}
}

// askBoundary asks how trusted a zone is whose trust was defaulted.
func (qa *questionAsker) askBoundary(bi *boundaryInfo) {
	if !bi.defaulted {
		return
	}
	label := firstNonEmpty(oneLine(bi.b.Label), bi.b.ID)
	s := set{}
	for _, ci := range qa.a.comps {
		if ci.c.Boundary == bi.b.ID {
			s.add(qa.compThreats(ci, true)...)
		}
	}
	qa.add([]string{"1", label, bi.b.ID}, OpenQuestion{Element: ElementRef{Type: "boundary", ID: bi.b.ID},
		Question: "How trusted is the zone \"" + label + "\" (internet, DMZ, internal, restricted, data tier)? Its label gives no hint; it was treated as internal.",
		Impact:   "Trust levels decide which flows are inbound entry points and how likely attacks across them are.",
		Threats:  s.sorted()})
}

func flowKey(fi *flowInfo, n string) []string {
	return []string{"2", fi.src.label, fi.dst.label, fi.label, fi.f.ID, n}
}

// askFlowProtocol asks for a flow's unnamed protocol, or for the
// encryption of a crossing or sensitive flow whose protocol leaves it open.
func (qa *questionAsker) askFlowProtocol(fi *flowInfo) {
	ref := ElementRef{Type: "flow", ID: fi.f.ID}
	if fi.facts.Protocol == "" {
		name := fi.src.label + " → " + fi.dst.label
		qa.add(flowKey(fi, "0"), OpenQuestion{Element: ref,
			Question: "Which protocol does " + name + " use, and is it encrypted? The flow label does not say.",
			Impact:   "An unknown protocol leaves encryption unknown: eavesdropping and tampering threats on the flow are rated between a TLS and a cleartext flow.",
			Threats:  qa.flowThreats(fi)})
	} else if fi.facts.Encrypted == EncUnknown && (len(fi.crosses) > 0 || len(fi.sens) > 0) {
		name := fi.src.label + " → " + fi.dst.label
		qa.add(flowKey(fi, "1"), OpenQuestion{Element: ref,
			Question: "Is the " + fi.facts.Protocol + " flow " + name + " encrypted with TLS, and does the client verify the server certificate?",
			Impact:   "TLS would mitigate eavesdropping and tampering on the flow; cleartext would raise their likelihood.",
			Threats:  qa.flowThreats(fi)})
	}
}

// askIntegrationAuth asks how a crossing flow to or from an external
// entity is authenticated when its label does not say.
func (qa *questionAsker) askIntegrationAuth(fi *flowInfo) {
	ext := fi.src
	if fi.dst.kind == graph.KindExternal {
		ext = fi.dst
	}
	if ext.kind != graph.KindExternal || len(fi.crosses) == 0 || fi.facts.Authenticated != "unknown" {
		return
	}
	name := fi.src.label + " → " + fi.dst.label
	var question string
	switch {
	case ext == fi.src && ext.human():
		question = "How do " + ext.label + " users authenticate on " + name + " (OIDC with MFA, password, none)?"
	case ext == fi.src:
		question = "How does " + fi.dst.label + " authenticate calls from " + ext.label + " on " + name + " (signed webhook, mTLS, API key)?"
	default:
		question = "How does " + fi.src.label + " authenticate to " + ext.label + " on " + name + " (API key in a secrets manager, OAuth client credentials), and which data does it send?"
	}
	qa.add(flowKey(fi, "2"), OpenQuestion{Element: ElementRef{Type: "flow", ID: fi.f.ID}, Question: question,
		Impact:  "The answer decides whether spoofing of the integration is mitigated and whether its credential is a secret worth protecting.",
		Threats: qa.flowThreats(fi, Spoofing)})
}

// askZones asks for the zones of a diagram that draws no boundaries.
func (qa *questionAsker) askZones() {
	d := qa.a.d
	if len(d.Boundaries) > 0 || len(d.Components) == 0 {
		return
	}
	qa.add([]string{"", ""}, OpenQuestion{Element: ElementRef{Type: "diagram"},
		Question: "The diagram draws no trust boundaries. Which components run in which network zone (internet, DMZ, internal, data tier), and who operates them?",
		Impact:   "Without boundaries no flow is an entry point and every component is treated as untrusted; zones decide which flows are entry points and how likely attacks across them are.",
		Threats:  []string{}})
}

// askInferredData asks the owner to confirm each data class the analysis
// inferred, once per class, naming the components and why.
func (qa *questionAsker) askInferredData() {
	byClass := map[string][]*compInfo{}
	for _, ci := range qa.a.comps {
		for class := range ci.inferred {
			byClass[class] = append(byClass[class], ci)
		}
	}
	classes := set{}
	for class := range byClass {
		classes.add(class)
	}
	for _, class := range classes.sorted() {
		cs := byClass[class]
		sort.Slice(cs, func(i, j int) bool {
			return cmp.Or(strings.Compare(cs[i].label, cs[j].label), strings.Compare(cs[i].c.ID, cs[j].c.ID)) < 0
		})
		var names, whys []string
		threats := set{}
		for _, ci := range cs {
			names = append(names, ci.label)
			whys = append(whys, ci.label+": "+ci.inferred[class])
			threats.add(qa.compThreats(ci, false)...)
		}
		qa.add([]string{"", "data", class}, OpenQuestion{Element: ElementRef{Type: "diagram"},
			Question: verb(len(names), "Does ", "Do ") + joinNames(names) + " handle " + dataText([]string{class}) + "? The diagram does not say; threatmap assumed so (" + strings.Join(whys, "; ") + ").",
			Impact:   "The data at stake sets the impact of every threat on these components and their flows; if they do not handle it, those threats are rated too high.",
			Threats:  threats.sorted()})
	}
}

// verb picks the singular or plural form for n subjects.
func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
