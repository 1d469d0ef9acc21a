package stride

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// This file is the fourth stage: every component and flow gets the Env its
// rules' conditions and templates read.

// buildEnvs builds the Env of every component and flow and groups them by
// the element type rules apply to.
func (a *analysis) buildEnvs() {
	// Partitions first: flows' Envs name their ends' partitions. Each
	// component's sorted lists are made once for its Env and endpoint.
	for _, ci := range a.comps {
		ci.partition = a.partitionOf(ci)
		ci.lists = nil
		ci.sortedLists()
		ci.who = whoFacts{}
		ci.who = whoFacts{known: true, client: ci.client(), human: ci.human()}
		ci.roleKnown = false
	}
	// Flows next: a component's Env reads its flows' keywords.
	// The Envs of a kind are allocated together: ten thousand Envs of
	// about 1.8 KB each, one allocation rather than one each.
	tagMemo := map[string][]string{}
	envs := make([]Env, len(a.flows)+len(a.comps))
	flowEnvs, compEnvs := envs[:len(a.flows)], envs[len(a.flows):]
	for i, fi := range a.flows {
		fi.env = &flowEnvs[i]
		a.flowEnv(fi.env, fi, tagMemo)
		fi.backEnv = nil
		if fi.readsBack() {
			fi.backEnv = new(Env)
			a.callEnv(fi.backEnv, call{fi, fi.dst, fi.src}, tagMemo)
		}
	}
	callers := a.partitionCallers()
	a.countWorldsBelow()
	var n neighbours
	for i, ci := range a.comps {
		ci.env = &compEnvs[i]
		componentEnv(ci.env, ci, &n)
		ci.env.PartitionCallers = callers[ci.partition]
		ci.env.ServedPartitions = ci.servedPartitions()
		ci.value, ci.reach = componentAsset(ci), componentExposure(ci)
		ci.isolated = a.isolation(ci)
		ci.isolatedSrc = ""
		if ci.isolated != "" {
			ci.isolatedSrc = "diagram: " + ci.isolated
		}
	}
	a.assumeAppData()
	a.readMemberClusters()
	a.readML()
	for _, fi := range a.flows {
		fi.value, fi.reach = flowAsset(fi), flowExposure(fi)
	}
	sys := a.gatherSystem()
	for _, ci := range a.comps {
		sys.fill(ci.env)
	}
	for _, fi := range a.flows {
		sys.fill(fi.env)
		if fi.backEnv != nil {
			sys.fill(fi.backEnv)
		}
	}
	a.sysEnv = a.systemEnv(&sys)
	a.byKind = map[string][]*compInfo{}
	for _, ci := range a.comps {
		a.byKind[string(ci.kind)] = append(a.byKind[string(ci.kind)], ci)
	}
}

// interactionEnvs makes a copy of every flow's Env as an interaction's
// (Element "interaction") when one of the rules applies to interactions
// and reads Element (Rule.readsElement); otherwise interaction rules read
// the flow's own Env, which differs in nothing else, and the element type
// travels with the match (match.element): one Env of about 1.3 KB per
// flow instead of two.
func (a *analysis) interactionEnvs(rules []*Rule) {
	a.interEnvs = nil
	for _, r := range rules {
		if slices.Contains(r.AppliesTo, AppliesInteraction) && r.readsElement() {
			a.interEnvs = make([]Env, len(a.flows))
			for i, fi := range a.flows {
				a.interEnvs[i] = *fi.env
				a.interEnvs[i].Element = AppliesInteraction
			}
			return
		}
	}
}

// elementRef matches what can read Env.Element in a rule's conditions
// and templates: the field by name, expr's $env, or a template printing
// the whole Env. Compiled on first use, not at start-up
// (cmd/threatmap TestStartupStaysCheap).
var elementRef = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`Element\b|\$env|\{\{-?\s*\.\s*-?\}\}`)
})

// readsElement reports whether any condition or template of the rule may
// read Env.Element (elementRef), so that it must see an interaction's
// own Env. None of the built-in rules does.
func (r *Rule) readsElement() bool {
	texts := []string{r.When, r.Title, r.Description, r.Why, r.GroupTitle, r.GroupDescription}
	for _, m := range r.Modifiers {
		texts = append(texts, m.When)
	}
	for _, m := range r.Mitigations {
		texts = append(texts, m.When, m.Control)
	}
	for _, s := range texts {
		if elementRef().MatchString(s) {
			return true
		}
	}
	return false
}

// componentEnv writes into e, a zero Env, the Env of one component: its
// own facts, then what its incoming and outgoing flows say about its
// neighbours, gathered in n (reused from component to component: what it
// gathers is joined into the Env, not kept).
func componentEnv(e *Env, ci *compInfo, n *neighbours) {
	// Field by field into the zeroed slot: a composite literal of the
	// whole Env is built aside and copied with write barriers.
	e.Element, e.Name, e.Source, e.Target, e.Kind = string(ci.kind), ci.label, noEndpoint, noEndpoint, string(ci.kind)
	ls := ci.sortedLists()
	e.Keywords, e.Controls = ls.keywords, ls.controls
	e.Trust, e.TrustName, e.Zone, e.Partition = ci.trust, TrustName(ci.trust), ci.zone, ci.partition
	e.Internet, e.Local, e.Human, e.SaaS, e.Proxy = ci.onInternet(), ci.local, ci.human(), ci.tags[TagSaaS], ci.tags[TagProxy]
	e.Confident, e.UntrustedInput, e.InFlows, e.OutFlows = ci.confident, ci.untrusted, len(ci.in), len(ci.out)
	fillSensData(e, ls.sens, ls.data)
	n.reset()
	n.readCallers(ci, e)
	n.readInbound(ci, e)
	n.readOutbound(ci, e)
	n.fill(e)
	if ci.kind == graph.KindExternal {
		e.Controls = presentedControls(ci, e.Controls)
	}
	e.Attacker = attackerFor(ci)
	e.CallerControls = callerControls(ci)
	ci.callerCtl, ci.callerAuthCtl = e.CallerControls, authOnly(e.CallerControls)
	ci.fillTech(e)
	e.Client = ci.client()
	e.ManagedEdge = ci.managedEdge()
	e.ThirdParty, e.FieldDevice = ci.thirdParty(), ci.fieldDevice()
	e.RichClient = ci.richClient()
	e.NamesService = ci.lw.first(serverWords) != "" || ci.lw.first(outsideSourceWords) != ""
	if ok, copied := ci.unmanagedClient(); ok {
		e.UnmanagedClient, e.CopiedData = true, dataText(copied)
		if len(copied) == 0 {
			e.CopiedData = ""
		}
	}
	ci.clientAppFacts(e)
	e.NeedsSecret = ci.kind == graph.KindProcess && !ci.tags[TagProxy] && holdsCredential(ci)
	if ci.deviceOf != nil {
		e.DeviceInterface = ci.deviceOf.label
	}
	if len(ci.ifaces) > 0 {
		e.InterfaceBoxes = joinNames(ci.ifaces)
	}
}

// neighbours collects the names and facts a component's flows give its
// Env while they are read.
type neighbours struct {
	senders, receivers, written, sensStores, queues, externals []string
	writers, readers, uwriters, inetSenders, keyed, humans     []string
	localSenders                                               []string
	proxies, dbs, llms, services                               []string
	keyedTech                                                  []*catalog.Tech
	storeData, outAuth, inAuth, inEnc, inTags, accessors       set
}

// reset empties n, keeping its space.
func (n *neighbours) reset() {
	for _, l := range []*[]string{&n.senders, &n.receivers, &n.written, &n.sensStores, &n.queues, &n.externals,
		&n.writers, &n.readers, &n.uwriters, &n.inetSenders, &n.keyed, &n.humans, &n.localSenders,
		&n.proxies, &n.dbs, &n.llms, &n.services} {
		*l = (*l)[:0]
	}
	n.keyedTech = n.keyedTech[:0]
	for _, s := range []*set{&n.storeData, &n.outAuth, &n.inAuth, &n.inEnc, &n.inTags, &n.accessors} {
		if *s == nil {
			*s = set{}
		}
		clear(*s)
	}
}

// readCallers reads who calls ci (callers.go): the sources of the flows
// into it and the far ends of its two-way flows. An untrusted caller makes
// it internet- or local-facing; a call across a boundary into more trust
// an inbound crossing.
func (n *neighbours) readCallers(ci *compInfo, e *Env) {
	for c := range ci.callsIn() {
		src := c.caller
		if c.untrustedCaller() {
			if src.local != "" {
				// A world or port of the device (local.go), not the internet.
				e.LocalFacing = true
				n.localSenders = append(n.localSenders, src.label)
			} else {
				e.InternetFacing = true
				n.inetSenders = append(n.inetSenders, src.label)
			}
		}
		if c.direction() == DirInbound {
			e.InboundCrossing = true
			if src.kind == graph.KindProcess && !src.human() && !src.client() {
				n.services = append(n.services, src.label)
			}
		}
	}
}

// readInbound reads the flows into ci.
func (n *neighbours) readInbound(ci *compInfo, e *Env) {
	for _, fi := range ci.in {
		n.senders = append(n.senders, fi.src.label)
		if fi.src.human() {
			n.humans = append(n.humans, fi.src.label)
		}
		if fi.src.tags[TagProxy] {
			n.proxies = append(n.proxies, fi.src.label)
		}
		n.inTags.add(fi.env.Keywords...)
		if ci.kind == graph.KindDataStore && fi.src.kind == graph.KindProcess {
			n.accessors.add(fi.src.c.ID)
		}
		if ci.kind == graph.KindProcess && fi.src.kind == graph.KindDataStore && fi.src.tags[TagDB] {
			n.dbs = append(n.dbs, fi.src.label)
		}
		n.inAuth.add(fi.facts.Authenticated)
		n.inEnc.add(fi.facts.Encrypted)
		if ci.kind == graph.KindDataStore && fi.src.kind == graph.KindProcess && fi.facts.Pull {
			n.readers = append(n.readers, fi.src.label)
		} else if ci.kind == graph.KindDataStore && fi.src.kind == graph.KindProcess {
			n.writers = append(n.writers, fi.src.label)
			if fi.src.untrusted {
				e.WrittenFromUntrusted = true
				n.uwriters = append(n.uwriters, fi.src.label)
			}
		}
		if ci.kind == graph.KindProcess && fi.src.kind == graph.KindDataStore && fi.src.tags[TagQueue] {
			e.ConsumesQueue = true
			n.queues = append(n.queues, fi.src.label)
		}
		if ci.kind == graph.KindProcess && fi.src.kind == graph.KindDataStore && fi.f.Bidirectional {
			e.WritesStore = true
			e.WritesRecords = e.WritesRecords || keepsRecords(fi.src)
			n.written = append(n.written, fi.src.label)
		}
	}
}

// readOutbound reads the flows out of ci, then the bidirectional flows
// into a store, whose writers also read it.
func (n *neighbours) readOutbound(ci *compInfo, e *Env) {
	for _, fi := range ci.out {
		n.receivers = append(n.receivers, fi.dst.label)
		if ci.kind == graph.KindDataStore && fi.dst.kind == graph.KindProcess {
			n.accessors.add(fi.dst.c.ID)
		}
		if ci.kind == graph.KindProcess && fi.dst.kind == graph.KindDataStore && fi.dst.tags[TagDB] {
			n.dbs = append(n.dbs, fi.dst.label)
		}
		if fi.dst.tech != nil && fi.dst.tech.Facts.PromptInjectable {
			n.llms = append(n.llms, fi.dst.label)
		}
		n.outAuth.add(fi.facts.Authenticated)
		if a := fi.facts.Authenticated; a == "api-key" || a == "basic" {
			n.keyed = append(n.keyed, fi.dst.label)
			n.keyedTech = append(n.keyedTech, fi.dst.tech)
		}
		if ci.kind == graph.KindExternal && fi.dir == DirInbound {
			e.SendsInbound = true
		}
		if ci.kind == graph.KindDataStore && fi.dst.kind == graph.KindProcess {
			n.readers = append(n.readers, fi.dst.label)
			if fi.f.Bidirectional {
				n.writers = append(n.writers, fi.dst.label)
				if fi.dst.untrusted {
					e.WrittenFromUntrusted = true
					n.uwriters = append(n.uwriters, fi.dst.label)
				}
			}
		}
		n.readTarget(fi, e)
	}
	if ci.kind == graph.KindDataStore {
		for _, fi := range ci.in {
			if fi.src.kind == graph.KindProcess && fi.f.Bidirectional {
				n.readers = append(n.readers, fi.src.label)
			}
		}
	}
}

// readTarget reads what the target of an outgoing flow is: a store
// (sensitive or not) or an external service.
func (n *neighbours) readTarget(fi *flowInfo, e *Env) {
	if fi.dst.kind == graph.KindDataStore && fi.facts.Pull {
		// A pull ("poll", "read") from a store: the process reads it.
		if fi.dst.tags[TagQueue] {
			e.ConsumesQueue = true
			n.queues = append(n.queues, fi.dst.label)
		}
		return
	}
	if fi.dst.kind == graph.KindDataStore {
		e.WritesStore = true
		e.WritesRecords = e.WritesRecords || keepsRecords(fi.dst)
		n.written = append(n.written, fi.dst.label)
		if len(fi.dst.sens) > 0 {
			e.WritesSensitiveStore = true
			n.sensStores = append(n.sensStores, fi.dst.label)
			for c := range fi.dst.sens {
				n.storeData.add(c)
			}
		}
	}
	if fi.dst.kind == graph.KindExternal {
		e.SendsToExternal = true
		n.externals = append(n.externals, fi.dst.label)
	}
}

// fill writes the collected names into e.
func (n *neighbours) fill(e *Env) {
	e.Senders, e.Receivers = joinNames(n.senders), joinNames(n.receivers)
	e.InternetSenders, e.KeyedReceivers = joinNames(n.inetSenders), joinNames(n.keyed)
	e.LocalSenders = joinNames(n.localSenders)
	e.KeyedAuth = hardeningOf(n.keyedTech).Auth
	e.HumanSenders, e.ProxySenders = joinNames(n.humans), joinNames(n.proxies)
	e.ServiceSenders = joinNames(n.services)
	e.InboundTags, e.Accessors = n.inTags.sorted(), len(n.accessors)
	e.Databases, e.LLMReceivers = joinNames(n.dbs), joinNames(n.llms)
	e.StoreData = dataText(n.storeData.sorted())
	e.StoresWritten, e.SensitiveStores = joinNames(n.written), joinNames(n.sensStores)
	e.Queues, e.Externals = joinNames(n.queues), joinNames(n.externals)
	e.Writers, e.Readers, e.UntrustedWriters = joinNames(n.writers), joinNames(n.readers), joinNames(n.uwriters)
	e.OutboundAuth, e.InboundAuth, e.InboundEncryption = n.outAuth.sorted(), n.inAuth.sorted(), n.inEnc.sorted()
}

// presentedControls adds to an external entity's controls what it
// presents on the flows it starts (its authentication), but not TLS.
func presentedControls(ci *compInfo, own []string) []string {
	ctl := set{}
	ctl.add(own...)
	for _, fi := range ci.out {
		for c := range fi.controls {
			if c != "tls" {
				ctl.add(c)
			}
		}
	}
	return ctl.sorted()
}

// flowEnv writes into e, a zero Env, the Env of one flow as drawn;
// tagMemo caches the keywords of a label.
func (a *analysis) flowEnv(e *Env, fi *flowInfo, tagMemo map[string][]string) {
	a.callEnv(e, call{fi, fi.src, fi.dst}, tagMemo)
}

// callEnv writes into e, a zero Env, the Env of flow c.fi read as c's
// caller calling its callee: Source is the caller, Target the callee, the
// trust and zone the callee's. The name stays the flow's as drawn, so
// that a threat found reading a two-way flow back (flowInfo.readsBack)
// still names the arrow on the diagram.
func (a *analysis) callEnv(e *Env, c call, tagMemo map[string][]string) {
	fi, src, dst := c.fi, c.caller, c.callee
	// Field by field into the zeroed slot (see componentEnv).
	e.Element, e.Name, e.Kind, e.Label = AppliesFlow, fi.src.label+" → "+fi.dst.label, "flow", fi.label
	e.Trust, e.TrustName, e.Zone = dst.trust, TrustName(dst.trust), dst.zone
	e.Protocol, e.ProtocolText = fi.facts.Protocol, firstNonEmpty(fi.facts.Protocol, "an unnamed protocol")
	e.Encrypted, e.Auth, e.AuthText = fi.facts.Encrypted, fi.facts.Authenticated, authText[fi.facts.Authenticated]
	e.AuthName, e.Crossing = authName(fi.facts.Authenticated), len(fi.crosses) > 0
	dir := fi.dir
	if src != fi.src {
		dir = c.direction()
	}
	e.Direction, e.EntryPoint, e.Source, e.Target, e.Confident = string(dir), fi.ep, src.endpoint(), dst.endpoint(), true
	e.Internet = src.onInternet() || dst.onInternet()
	e.UserInput = src.human() && !src.client() && (src.person == nil || src.person.Device == "") && dst.client()
	e.Local = firstNonEmpty(src.local, dst.local)
	e.TwoWay = fi.f.Bidirectional || fi.f.Undirected || fi.reqOf != nil
	if c, m := partitionCall(fi); c != nil {
		e.PartitionCaller, e.PartitionManager = c.label, m.label
	}
	kws, ok := tagMemo[fi.f.Label]
	if !ok {
		kws = tagsOf(newWords(fi.f.Label), flowTags).sorted()
		tagMemo[fi.f.Label] = kws
	}
	e.Keywords = kws
	// Gathered in a slice and made distinct once, not through a map
	// per flow.
	ctl := make([]string, 0, len(fi.controls)+len(dst.controls))
	for c := range fi.controls {
		ctl = append(ctl, c)
	}
	for k := range dst.controls {
		if c.reachesFromCallee(k) {
			ctl = append(ctl, k)
		}
	}
	e.Controls = sortedDistinct(ctl)
	fillSens(e, fi.sens.sorted())
	var bl []string
	for _, b := range fi.crosses {
		if bi := a.bounds[b]; bi != nil {
			bl = append(bl, firstNonEmpty(oneLine(bi.b.Label), b))
		}
	}
	e.Boundaries = joinOrdered(bl)
	e.Attacker = flowAttacker(c, e.Internet)
	e.Hardening = a.techHardening(c.tech())
}

// techHardening is hardeningOf the one technology t (nil for none), made
// once per technology: flows to the same technology name the same
// controls, and each rendering joins up to ten lists.
func (a *analysis) techHardening(t *catalog.Tech) Hardening {
	if h, ok := a.hardening[t]; ok {
		return h
	}
	h := hardeningOf([]*catalog.Tech{t})
	if a.hardening == nil {
		a.hardening = map[*catalog.Tech]Hardening{}
	}
	a.hardening[t] = h
	return h
}

// flowAttacker is who is positioned to attack a flow, read as call c.
func flowAttacker(c call, internet bool) string {
	src, dst := c.caller, c.callee
	switch {
	case internet:
		return "an attacker on the internet path between " + src.label + " and " + dst.label
	case src.local == localPhysical || dst.local == localPhysical:
		return "an attacker with physical access to the device"
	case partitionCaller(c.fi) != nil:
		return "code running in " + partitionCaller(c.fi).label + ", a partition " + partitionManagerOf(c.fi).label + " serves"
	case src.local == localWorld || dst.local == localWorld:
		return "code running in " + firstNonEmpty(localName(src), localName(dst))
	case len(c.fi.crosses) > 0:
		lo := src
		if dst.trust < lo.trust {
			lo = dst
		}
		return "an attacker with a foothold in " + lo.zone
	}
	return "an attacker with a foothold in " + src.zone
}

// attackerFor is who is positioned to attack a component.
func attackerFor(ci *compInfo) string {
	switch {
	case ci.kind == graph.KindExternal && ci.tags[TagSaaS]:
		return "an attacker who can reach " + ci.label + "'s endpoints or its account"
	case ci.local == localPhysical:
		return "an attacker with physical access to the device"
	case ci.local == localWorld:
		return "code running in " + ci.label
	case ci.kind == graph.KindExternal:
		return "an attacker on the public internet"
	case ci.untrusted:
		return "a caller on the public internet"
	}
	return "an attacker with a foothold in " + ci.zone
}

// endpoint is the component as its flows' Envs see it (Env.Source,
// Env.Target), made once and shared by all its flows: it is read, never
// written (a group's endpoints are copies, groupEndpoints).
func (ci *compInfo) endpoint() *Endpoint {
	if ci.ep == nil {
		ci.ep = ci.newEndpoint()
	}
	return ci.ep
}

func (ci *compInfo) newEndpoint() *Endpoint {
	ls := ci.sortedLists()
	return &Endpoint{
		Name: ci.label, Kind: string(ci.kind), Zone: ci.zone, Partition: ci.partition, Trust: ci.trust, TrustName: TrustName(ci.trust),
		Internet: ci.onInternet(), Local: ci.local, Human: ci.human(), SaaS: ci.tags[TagSaaS], Proxy: ci.tags[TagProxy],
		Sensitive: len(ci.sens) > 0, UntrustedInput: ci.untrusted, Keywords: ls.keywords,
		Controls: ls.controls, Data: ls.data, Role: ci.techRole(),
		RichClient: ci.richClient(), ThirdParty: ci.thirdParty(),
	}
}

// techRole is the role of the component's technology, "" when unknown.
func (ci *compInfo) techRole() string {
	if ci.tech == nil {
		return ""
	}
	return string(ci.tech.Role)
}

// clientRoles are the technology roles of applications a person works
// through.
var clientRoles = map[string]bool{
	string(catalog.RoleBrowser): true, string(catalog.RoleMobileApp): true, string(catalog.RoleDesktopApp): true,
}

// client reports whether the component is a client application a person
// works through (Env.Client): a browser, a mobile or desktop app, by its
// technology, or a label naming such a client that is not server-side
// software ("Mobile App", but not "Mobile App Backend").
func (ci *compInfo) client() bool {
	if ci.who.known {
		return ci.who.client
	}
	if ci.kind == graph.KindDataStore {
		return false
	}
	if clientRoles[ci.techRole()] || ci.clientApp != "" {
		return true
	}
	return ci.w.first(clientWords) != "" && ci.w.first(serverWords) == ""
}

// outsideSourceWords name systems someone else runs that the system
// calls for data or services, beyond the third parties classify.go reads
// as external entities outside the trusted zones.
var outsideSourceWords = kw("external", "third party", "3rd party", "partner", "partners", "vendor", "vendors", "supplier",
	"suppliers", "upstream provider", "data provider", "data source", "data sources", "feed", "feeds", "public api", "open data")

// thirdParty reports whether someone else runs ci (Env.ThirdParty).
func (ci *compInfo) thirdParty() bool {
	if ci.kind == graph.KindExternal || ci.tags[TagSaaS] {
		return true
	}
	return ci.lw.first(outsideSourceWords) != ""
}

// fieldDeviceWords name hardware in the field: devices, sensors and
// cameras, and the machines a service puts where its users are (vehicles,
// kiosks, ATMs and payment terminals, smart locks, chargers).
var fieldDeviceWords = kw("device", "devices", "sensor", "sensors", "actuator", "actuators", "camera", "cameras",
	"meter", "meters", "plc", "plcs", "thermostat", "wearable", "wearables", "appliance", "appliances",
	"vehicle", "vehicles", "car", "cars", "truck", "trucks", "scooter", "scooters", "e bike", "drone", "drones",
	"kiosk", "kiosks", "atm", "atms", "pos terminal", "payment terminal", "card reader", "point of sale",
	"smart lock", "door lock", "ev charger", "charging station", "charge point", "vending machine", "ticket machine")

// fieldDevice reports whether ci is a device in the field (Env.FieldDevice).
func (ci *compInfo) fieldDevice() bool {
	switch catalog.Role(ci.techRole()) {
	case catalog.RoleIoTDevice, catalog.RoleIoTGateway:
		return true
	}
	return ci.kind != graph.KindDataStore && !ci.client() && ci.lw.first(fieldDeviceWords) != "" && ci.lw.first(serverWords) == ""
}

// edgeRoles are the technology roles of services that stand at the edge
// of a system and take its internet traffic: true for those that are a
// provider's network by nature (a CDN, a DDoS protection service), false
// for those that are a provider's only when the catalog says one runs
// them (Amazon API Gateway, not Kong on the team's own servers).
var edgeRoles = map[catalog.Role]bool{
	catalog.RoleCDN: true, catalog.RoleDDoSProtection: true, catalog.RoleWAF: false,
	catalog.RoleLoadBalancer: false, catalog.RoleAPIGateway: false, catalog.RoleServerless: false,
}

// managedEdge reports whether ci is a managed edge service (Env.ManagedEdge).
func (ci *compInfo) managedEdge() bool {
	if ci.kind == graph.KindDataStore {
		return false
	}
	if ci.tech == nil {
		return ci.tags[TagCDN]
	}
	byNature, atEdge := edgeRoles[ci.tech.Role]
	return atEdge && (byNature || ci.tech.Managed)
}

// clientWords name client applications a person works through.
var clientWords = kw("browser", "web browser", "mobile app", "mobile application", "mobile client",
	"desktop app", "desktop application", "desktop client", "ios app", "android app")

// human reports whether the component is a person or their device.
func (ci *compInfo) human() bool {
	if ci.who.known {
		return ci.who.human
	}
	return ci.kind == graph.KindExternal && !ci.tags[TagSaaS] && (ci.person != nil || ci.w.first(humanWords) != "")
}

// fillSens sets e's sensitivity fields from the sorted data classes s.
func fillSens(e *Env, s []string) {
	fillSensData(e, s, dataText(s))
}

// fillSensData is fillSens with s's text (dataText) made already.
func fillSensData(e *Env, s []string, data string) {
	e.Sensitivity = s
	e.Sensitive = len(s) > 0
	for _, c := range s {
		switch c {
		case DataPHI:
			e.PHI = true
		case DataPII:
			e.PII = true
		case DataPCI:
			e.PCI = true
		case DataCredentials:
			e.Credentials = true
		case DataFinancial:
			e.Financial = true
		}
	}
	e.Data = data
}

// noEndpoint is Source and Target of a component's Env.
var noEndpoint = &Endpoint{}

var authText = map[string]string{
	"jwt": "a JWT", "oauth": "an OAuth/OIDC token", "saml": "a SAML assertion", "mtls": "an mTLS client certificate",
	"api-key": "an API key", "iam": "IAM credentials", "hmac": "a signing secret", "kerberos": "a Kerberos ticket",
	"basic": "a username and password", "none": "no credential", "unknown": "a credential",
}

// authName is the credential's name without its article ("JWT").
func authName(a string) string {
	t := authText[a]
	for _, p := range []string{"a ", "an "} {
		if strings.HasPrefix(t, p) {
			return t[len(p):]
		}
	}
	return t
}

// joinOrdered joins names in the given order: "A", "A and B", "A, B and C".
func joinOrdered(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// tech is the technology whose own controls a flow's mitigations name:
// its target's (the server end, whose configuration decides TLS,
// authentication and access), else its source's; nil when neither is
// known.
func (fi *flowInfo) tech() *catalog.Tech {
	return call{fi, fi.src, fi.dst}.tech()
}

// tech is fi.tech for the flow read as call c: the callee's technology,
// else the caller's.
func (c call) tech() *catalog.Tech {
	if c.callee.tech != nil {
		return c.callee.tech
	}
	return c.caller.tech
}

// keepsRecords reports whether store ci keeps records rather than only
// objects: anything but object storage (a bucket that is not also named
// a database).
func keepsRecords(ci *compInfo) bool {
	return !ci.tags[TagBucket] || ci.tags[TagDB]
}
