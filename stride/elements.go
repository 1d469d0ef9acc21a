package stride

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// This file is the first stage of the analysis: every component gets its
// kind, zone and trust level, the controls and data classes it states, and
// every flow the facts its label, attributes and the configuration give.

// compInfo is one component as the analysis sees it.
type compInfo struct {
	c *graph.Component
	// deviceOf is the device whose local interface this box is drawn as;
	// ifaces name a device's interfaces drawn as boxes of their own
	// (deviceiface.go).
	deviceOf *compInfo
	ifaces   []string
	// signIn and receiver are where threats about this external entity
	// may sit (threathost.go), once hostsFound (findHosts).
	signIn, receiver *compInfo
	hostsFound       bool
	label            string
	kind             graph.Kind
	kindReason       string
	confident        bool
	trust            int
	zone             string
	zoneReason       string
	// outside: drawn outside every boundary; placement says where the
	// analysis put it and why (placement.go).
	outside  bool
	provider bool
	// local is how an untrusted component reaches a firmware system when
	// it is not the internet: localWorld or localPhysical (local.go).
	local     string
	placement string
	// outsideTrust is the trust frame this component is drawn outside of
	// and calls into (trustframe.go), "" when none.
	outsideTrust string
	w            words
	lw           words // the label's words alone
	tags         tagSet
	sens         set
	controls     set
	ctrlWhy      map[string]string
	in, out      []*flowInfo
	untrusted    bool
	env          *Env
	ep           *Endpoint // what its flows' Envs see (endpoint)
	threats      []int     // indexes into the threat list
	maxSev       Severity  // highest residual severity of its threats and flows
	stated       bool      // sensitivity stated on the component (label, attributes, config)
	// inferred maps each data class the analysis inferred (datainfer.go)
	// to its reason.
	inferred map[string]string
	// dataWhy says why the component holds each of its data classes.
	dataWhy map[string]string
	// tech is the catalog technology the component is, with the reason
	// (technology.go); person the human role its label names.
	tech       *catalog.Tech
	techReason string
	// managedBy names the product the label says runs it ("GitHub" in
	// "Build (GitHub managed)"), "" when the label says none.
	managedBy  string
	person     *Person
	eps        []string
	epFirst    int
	atRestInfo bool // encryption at rest stated either way
	// value and reach are what scoring reads (asset.go, exposure.go),
	// set once the Envs are built.
	value asset
	reach exposure
	// isolated says why the component sits in an isolated network (a
	// private subnet, VPC or cluster), "" when it does not.
	isolated string
	// roleVal is roleAsset's value, once roleKnown (roleAssetOnce).
	roleVal   asset
	roleKnown bool
	// isolatedSrc is "diagram: " and isolated, the Source of the
	// network isolation its threats credit; "" when not isolated.
	isolatedSrc string
	// partition is the isolation partition it runs in (isolation.go), ""
	// when its zone is a network zone.
	partition string
	// physicalReach is the reach of a physical port or medium of a
	// firmware system (local.go): anyone who holds the device, unless the
	// diagram puts the device behind controlled physical access.
	physicalReach int
	// debugPort is set on a physical port that is a hardware debug or
	// trace port (local.go, debugWords): software controls of what it
	// reaches do not stand in its way.
	debugPort bool
	// clientApp says why the component runs the system's application code
	// in a browser (clientapp.go), "" when it does not.
	clientApp string
	// worldsBelow counts the less trusted isolation partitions (execution
	// worlds) that call into the component's partition (asset.go).
	worldsBelow int
	// callerCtl and callerAuthCtl are callerControls and callerAuth, made
	// once with the Env (buildEnvs) for every threat's controlView.
	callerCtl, callerAuthCtl []string
	// elemIndex numbers the component among the elements (matchAll's
	// coverage).
	elemIndex int
	// lists are its tags, controls and data classes sorted, made once
	// when the Envs are built (sortedLists), which its Env and the
	// endpoint its flows' Envs see share.
	lists *sortedLists
	// who memoises client and human once buildEnvs has fixed what they
	// read (whoKnown set): every flow's Env asks them of both ends.
	who whoFacts
}

// whoFacts are a component's client and human answers (compInfo.who).
type whoFacts struct {
	known, client, human bool
}

// sortedLists are a component's tags, controls and data classes as sorted
// lists, and its data classes for prose.
type sortedLists struct {
	keywords, controls, sens []string
	data                     string
}

// sortedLists returns ci's sorted lists, made on first use: buildEnvs
// makes them for every component before any Env reads them, so that the
// goroutines that read Envs never make them.
func (ci *compInfo) sortedLists() *sortedLists {
	if ci.lists == nil {
		sens := ci.sens.sorted()
		ci.lists = &sortedLists{keywords: ci.tags.sorted(), controls: ci.controls.sorted(), sens: sens, data: dataText(sens)}
	}
	return ci.lists
}

// flowInfo is one data flow as the analysis sees it.
type flowInfo struct {
	f        *graph.Flow
	src, dst *compInfo
	label    string
	facts    FlowFacts
	sens     set
	controls set
	// ctrlWhy says where each of controls comes from; dataWhy where
	// each data class read on the flow itself does (datainfer.go).
	ctrlWhy map[string]string
	dataWhy map[string]string
	crosses []string
	dir     Direction
	ep      string
	epIndex int
	// epL is []string{ep}, made with ep (entryPoints) and shared by the
	// outcome-only threats on the flow (setEntryPoints): never written.
	epL []string
	env *Env
	// backEnv is the Env of a two-way flow read from its target
	// (readsBack, callers.go), which flow rules also read; nil otherwise.
	backEnv *Env
	threats []int
	// respOf is the request a response flow answers; reqOf the response
	// of a request (pairs.go).
	respOf, reqOf *flowInfo
	// value and reach are what scoring reads (asset.go, exposure.go).
	value asset
	reach exposure
	// elemIndex numbers the flow among the elements (matchAll's
	// coverage).
	elemIndex int
}

// classify builds a compInfo for every component, in diagram order.
func (a *analysis) classify() {
	d := a.d
	a.bounds = classifyBoundaries(d, a.cfg)
	a.comps = make([]*compInfo, 0, len(d.Components))
	a.byID = make(map[string]*compInfo, len(d.Components))
	view := authorComponents(d.Components) // derived labels are not read (scope.go)
	techs := cloudTechs(view)
	for i, c := range d.Components {
		ci := a.newCompInfo(view[i], techs[i])
		ci.nameDerived(c, view[i])
		a.comps = append(a.comps, ci)
		a.byID[c.ID] = ci
	}
	a.inferData()
}

// newCompInfo classifies one component and collects what it states.
func (a *analysis) newCompInfo(c *graph.Component, tm techMatch) *compInfo {
	cc := a.cfg.component(c)
	bi := a.bounds[c.Boundary]
	tech, techWhy := tm.tech, tm.why
	kd := techKind(classifyComponent(c, cc, bi != nil && bi.trust >= TrustInternal), tech, techWhy)
	ci := &compInfo{c: c, label: oneLine(c.Label), kind: kd.kind, kindReason: kd.reason, confident: kd.confident,
		sens: set{}, controls: set{}, ctrlWhy: map[string]string{}, tech: tech, techReason: techWhy, managedBy: tm.managedBy}
	if p, ok := readPerson(c.Label); ok && kd.kind == graph.KindExternal {
		ci.person = &p
	}
	if ci.label == "" {
		ci.label = unlabelledName(c)
	}
	ci.w = newWords(c.Label, strings.ReplaceAll(c.Shape, "_", " "))
	ci.lw = newWords(c.Label)
	if tm.assumed != "" {
		a.wordWarnings = append(a.wordWarnings, "component "+strconv.Quote(ci.label)+" (id "+c.ID+"): assumed to be "+tm.assumed+": "+tm.why)
	}
	if sd, ok := storeByWords(kd, ci); ok {
		a.wordWarnings = append(a.wordWarnings, "component "+strconv.Quote(ci.label)+" (id "+c.ID+"): "+kindPhrase(kd.kind)+" on the diagram, read as a data store: its label names "+tech.Name)
		ci.kind, ci.kindReason, ci.confident = sd.kind, sd.reason, sd.confident
	}
	ci.tags = tagsOf(ci.w, componentTags)
	if ci.tags[TagMedia] && ci.lw.first(mediaWords) == "" {
		delete(ci.tags, TagMedia) // draw.io's "image" shape is a picture of the component, not what it decodes
	}
	if k := ci.lw.first(saasNames); k != "" && ci.kind == graph.KindExternal {
		ci.tags.add(TagSaaS)
	}
	a.placeInZone(ci, cc)
	ci.readStatedFacts(cc)
	return ci
}

// placeInZone sets the component's zone and trust level: its innermost
// boundary's, overridden by a trust attribute, overridden by the config. A
// component outside every boundary is placed once its flows are known
// (placeOutsiders).
func (a *analysis) placeInZone(ci *compInfo, cc *ComponentConfig) {
	if bi := a.bounds[ci.c.Boundary]; bi != nil {
		ci.trust, ci.zone = bi.trust, oneLine(bi.b.Label)
		if ci.zone == "" {
			ci.zone = bi.b.ID
		}
		ci.zoneReason = "drawn inside " + strconv.Quote(ci.zone)
	} else {
		ci.outside = true
		ci.trust, ci.zone = TrustUntrusted, "outside the system"
	}
	ci.applyTrustOverrides(cc)
}

// applyTrustOverrides lets a trust attribute, then the configuration,
// override the zone's trust level.
func (ci *compInfo) applyTrustOverrides(cc *ComponentConfig) {
	if ci.placement != "" {
		ci.zoneReason = ci.placement
	}
	if v := attrFirst(ci.c.Attributes, "trust", "trust_level"); v != "" {
		if t, ok := ParseTrust(v); ok {
			ci.trust = t
			ci.zoneReason += "; trust set by attribute trust=" + strconv.Quote(v)
		}
	}
	if cc != nil && cc.Trust != nil {
		ci.trust = int(*cc.Trust)
		ci.zoneReason += "; trust set in the configuration file"
	}
}

// readStatedFacts collects the sensitivity and controls stated on the
// component itself: label, attributes and configuration.
func (ci *compInfo) readStatedFacts(cc *ComponentConfig) {
	c := ci.c
	ci.addData("its label says so", ParseSensitivity(c.Label)...)
	ci.addData("an attribute says so", attrSensitivity(c.Attributes)...)
	if cls, why := describedData(c.Attributes); len(cls) > 0 {
		for _, cl := range cls {
			ci.addData(why[cl], cl)
		}
	}
	if cc != nil {
		ci.addData("set in the configuration file", cc.Sensitivity...)
		for _, ctl := range cc.Controls {
			ci.addControl(ctl, "listed in the configuration file")
		}
	}
	ci.stated = len(ci.sens) > 0
	if k := ci.w.first(reviewWords); k != "" {
		ci.addControl("code-review", "label says "+strconv.Quote(k))
	}
	for _, ctl := range splitList(attrFirst(c.Attributes, "controls", "control")) {
		ci.addControl(ctl, "attribute controls")
	}
	if v := attrFirst(c.Attributes, "encrypted", "encryption", "encrypted_at_rest", "encryption_at_rest"); v != "" {
		ci.atRestInfo = true
		switch strings.ToLower(v) {
		case "false", "no", "none", "0", "off":
		default:
			ci.addControl("encryption-at-rest", "attribute encrypted="+strconv.Quote(v))
		}
	}
	if ci.controls["encryption-at-rest"] {
		ci.atRestInfo = true
	}
}

// edgeControls are the edge components that protect what sits behind
// them (never themselves: a WAF does not mitigate the threats against the
// WAF): the tag that marks one, the control it provides, and how many
// hops through processes its protection reaches (see propagateEdgeControls).
var edgeControls = []struct {
	tag     Tag
	control string
	what    string
	hops    int
}{
	{TagWAF, "waf", "a WAF", 2},
	{TagCDN, "cdn", "a CDN", 2},
	{TagGateway, "api-gateway", "an API gateway", 1},
}

func (ci *compInfo) addControl(ctl, why string) {
	ctl = strings.ToLower(strings.TrimSpace(ctl))
	if ctl == "" {
		return
	}
	if !ci.controls[ctl] {
		ci.controls.add(ctl)
		ci.ctrlWhy[ctl] = why
	}
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' })
}

// readFlows builds a flowInfo for every flow, in diagram order, and links
// it to its ends.
func (a *analysis) readFlows() {
	d := a.d
	a.flows = make([]*flowInfo, 0, len(d.Flows))
	memo := map[string]FlowFacts{}
	said := map[string]labelSays{}
	for _, f := range d.Flows {
		src, dst := a.byID[f.Source], a.byID[f.Target]
		fi := &flowInfo{f: f, src: src, dst: dst, label: oneLine(f.Label), sens: set{}, controls: set{}}
		fi.facts = flowFacts(f, memo)
		if fi.facts.Pull && src.kind != graph.KindProcess {
			// Only a process polls. A "poll" arrow drawn from a queue or a
			// store to its reader already points the way the data goes.
			fi.facts.Pull = false
		}
		fi.applyConfig(a.cfg.flow(f, src.c, dst.c))
		ls, ok := said[f.Label]
		if !ok {
			ls = readLabelSays(f.Label)
			said[f.Label] = ls
		}
		fi.collectControls(ls)
		fi.readDescribedData()
		src.out = append(src.out, fi)
		dst.in = append(dst.in, fi)
		a.flows = append(a.flows, fi)
	}
}

// flowFacts parses a flow's label and attributes. Labels repeat ("HTTPS"):
// each attribute-free label is parsed once.
func flowFacts(f *graph.Flow, memo map[string]FlowFacts) FlowFacts {
	if len(f.Attributes) > 0 {
		return ParseFlow(f.Label, f.Attributes)
	}
	facts, ok := memo[f.Label]
	if !ok {
		facts = ParseFlow(f.Label, nil)
		memo[f.Label] = facts
	}
	return facts
}

// applyConfig lays the configuration's protocol, encryption,
// authentication, sensitivity and controls over what the diagram says.
func (fi *flowInfo) applyConfig(fc *FlowConfig) {
	if fc == nil {
		return
	}
	if fc.Protocol != "" {
		pf := ParseFlow(fc.Protocol, nil)
		fi.facts.Protocol = firstNonEmpty(pf.Protocol, fc.Protocol)
		if fc.Encrypted == "" && pf.Encrypted != EncUnknown {
			fi.facts.Encrypted, fi.facts.EncReason = pf.Encrypted, "protocol "+fc.Protocol+" set in the configuration file"
		}
	}
	if fc.Encrypted != "" {
		fi.facts.Encrypted, fi.facts.EncReason = string(fc.Encrypted), "set in the configuration file"
	}
	if fc.Auth != "" {
		fi.facts.Authenticated = string(fc.Auth)
	}
	fi.sens.add(fc.Sensitivity...)
	for _, c := range fc.Controls {
		fi.addControl(c, "listed in the configuration file")
	}
}

// collectControls adds the flow's own sensitivity and the controls its
// attributes, encryption and authentication show.
func (fi *flowInfo) collectControls(ls labelSays) {
	fi.sens.add(fi.facts.Sensitivity...)
	for _, c := range splitList(strings.ToLower(attrFirst(fi.f.Attributes, "controls", "control"))) {
		fi.addControl(c, "attribute controls")
	}
	if fi.facts.Encrypted == EncTrue {
		fi.addControl("tls", "encrypted: "+firstNonEmpty(fi.facts.EncReason, "the label says so"))
	}
	if k := ls.mfa; k != "" {
		// A second factor is a sign-in control: it says the flow
		// authenticates, with more than a password.
		fi.addControl("mfa", "label says "+strconv.Quote(k))
		fi.addControl("authentication", "label says "+strconv.Quote(k))
	}
	if k := ls.review; k != "" {
		fi.addControl("code-review", "label says "+strconv.Quote(k))
	}
	if k := ls.replay; k != "" {
		fi.addControl("replay-protection", "label says "+strconv.Quote(k))
	}
	switch au := fi.facts.Authenticated; au {
	case "none", "unknown":
	default:
		fi.addControl("authentication", "the flow authenticates with "+authName(au))
		if knownControls[au] {
			fi.addControl(au, "the flow authenticates with "+authName(au))
		}
	}
}

// labelSays is what a flow's label says of its controls: the words that
// name a second factor (mfaWords), mandatory review (reviewWords) and
// replay protection (replayWords), "" for none. Labels repeat ("HTTPS"):
// readFlows reads each once.
type labelSays struct {
	mfa, review, replay string
}

func readLabelSays(label string) labelSays {
	w := newWords(label)
	return labelSays{mfa: w.first(mfaWords), review: w.first(reviewWords), replay: w.first(replayWords)}
}

// replayWords on a flow's label say that every message on it carries
// something the receiver checks so that it acts on each once: a nonce, a
// sequence number or counter. A timestamp alone does not (it bounds a
// replay's window, it does not stop one within it).
var replayWords = kw("nonce*", "sequence number*", "seq no", "seqno", "message counter*", "monotonic counter*",
	"anti replay", "replay protect*", "replay detection", "replay window")

// reviewWords on a code host or on a flow of changes into it say that
// nothing merges without review (code-review). A bare "review" does not:
// it names what someone does, not a rule that every change waits for it.
var reviewWords = kw("mandatory review*", "required review*", "review required", "reviews required",
	"branch protection", "protected branch*", "code owner review*")

// mfaWords on a flow's label say its sign-in takes a second factor.
var mfaWords = kw("mfa", "2fa", "two factor", "multi factor", "multifactor", "second factor", "passkey*", "webauthn", "fido2", "totp", "otp")

// addControl adds a control to the flow, keeping the first reason given
// for it.
func (fi *flowInfo) addControl(ctl, why string) {
	ctl = strings.ToLower(strings.TrimSpace(ctl))
	if ctl == "" {
		return
	}
	fi.controls.add(ctl)
	if fi.ctrlWhy == nil {
		fi.ctrlWhy = map[string]string{}
	}
	if _, ok := fi.ctrlWhy[ctl]; !ok {
		fi.ctrlWhy[ctl] = why
	}
}

// direction is where a flow goes relative to trust: internal when it
// crosses no boundary.
func direction(fi *flowInfo) Direction {
	switch {
	case len(fi.crosses) == 0:
		return DirInternal
	case fi.dst.trust > fi.src.trust:
		return DirInbound
	case fi.dst.trust < fi.src.trust:
		return DirOutbound
	}
	return DirLateral
}

// unlabelledName names a component drawn without a label after its shape,
// as a reader of the diagram would ("Actor 36", "Ssl padlock 40"), or by
// its ID when the shape says nothing.
func unlabelledName(c *graph.Component) string {
	shape := c.Shape
	if i := strings.LastIndexByte(shape, '.'); i >= 0 {
		shape = shape[i+1:]
	}
	var b strings.Builder
	for i, r := range shape {
		switch {
		case r == '_' || r == '-':
			b.WriteByte(' ')
		case unicode.IsUpper(r) && i > 0:
			b.WriteByte(' ')
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	name := strings.Join(strings.Fields(b.String()), " ")
	switch strings.ToLower(name) {
	case "", "rect", "rectangle", "box", "ellipse", "rounded", "label", "none", "plaintext":
		return c.ID
	}
	r := []rune(name)
	return string(unicode.ToUpper(r[0])) + string(r[1:]) + " " + c.ID
}
