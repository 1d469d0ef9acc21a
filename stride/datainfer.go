package stride

import (
	"path/filepath"
	"sort"
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

// Data classes from what the author wrote about an element besides its
// label: a description, a tooltip, a note or a comment ("Contains name,
// address, card number"). Every importer keeps such text as an attribute
// (DOT comment, tooltip or description; draw.io custom properties and
// tooltips; Threat Dragon and OTM descriptions; a Mermaid click
// statement's tooltip). It is read like the label, clause by clause, with
// the clause that names the class kept as the evidence; a clause that
// negates ("no card data", "never stores passwords") names nothing.

// descriptionKeys are the attribute keys whose text describes an element
// (compared without case).
var descriptionKeys = []string{"description", "desc", "tooltip", "comment", "comments", "note", "notes",
	"c4description", "details", "summary", "contains", "holds", "stores", "data_description"}

// negationWords make a clause say what an element does not hold.
var negationWords = kw("no", "not", "never", "without", "nor", "none", "non", "doesn", "don", "isn", "aren", "cannot", "excluding", "except")

// personalFields are the fields of a record of people: a description
// naming two of them ("name and address") holds personal data.
var personalFields = []*kwList{
	kw("name", "full name", "first name", "last name", "surname*"),
	kw("address", "addresses", "postal address", "home address", "street"),
	kw("phone*", "mobile number*", "telephone*"),
	kw("email", "e mail", "email address*"),
	kw("birth*", "dob", "birthday"),
	kw("gender", "nationality", "ethnicity"),
}

// notPersonal are phrases whose "name" or "address" are software's.
var notPersonal = kw("ip address*", "mac address*", "memory address*", "wallet address*", "bind address*", "listen address*",
	"base address*", "host name*", "hostname*", "domain name*", "file name*", "bucket name*", "table name*", "secret name*",
	"service name*", "job name*", "topic name*", "queue name*", "resource name*", "key name*", "user name*", "username*")

// describedData returns the data classes an element's descriptive
// attributes name, each with the evidence ("its comment says \"...\"").
func describedData(attrs map[string]string) (classes []string, why map[string]string) {
	if len(attrs) == 0 {
		return nil, nil
	}
	keys := make([]string, 0, 2)
	for k := range attrs {
		lk := strings.ToLower(k)
		for _, dk := range descriptionKeys {
			if lk == dk {
				keys = append(keys, k)
				break
			}
		}
	}
	texts := make([]struct{ key, text string }, 0, len(keys)+1)
	sort.Strings(keys)
	for _, k := range keys {
		texts = append(texts, struct{ key, text string }{strings.ToLower(k), attrs[k]})
	}
	if tip := clickTooltip(attrs["click"]); tip != "" {
		texts = append(texts, struct{ key, text string }{"tooltip", tip})
	}
	out := set{}
	for _, kt := range texts {
		if ownSummary().MatchString(kt.text) {
			continue // threatmap's own analysis, written into an export
		}
		var kept []string
		for _, clause := range clauses(kt.text) {
			if newWords(clause).first(negationWords) == "" {
				kept = append(kept, clause)
			}
		}
		found := ParseSensitivity(strings.Join(kept, " | "))
		if personalRecord(newWords(kept...)) {
			found = append(found, DataPII)
		}
		for _, c := range found {
			if out[c] {
				continue
			}
			out.add(c)
			if why == nil {
				why = map[string]string{}
			}
			why[c] = "its " + kt.key + " says " + strconv.Quote(shortText(oneLine(kt.text), 80))
		}
	}
	return out.sorted(), why
}

// ownSummary matches the description threatmap's Threat Dragon export
// writes on each element (exporters/threatdragon: "process (reason); zone
// Z, trust 2 (internal); data: PHI", "entry point EP-1 (inbound);
// encrypted: true; authentication: jwt; data: PHI"): the analysis's own
// output, data classes it inferred or propagated included, not what the
// author wrote. Read back, it would state them and change the analysis
// of the round trip.
var ownSummary = lazyRegexp(`^(?:(?:external|process|datastore) \(.*\); zone .*, trust [0-4] \(|(?:entry point EP-[0-9]+ \([a-z]+\); )?encrypted: (?:true|false|unknown); authentication: )`)

// clauses splits a description into the clauses a negation governs:
// at sentence and list punctuation, "but", and line breaks. A list of
// fields ("name, address, card number") stays one clause per field, so
// that "name, address, no card data" negates only the card data.
func clauses(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '.', ';', ',', '\n', '\r', '(', ')', '|', '•', ':':
			return true
		}
		return false
	})
	var out []string
	for _, p := range parts {
		for _, q := range strings.Split(" "+p+" ", " but ") {
			if q = strings.TrimSpace(q); q != "" {
				out = append(out, q)
			}
		}
	}
	return out
}

// personalRecord reports whether w names two or more fields of a record
// of people ("name and address").
func personalRecord(w words) bool {
	if w.first(notPersonal) != "" {
		return false
	}
	n := 0
	for _, f := range personalFields {
		if w.first(f) != "" {
			n++
		}
	}
	return n >= 2
}

// clickTooltip returns the tooltip of a Mermaid click statement's
// arguments (`"https://..." "tooltip"` or `callback "tooltip"`): its
// last quoted string that is not a link; "" when there is none.
func clickTooltip(s string) string {
	tip := ""
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			return tip
		}
		j := strings.IndexByte(s[i+1:], '"')
		if j < 0 {
			return tip
		}
		q := s[i+1 : i+1+j]
		s = s[i+j+2:]
		if !strings.Contains(q, "://") && !strings.HasPrefix(q, "/") && !strings.HasPrefix(q, "#") && !strings.HasPrefix(q, "mailto:") {
			tip = q
		}
	}
}

// shortText cuts s to at most n runes, with an ellipsis.
func shortText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// readDescribedData adds the data classes the flow's description names,
// and records why the flow carries each class read on it.
func (fi *flowInfo) readDescribedData() {
	label := set{}
	label.add(ParseSensitivity(fi.f.Label)...)
	attr := set{}
	attr.add(attrSensitivity(fi.f.Attributes)...)
	for _, c := range fi.sens.sorted() {
		switch {
		case label[c]:
			fi.noteData(c, "its label says so")
		case attr[c]:
			fi.noteData(c, "an attribute says so")
		default:
			fi.noteData(c, "set in the configuration file")
		}
	}
	cls, why := describedData(fi.f.Attributes)
	for _, c := range cls {
		fi.sens.add(c)
		fi.noteData(c, why[c])
	}
}

// noteData records why the flow carries class c, keeping the first reason.
func (fi *flowInfo) noteData(c, why string) {
	if fi.dataWhy == nil {
		fi.dataWhy = map[string]string{}
	}
	if _, ok := fi.dataWhy[c]; !ok {
		fi.dataWhy[c] = why
	}
}
