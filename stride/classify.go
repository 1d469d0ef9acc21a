package stride

import (
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// Trust levels of a zone, from least to most trusted.
const (
	TrustUntrusted  = 0
	TrustDMZ        = 1
	TrustInternal   = 2
	TrustRestricted = 3
	TrustData       = 4
)

var trustNames = [...]string{"untrusted", "dmz", "internal", "restricted", "data"}

// TrustName returns the name of trust level t ("untrusted" .. "data").
func TrustName(t int) string {
	if t < 0 || t >= len(trustNames) {
		return "unknown"
	}
	return trustNames[t]
}

// ParseTrust reads a trust level written as a number 0-4 or a name
// (untrusted/internet/public, dmz/edge, internal/private, restricted, data).
func ParseTrust(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if n, err := strconv.Atoi(s); err == nil {
		if n >= 0 && n <= 4 {
			return n, true
		}
		return 0, false
	}
	switch s {
	case "untrusted", "internet", "public", "external", "0-untrusted":
		return TrustUntrusted, true
	case "dmz", "edge", "perimeter":
		return TrustDMZ, true
	case "internal", "private", "trusted", "app", "application":
		return TrustInternal, true
	case "restricted", "management", "privileged":
		return TrustRestricted, true
	case "data", "data-tier", "data tier", "datatier":
		return TrustData, true
	}
	return 0, false
}

type boundaryInfo struct {
	b         *graph.Boundary
	trust     int
	reason    string
	defaulted bool // top-level boundary with no keyword and no attribute
	// w is the label's words once words has tokenised it.
	w *words
}

// words returns the words of the boundary's label, tokenised on first use:
// every component asks of each boundary around it whether it names an
// isolation partition or an isolated network. Not safe for concurrent
// first use (the stages that ask run on one goroutine).
func (bi *boundaryInfo) words() words {
	if bi.w == nil {
		w := newWords(authorLabel(bi.b))
		bi.w = &w
	}
	return *bi.w
}

// classifyBoundaries decides every boundary's trust level, parents first.
func classifyBoundaries(d *graph.Diagram, cfg *Config) map[string]*boundaryInfo {
	out := make(map[string]*boundaryInfo, len(d.Boundaries))
	var visit func(b *graph.Boundary, depth int) *boundaryInfo
	visit = func(b *graph.Boundary, depth int) *boundaryInfo {
		if bi := out[b.ID]; bi != nil {
			return bi
		}
		bi := &boundaryInfo{b: b}
		out[b.ID] = bi // guards against parent cycles
		if bc := cfg.boundary(b); bc != nil && bc.Trust != nil {
			bi.trust, bi.reason = int(*bc.Trust), "set in the configuration file"
			return bi
		}
		for _, k := range []string{"trust", "trust_level", "trustlevel", "zone"} {
			if v, ok := b.Attributes[k]; ok {
				if t, ok := ParseTrust(v); ok {
					bi.trust, bi.reason = t, "attribute "+k+"="+strconv.Quote(v)
					return bi
				}
			}
		}
		if r, ok := readZoneLabel(authorLabel(b)); ok {
			bi.trust, bi.reason = r.trust, r.reason
			return bi
		}
		if p := d.Boundary(b.Parent); p != nil && p != b && depth < 1000 {
			pi := visit(p, depth+1)
			bi.trust = pi.trust
			bi.reason = "no trust keyword in the label; inherits " + TrustName(pi.trust) + " from the enclosing boundary " + strconv.Quote(oneLine(p.Label))
			return bi
		}
		bi.trust, bi.defaulted = TrustInternal, true
		bi.reason = "no trust attribute or keyword; a top-level boundary defaults to internal"
		return bi
	}
	for _, b := range d.Boundaries {
		visit(b, 0)
	}
	return out
}

// Component-kind evidence, most specific first.
var (
	// partialRectangle is draw.io's DFD data store (two horizontal lines).
	storeShapes    = kw("cylinder*", "cyl", "datastore", "database", "data store", "stored data", "dcylinder", "internal storage", "partialrectangle")
	externalShapes = kw("actor", "umlactor", "person", "stadium", "user", "users", "oval")
	processShapes  = kw("circle", "doublecircle", "process", "hexagon")

	// Cloud provider icons (draw.io mxgraph.aws4/azure/gcp2 names).
	iconStores = kw(
		"rds", "aurora", "dynamodb", "dynamo db", "s3", "simple storage service", "bucket", "elasticache",
		"elastic cache", "redshift", "documentdb", "neptune", "memorydb", "efs", "glacier", "sqs",
		"simple queue service", "sns", "simple notification service", "kinesis", "msk", "cosmos*",
		"blob*", "storage account*", "service bus", "event hub*", "sql database", "sql server",
		"cache redis", "redis", "pub sub", "pubsub", "cloud sql", "cloud storage", "bigtable",
		"spanner", "firestore", "bigquery", "key vault", "secrets manager", "queue*", "topic*",
		"database*", "storage", "table storage", "data lake*",
	)
	iconProcesses = kw(
		"lambda", "ec2", "ecs", "eks", "fargate", "app service*", "function*", "cloud run",
		"app engine", "compute engine", "gke", "aks", "virtual machine*", "container*",
		"api gateway", "api management", "elastic load balancing", "load balancer", "elb", "alb", "nlb",
		"cloudfront", "application gateway", "front door", "waf", "instance*", "step functions",
		"batch", "cognito", "kubernetes",
	)
	iconExternals = kw("users", "user", "client", "mobile client", "traditional server", "internet", "customer")

	// Labels naming third-party SaaS run by someone else.
	saasNames = kw(
		"stripe", "paypal", "adyen", "braintree", "worldpay", "klarna", "plaid", "checkout com",
		"sendgrid", "mailgun", "mailchimp", "postmark", "twilio", "ses", "amazon ses", "sparkpost",
		"okta", "auth0", "azure ad", "entra", "onelogin", "ping identity", "keycloak cloud",
		"google identity", "salesforce", "slack", "zendesk", "segment", "google analytics",
		"github", "pagerduty", "datadog", "sentry", "docusign", "zoom", "hubspot", "intercom",
	)
	// Nouns that make a SaaS-named label our own code ("Stripe Webhook Handler").
	ownCodeNouns = kw("handler", "adapter", "connector", "worker", "consumer", "listener", "sync", "integration", "proxy", "bridge")

	externalDevice = kw("browser", "web browser", "mobile app", "mobile client", "mobile device", "end user*", "iot device*")

	processNouns = kw(
		"service", "svc", "server", "api", "app", "application", "worker", "gateway", "function",
		"lambda", "backend", "handler", "engine", "processor", "daemon", "job", "portal",
		"frontend", "ui", "website", "webapp", "proxy", "cdn", "waf", "load balancer", "lb", "ingress",
		"bff", "scheduler", "adapter", "connector", "consumer", "producer", "listener",
		"microservice*", "controller", "orchestrator", "bot", "cron", "pipeline", "etl", "ec2",
		"container", "pod", "vm", "backoffice", "dashboard", "cli", "agent", "relay", "console",
		// Operating-system and firmware code: a "TEE Driver" is a
		// kernel driver, not someone who drives.
		"kernel", "tee driver", "kernel driver", "device driver", "kernel module", "hypervisor",
	)
	storeWords = kw(
		"database", "db", "postgres*", "mysql", "mariadb", "mongo*", "oracle", "sql", "mssql",
		"sqlite", "dynamo*", "cassandra", "couchdb", "cache", "redis", "memcache*", "bucket", "s3",
		"blob*", "queue", "kafka", "topic", "sqs", "sns", "rabbitmq", "pub sub", "pubsub", "vault",
		"storage", "store", "datastore", "data lake", "warehouse", "elasticsearch", "opensearch",
		"file share", "nfs", "ledger", "log", "audit log", "registry", "keystore", "hsm",
		"rds", "aurora", "cosmos*", "elasticache", "firestore", "bigquery", "snowflake",
		"repository", "archive", "backup*", "stream", "kinesis", "event hub*", "service bus",
	)
	externalWords = kw(
		"user", "browser", "client", "customer", "patient", "clinician", "doctor", "nurse",
		"physician", "partner", "operator", "employee", "staff", "member", "visitor", "guest",
		"attacker", "third party", "vendor", "supplier", "merchant", "person", "people", "actor",
		"administrator", "admin", "student", "teacher", "citizen", "buyer", "seller", "driver",
		"rider", "subscriber", "consumer app", "external", "bank", "payer", "insurer",
		"regulator", "auditor", "device",
	)
	humanWords = kw(
		"user", "customer", "patient", "clinician", "doctor", "nurse", "physician", "operator",
		"employee", "staff", "member", "visitor", "guest", "person", "people", "actor",
		"administrator", "admin", "student", "teacher", "citizen", "buyer", "seller", "driver",
		"rider", "subscriber", "browser", "mobile app", "end user*", "support agent", "agent",
	)
)

type kindDecision struct {
	kind      graph.Kind
	reason    string
	confident bool
	// stated: the configuration or an attribute sets the kind, which no
	// reading of the words overrides.
	stated bool
}

// classifyComponent decides a component's kind and records why. trusted
// says the component sits inside a boundary of internal trust or more: a
// role-named client there ("Admin Console" in the app tier) is server-side
// software, not a person's device.
func classifyComponent(c *graph.Component, cc *ComponentConfig, trusted bool) kindDecision {
	if cc != nil && cc.Kind != "" {
		return kindDecision{graph.Kind(cc.Kind), "set in the configuration file", true, true}
	}
	for _, k := range []string{"type", "kind", "dfd", "element"} {
		if v, ok := c.Attributes[k]; ok {
			if kd, ok := graph.ParseKind(v); ok {
				return kindDecision{kd, "attribute " + k + "=" + strconv.Quote(v), true, true}
			}
		}
	}
	if v, ok := c.Attributes["class"]; ok {
		for _, cl := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
			if kd, ok := graph.ParseKind(cl); ok {
				return kindDecision{kd, "class " + strconv.Quote(cl), true, true}
			}
		}
	}
	if c.Kind != graph.KindUnknown {
		return kindDecision{c.Kind, statedKindReason(c), true, false}
	}
	// A person's role in the label beats a generic shape (a Mermaid circle
	// labelled "Patient"), never a specific one (cylinder, actor, icons).
	if p, ok := readPerson(c.Label); ok && genericShape(c.Shape) && (p.Device == "" || !trusted) {
		return kindDecision{graph.KindExternal, personReason(p, c.Shape), true, false}
	}
	// A partner's or vendor's system drawn outside the trusted zones is a
	// third party, even when its label names software ("Partner API").
	if k := newWords(c.Label).first(thirdPartyWords); k != "" && !trusted && genericShape(c.Shape) {
		return kindDecision{graph.KindExternal, "label names a third party " + strconv.Quote(k) + " outside the trusted zones", true, false}
	}
	if kd, why := classifyShape(c); kd != graph.KindUnknown {
		// A generic outline (an oval, a stadium) is weak evidence: a
		// label whose head noun names server-side software ("Config
		// service", "Placement Driver") is a process.
		if hk, hwhy := headKind(c.Label); kd == graph.KindExternal && hk == graph.KindProcess && genericShape(c.Shape) {
			return kindDecision{hk, hwhy + ", which outweighs " + why, true, false}
		}
		return kindDecision{kd, why, true, false}
	}
	return classifyLabel(c.Label)
}

// thirdPartyWords name systems someone else runs.
var thirdPartyWords = kw("partner", "partners", "third party", "3rd party", "vendor", "supplier", "bank", "insurer",
	"regulator", "government", "upstream provider")

// genericShape reports whether a shape says nothing specific about an
// element (boxes, circles, ovals, hexagons, stadiums): a label that names a
// person overrides it.
func genericShape(shape string) bool {
	switch strings.ToLower(strings.TrimSpace(shape)) {
	case "", "rect", "rectangle", "box", "square", "round", "rounded", "circle", "doublecircle", "ellipse",
		"oval", "hexagon", "stadium", "process", "label", "text", "plaintext", "none":
		return true
	}
	return false
}

func classifyShape(c *graph.Component) (graph.Kind, string) {
	shape := strings.ToLower(strings.TrimSpace(c.Shape))
	icon := ""
	if i := strings.Index(strings.ToLower(c.Style), "resicon="); i >= 0 {
		icon = c.Style[i+len("resicon="):]
		if j := strings.IndexByte(icon, ';'); j >= 0 {
			icon = icon[:j]
		}
	}
	if strings.Contains(shape, "mxgraph.") || icon != "" {
		w2 := newWords(strings.NewReplacer("mxgraph.", " ", "aws4.", " ", "azure.", " ", "gcp2.", " ", "_", " ", ".", " ").Replace(strings.ToLower(shape + " " + icon)))
		if k := w2.first(iconStores); k != "" {
			return graph.KindDataStore, "cloud icon " + strconv.Quote(firstNonEmpty(icon, c.Shape)) + " (" + k + ") is a data store"
		}
		if k := w2.first(iconProcesses); k != "" {
			return graph.KindProcess, "cloud icon " + strconv.Quote(firstNonEmpty(icon, c.Shape)) + " (" + k + ") is a process"
		}
		if k := w2.first(iconExternals); k != "" {
			return graph.KindExternal, "cloud icon " + strconv.Quote(firstNonEmpty(icon, c.Shape)) + " (" + k + ") is an external entity"
		}
	}
	if shape == "" {
		return graph.KindUnknown, ""
	}
	w := newWords(shape)
	if shape == "oval" {
		// DOT: "oval" is chosen on purpose (the Graphviz default is spelt
		// "ellipse"), and the DFD convention threatmap documents is
		// ovals for external entities. "ellipse" carries no meaning.
		return graph.KindExternal, `shape "oval" (external entity)`
	}
	if k := w.first(storeShapes); k != "" {
		return graph.KindDataStore, "shape " + strconv.Quote(c.Shape) + " (data store)"
	}
	if k := w.first(externalShapes); k != "" {
		return graph.KindExternal, "shape " + strconv.Quote(c.Shape) + " (external entity)"
	}
	if k := w.first(processShapes); k != "" {
		return graph.KindProcess, "shape " + strconv.Quote(c.Shape) + " (process)"
	}
	return graph.KindUnknown, ""
}

// classifyLabel reads a kind from the label's words. Where the head noun
// names a kind (headKind) and the first kind word found elsewhere in the
// label names another ("Job queue", "Queue CM", "Placement Driver"), the
// head noun decides; where both agree the first word's reason stands,
// unless it was a default.
func classifyLabel(label string) kindDecision {
	kd := classifyWords(label)
	hk, why := headKind(label)
	switch {
	case hk == graph.KindUnknown || newWords(label).first(saasNames) != "":
	case hk != kd.kind:
		return kindDecision{hk, why + " (not " + kd.reason + ")", true, false}
	case !kd.confident || headOf(label).first(resourceHeads) != "":
		// the same kind, for the head noun's reason rather than a
		// default or a word in the resource list
		return kindDecision{hk, why, true, false}
	}
	return kd
}

// classifyWords reads a kind from the first kind word of the label.
func classifyWords(label string) kindDecision {
	w := newWords(label)
	if k := w.first(saasNames); k != "" && w.first(ownCodeNouns) == "" {
		return kindDecision{graph.KindExternal, "label names third-party service " + strconv.Quote(k), true, false}
	}
	if k := w.first(externalDevice); k != "" {
		return kindDecision{graph.KindExternal, "label names a client device " + strconv.Quote(k), true, false}
	}
	if k := w.first(processNouns); k != "" {
		return kindDecision{graph.KindProcess, "label contains process word " + strconv.Quote(k), true, false}
	}
	if k := w.first(storeWords); k != "" {
		return kindDecision{graph.KindDataStore, "label contains data-store word " + strconv.Quote(k), true, false}
	}
	if k := w.first(identityFunctionWords); k != "" {
		return kindDecision{graph.KindProcess, "label names an identity function " + strconv.Quote(k), true, false}
	}
	if k := w.first(externalWords); k != "" {
		return kindDecision{graph.KindExternal, "label contains external-entity word " + strconv.Quote(k), true, false}
	}
	return kindDecision{graph.KindProcess, "no attribute, shape or keyword; defaulted to process", false, false}
}

// identityFunctionWords name what authenticates people ("User
// Authentication", "Customer Sign-in"): a process, even when the label
// also names whom it serves. Checked after the data-store words, so an
// "Authentication DB" stays a store.
var identityFunctionWords = kw("authentication", "authn", "sign in", "signin", "single sign on", "sso", "login")

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
