package stride

import (
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// What a threat puts at stake: the value of the asset (1..5) from the data
// classes the element holds or carries and the role it plays for the
// system. Impact is derived from it (scoring.go): a threat against an
// identity provider or a store of health records costs more than the same
// threat against a thumbnail renderer.

// Asset values.
const (
	assetMinor    = 2 // a component whose loss costs little
	assetOrdinary = 3 // the system's own software or data, nothing regulated
	assetValuable = 4 // personal or financial data, an audit trail, a registry
	assetCrown    = 5 // regulated data, credentials, or a component that controls others
)

// dataValue rates a data class: regulated data and credentials are crown
// jewels, personal and financial data valuable, other confidential data
// ordinary.
var dataValue = map[string]int{
	DataPHI: assetCrown, DataPCI: assetCrown, DataCredentials: assetCrown,
	DataPII: assetValuable, DataFinancial: assetValuable, DataConfidential: assetOrdinary,
}

// roleValue rates a technology role: what an attacker who controls the
// component controls besides it.
var roleValue = map[catalog.Role]int{
	catalog.RoleIdentityProvider: assetCrown, catalog.RoleDirectory: assetCrown,
	catalog.RoleSecretsManager: assetCrown, catalog.RoleKeyManagement: assetCrown,
	catalog.RolePayment: assetCrown, catalog.RoleControlPlane: assetCrown,
	catalog.RoleStateStore: assetCrown, catalog.RoleCICD: assetCrown,
	catalog.RoleLogging: assetValuable, catalog.RoleSIEM: assetValuable,
	catalog.RoleArtifactRegistry: assetValuable, catalog.RoleSourceRepository: assetValuable,
	catalog.RoleModelRegistry: assetValuable, catalog.RoleMLPlatform: assetValuable,
	catalog.RoleOrchestrator: assetValuable, catalog.RoleNodeAgent: assetValuable,
	catalog.RoleBastion: assetValuable, catalog.RolePartitionManager: assetCrown,
}

// tagValue rates what a component's label says it is, for components the
// catalog does not know.
var tagValue = []struct {
	tag   Tag
	value int
	what  string
}{
	{TagSecrets, assetCrown, "a secrets or key store"},
	{TagIdentity, assetCrown, "an identity provider"},
	{TagPayment, assetCrown, "a payment component"},
	{TagAdmin, assetCrown, "an administrative path"},
	{TagAuth, assetValuable, "an authentication component"},
	{TagLog, assetValuable, "an audit or log store"},
}

// availabilityCritical are the roles everything else waits on: their
// outage stops the system, so denial of service costs their full value.
var availabilityCritical = map[catalog.Role]bool{
	catalog.RoleIdentityProvider: true, catalog.RolePayment: true, catalog.RoleAPIGateway: true,
	catalog.RoleLoadBalancer: true, catalog.RoleCDN: true, catalog.RoleControlPlane: true,
	catalog.RoleIngressController: true, catalog.RoleDNS: true, catalog.RoleStateStore: true,
	catalog.RolePartitionManager: true,
}

// asset is the value of what a threat puts at stake, with the reason.
type asset struct {
	value  int
	reason string
	// regulated: the data at stake is PHI, card data or credentials.
	regulated bool
	// audit: the element is an audit or log store.
	audit bool
	// availability: the rest of the system waits on it; availWhy says
	// why when it is not the default reason.
	availability bool
	availWhy     string
	// assumed says why the value was assumed rather than read from a
	// drawn data class ("" when it was not): a store the system's
	// services keep their data in, or a flow to or from one, with no data
	// class on the diagram (appDataStore).
	assumed string
}

// raise keeps the higher of two values, with its reason.
func (a *asset) raise(v int, why string) {
	if v > a.value {
		a.value, a.reason = v, why
	}
}

// componentAsset rates a component: its data classes, then its role.
func componentAsset(ci *compInfo) asset {
	a := ci.roleAssetOnce()
	for _, d := range ci.sens.sorted() {
		if d == DataCredentials && !keepsCredentials(ci) {
			a.raise(assetValuable, ci.label+" passes on its callers' credentials or session tokens; one stolen is one session, not the store of all")
			continue
		}
		a.raise(dataValue[d], ci.label+" holds or handles "+dataText([]string{d}))
		a.regulated = a.regulated || dataValue[d] == assetCrown
	}
	if len(ci.sens) == 0 && a.value < assetValuable {
		if why := appDataStore(ci); why != "" {
			a.assumed = why
			a.raise(assetValuable, assumedPrefix+why)
		}
	}
	return a
}

// assumedPrefix starts the reason of a value assumed for want of a drawn
// data class, so that a reviewer sees the assumption and can correct it
// by labelling the data.
const assumedPrefix = "impact assumed, no data class drawn: "

// storeRoles are the technology roles that keep data for the system,
// whatever shape the diagram gives them (a queue drawn as a box).
var storeRoles = map[catalog.Role]bool{
	catalog.RoleDatabase: true, catalog.RoleMessageBroker: true, catalog.RoleObjectStorage: true,
	catalog.RoleFileStorage: true, catalog.RoleDataWarehouse: true, catalog.RoleSearch: true,
	catalog.RoleVectorDatabase: true,
}

// publicContentWords name stores of what the system publishes anyway
// (a static site, images and media, downloads) or of its own measurements
// (metrics, telemetry): their contents are not the application's records.
var publicContentWords = kw("static", "public", "asset", "assets", "media", "image", "images", "website", "web site",
	"site", "thumbnail*", "font*", "icon*", "download*", "metric*", "telemetry", "monitoring")

// appDataStore says why ci holds the application's own data when the
// diagram draws no data class on it: it is a store (by shape or by its
// technology's role) that the system's own services write to, or read
// from and write back through others, so what the application keeps
// (its users' records, their orders, their messages) is there. A
// reviewer expects a main database, a work queue or a document bucket
// to be worth more than a thumbnail renderer even when nobody labelled
// it. Not a blanket raise: caches (copies the application rebuilds, and
// which take on what their writers handle, datainfer.go), stores of
// public content or of the system's own measurements, logs (valued as
// audit stores), and stores a CDN reads (what it serves is published)
// keep the ordinary value. "" when ci is none of these.
func appDataStore(ci *compInfo) string {
	role := catalog.Role(ci.techRole())
	if ci.kind != graph.KindDataStore && !storeRoles[role] {
		return ""
	}
	if ci.kind == graph.KindExternal || ci.tags[TagCache] || ci.tags[TagLog] || role == catalog.RoleCache ||
		role == catalog.RoleMonitoring || role == catalog.RoleLogging || role == catalog.RoleSIEM {
		return ""
	}
	if ci.lw.first(publicContentWords) != "" {
		return ""
	}
	var writers, readers []string
	for _, fi := range ci.in {
		if ownService(fi.src) {
			writers = appendOnce(writers, fi.src.label)
		}
	}
	for _, fi := range ci.out {
		if fi.dst.tags[TagCDN] || catalog.Role(fi.dst.techRole()) == catalog.RoleCDN {
			return "" // what a CDN serves is published
		}
		if ownService(fi.dst) {
			readers = appendOnce(readers, fi.dst.label)
		}
	}
	queue := ci.tags[TagQueue] || role == catalog.RoleMessageBroker
	switch {
	case queue && len(writers) > 0:
		return ci.label + " carries the messages " + joinOrdered(writers) + " send" + verbS(len(writers)) + ", taken to be the application's work on its users' records"
	case len(writers) > 0:
		return ci.label + " is where " + joinOrdered(writers) + " keep" + verbS(len(writers)) + " the application's data, taken to be its users' records"
	case len(readers) > 0:
		return ci.label + " is the data " + joinOrdered(readers) + " work" + verbS(len(readers)) + " from, taken to be the application's records"
	}
	return ""
}

// ownService reports whether ci is one of the system's own services: a
// process, not a proxy in front of others.
func ownService(ci *compInfo) bool {
	return ci.kind == graph.KindProcess && !ci.tags[TagProxy]
}

// verbS is the third-person "s" for one subject.
func verbS(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

// appendOnce appends s to l unless l already has it.
func appendOnce(l []string, s string) []string {
	for _, x := range l {
		if x == s {
			return l
		}
	}
	return append(l, s)
}

// keepsCredentials reports whether ci keeps credentials rather than passing
// its callers' tokens on: a data store that holds them, a component whose
// label or configuration says it does, or one the analysis infers holds
// them for its role (an identity provider, a secrets manager). Credentials
// that only travel through a component (a gateway, a web front end, a
// person's browser) are worth one session each.
func keepsCredentials(ci *compInfo) bool {
	if ci.kind == graph.KindDataStore || ci.stated {
		return true
	}
	if _, ok := ci.inferred[DataCredentials]; ok {
		return true
	}
	return ci.tech != nil && ci.tech.Facts.HoldsSecrets
}

// roleAsset rates what a component is, whatever data it holds: the
// catalog's role, a privileged person's account, a restricted zone, or
// what its label says it is.
// roleAssetOnce is roleAsset(ci), made once per analysis (buildEnvs
// resets it): every flow reads both its ends', with their reasons.
func (ci *compInfo) roleAssetOnce() asset {
	if !ci.roleKnown {
		ci.roleVal, ci.roleKnown = roleAsset(ci), true
	}
	return ci.roleVal
}

func roleAsset(ci *compInfo) asset {
	a := asset{value: assetOrdinary, reason: "the system's own " + kindNoun(ci.kind) + ", no sensitive data shown"}
	if ci.kind == graph.KindExternal {
		a.value, a.reason = assetMinor, "an outside party, no sensitive data shown"
	}
	if ci.trust >= TrustRestricted && ci.kind != graph.KindExternal {
		a.raise(assetValuable, ci.label+" sits in "+ci.zone+", a "+TrustName(ci.trust)+" zone the design sets apart")
	}
	if ci.person != nil && ci.person.Privileged {
		a.raise(assetCrown, ci.label+" is "+ci.person.Phrase+"'s account, which administers the system")
	}
	if t := ci.tech; t != nil {
		if t.Role == catalog.RolePartitionManager {
			what := ci.label + " is " + t.Name + ", a partition manager"
			if t.Generic {
				what = ci.label + " is a partition manager (" + strings.ToLower(t.Name) + ")"
			}
			a.raise(assetCrown, what+": it holds the device's keys and attestation state, "+
				"the state of every partition it serves and the record of which partition owns which memory, so a flaw in it breaks the isolation between them")
			a.availWhy = "every partition " + ci.label + " serves stops when it does"
		}
		if v, ok := roleValue[t.Role]; ok {
			a.raise(v, ci.label+" is "+t.Name+" ("+string(t.Role)+")")
		}
		if t.Facts.HoldsSecrets {
			a.raise(assetCrown, t.Name+" holds other components' credentials or keys")
		}
		if t.Facts.Privileged {
			a.raise(assetCrown, "whoever controls "+t.Name+" controls other components")
		}
		a.availability = availabilityCritical[t.Role]
		a.audit = t.Role == catalog.RoleLogging || t.Role == catalog.RoleSIEM
	}
	for _, tv := range tagValue {
		if ci.tags[tv.tag] {
			a.raise(tv.value, ci.label+" is "+tv.what)
		}
	}
	a.audit = a.audit || ci.tags[TagLog]
	a.availability = a.availability || ci.tags[TagIdentity] || ci.tags[TagPayment] || ci.tags[TagGateway]
	if ci.worldsBelow >= 1 {
		a.raise(assetCrown, ci.label+" runs beneath less trusted execution worlds that call it: whoever controls it controls them and the device's keys")
	}
	if ci.worldsBelow >= 2 {
		a.availability = true
		a.availWhy = "every world that calls " + ci.label + " (" + strconv.Itoa(ci.worldsBelow) + " of them) stops when it does"
	}
	return a
}

// countWorldsBelow sets, for each component in an isolation partition,
// how many less trusted partitions call into it (compInfo.worldsBelow).
// Firmware beneath two or more worlds (a secure monitor serving both the
// secure and the normal world, a hypervisor serving several guests) is
// what each of them runs on: when it crashes, resets or hangs, the whole
// device stops, not one caller. Firmware serving one world is that
// world's service, an outage like any other.
func (a *analysis) countWorldsBelow() {
	from := a.callersByPartition(a.worldOf)
	for _, ci := range a.comps {
		if ci.partition != "" {
			ci.worldsBelow = len(from[ci.partition])
		}
	}
}

// flowAsset rates a flow: the data it carries, or the value of what an
// end is, whose credentials, keys, records or commands travel on it (a hop
// to an identity provider carries its tokens, a hop from CI/CD its
// deployments, a hop from a restricted zone what that zone guards).
func flowAsset(fi *flowInfo) asset {
	a := asset{value: assetOrdinary, reason: "a flow of the system's own data, no sensitive data shown"}
	for _, d := range fi.sens.sorted() {
		if d == DataCredentials && !keepsCredentials(fi.src) && !keepsCredentials(fi.dst) {
			// The tokens in flight on one hop are sessions; the store
			// of all of them is worth more, and an end that keeps them
			// raises the flow below.
			a.raise(assetValuable, "the flow carries credentials or session tokens in passing")
			continue
		}
		a.raise(dataValue[d], "the flow carries "+dataText([]string{d}))
		a.regulated = a.regulated || dataValue[d] == assetCrown
	}
	server := fi.dst
	if m := partitionManagerOf(fi); m != nil {
		server = m // a two-way arrow drawn from the manager to its caller
	}
	for _, end := range []*compInfo{fi.src, fi.dst} {
		ea := end.roleAssetOnce()
		if ea.value > assetOrdinary {
			a.raise(ea.value, "it reaches "+end.label+": "+ea.reason)
		}
		a.audit = a.audit || (end == server && ea.audit)
		if end == server && ea.availability && !a.availability {
			a.availability, a.availWhy = true, ea.availWhy
		}
	}
	if len(fi.sens) == 0 {
		for _, end := range []*compInfo{fi.src, fi.dst} {
			if end.value.assumed != "" && a.value < assetValuable {
				a.assumed = end.value.assumed
				a.raise(assetValuable, assumedPrefix+"it carries what "+end.label+" holds ("+end.value.assumed+")")
			}
		}
	}
	return a
}

// impactFor turns the asset into the impact of a threat of category cat:
// repudiation costs at most an ordinary asset's value, a valuable one where
// an audit trail or regulated data make actions answerable; denial of service costs
// an ordinary asset's value, more when the rest of the system waits on the
// element, whatever data it holds.
func (a asset) impactFor(cat string) (int, string) {
	v, why := a.value, a.reason
	switch cat {
	case "R":
		// A denied action costs an investigation; more where the law or
		// an audit trail makes every action answerable.
		cap := assetOrdinary
		if a.audit || a.regulated {
			cap = assetValuable
		}
		if v > cap {
			v, why = cap, why+"; a disputed action costs at most "+strconv.Itoa(cap)+" here"
		}
	case "D":
		// An outage costs what the business loses while it lasts, not
		// what a breach of the data would.
		v, why = assetOrdinary, "an outage of the system's own component"
		if a.availability {
			v, why = assetValuable, "the rest of the system waits on it"
			if a.availWhy != "" {
				why = a.availWhy
			}
		}
		if a.value <= assetMinor {
			v, why = assetMinor, "an outage of an outside party's service"
		}
	}
	return v, why
}

// valueCounts reports whether the asset's value decides the impact of a
// threat of category cat: not for denial of service, which counts the
// outage (impactFor).
func valueCounts(cat string) bool {
	return cat != "D"
}

func kindNoun(k graph.Kind) string {
	switch k {
	case graph.KindDataStore:
		return "data store"
	case graph.KindExternal:
		return "external party"
	}
	return "software"
}

// worldOf names the execution world ci runs in, for counting worlds: the
// innermost boundary around it that names an isolation partition (several
// applications drawn inside "NSPE" are one world), else its partition.
func (a *analysis) worldOf(ci *compInfo) string {
	if ci.c.Boundary != "" {
		chain := a.d.BoundaryChain(ci.c.Boundary)
		for i := len(chain) - 1; i >= 0; i-- {
			if b := a.bounds[chain[i]]; b != nil && b.words().first(partitionWords) != "" {
				return "boundary " + chain[i]
			}
		}
	}
	return ci.partition
}

// assumeAppData sets Env.AssumedData on the stores taken to hold the
// users' records (appDataStore, with no data class drawn, whatever value
// their zone already gives them): stores that a service on a user's
// request path writes. It sets Env.AssumedStores on those services, so
// that the rules about users' records (disclosure of the store,
// object-level authorisation in the services in front of it) see them,
// with text that says the records are assumed. A service on a user's
// request path is one a person who is not staff (administrators,
// developers and operators are) calls, directly or through up to two of
// the system's processes: a build pipeline, an admin tool, a training
// job or firmware keeps records of machines, code and models, not of
// users. Work queues carry messages, not records a caller looks up by id,
// and a store whose technology is not a database or storage (a source
// repository, a registry, a secrets manager) holds other things: they are
// valued (appDataStore) but not assumed here.
func (a *analysis) assumeAppData() {
	onPath := a.userRequestPath()
	if len(onPath) == 0 {
		return
	}
	stores := map[*compInfo][]string{}
	var order []*compInfo
	for _, ci := range a.comps {
		if len(ci.sens) > 0 || ci.kind != graph.KindDataStore || ci.tags[TagQueue] {
			continue
		}
		if ci.tech != nil && !storeRoles[ci.tech.Role] || catalog.Role(ci.techRole()) == catalog.RoleMessageBroker {
			continue
		}
		written := false
		for _, fi := range ci.in {
			written = written || (onPath[fi.src] && !fi.facts.Pull)
		}
		if !written || appDataStore(ci) == "" {
			continue
		}
		ci.env.AssumedData = true
		for _, fl := range [][]*flowInfo{ci.in, ci.out} {
			for _, fi := range fl {
				p := fi.src
				if p == ci {
					p = fi.dst
				}
				if !onPath[p] || p.env == nil {
					continue
				}
				if _, ok := stores[p]; !ok {
					order = append(order, p)
				}
				stores[p] = append(stores[p], ci.label)
			}
		}
	}
	for _, p := range order {
		p.env.AssumedStores = joinNames(stores[p])
	}
}

// userRequestPath returns the system's own services that a person who is
// not staff calls, directly or through up to two other processes.
func (a *analysis) userRequestPath() map[*compInfo]bool {
	on := map[*compInfo]bool{}
	var frontier []*compInfo
	for _, ci := range a.comps {
		if !ci.human() || (ci.person != nil && ci.person.Privileged) {
			continue
		}
		for _, fi := range ci.out {
			if ownService(fi.dst) || (fi.dst.kind == graph.KindProcess && !on[fi.dst]) {
				if !on[fi.dst] {
					on[fi.dst] = true
					frontier = append(frontier, fi.dst)
				}
			}
		}
	}
	for hop := 0; hop < 2 && len(frontier) > 0; hop++ {
		var next []*compInfo
		for _, p := range frontier {
			for _, fi := range p.out {
				if fi.dst.kind == graph.KindProcess && !on[fi.dst] && !fi.facts.Pull {
					on[fi.dst] = true
					next = append(next, fi.dst)
				}
			}
		}
		frontier = next
	}
	for p := range on {
		if !ownService(p) {
			delete(on, p) // a proxy passes requests on; it serves no records
		}
	}
	return on
}
