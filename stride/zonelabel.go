package stride

import (
	"strconv"
	"strings"
	"sync"
)

// Reading a trust boundary's label the way a person does.
//
// A boundary label is short prose, not a bag of words. Four conventions
// decide which of its words names the zone:
//
//   - An identifier prefix ("TB-2:", "Zone 3 -", "B1.") is a name, not a
//     zone: it is dropped.
//   - A label that names a crossing ("Internet -> DMZ", "DMZ → Internal",
//     "Partner to Core") describes the line between two zones; the box it
//     labels is the destination side, so the last part is read.
//   - The main phrase comes before any qualifier (" - public ingress",
//     "(PII)", ", eu-west-1"), and in an English noun phrase the head noun
//     is the last word: "Customer Data" is data, "Kubernetes cluster" is a
//     cluster, whatever qualifies them.
//   - An explicit trust word ("restricted", "untrusted", "privileged",
//     "DMZ") states the zone's trust outright and wins wherever it stands:
//     "Data Center (Restricted)" is restricted.
//
// Generic nouns (tier, layer, zone, segment, network) say nothing about
// trust: a box labelled only with them inherits its parent's zone.

// zoneWord is one entry of the zone vocabulary.
type zoneWord struct {
	kw    string
	trust int
	// explicit words state a trust level outright and win anywhere.
	explicit bool
}

// zoneVocabulary lists every word or phrase that says something about a
// zone. Phrases are matched before the single words they contain.
var zoneVocabulary = []zoneWord{
	// Explicit trust statements.
	{kw: "untrusted", trust: TrustUntrusted, explicit: true},
	{kw: "semi trusted", trust: TrustDMZ, explicit: true},
	{kw: "trusted", trust: TrustInternal, explicit: true},
	{kw: "restricted", trust: TrustRestricted, explicit: true},
	{kw: "privileged", trust: TrustRestricted, explicit: true},
	{kw: "cde", trust: TrustRestricted, explicit: true},
	{kw: "dmz", trust: TrustDMZ, explicit: true},
	{kw: "demilitarized", trust: TrustDMZ, explicit: true},
	{kw: "demilitarised", trust: TrustDMZ, explicit: true},
	// Processor isolation (Arm TrustZone, PSA, TEEs): the non-secure side
	// runs whatever software the device owner or an attacker loads, and
	// the threat models of these platforms treat it as hostile; the
	// secure side holds the keys.
	{kw: "non secure", trust: TrustUntrusted, explicit: true},
	{kw: "nonsecure", trust: TrustUntrusted, explicit: true},
	{kw: "nspe", trust: TrustUntrusted, explicit: true},
	{kw: "normal world", trust: TrustUntrusted, explicit: true},
	{kw: "rich execution environment", trust: TrustUntrusted, explicit: true},
	{kw: "secure world", trust: TrustRestricted, explicit: true},
	{kw: "secure processing environment", trust: TrustRestricted, explicit: true},
	{kw: "spe", trust: TrustRestricted, explicit: true},
	{kw: "trusted execution environment", trust: TrustRestricted, explicit: true},
	{kw: "tee", trust: TrustRestricted, explicit: true},
	{kw: "secure enclave", trust: TrustRestricted, explicit: true},
	// The same isolation elsewhere: a hypervisor and its guests, a kernel
	// and user space, a browser's privileged process and its sandboxed
	// renderers. The guest, user-space or sandboxed side runs code the
	// isolation exists to contain; the other side holds what it guards.
	{kw: "ree", trust: TrustUntrusted, explicit: true},
	{kw: "enclave", trust: TrustRestricted, explicit: true},
	{kw: "hypervisor", trust: TrustRestricted},
	{kw: "vmm", trust: TrustRestricted},
	{kw: "kernel space", trust: TrustRestricted},
	{kw: "kernel mode", trust: TrustRestricted},
	{kw: "sandbox", trust: TrustUntrusted},
	{kw: "sandboxed", trust: TrustUntrusted},
	{kw: "renderer", trust: TrustUntrusted},

	// Phrases.
	{kw: "data center", trust: TrustInternal},
	{kw: "data centre", trust: TrustInternal},
	{kw: "public subnet", trust: TrustDMZ},
	{kw: "private subnet", trust: TrustInternal},
	{kw: "data tier", trust: TrustData},
	{kw: "data layer", trust: TrustData},
	{kw: "data zone", trust: TrustData},
	{kw: "data plane", trust: TrustInternal},
	{kw: "control plane", trust: TrustRestricted},
	{kw: "web tier", trust: TrustDMZ},
	{kw: "presentation tier", trust: TrustDMZ},
	{kw: "presentation layer", trust: TrustDMZ},
	{kw: "third party", trust: TrustUntrusted},
	{kw: "3rd party", trust: TrustUntrusted},
	{kw: "on premises", trust: TrustInternal},
	{kw: "on prem", trust: TrustInternal},
	{kw: "end user", trust: TrustUntrusted},

	// Places and nouns.
	{kw: "datacenter", trust: TrustInternal},
	{kw: "edge", trust: TrustDMZ},
	{kw: "perimeter", trust: TrustDMZ},
	{kw: "management", trust: TrustRestricted},
	{kw: "mgmt", trust: TrustRestricted},
	{kw: "admin", trust: TrustRestricted},
	{kw: "pci", trust: TrustRestricted},
	{kw: "vault", trust: TrustRestricted},
	{kw: "internet", trust: TrustUntrusted},
	{kw: "public", trust: TrustUntrusted},
	{kw: "external", trust: TrustUntrusted},
	{kw: "partner", trust: TrustUntrusted},
	{kw: "saas", trust: TrustUntrusted},
	{kw: "vendor", trust: TrustUntrusted},
	{kw: "browser", trust: TrustUntrusted},
	{kw: "client", trust: TrustUntrusted},
	{kw: "mobile", trust: TrustUntrusted},
	{kw: "device", trust: TrustUntrusted},
	{kw: "user", trust: TrustUntrusted},
	{kw: "customer", trust: TrustUntrusted},
	{kw: "guest", trust: TrustUntrusted},
	{kw: "database", trust: TrustData},
	{kw: "db", trust: TrustData},
	{kw: "data", trust: TrustData},
	{kw: "storage", trust: TrustData},
	{kw: "persistence", trust: TrustData},
	{kw: "internal", trust: TrustInternal},
	{kw: "private", trust: TrustInternal},
	{kw: "vpc", trust: TrustInternal},
	{kw: "vnet", trust: TrustInternal},
	{kw: "subnet", trust: TrustInternal},
	{kw: "app", trust: TrustInternal},
	{kw: "application", trust: TrustInternal},
	{kw: "backend", trust: TrustInternal},
	{kw: "core", trust: TrustInternal},
	{kw: "corporate", trust: TrustInternal},
	{kw: "corp", trust: TrustInternal},
	{kw: "office", trust: TrustInternal},
	{kw: "intranet", trust: TrustInternal},
	{kw: "cluster", trust: TrustInternal},
	{kw: "namespace", trust: TrustInternal},
	{kw: "kubernetes", trust: TrustInternal},
	{kw: "k8s", trust: TrustInternal},
	{kw: "cloud", trust: TrustInternal},
	{kw: "aws", trust: TrustInternal},
	{kw: "azure", trust: TrustInternal},
	{kw: "gcp", trust: TrustInternal},
	{kw: "account", trust: TrustInternal},
	{kw: "subscription", trust: TrustInternal},
	{kw: "project", trust: TrustInternal},
	{kw: "tenant", trust: TrustInternal},
	{kw: "production", trust: TrustInternal},
	{kw: "prod", trust: TrustInternal},
	{kw: "staging", trust: TrustInternal},
	{kw: "developers", trust: TrustInternal},
}

// zoneIDPrefix matches an identifier written before the name: "TB-2:",
// "TB2 -", "Zone 3:", "Trust Boundary 1.", "B1)", "2:".
var zoneIDPrefix = lazyRegexp(`(?i)^\s*(?:(?:tb|trust\s*boundary|boundary|zone|z|b)\s*[-#]?\s*\d+[a-z]?|\d+[a-z]?)\s*[:.)\-–—]\s*`)

// crossingArrow splits "A -> B", "A → B", "A => B".
var crossingArrow = lazyRegexp(`\s*(?:-+>>?|=+>|→|⟶|➔|➜|⇒|⇨|>>)\s*`)

// crossingTo splits "A to B" and "A into B" (only when both sides name a zone).
var crossingTo = lazyRegexp(`(?i)\s+(?:to|into)\s+`)

// qualifierStart finds where a label's main phrase ends.
var qualifierStart = lazyRegexp(`\s[-–—|/]\s|[(\[{:,;]`)

// zoneReading is the outcome of reading a boundary label.
type zoneReading struct {
	trust  int
	reason string
}

// readZoneLabel decides the trust level a boundary label states, with the
// reason. ok is false when the label says nothing about trust.
func readZoneLabel(label string) (zoneReading, bool) {
	text := strings.TrimSpace(strings.ReplaceAll(oneLine(label), "\u00a0", " "))
	if text == "" {
		return zoneReading{}, false
	}
	idNote := ""
	if m := zoneIDPrefix().FindString(text); m != "" && len(m) < len(text) {
		idNote = "; " + strconv.Quote(strings.TrimSpace(m)) + " read as an identifier"
		text = text[len(m):]
	}
	if side, ok := crossingSide(text); ok {
		r, ok := readZonePhrase(side)
		if ok {
			r.reason = "label names a crossing; the boundary is its destination side " + strconv.Quote(side) + ", " + r.reason + idNote
			return r, true
		}
	}
	r, ok := readZonePhrase(text)
	if ok {
		r.reason += idNote
	}
	return r, ok
}

// crossingSide returns the destination side of a label that names a
// crossing between two zones.
func crossingSide(text string) (string, bool) {
	if parts := crossingArrow().Split(text, -1); len(parts) > 1 {
		last := strings.TrimSpace(parts[len(parts)-1])
		if last != "" {
			return last, true
		}
	}
	if parts := crossingTo().Split(text, -1); len(parts) == 2 {
		from, to := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
		if _, ok := readZonePhrase(from); ok {
			if _, ok := readZonePhrase(to); ok {
				return to, true
			}
		}
	}
	return "", false
}

// zoneHit is one vocabulary word found in a label: where it ends, in words.
type zoneHit struct {
	w   *zoneWord
	end int
	len int
}

// readZonePhrase reads one side of a label: explicit trust words first,
// then the head noun of the main phrase, then the qualifiers.
func readZonePhrase(text string) (zoneReading, bool) {
	main, qual := text, ""
	if loc := qualifierStart().FindStringIndex(text); loc != nil && loc[0] > 0 {
		main, qual = text[:loc[0]], text[loc[0]:]
	}
	all := zoneHits(newWords(text))
	for _, h := range all {
		if h.w.explicit {
			return zoneReading{h.w.trust, "label states " + strconv.Quote(h.w.kw) + " (" + TrustName(h.w.trust) + ")"}, true
		}
	}
	if h, ok := headHit(zoneHits(newWords(main))); ok {
		return zoneReading{h.w.trust, "head noun " + strconv.Quote(h.w.kw) + " of the label (" + TrustName(h.w.trust) + ")"}, true
	}
	if h, ok := headHit(zoneHits(newWords(qual))); ok {
		return zoneReading{h.w.trust, "qualifier " + strconv.Quote(h.w.kw) + " in the label (" + TrustName(h.w.trust) + ")"}, true
	}
	return zoneReading{}, false
}

// headHit picks the head noun: the word that ends last (the longer phrase
// when two end together).
func headHit(hits []zoneHit) (zoneHit, bool) {
	var best zoneHit
	for _, h := range hits {
		if best.w == nil || h.end > best.end || (h.end == best.end && h.len > best.len) {
			best = h
		}
	}
	return best, best.w != nil
}

// zoneHits lists every vocabulary entry found in w, with where it ends.
// A word already covered by a matched phrase is not matched again alone
// ("public subnet" is not also "public").
func zoneHits(w words) []zoneHit {
	var hits []zoneHit
	covered := make([]bool, len(w.toks))
	vocabParts := zoneVocabularyParts()
	for i := range zoneVocabulary {
		e := &zoneVocabulary[i]
		parts := vocabParts[i]
		for at := 0; at+len(parts) <= len(w.toks); at++ {
			if !tokensMatch(w.toks[at:at+len(parts)], parts) || anyCovered(covered[at:at+len(parts)]) {
				continue
			}
			for k := at; k < at+len(parts); k++ {
				covered[k] = len(parts) > 1
			}
			hits = append(hits, zoneHit{w: e, end: at + len(parts), len: len(parts)})
		}
	}
	return hits
}

// zoneVocabularyParts are the words of each zoneVocabulary entry, split
// once rather than on every boundary label read.
var zoneVocabularyParts = sync.OnceValue(func() [][]string {
	out := make([][]string, len(zoneVocabulary))
	for i := range zoneVocabulary {
		out[i] = strings.Fields(zoneVocabulary[i].kw)
	}
	return out
})

// tokensMatch compares label tokens with a keyword's words; the last word
// may carry a plural "s".
func tokensMatch(toks, kws []string) bool {
	for i, k := range kws {
		t := toks[i]
		if t == k {
			continue
		}
		if i == len(kws)-1 && len(t) == len(k)+1 && t[len(k)] == 's' && t[:len(k)] == k {
			continue
		}
		return false
	}
	return true
}

func anyCovered(c []bool) bool {
	for _, x := range c {
		if x {
			return true
		}
	}
	return false
}
