package stride

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// Data a reader infers when the diagram does not say it. A "Records Service"
// in a patient portal handles health data, a checkout handles payment data,
// a login service handles credentials, whatever their labels spell out. Each
// inference keeps its reason and raises an open question asking the owner
// to confirm it; stated sensitivity (labels, attributes, configuration) is
// never overridden.

// dataDomain is a kind of system and what its components hold.
type dataDomain struct {
	name  string
	class string
	// evidence: words in the system's title, page, file name or notes, or
	// in at least two component labels, that put the system in the domain.
	evidence *kwList
	// holders: words in a component's label that make it hold the class
	// in a system of this domain.
	holders *kwList
}

var dataDomains = []dataDomain{
	{name: "a health-care system", class: DataPHI,
		evidence: kw("patient*", "clinic*", "hospital*", "health*", "medical", "telehealth", "telemedicine", "ehr", "emr",
			"pharmacy", "prescription*", "clinician*", "physician*", "nurse*", "doctor*", "care home"),
		holders: kw("record*", "chart*", "ehr", "emr", "clinical", "lab", "labs", "prescription*", "consultation*",
			"diagnos*", "patient*", "medical", "imaging", "document*", "appointment*", "visit*", "encounter*", "fhir", "hl7")},
	{name: "a payment system", class: DataFinancial,
		evidence: kw("checkout", "payment*", "billing", "merchant*", "wallet*", "acquirer", "psp", "bank*", "fintech", "ledger"),
		holders:  kw("checkout", "payment*", "billing", "order*", "invoice*", "transaction*", "wallet*", "ledger", "account*", "transfer*", "settlement*")},
}

// identityHolders hold credentials in any system.
var identityHolders = kw("login", "identity", "idp", "sso", "auth", "authentication", "authorization", "session*",
	"credential*", "password*", "oauth", "oidc", "keycloak", "directory", "ldap", "active directory", "user store", "users db")

// inferData adds the data classes the system's domain and each component's
// role imply, with their reasons.
func (a *analysis) inferData() {
	var domains []dataDomain
	for _, dd := range dataDomains {
		if a.inDomain(dd) {
			domains = append(domains, dd)
		}
	}
	for _, ci := range a.comps {
		if ci.kind == graph.KindExternal {
			continue
		}
		ci.inferTechData()
		w := ci.lw.withoutFalseSenses() // a "Health Check" is no health record
		if k := w.first(identityHolders); k != "" {
			ci.infer(DataCredentials, "its label says "+strconv.Quote(strings.TrimSuffix(k, "*"))+", and sign-in and session services handle credentials")
		}
		for _, dd := range domains {
			if k := w.first(dd.holders); k != "" {
				ci.infer(dd.class, "its label says "+strconv.Quote(strings.TrimSuffix(k, "*"))+" in "+dd.name)
			}
		}
	}
}

// inDomain reports whether the system belongs to dd: its title, page,
// file name or notes say so, or two component labels do.
func (a *analysis) inDomain(dd dataDomain) bool {
	d := a.d
	parts := []string{d.Title, d.Name, strings.TrimSuffix(filepath.Base(d.File), filepath.Ext(d.File))}
	for _, n := range d.Notes {
		parts = append(parts, n.Text)
	}
	if dataWords(strings.NewReplacer("_", " ", "-", " ").Replace(strings.Join(parts, " "))).first(dd.evidence) != "" {
		return true
	}
	n := 0
	for _, ci := range a.comps {
		if ci.lw.withoutFalseSenses().first(dd.evidence) != "" {
			if n++; n >= 2 {
				break
			}
		}
	}
	return n >= 2
}

// infer records an inferred data class, unless the component states its
// sensitivity or already holds the class.
func (ci *compInfo) infer(class, why string) {
	if ci.stated || ci.sens[class] {
		return
	}
	ci.addData(why, class)
	if ci.inferred == nil {
		ci.inferred = map[string]string{}
	}
	ci.inferred[class] = why
}

// propagateToSinks: what a process handles reaches the caches and logs it
// writes to, and the flows that carry it there: they keep copies of what
// passes through, often longer and less guarded than the system of record.
// A queue carries particular messages, so only its flows' labels count.
func (a *analysis) propagateToSinks() {
	for _, ci := range a.comps {
		if ci.kind != graph.KindProcess || len(ci.sens) == 0 {
			continue
		}
		for _, fi := range ci.out {
			t := fi.dst
			if t.kind != graph.KindDataStore || !(t.tags[TagCache] || t.tags[TagLog]) {
				continue
			}
			for s := range ci.sens {
				fi.sens.add(s)
				if !t.sens[s] {
					t.addData("it receives what "+ci.label+" handles", s)
					if t.inferred == nil {
						t.inferred = map[string]string{}
					}
					if _, ok := t.inferred[s]; !ok {
						t.inferred[s] = "it receives what " + ci.label + " handles"
					}
				}
			}
		}
	}
}

// propagateResponses carries the data a process holds (stated, inferred,
// or read from and written to its stores) back along the request paths that
// reach it: the flow from its caller carries the response, and the caller
// handles it in turn, up to the person who asked. Third parties that call
// in (webhooks) get an acknowledgement, not the data. Together with the
// store-to-flow step this spreads data both ways along a request path. It
// runs before processes take on everything their flows carry, so data a
// process only passes on to a third party does not flow back to its callers.
func (a *analysis) propagateResponses() {
	own := make(map[*compInfo]set, len(a.comps))
	var queue []*compInfo
	for _, ci := range a.comps {
		if ci.kind != graph.KindProcess {
			continue
		}
		s := set{}
		s.add(ci.sens.sorted()...)
		for _, fl := range [][]*flowInfo{ci.in, ci.out} {
			for _, fi := range fl {
				if fi.src.kind == graph.KindDataStore || fi.dst.kind == graph.KindDataStore {
					s.add(fi.sens.sorted()...)
				}
			}
		}
		own[ci] = s
		if len(s) > 0 {
			queue = append(queue, ci)
		}
	}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, fi := range x.in {
			src := fi.src
			if src.kind == graph.KindDataStore || (src.kind == graph.KindExternal && !src.human()) {
				continue
			}
			for c := range own[x] {
				fi.sens.add(c)
				if src.knowsWhy(c) {
					src.sens.add(c) // the reason given first stands
				} else {
					src.addData("responses from "+x.label+" carry it", c)
				}
				if src.kind == graph.KindProcess && !own[src][c] {
					own[src].add(c)
					queue = append(queue, src)
				}
			}
		}
	}
}

// dataReasons says why the component holds each of its data classes; nil
// when it holds none.
func (ci *compInfo) dataReasons() map[string]string {
	if len(ci.sens) == 0 {
		return nil
	}
	out := make(map[string]string, len(ci.sens))
	for c := range ci.sens {
		out[c] = ci.dataWhy[c]
	}
	return out
}
