package stride

import (
	"bytes"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/expr-lang/expr/vm"
	"github.com/threatmap/threatmap/graph"
)

// Options control Analyze.
type Options struct {
	// Config overrides kinds, trust levels, sensitivity and controls; nil
	// for none.
	Config *Config
	// ExtraRules are rule files layered over the built-in library (see
	// LoadRules). Ignored when Rules is set.
	ExtraRules []string
	// Rules, when non-nil, is the compiled rule set to use instead of
	// DefaultRules plus ExtraRules.
	Rules []Rule
	// Generator is written to Report.Generator ("threatmap v1.2.3").
	Generator string
	// SourceSHA256 is the hex SHA-256 of the input file.
	SourceSHA256 string
}

type compInfo struct {
	c          *graph.Component
	label      string
	kind       graph.Kind
	kindReason string
	confident  bool
	trust      int
	zone       string
	w          words
	tags       set
	sens       set
	controls   set
	ctrlWhy    map[string]string
	in, out    []*flowInfo
	untrusted  bool
	env        *Env
	threats    []int // indexes into the threat list
	maxSev     int
	stated     bool // sensitivity stated on the component (label, attributes, config)
	eps        []string
	epFirst    int
	atRestInfo bool // encryption at rest stated either way
}

type flowInfo struct {
	f        *graph.Flow
	src, dst *compInfo
	label    string
	facts    FlowFacts
	sens     set
	controls set
	crosses  []string
	dir      string
	ep       string
	epIndex  int
	env      *Env
	threats  []int
}

type analysis struct {
	d      *graph.Diagram
	cfg    *Config
	bounds map[string]*boundaryInfo
	comps  []*compInfo
	byID   map[string]*compInfo
	flows  []*flowInfo
	eps    []*flowInfo
	// byKind groups components by kind; flowEnvs holds each flow's Env
	// for "flow" and for "interaction" rules (same facts, own Element).
	byKind   map[string][]*compInfo
	flowEnvs map[string][]*Env
}

// Analyze runs the STRIDE pass over d. It does not modify d (beyond the
// lookup index graph.Diagram keeps for itself).
func Analyze(d *graph.Diagram, opts Options) (*Report, error) {
	if d == nil {
		return nil, fmt.Errorf("stride: nil diagram")
	}
	if err := d.Validate(); err != nil {
		return nil, &graph.InputError{File: d.File, Msg: err.Error(), Err: err}
	}
	rules := opts.Rules
	if rules == nil {
		var err error
		if len(opts.ExtraRules) > 0 {
			rules, err = LoadRules(opts.ExtraRules...)
			if err != nil {
				return nil, err
			}
		} else {
			rules = DefaultRules()
		}
	}
	a := &analysis{d: d, cfg: opts.Config}
	a.classify()
	a.readFlows()
	a.propagate()
	a.entryPoints()
	a.buildEnvs()
	threats, err := a.applyRules(rules)
	if err != nil {
		return nil, err
	}
	return a.report(opts, threats), nil
}

func (a *analysis) classify() {
	d := a.d
	a.bounds = classifyBoundaries(d, a.cfg)
	a.comps = make([]*compInfo, 0, len(d.Components))
	a.byID = make(map[string]*compInfo, len(d.Components))
	for _, c := range d.Components {
		cc := a.cfg.component(c)
		kd := classifyComponent(c, cc)
		ci := &compInfo{c: c, label: oneLine(c.Label), kind: kd.kind, kindReason: kd.reason, confident: kd.confident,
			sens: set{}, controls: set{}, ctrlWhy: map[string]string{}}
		if ci.label == "" {
			ci.label = unlabelledName(c)
		}
		ci.w = newWords(c.Label, strings.ReplaceAll(c.Shape, "_", " "))
		ci.tags = tagsOf(ci.w, componentTags)
		if k := newWords(c.Label).first(saasNames); k != "" && ci.kind == graph.KindExternal {
			ci.tags.add("saas")
		}
		if bi := a.bounds[c.Boundary]; bi != nil {
			ci.trust, ci.zone = bi.trust, oneLine(bi.b.Label)
			if ci.zone == "" {
				ci.zone = bi.b.ID
			}
		} else {
			ci.trust, ci.zone = TrustUntrusted, "the public internet"
		}
		if v := attrFirst(c.Attributes, "trust", "trust_level"); v != "" {
			if t, ok := ParseTrust(v); ok {
				ci.trust = t
			}
		}
		if cc != nil && cc.Trust != nil {
			ci.trust = int(*cc.Trust)
		}
		// Sensitivity and controls stated on the component itself.
		ci.sens.add(ParseSensitivity(c.Label)...)
		ci.sens.add(attrSensitivity(c.Attributes)...)
		if cc != nil {
			ci.sens.add(cc.Sensitivity...)
			for _, ctl := range cc.Controls {
				ci.addControl(ctl, "listed in the configuration file")
			}
		}
		ci.stated = len(ci.sens) > 0
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
		if ci.tags["waf"] {
			ci.addControl("waf", ci.label+" is a WAF")
		}
		if ci.tags["cdn"] {
			ci.addControl("cdn", ci.label+" is a CDN")
		}
		if ci.tags["gateway"] {
			ci.addControl("api-gateway", ci.label+" is an API gateway")
		}
		a.comps = append(a.comps, ci)
		a.byID[c.ID] = ci
	}
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

func (a *analysis) readFlows() {
	d := a.d
	a.flows = make([]*flowInfo, 0, len(d.Flows))
	memo := map[string]FlowFacts{}
	for _, f := range d.Flows {
		src, dst := a.byID[f.Source], a.byID[f.Target]
		fi := &flowInfo{f: f, src: src, dst: dst, label: oneLine(f.Label), sens: set{}, controls: set{}}
		// Labels repeat ("HTTPS"): parse each attribute-free label once.
		if len(f.Attributes) == 0 {
			facts, ok := memo[f.Label]
			if !ok {
				facts = ParseFlow(f.Label, nil)
				memo[f.Label] = facts
			}
			fi.facts = facts
		} else {
			fi.facts = ParseFlow(f.Label, f.Attributes)
		}
		if fc := a.cfg.flow(f, src.c, dst.c); fc != nil {
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
			fi.controls.add(fc.Controls...)
		}
		fi.sens.add(fi.facts.Sensitivity...)
		fi.controls.add(splitList(strings.ToLower(attrFirst(f.Attributes, "controls", "control")))...)
		if fi.facts.Encrypted == EncTrue {
			fi.controls.add("tls")
		}
		switch au := fi.facts.Authenticated; au {
		case "none", "unknown":
		default:
			fi.controls.add("authentication")
			if knownControls[au] {
				fi.controls.add(au)
			}
		}
		fi.crosses = d.FlowCrossings(f)
		switch {
		case len(fi.crosses) == 0:
			fi.dir = "internal"
		case dst.trust > src.trust:
			fi.dir = "inbound"
		case dst.trust < src.trust:
			fi.dir = "outbound"
		default:
			fi.dir = "lateral"
		}
		src.out = append(src.out, fi)
		dst.in = append(dst.in, fi)
		a.flows = append(a.flows, fi)
	}
}

// propagate spreads sensitivity (store → flows → endpoints), controls
// (WAF/CDN/gateway to what sits behind them) and untrusted input.
func (a *analysis) propagate() {
	// A data store holds what its label, attributes and any touching flow
	// say; every flow that reads or writes it carries that.
	for _, ci := range a.comps {
		if ci.kind != graph.KindDataStore {
			continue
		}
		for _, fi := range ci.in {
			ci.sens.add(fi.sens.sorted()...)
		}
		for _, fi := range ci.out {
			ci.sens.add(fi.sens.sorted()...)
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
	// Processes and externals handle what their flows carry.
	for _, ci := range a.comps {
		if ci.kind == graph.KindDataStore {
			continue
		}
		for _, fi := range ci.in {
			for s := range fi.sens {
				ci.sens.add(s)
			}
		}
		for _, fi := range ci.out {
			for s := range fi.sens {
				ci.sens.add(s)
			}
		}
	}
	// Edge controls protect the processes behind them: a WAF or CDN for two
	// hops through processes, an API gateway for one.
	for _, ci := range a.comps {
		for _, e := range []struct {
			tag, ctl string
			hops     int
		}{{"waf", "waf", 2}, {"cdn", "cdn", 2}, {"gateway", "api-gateway", 1}} {
			if !ci.tags[e.tag] {
				continue
			}
			frontier := []*compInfo{ci}
			for h := 0; h < e.hops; h++ {
				var next []*compInfo
				for _, x := range frontier {
					for _, fi := range x.out {
						t := fi.dst
						if t.kind != graph.KindProcess || t == ci {
							continue
						}
						next = append(next, t)
						if !t.controls[e.ctl] && !bypasses(t, e.tag) {
							t.addControl(e.ctl, "behind "+ci.label)
						}
					}
				}
				frontier = next
			}
		}
	}
	// Untrusted input: processes reachable from a trust-0 component
	// through processes (not through stores).
	var queue []*compInfo
	// An external entity is a source wherever it is drawn (so a diagram
	// without boundaries still has untrusted input); a process or store
	// outside every boundary is one for more trusted targets.
	for _, ci := range a.comps {
		if ci.trust == TrustUntrusted || ci.kind == graph.KindExternal {
			for _, fi := range ci.out {
				if t := fi.dst; t.kind == graph.KindProcess && !t.untrusted && (ci.kind == graph.KindExternal || t.trust > ci.trust) {
					t.untrusted = true
					queue = append(queue, t)
				}
			}
		}
	}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, fi := range x.out {
			if t := fi.dst; t.kind == graph.KindProcess && !t.untrusted {
				t.untrusted = true
				queue = append(queue, t)
			}
		}
	}
}

// epKey orders entry points by what the diagram says, never by IDs or
// input order: inbound before lateral before outbound, then the source's
// trust (least trusted first), source label, target label, flow label,
// the crossed boundary labels and the protocol. The flow ID is the last
// resort for flows that look identical in every other respect.
// bypasses reports whether t also takes traffic straight from a trust-0
// component that is not itself the edge control: that path is not
// protected by the WAF or CDN in front of its other callers.
func bypasses(t *compInfo, tag string) bool {
	for _, fi := range t.in {
		if fi.src.trust == TrustUntrusted && !fi.src.tags[tag] {
			return true
		}
	}
	return false
}

func (a *analysis) epKey(fi *flowInfo) []string {
	rank := map[string]string{"inbound": "0", "lateral": "1", "outbound": "2"}[fi.dir]
	var bl []string
	for _, b := range fi.crosses {
		if bi := a.bounds[b]; bi != nil {
			bl = append(bl, oneLine(bi.b.Label))
		}
	}
	return []string{rank, strconv.Itoa(fi.src.trust), strconv.Itoa(9 - fi.dst.trust), fi.src.label, fi.dst.label,
		fi.label, strings.Join(bl, "\x00"), fi.facts.Protocol, canonicalAttrs(fi.f.Attributes), fi.f.ID}
}

func canonicalAttrs(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(m[k])
		b.WriteByte(0)
	}
	return b.String()
}

func lessKeys(x, y []string) bool {
	for i := range x {
		if i >= len(y) {
			return false
		}
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return len(x) < len(y)
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// componentEntryPoints records, once per component, the entry points its
// threats come through: for an external entity those of the flows it
// starts (or, if it starts none, receives); for others those of the flows
// into it.
func (ci *compInfo) componentEntryPoints() {
	flows := ci.in
	if ci.kind == graph.KindExternal && len(ci.out) > 0 {
		flows = ci.out
	}
	eps := set{}
	ci.epFirst = 1 << 30
	for _, x := range flows {
		if x.ep != "" {
			eps.add(x.ep)
			if x.epIndex < ci.epFirst {
				ci.epFirst = x.epIndex
			}
		}
	}
	ci.eps = eps.sorted()
}

func (a *analysis) entryPoints() {
	type keyed struct {
		fi  *flowInfo
		key []string
	}
	var ks []keyed
	for _, fi := range a.flows {
		if len(fi.crosses) > 0 {
			ks = append(ks, keyed{fi, a.epKey(fi)})
		}
	}
	sort.Slice(ks, func(i, j int) bool { return lessKeys(ks[i].key, ks[j].key) })
	a.eps = make([]*flowInfo, len(ks))
	for i, k := range ks {
		k.fi.epIndex = i + 1
		k.fi.ep = fmt.Sprintf("EP-%02d", i+1)
		a.eps[i] = k.fi
	}
	for _, ci := range a.comps {
		ci.componentEntryPoints()
	}
}

func (ci *compInfo) endpoint() *Endpoint {
	return &Endpoint{
		Name: ci.label, Kind: string(ci.kind), Zone: ci.zone, Trust: ci.trust, TrustName: TrustName(ci.trust),
		Internet: ci.trust == TrustUntrusted, Human: ci.human(), SaaS: ci.tags["saas"], Proxy: ci.tags["proxy"],
		Sensitive: len(ci.sens) > 0, UntrustedInput: ci.untrusted, Keywords: ci.tags.sorted(),
		Controls: ci.controls.sorted(), Data: dataText(ci.sens.sorted()),
	}
}

func (ci *compInfo) human() bool {
	return ci.kind == graph.KindExternal && !ci.tags["saas"] && ci.w.first(humanWords) != ""
}

func fillSens(e *Env, s []string) {
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
	e.Data = dataText(s)
}

func (a *analysis) buildEnvs() {
	for _, ci := range a.comps {
		e := &Env{Element: string(ci.kind), Name: ci.label, Source: noEndpoint, Target: noEndpoint, Kind: string(ci.kind), Keywords: ci.tags.sorted(),
			Controls: ci.controls.sorted(), Trust: ci.trust, TrustName: TrustName(ci.trust), Zone: ci.zone,
			Internet: ci.trust == TrustUntrusted, Human: ci.human(), SaaS: ci.tags["saas"], Proxy: ci.tags["proxy"],
			Confident: ci.confident, UntrustedInput: ci.untrusted, InFlows: len(ci.in), OutFlows: len(ci.out)}
		fillSens(e, ci.sens.sorted())
		var senders, receivers, written, sensStores, queues, externals, writers, readers, uwriters, inetSenders, keyed []string
		storeData := set{}
		outAuth, inAuth, inEnc := set{}, set{}, set{}
		for _, fi := range ci.in {
			senders = append(senders, fi.src.label)
			inAuth.add(fi.facts.Authenticated)
			inEnc.add(fi.facts.Encrypted)
			if ci.kind != graph.KindExternal && (fi.src.kind == graph.KindExternal && fi.src.trust == TrustUntrusted || fi.src.trust == TrustUntrusted && ci.trust > TrustUntrusted) {
				e.InternetFacing = true
				inetSenders = append(inetSenders, fi.src.label)
			}
			if fi.dir == "inbound" {
				e.InboundCrossing = true
			}
			if ci.kind == graph.KindDataStore && fi.src.kind == graph.KindProcess {
				writers = append(writers, fi.src.label)
				if fi.src.untrusted {
					e.WrittenFromUntrusted = true
					uwriters = append(uwriters, fi.src.label)
				}
			}
			if ci.kind == graph.KindProcess && fi.src.kind == graph.KindDataStore && fi.src.tags["queue"] {
				e.ConsumesQueue = true
				queues = append(queues, fi.src.label)
			}
			if ci.kind == graph.KindProcess && fi.src.kind == graph.KindDataStore && fi.f.Bidirectional {
				e.WritesStore = true
				written = append(written, fi.src.label)
			}
		}
		for _, fi := range ci.out {
			receivers = append(receivers, fi.dst.label)
			outAuth.add(fi.facts.Authenticated)
			if a := fi.facts.Authenticated; a == "api-key" || a == "basic" {
				keyed = append(keyed, fi.dst.label)
			}
			if ci.kind == graph.KindExternal && fi.dir == "inbound" {
				e.SendsInbound = true
			}
			if ci.kind == graph.KindDataStore && fi.dst.kind == graph.KindProcess {
				readers = append(readers, fi.dst.label)
				if fi.f.Bidirectional {
					writers = append(writers, fi.dst.label)
					if fi.dst.untrusted {
						e.WrittenFromUntrusted = true
						uwriters = append(uwriters, fi.dst.label)
					}
				}
			}
			if fi.dst.kind == graph.KindDataStore {
				e.WritesStore = true
				written = append(written, fi.dst.label)
				if len(fi.dst.sens) > 0 {
					e.WritesSensitiveStore = true
					sensStores = append(sensStores, fi.dst.label)
					for c := range fi.dst.sens {
						storeData.add(c)
					}
				}
			}
			if fi.dst.kind == graph.KindExternal {
				e.SendsToExternal = true
				externals = append(externals, fi.dst.label)
			}
		}
		if ci.kind == graph.KindDataStore {
			for _, fi := range ci.in {
				if fi.src.kind == graph.KindProcess && fi.f.Bidirectional {
					readers = append(readers, fi.src.label)
				}
			}
		}
		e.Senders, e.Receivers = joinNames(senders), joinNames(receivers)
		e.InternetSenders, e.KeyedReceivers = joinNames(inetSenders), joinNames(keyed)
		e.StoreData = dataText(storeData.sorted())
		e.StoresWritten, e.SensitiveStores = joinNames(written), joinNames(sensStores)
		e.Queues, e.Externals = joinNames(queues), joinNames(externals)
		e.Writers, e.Readers, e.UntrustedWriters = joinNames(writers), joinNames(readers), joinNames(uwriters)
		e.OutboundAuth, e.InboundAuth, e.InboundEncryption = outAuth.sorted(), inAuth.sorted(), inEnc.sorted()
		if ci.kind == graph.KindExternal {
			// An external entity's authentication is what it presents on
			// the flows it starts.
			ctl := set{}
			ctl.add(e.Controls...)
			for _, fi := range ci.out {
				for c := range fi.controls {
					if c != "tls" {
						ctl.add(c)
					}
				}
			}
			e.Controls = ctl.sorted()
		}
		e.Attacker = attackerFor(ci)
		ci.env = e
	}
	tagMemo := map[string][]string{}
	for _, fi := range a.flows {
		e := &Env{Element: AppliesFlow, Name: fi.src.label + " → " + fi.dst.label, Kind: "flow", Label: fi.label,
			Trust: fi.dst.trust, TrustName: TrustName(fi.dst.trust), Zone: fi.dst.zone,
			Protocol: fi.facts.Protocol, ProtocolText: firstNonEmpty(fi.facts.Protocol, "an unnamed protocol"),
			Encrypted: fi.facts.Encrypted, Auth: fi.facts.Authenticated, AuthText: authText[fi.facts.Authenticated],
			AuthName: authName(fi.facts.Authenticated), Crossing: len(fi.crosses) > 0,
			Direction: fi.dir, EntryPoint: fi.ep, Source: fi.src.endpoint(), Target: fi.dst.endpoint(), Confident: true}
		e.Internet = fi.src.trust == TrustUntrusted || fi.dst.trust == TrustUntrusted
		kws, ok := tagMemo[fi.f.Label]
		if !ok {
			kws = tagsOf(newWords(fi.f.Label), flowTags).sorted()
			tagMemo[fi.f.Label] = kws
		}
		e.Keywords = kws
		ctl := set{}
		for c := range fi.controls {
			ctl.add(c)
		}
		for c := range fi.dst.controls {
			ctl.add(c)
		}
		e.Controls = ctl.sorted()
		fillSens(e, fi.sens.sorted())
		var bl []string
		for _, b := range fi.crosses {
			if bi := a.bounds[b]; bi != nil {
				bl = append(bl, firstNonEmpty(oneLine(bi.b.Label), b))
			}
		}
		e.Boundaries = joinOrdered(bl)
		switch {
		case e.Internet:
			e.Attacker = "an attacker on the internet path between " + fi.src.label + " and " + fi.dst.label
		case len(fi.crosses) > 0:
			lo := fi.src
			if fi.dst.trust < lo.trust {
				lo = fi.dst
			}
			e.Attacker = "an attacker with a foothold in " + lo.zone
		default:
			e.Attacker = "an attacker with a foothold in " + fi.src.zone
		}
		fi.env = e
	}
	a.byKind = map[string][]*compInfo{}
	for _, ci := range a.comps {
		a.byKind[string(ci.kind)] = append(a.byKind[string(ci.kind)], ci)
	}
	a.flowEnvs = map[string][]*Env{AppliesFlow: make([]*Env, len(a.flows)), AppliesInteraction: make([]*Env, len(a.flows))}
	for i, fi := range a.flows {
		a.flowEnvs[AppliesFlow][i] = fi.env
		ie := *fi.env
		ie.Element = AppliesInteraction
		a.flowEnvs[AppliesInteraction][i] = &ie
	}
}

var authText = map[string]string{
	"jwt": "a JWT", "oauth": "an OAuth/OIDC token", "saml": "a SAML assertion", "mtls": "an mTLS client certificate",
	"api-key": "an API key", "iam": "IAM credentials", "hmac": "a signing secret", "kerberos": "a Kerberos ticket",
	"basic": "a username and password", "none": "no credential", "unknown": "a credential",
}

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

func attackerFor(ci *compInfo) string {
	switch {
	case ci.kind == graph.KindExternal && ci.tags["saas"]:
		return "an attacker who can reach " + ci.label + "'s endpoints or its account"
	case ci.kind == graph.KindExternal:
		return "an attacker on the public internet"
	case ci.untrusted:
		return "a caller on the public internet"
	}
	return "an attacker with a foothold in " + ci.zone
}

// noEndpoint is Source and Target of a component's Env.
var noEndpoint = &Endpoint{}

type threatCand struct {
	t       Threat
	rule    *Rule
	comp    *compInfo
	flow    *flowInfo
	epFirst int
	key     []string
}

type match struct {
	rule *Rule
	env  *Env
	comp *compInfo
	flow *flowInfo
}

// applyRules evaluates every rule's condition on the elements it applies
// to (sequentially, one VM), then renders the matched threats in parallel:
// each threat depends only on its rule and element, so the result is the
// same whatever the scheduling.
func (a *analysis) applyRules(rules []Rule) ([]*threatCand, error) {
	var sorted []*Rule
	for i := range rules {
		if !rules[i].Disabled {
			sorted = append(sorted, &rules[i])
		}
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	for _, r := range sorted {
		if r.when == nil {
			if err := r.compile(); err != nil {
				return nil, fmt.Errorf("rule %s: %v", r.ID, err)
			}
		}
	}
	// Conditions: rules are spread over workers; each rule's matches are
	// kept in element order and concatenated in rule order.
	perRule := make([][]match, len(sorted))
	ruleErr := make([]error, len(sorted))
	var wg sync.WaitGroup
	nw := min(runtime.GOMAXPROCS(0), len(sorted))
	for w := 0; w < nw; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var m vm.VM
			for i := w; i < len(sorted); i += nw {
				perRule[i], ruleErr[i] = a.matchRule(&m, sorted[i])
			}
		}(w)
	}
	wg.Wait()
	var matches []match
	for i := range sorted {
		if ruleErr[i] != nil {
			return nil, ruleErr[i]
		}
		matches = append(matches, perRule[i]...)
	}
	out := make([]*threatCand, len(matches))
	errs := make([]error, len(matches))
	workers := runtime.GOMAXPROCS(0)
	if workers > len(matches)/64+1 {
		workers = len(matches)/64 + 1
	}
	chunk := (len(matches) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(matches))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			var m vm.VM
			var sb bytes.Buffer
			for i := lo; i < hi; i++ {
				x := matches[i]
				out[i], errs[i] = a.makeThreat(&m, &sb, x.rule, x.env, x.comp, x.flow)
			}
		}(lo, hi)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (a *analysis) matchRule(m *vm.VM, r *Rule) ([]match, error) {
	var out []match
	for _, at := range r.AppliesTo {
		switch at {
		case AppliesFlow, AppliesInteraction:
			env := a.flowEnvs[at]
			for i, fi := range a.flows {
				ok, err := runBool(m, r.when, env[i])
				if err != nil {
					return nil, fmt.Errorf("rule %s on flow %q: %v", r.ID, fi.f.ID, err)
				}
				if ok {
					out = append(out, match{r, env[i], nil, fi})
				}
			}
		default:
			for _, ci := range a.byKind[at] {
				ok, err := runBool(m, r.when, ci.env)
				if err != nil {
					return nil, fmt.Errorf("rule %s on component %q: %v", r.ID, ci.c.ID, err)
				}
				if ok {
					out = append(out, match{r, ci.env, ci, nil})
				}
			}
		}
	}
	return out, nil
}

func runBool(m *vm.VM, p *vm.Program, env *Env) (bool, error) {
	v, err := m.Run(p, env)
	if err != nil {
		return false, err
	}
	b, _ := v.(bool)
	return b, nil
}

func clamp(v int) int {
	if v < 1 {
		return 1
	}
	if v > 5 {
		return 5
	}
	return v
}

var priorityBySeverity = map[string]string{SeverityCritical: "P1", SeverityHigh: "P2", SeverityMedium: "P3", SeverityLow: "P4"}

func (a *analysis) makeThreat(m *vm.VM, sb *bytes.Buffer, r *Rule, env *Env, ci *compInfo, fi *flowInfo) (*threatCand, error) {
	tc := &threatCand{rule: r, comp: ci, flow: fi}
	t := &tc.t
	t.Rule, t.Stride, t.Category = r.ID, r.Stride, r.Category
	t.Element.Type = "component"
	if fi != nil {
		t.Element = ElementRef{Type: "flow", ID: fi.f.ID}
		t.ElementName = env.Name
	} else {
		t.Element.ID = ci.c.ID
		t.ElementName = ci.label
	}
	if err := render(sb, r.title, r.titleF, env); err != nil {
		return nil, fmt.Errorf("rule %s: title: %v", r.ID, err)
	}
	t.Title = oneLine(sb.String())
	if err := render(sb, r.desc, r.descF, env); err != nil {
		return nil, fmt.Errorf("rule %s: description: %v", r.ID, err)
	}
	t.Description = strings.TrimSpace(sb.String())
	t.Reasons = []string{}
	if r.why != nil {
		if err := render(sb, r.why, r.whyF, env); err != nil {
			return nil, fmt.Errorf("rule %s: why: %v", r.ID, err)
		}
		if s := oneLine(sb.String()); s != "" {
			t.Reasons = append(t.Reasons, s)
		}
	}
	l, im := r.Likelihood, r.Impact
	for i := range r.Modifiers {
		md := &r.Modifiers[i]
		ok, err := runBool(m, md.prog, env)
		if err != nil {
			return nil, fmt.Errorf("rule %s: modifier %d: %v", r.ID, i+1, err)
		}
		if ok {
			l += md.Likelihood
			im += md.Impact
			if md.Reason != "" {
				t.Reasons = append(t.Reasons, md.Reason+" ("+strings.TrimSuffix(signed(md.Likelihood, "likelihood")+signed(md.Impact, "impact"), ", ")+")")
			}
		}
	}
	t.Likelihood, t.Impact = clamp(l), clamp(im)
	t.Score = t.Likelihood * t.Impact
	t.Severity = Band(t.Score)
	// Existing controls: those the rule lists that the element shows.
	t.ExistingControls = []string{}
	reduce := 0
	ctlNames := r.ctlNames
	if ctlNames == nil && len(r.MitigatedBy) > 0 {
		ctlNames = sortedKeys(r.MitigatedBy)
	}
	present := func(c string) bool {
		for _, x := range env.Controls {
			if x == c {
				return true
			}
		}
		return false
	}
	for _, c := range ctlNames {
		if present(c) {
			t.ExistingControls = append(t.ExistingControls, c)
			reduce += r.MitigatedBy[c]
			t.Reasons = append(t.Reasons, "existing control "+c+" lowers likelihood by "+strconv.Itoa(r.MitigatedBy[c]))
		}
	}
	t.ResidualLikelihood = clamp(t.Likelihood - reduce)
	if t.ResidualLikelihood > t.Likelihood {
		t.ResidualLikelihood = t.Likelihood
	}
	t.ResidualScore = t.ResidualLikelihood * t.Impact
	t.ResidualRisk = Band(t.ResidualScore)
	switch {
	case len(t.ExistingControls) == 0:
		t.Status = "Unmitigated"
	case t.ResidualRisk == SeverityLow:
		t.Status = "Mitigated"
	default:
		t.Status = "Partial"
	}
	prio := priorityBySeverity[t.ResidualRisk]
	t.Mitigations = []Mitigation{}
	for _, rm := range r.Mitigations {
		if rm.SatisfiedBy != "" && present(rm.SatisfiedBy) {
			continue
		}
		ctl := rm.Control
		if rm.tmpl != nil {
			if err := render(sb, rm.tmpl, rm.tmplF, env); err != nil {
				return nil, fmt.Errorf("rule %s: mitigation: %v", r.ID, err)
			}
			ctl = sb.String()
		}
		t.Mitigations = append(t.Mitigations, Mitigation{Control: oneLine(ctl), Type: rm.Type, Effort: rm.Effort, Priority: prio})
	}
	// Entry points the threat comes through.
	if fi != nil {
		tc.epFirst = 1 << 30
		t.EntryPoints = []string{}
		if fi.ep != "" {
			t.EntryPoints = []string{fi.ep}
			tc.epFirst = fi.epIndex
		}
	} else {
		t.EntryPoints, tc.epFirst = ci.eps, ci.epFirst
	}
	// Tie-break key: element label, then rule, then what distinguishes
	// elements with equal labels.
	if fi != nil {
		tc.key = []string{t.ElementName, r.ID, fi.label, fi.f.ID}
	} else {
		tc.key = []string{t.ElementName, r.ID, "", ci.c.ID}
	}
	return tc, nil
}

func signed(n int, what string) string {
	switch {
	case n > 0:
		return "+" + strconv.Itoa(n) + " " + what + ", "
	case n < 0:
		return strconv.Itoa(n) + " " + what + ", "
	}
	return ""
}

func (a *analysis) report(opts Options, cands []*threatCand) *Report {
	d := a.d
	for _, tc := range cands {
		tc.t.Reasons = trimReasons(tc.t.Reasons)
	}
	sort.Slice(cands, func(i, j int) bool {
		x, y := &cands[i].t, &cands[j].t
		if x.Score != y.Score {
			return x.Score > y.Score
		}
		if x.ResidualScore != y.ResidualScore {
			return x.ResidualScore > y.ResidualScore
		}
		if cands[i].epFirst != cands[j].epFirst {
			return cands[i].epFirst < cands[j].epFirst
		}
		return lessKeys(cands[i].key, cands[j].key)
	})
	width := 3
	if n := len(cands); n >= 1000 {
		width = len(strconv.Itoa(n))
	}
	threats := make([]Threat, len(cands))
	for i, tc := range cands {
		tc.t.ID = fmt.Sprintf("T-%0*d", width, i+1)
		threats[i] = tc.t
		if tc.flow != nil {
			tc.flow.threats = append(tc.flow.threats, i)
			sev := SeverityRank(tc.t.ResidualRisk)
			for _, c := range []*compInfo{tc.flow.src, tc.flow.dst} {
				if sev > c.maxSev {
					c.maxSev = sev
				}
			}
		} else {
			tc.comp.threats = append(tc.comp.threats, i)
			if sev := SeverityRank(tc.t.ResidualRisk); sev > tc.comp.maxSev {
				tc.comp.maxSev = sev
			}
		}
	}
	ids := func(idx []int) []string {
		out := make([]string, len(idx))
		for i, x := range idx {
			out[i] = threats[x].ID
		}
		sort.Strings(out)
		return out
	}

	r := &Report{
		SchemaVersion: SchemaVersion,
		Generator:     opts.Generator,
		Source:        Source{File: d.File, Format: d.Format, Diagram: d.Name, SHA256: opts.SourceSHA256},
		Diagram:       d,
		Threats:       threats,
		Warnings:      []string{},
	}
	r.System = a.systemName()

	sevNames := []string{"", SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}
	r.Components = make([]Component, 0, len(a.comps))
	for _, ci := range a.comps {
		attrs := copyAttrs(ci.c.Attributes)
		r.Components = append(r.Components, Component{
			ID: ci.c.ID, Label: reportLabel(ci), Kind: string(ci.kind), KindReason: ci.kindReason, Shape: ci.c.Shape,
			Boundary: ci.c.Boundary, Trust: ci.trust, TrustName: TrustName(ci.trust), Zone: ci.zone,
			Sensitivity: ci.sens.sorted(), Controls: ci.controls.sorted(), Attributes: attrs,
			MaxSeverity: sevNames[ci.maxSev], Threats: ids(ci.threats),
		})
	}
	sort.Slice(r.Components, func(i, j int) bool {
		x, y := r.Components[i], r.Components[j]
		if x.Label != y.Label {
			return x.Label < y.Label
		}
		return x.ID < y.ID
	})

	r.Boundaries = make([]Boundary, 0, len(d.Boundaries))
	for _, b := range d.Boundaries {
		bi := a.bounds[b.ID]
		members := append([]string{}, b.Members...)
		if len(members) == 0 {
			for _, ci := range a.comps {
				if ci.c.Boundary == b.ID {
					members = append(members, ci.c.ID)
				}
			}
		}
		sort.Strings(members)
		r.Boundaries = append(r.Boundaries, Boundary{ID: b.ID, Label: b.Label, Parent: b.Parent, Trust: bi.trust,
			TrustName: TrustName(bi.trust), TrustReason: bi.reason, Members: members, Inferred: b.Inferred})
	}
	sort.Slice(r.Boundaries, func(i, j int) bool {
		x, y := r.Boundaries[i], r.Boundaries[j]
		if x.Label != y.Label {
			return x.Label < y.Label
		}
		return x.ID < y.ID
	})

	r.Flows = make([]Flow, 0, len(a.flows))
	flowOrder := make([]*flowInfo, len(a.flows))
	copy(flowOrder, a.flows)
	sort.Slice(flowOrder, func(i, j int) bool {
		x, y := flowOrder[i], flowOrder[j]
		return lessKeys([]string{x.src.label, x.dst.label, x.label, x.f.ID}, []string{y.src.label, y.dst.label, y.label, y.f.ID})
	})
	for _, fi := range flowOrder {
		r.Flows = append(r.Flows, Flow{
			ID: fi.f.ID, Source: fi.f.Source, Target: fi.f.Target, Label: fi.f.Label, Bidirectional: fi.f.Bidirectional,
			Protocol: fi.facts.Protocol, Encrypted: fi.facts.Encrypted, EncryptedReason: fi.facts.EncReason,
			Authenticated: fi.facts.Authenticated, Sensitivity: fi.sens.sorted(), Crosses: nonNil(fi.crosses),
			Direction: fi.dir, EntryPoint: fi.ep, Controls: fi.controls.sorted(), Attributes: copyAttrs(fi.f.Attributes),
			Threats: ids(fi.threats),
		})
	}

	r.EntryPoints = make([]EntryPoint, 0, len(a.eps))
	epThreats := map[string][]string{}
	for _, t := range threats {
		for _, ep := range t.EntryPoints {
			epThreats[ep] = append(epThreats[ep], t.ID)
		}
	}
	for _, fi := range a.eps {
		r.EntryPoints = append(r.EntryPoints, EntryPoint{ID: fi.ep, Flow: fi.f.ID, From: fi.f.Source, To: fi.f.Target,
			Direction: fi.dir, Boundaries: nonNil(fi.crosses), Threats: nonNil(epThreats[fi.ep]),
			Name: fi.src.label + " → " + fi.dst.label, Label: fi.label})
	}

	r.OpenQuestions = a.openQuestions(threats)

	notes := make([]string, 0, len(d.Notes))
	for _, n := range d.Notes {
		if s := strings.TrimSpace(n.Text); s != "" {
			notes = append(notes, s)
		}
	}
	sort.Strings(notes)
	if len(notes) > 0 {
		r.Notes = notes
	}
	for _, w := range d.Warnings {
		r.Warnings = append(r.Warnings, w.String())
	}
	for _, k := range a.cfg.unusedKeys(d) {
		r.Warnings = append(r.Warnings, "configuration "+k+" matches no element")
	}

	r.Summary = Summary{Components: len(d.Components), Flows: len(d.Flows), Boundaries: len(d.Boundaries),
		EntryPoints: len(a.eps), Threats: len(threats),
		BySeverity: map[string]int{SeverityCritical: 0, SeverityHigh: 0, SeverityMedium: 0, SeverityLow: 0},
		ByCategory: map[string]int{}}
	for _, n := range Categories {
		r.Summary.ByCategory[n] = 0
	}
	for _, t := range threats {
		r.Summary.BySeverity[t.ResidualRisk]++
		r.Summary.ByCategory[t.Category]++
	}
	return r
}

func trimReasons(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	return in
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func copyAttrs(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (a *analysis) systemName() string {
	d := a.d
	if a.cfg != nil && a.cfg.System != "" {
		return a.cfg.System
	}
	if d.Title != "" {
		return oneLine(d.Title)
	}
	if d.Name != "" {
		return oneLine(d.Name)
	}
	base := filepath.Base(d.File)
	if base == "." || base == "/" || base == "-" || base == "" {
		return "Untitled system"
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
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

// reportLabel is the component's label, or for an unlabelled component the
// name threats use for it, so every output shows the same name.
func reportLabel(ci *compInfo) string {
	if strings.TrimSpace(ci.c.Label) == "" {
		return ci.label
	}
	return ci.c.Label
}
