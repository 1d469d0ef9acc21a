package stride

import (
	"sort"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// openQuestions lists what the diagram leaves unsaid that changes the
// model. Questions are ordered components (by label), boundaries (by
// label), then flows (by source, target and flow label), and numbered
// OQ-1, OQ-2, ... in that order.
func (a *analysis) openQuestions(threats []Threat) []OpenQuestion {
	type q struct {
		key []string
		oq  OpenQuestion
	}
	var qs []q
	compThreats := func(ci *compInfo, withFlows bool) []string {
		s := set{}
		for _, i := range ci.threats {
			s.add(threats[i].ID)
		}
		if withFlows {
			for _, fl := range [][]*flowInfo{ci.in, ci.out} {
				for _, fi := range fl {
					for _, i := range fi.threats {
						s.add(threats[i].ID)
					}
				}
			}
		}
		return s.sorted()
	}
	flowThreats := func(fi *flowInfo, alsoRules ...string) []string {
		s := set{}
		for _, i := range fi.threats {
			s.add(threats[i].ID)
		}
		// Threats on the endpoints from rules that read this flow's facts.
		for _, ci := range []*compInfo{fi.src, fi.dst} {
			for _, i := range ci.threats {
				for _, r := range alsoRules {
					if strings.HasPrefix(threats[i].Rule, r) {
						s.add(threats[i].ID)
					}
				}
			}
		}
		return s.sorted()
	}
	for _, ci := range a.comps {
		key := []string{"0", ci.label, ci.c.ID}
		ref := ElementRef{Type: "component", ID: ci.c.ID}
		if !ci.confident {
			qs = append(qs, q{append(key, "0"), OpenQuestion{Element: ref,
				Question: "Is " + ci.label + " an external entity, a process or a data store? Nothing on the diagram says; it was treated as a process.",
				Impact:   "The kind decides which STRIDE categories apply; a data store would add tampering, disclosure and availability threats on its contents, an external entity would make its flows entry points.",
				Threats:  compThreats(ci, false)}})
		}
		if ci.kind == graph.KindDataStore && len(ci.sens) == 0 {
			qs = append(qs, q{append(key, "1"), OpenQuestion{Element: ref,
				Question: "What data does " + ci.label + " hold (personal data, PHI, card data, credentials)? Neither the store nor any flow touching it says.",
				Impact:   "Sensitive contents raise the impact of every threat on the store and on the flows that read or write it, and add disclosure threats that are not listed now.",
				Threats:  compThreats(ci, true)}})
		}
		if ci.kind == graph.KindDataStore && len(ci.sens) > 0 && !ci.atRestInfo {
			qs = append(qs, q{append(key, "2"), OpenQuestion{Element: ref,
				Question: "Is " + ci.label + " encrypted at rest, and who can use the key? It holds " + dataText(ci.sens.sorted()) + ".",
				Impact:   "Encryption at rest with a customer-managed key lowers the likelihood of disclosure through snapshots, backups and lost media.",
				Threats:  compThreats(ci, false)}})
		}
		if ci.trust == TrustUntrusted && ci.c.Boundary == "" && ci.kind != graph.KindExternal && len(a.d.Boundaries) > 0 {
			qs = append(qs, q{append(key, "3"), OpenQuestion{Element: ref,
				Question: ci.label + " is a " + string(ci.kind) + " drawn outside every trust boundary; where does it run, and who operates it?",
				Impact:   "It was treated as untrusted (internet); placing it in a boundary changes which flows are entry points.",
				Threats:  compThreats(ci, true)}})
		}
	}
	for _, bi := range a.bounds {
		if !bi.defaulted {
			continue
		}
		label := firstNonEmpty(oneLine(bi.b.Label), bi.b.ID)
		var ts []string
		s := set{}
		for _, ci := range a.comps {
			if ci.c.Boundary == bi.b.ID {
				s.add(compThreats(ci, true)...)
			}
		}
		ts = s.sorted()
		qs = append(qs, q{[]string{"1", label, bi.b.ID}, OpenQuestion{Element: ElementRef{Type: "boundary", ID: bi.b.ID},
			Question: "How trusted is the zone \"" + label + "\" (internet, DMZ, internal, restricted, data tier)? Its label gives no hint; it was treated as internal.",
			Impact:   "Trust levels decide which flows are inbound entry points and how likely attacks across them are.",
			Threats:  ts}})
	}
	for _, fi := range a.flows {
		key := []string{"2", fi.src.label, fi.dst.label, fi.label, fi.f.ID}
		ref := ElementRef{Type: "flow", ID: fi.f.ID}
		name := fi.src.label + " → " + fi.dst.label
		if fi.facts.Protocol == "" {
			qs = append(qs, q{append(key, "0"), OpenQuestion{Element: ref,
				Question: "Which protocol does " + name + " use, and is it encrypted? The flow label does not say.",
				Impact:   "An unknown protocol leaves encryption unknown: eavesdropping and tampering threats on the flow are rated between a TLS and a cleartext flow.",
				Threats:  flowThreats(fi)}})
		} else if fi.facts.Encrypted == EncUnknown && (len(fi.crosses) > 0 || len(fi.sens) > 0) {
			qs = append(qs, q{append(key, "1"), OpenQuestion{Element: ref,
				Question: "Is the " + fi.facts.Protocol + " flow " + name + " encrypted with TLS, and does the client verify the server certificate?",
				Impact:   "TLS would mitigate eavesdropping and tampering on the flow; cleartext would raise their likelihood.",
				Threats:  flowThreats(fi)}})
		}
		ext := fi.src
		if fi.dst.kind == graph.KindExternal {
			ext = fi.dst
		}
		if ext.kind == graph.KindExternal && len(fi.crosses) > 0 && fi.facts.Authenticated == "unknown" {
			var question string
			if ext == fi.src && ext.human() {
				question = "How do " + ext.label + " users authenticate on " + name + " (OIDC with MFA, password, none)?"
			} else if ext == fi.src {
				question = "How does " + fi.dst.label + " authenticate calls from " + ext.label + " on " + name + " (signed webhook, mTLS, API key)?"
			} else {
				question = "How does " + fi.src.label + " authenticate to " + ext.label + " on " + name + " (API key in a secrets manager, OAuth client credentials), and which data does it send?"
			}
			qs = append(qs, q{append(key, "2"), OpenQuestion{Element: ref, Question: question,
				Impact:  "The answer decides whether spoofing of the integration is mitigated and whether its credential is a secret worth protecting.",
				Threats: flowThreats(fi, "S-")}})
		}
	}
	if len(a.d.Boundaries) == 0 && len(a.d.Components) > 0 {
		qs = append(qs, q{[]string{"", ""}, OpenQuestion{Element: ElementRef{Type: "diagram"},
			Question: "The diagram draws no trust boundaries. Which components run in which network zone (internet, DMZ, internal, data tier), and who operates them?",
			Impact:   "Without boundaries no flow is an entry point and every component is treated as untrusted; zones decide which flows are entry points and how likely attacks across them are.",
			Threats:  []string{}}})
	}
	sort.Slice(qs, func(i, j int) bool { return lessKeys(qs[i].key, qs[j].key) })
	out := make([]OpenQuestion, len(qs))
	for i, x := range qs {
		x.oq.ID = "OQ-" + itoa(i+1)
		x.oq.Threats = nonNil(x.oq.Threats)
		out[i] = x.oq
	}
	return out
}
