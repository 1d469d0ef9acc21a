package stride

import (
	"strings"
	"sync"
)

// Words that name data in one sense and something else in another. The
// sensitivity keywords (facts.go) and the data domains (datainfer.go) read
// "health" as health data, "card" as card data, "token" as a credential;
// but a "health check" is a probe of a service, a "card layout" a piece of
// a page and a "token bucket" a rate limiter. Read without their context,
// such words give a diagram regulated data it does not hold, and with it
// Critical impacts, compliance questions and rules about PHI on hops that
// carry probes. Each false sense below says which words it takes away from
// the data reading, and when: always (a word that is never data, such as
// "healthz" or "tokenizer"), or when the same text has a word of the
// operational sense and none of the data sense ("kubelet health, status"
// is operational; "patient health status" is health data).

// falseSense is one operational reading of data words.
type falseSense struct {
	// drop are the tokens taken away from the data reading: exact tokens
	// (with their plural) or prefixes ending in '*'.
	drop *kwList
	// when: words that select the operational sense; nil when drop is
	// never data.
	when *kwList
	// unless: words that keep the data sense even with when.
	unless *kwList
}

// medicalContext keeps "health" and "diagnostic" as health data.
var medicalContext = kw("patient*", "medical", "clinical", "clinic*", "hospital*", "care", "healthcare", "record*", "insurance",
	"ehr", "emr", "fhir", "hl7", "phi", "hipaa", "condition*", "diagnosis", "diagnoses", "treatment*", "prescription*",
	"health data", "health information", "imaging", "lab", "labs", "wellness", "symptom*", "vital*")

// cardContext keeps "card" as card data.
var cardContext = kw("credit", "debit", "payment*", "pay", "number*", "pan", "cvv", "cvc", "holder*", "cardholder*", "pci",
	"checkout", "charge*", "issuer*", "acquir*", "expiry", "expiration", "bin", "3ds", "3d secure", "gift")

// credentialContext keeps "token", "session" and "cookie" as credentials.
var credentialContext = kw("api", "access", "auth*", "bearer", "jwt", "refresh", "id token", "oauth*", "oidc", "secret*",
	"credential*", "password*", "login", "sign in", "signin", "csrf", "hijack*", "steal*", "stolen")

var falseSenses = []falseSense{
	// Liveness and readiness endpoints and probes are never data.
	{drop: kw("healthz", "healthcheck*", "healthy", "unhealthy", "livez", "readyz")},
	// "health check", "/health endpoint", "kubelet health, status":
	// the state of a service, not of a person.
	{drop: kw("health"), when: kw("check*", "probe*", "status*", "liveness", "readiness", "heartbeat*", "ping*", "uptime",
		"monitor*", "alive", "endpoint*", "kubelet", "node", "nodes", "pod", "pods", "cluster*", "service health", "system health",
		"server health", "metrics"), unless: medicalContext},
	// Device and service diagnostics are their own state, not a diagnosis.
	{drop: kw("diagnostic", "diagnostics"), when: nil, unless: medicalContext},
	// A card in a page layout, a game, a device slot or a board.
	{drop: kw("card"), when: kw("layout*", "view*", "component*", "ui", "widget*", "game*", "deck*", "sd", "microsd", "sim",
		"esim", "graphics", "network", "nic", "video", "sound", "kanban", "trello", "flash", "board*", "dashboard*", "scorecard",
		"report", "business", "flip", "swipe", "carousel"), unless: cardContext},
	// Text tokens of a language model and rate limiters' token buckets.
	{drop: kw("tokenizer*", "tokeniser*")},
	{drop: kw("token"), when: kw("bucket*", "llm*", "prompt*", "completion*", "embedding*", "context window", "per second",
		"per minute", "count", "counts", "counting", "counter*", "usage", "quota*", "rate limit*", "throttl*"), unless: credentialContext},
	// Load balancers' sticky sessions and cookie banners are settings.
	{drop: kw("session"), when: kw("sticky", "affinity", "persistence"), unless: credentialContext},
	{drop: kw("cookie*"), when: kw("consent", "banner*", "policy", "notice"), unless: credentialContext},
	// A secretary is a person; a profiler measures code.
	{drop: kw("secretar*", "profiler*", "profiling")},
	// Transactional email and outboxes, database transaction logs.
	{drop: kw("transactional")},
	{drop: kw("transaction*"), when: kw("wal", "write ahead", "isolation level*", "commit*", "rollback*", "two phase",
		"distributed transaction*"), unless: kw("payment*", "card", "bank*", "money", "financial", "merchant*", "ledger")},
	// A status page reports uptime, whatever service it names.
	{drop: kw("payment*", "billing", "checkout", "health", "card", "transaction*"), when: kw("status page*", "statuspage", "uptime",
		"incident*"), unless: kw("pii", "phi", "pci", "cardholder", "patient*", "customer data")},
	// Cloud and service accounts are identities of software, not bank
	// accounts.
	{drop: kw("account"), when: kw("service account*", "storage account*", "cloud account*", "aws account*", "gcp account*",
		"azure account*", "iam", "system account*", "bot account*", "machine account*"), unless: kw("bank*", "customer*",
		"balance*", "ledger", "deposit*", "savings", "checking account")},
}

// falseSenseWords are every false sense's drop words: most texts have
// none, and are read as they are.
var falseSenseWords = sync.OnceValue(func() *kwList {
	var all []string
	for _, fs := range falseSenses {
		all = append(all, fs.drop.kws...)
	}
	return kw(all...)
})

// dataWords returns the words of texts for reading data classes: the
// words of their false senses taken away (see falseSenses).
func dataWords(texts ...string) words {
	w := newWords(texts...)
	return w.withoutFalseSenses()
}

// withoutFalseSenses returns w without the tokens its false senses take
// from the data reading; w itself when none applies.
func (w words) withoutFalseSenses() words {
	if w.first(falseSenseWords()) == "" {
		return w
	}
	var drop []*kwList
	for i := range falseSenses {
		fs := &falseSenses[i]
		if w.first(fs.drop) == "" {
			continue
		}
		if fs.when != nil && w.first(fs.when) == "" {
			continue
		}
		if fs.unless != nil && w.first(fs.unless) != "" {
			continue
		}
		drop = append(drop, fs.drop)
	}
	if len(drop) == 0 {
		return w
	}
	keep := make([]string, 0, len(w.toks))
	for _, t := range w.toks {
		one := words{toks: []string{t}, joined: " " + t + " "}
		dropped := false
		for _, d := range drop {
			if one.first(d) != "" {
				dropped = true
				break
			}
		}
		if !dropped {
			keep = append(keep, t)
		}
	}
	return newWords(strings.Join(keep, " "))
}
