package catalog

// Kind is what a technology is on a data-flow diagram.
type Kind string

// Kinds, as the STRIDE pass models elements.
const (
	// KindExternal is outside the system's control: a SaaS API, a
	// person's browser or phone, a device in the field.
	KindExternal Kind = "external"
	// KindProcess runs code: a service, a proxy, a control plane.
	KindProcess Kind = "process"
	// KindDatastore holds data at rest: databases, caches, queues, buckets.
	KindDatastore Kind = "datastore"
)

// Kinds lists every valid Kind in a fixed order.
var Kinds = []Kind{KindExternal, KindProcess, KindDatastore}

// Role is what a technology does for the system. The vocabulary is fixed
// (see Roles); the data file is checked against it.
type Role string

// Roles. Each names what the rule families of the analysis key on.
const (
	RoleDatabase          Role = "database"
	RoleCache             Role = "cache"
	RoleMessageBroker     Role = "message-broker"
	RoleObjectStorage     Role = "object-storage"
	RoleFileStorage       Role = "file-storage"
	RoleDataWarehouse     Role = "data-warehouse"
	RoleSearch            Role = "search"
	RoleVectorDatabase    Role = "vector-database"
	RoleIdentityProvider  Role = "identity-provider"
	RoleDirectory         Role = "directory"
	RolePayment           Role = "payment"
	RoleNotification      Role = "notification"
	RoleLogging           Role = "logging"
	RoleMonitoring        Role = "monitoring"
	RoleSIEM              Role = "siem"
	RoleSecretsManager    Role = "secrets-manager"
	RoleKeyManagement     Role = "key-management"
	RoleCDN               Role = "cdn"
	RoleWAF               Role = "waf"
	RoleLoadBalancer      Role = "load-balancer"
	RoleAPIGateway        Role = "api-gateway"
	RoleReverseProxy      Role = "reverse-proxy"
	RoleWebServer         Role = "web-server"
	RoleDNS               Role = "dns"
	RoleVPN               Role = "vpn"
	RoleFirewall          Role = "firewall"
	RoleDDoSProtection    Role = "ddos-protection"
	RoleBastion           Role = "bastion"
	RoleCICD              Role = "ci-cd"
	RoleSourceRepository  Role = "source-repository"
	RoleArtifactRegistry  Role = "artifact-registry"
	RoleControlPlane      Role = "orchestrator-control-plane"
	RoleNodeAgent         Role = "orchestrator-node-agent"
	RoleStateStore        Role = "orchestrator-state-store"
	RoleOrchestrator      Role = "orchestrator"
	RoleIngressController Role = "ingress-controller"
	RoleServiceMesh       Role = "service-mesh"
	RoleContainerRuntime  Role = "container-runtime"
	RoleCompute           Role = "compute"
	RoleServerless        Role = "serverless-function"
	RoleWorkflow          Role = "workflow"
	RoleIoTDevice         Role = "iot-device"
	RoleIoTGateway        Role = "iot-gateway"
	RoleIoTPlatform       Role = "iot-platform"
	RoleMLPlatform        Role = "ml-platform"
	RoleModelServing      Role = "model-serving"
	RoleModelRegistry     Role = "model-registry"
	RoleLLMAPI            Role = "llm-api"
	RoleBrowser           Role = "browser"
	RoleMobileApp         Role = "mobile-app"
	RoleDesktopApp        Role = "desktop-app"
	RoleDataPipeline      Role = "data-pipeline"
	RoleAnalytics         Role = "analytics"
	RoleSecurityScanner   Role = "security-scanner"
	RoleStaticHosting     Role = "static-hosting"
	RoleAIService         Role = "ai-service"
	RoleGuardrail         Role = "ai-guardrail"
	// RolePartitionManager keeps isolation partitions apart and
	// mediates what passes between them: a hypervisor, a secure
	// partition manager, a secure monitor, a TEE OS core.
	RolePartitionManager Role = "partition-manager"
)

// RoleInfo describes a role for documentation.
type RoleInfo struct {
	Role        Role
	Description string
}

// Roles lists every valid Role with a one-line description, in a fixed order.
var Roles = []RoleInfo{
	{RoleDatabase, "holds the system's records (SQL, document, key-value, graph, time series)"},
	{RoleCache, "keeps copies of data for speed; often holds sessions and tokens"},
	{RoleMessageBroker, "queue, topic or stream between producers and consumers"},
	{RoleObjectStorage, "bucket or blob store"},
	{RoleFileStorage, "shared file system or block volume"},
	{RoleDataWarehouse, "analytical store or data lake"},
	{RoleSearch, "search index"},
	{RoleVectorDatabase, "stores embeddings for retrieval (RAG)"},
	{RoleIdentityProvider, "authenticates people or services and issues tokens"},
	{RoleDirectory, "directory of accounts and groups (LDAP, Active Directory)"},
	{RolePayment, "takes card payments; calls back with webhooks"},
	{RoleNotification, "sends email, SMS or push messages"},
	{RoleLogging, "collects and keeps logs"},
	{RoleMonitoring, "collects metrics, traces or errors and alerts"},
	{RoleSIEM, "security event analytics and alerting"},
	{RoleSecretsManager, "stores and hands out secrets"},
	{RoleKeyManagement, "holds encryption keys (KMS, HSM) or issues certificates"},
	{RoleCDN, "edge cache in front of the origin"},
	{RoleWAF, "filters web requests"},
	{RoleLoadBalancer, "spreads traffic across instances"},
	{RoleAPIGateway, "single entry point for APIs; can authenticate and rate-limit"},
	{RoleReverseProxy, "terminates and forwards HTTP"},
	{RoleWebServer, "serves HTTP, static or application"},
	{RoleDNS, "resolves names"},
	{RoleVPN, "encrypted tunnel into a private network"},
	{RoleFirewall, "filters network traffic"},
	{RoleDDoSProtection, "absorbs volumetric attacks"},
	{RoleBastion, "jump host for administrative access"},
	{RoleCICD, "builds, tests and deploys code"},
	{RoleSourceRepository, "holds source code"},
	{RoleArtifactRegistry, "holds build artifacts, packages or container images"},
	{RoleControlPlane, "orchestrator control plane (API server, scheduler, controllers)"},
	{RoleNodeAgent, "orchestrator agent on each node (kubelet, kube-proxy)"},
	{RoleStateStore, "orchestrator state store (etcd)"},
	{RoleOrchestrator, "container orchestrator as a whole or a managed cluster"},
	{RoleIngressController, "routes external traffic into a cluster"},
	{RoleServiceMesh, "sidecar or node proxies between services (mTLS, policy)"},
	{RoleContainerRuntime, "runs containers on a host"},
	{RoleCompute, "virtual machines or container hosting"},
	{RoleServerless, "function as a service"},
	{RoleWorkflow, "orchestrates steps, schedules or integrations"},
	{RoleIoTDevice, "device in the field: sensor, controller, camera"},
	{RoleIoTGateway, "bridges devices to the network or cloud"},
	{RoleIoTPlatform, "device registry, messaging and management service"},
	{RoleMLPlatform, "trains and manages machine-learning models"},
	{RoleModelServing, "serves model predictions"},
	{RoleModelRegistry, "stores model versions and artifacts"},
	{RoleLLMAPI, "large language model or generative AI API"},
	{RoleBrowser, "web browser used by a person"},
	{RoleMobileApp, "app on a person's phone or tablet"},
	{RoleDesktopApp, "app on a person's computer"},
	{RoleDataPipeline, "moves or transforms data (ETL, streaming jobs)"},
	{RoleAnalytics, "analytics or business intelligence"},
	{RoleSecurityScanner, "security scanning or threat detection service"},
	{RoleStaticHosting, "serves a site's built files from a provider (pages services, static site hosting); not where the source is kept"},
	{RoleAIService, "managed AI API for vision, speech, translation, document or language analysis, or search; not a language model that follows instructions"},
	{RoleGuardrail, "filters prompts and model output (content moderation, prompt-injection detection): a control in front of a model, not a model"},
	{RolePartitionManager, "keeps partitions, worlds or guests apart and mediates their messages and memory sharing (hypervisor, secure partition manager, secure monitor, TEE OS core); holds keys, attestation state, every partition's state and the ownership of memory"},
}

// Auth is what a technology does about authentication out of the box.
type Auth string

// Authentication defaults.
const (
	// AuthUnknown: the catalog does not say.
	AuthUnknown Auth = ""
	// AuthNone: no authentication unless someone configures it.
	AuthNone Auth = "none"
	// AuthRequired: authentication cannot be turned off, or is on by
	// default.
	AuthRequired Auth = "required"
)

// TLS is whether a technology encrypts its connections out of the box.
type TLS string

// Transport encryption defaults.
const (
	TLSUnknown TLS = ""
	TLSOff     TLS = "off" // cleartext unless configured
	TLSOn      TLS = "on"  // encrypted by default or always
)

// Facts are the properties of a technology that change its threats.
type Facts struct {
	// AuthDefault: does it authenticate clients out of the box?
	AuthDefault Auth `yaml:"auth_default"`
	// TLSDefault: does it encrypt connections out of the box?
	TLSDefault TLS `yaml:"tls_default"`
	// HoldsSecrets: it stores credentials, keys or tokens of others
	// (etcd, Vault, a CI server, the Kubernetes API).
	HoldsSecrets bool `yaml:"holds_secrets"`
	// Privileged: whoever controls it controls other components
	// (a control plane, a CI/CD system deploying to production, an IdP).
	Privileged bool `yaml:"privileged"`
	// ExecutesCode: it runs code, jobs or queries supplied by others
	// (build runners, function platforms, notebooks).
	ExecutesCode bool `yaml:"executes_code"`
	// Edge: it is normally reachable from the internet (CDN, WAF, public
	// load balancer, DNS, SaaS APIs).
	Edge bool `yaml:"edge"`
	// PromptInjectable: it follows instructions found in the text it is
	// given (LLMs), so untrusted input can steer it.
	PromptInjectable bool `yaml:"prompt_injectable"`
	// AdminUI: it ships a web or API management interface that is a
	// target of its own.
	AdminUI bool `yaml:"admin_ui"`
	// Notes are other facts, one short sentence each.
	Notes []string `yaml:"notes"`
}

// Data classes a technology implies. The first six are the analysis's
// existing classes (stride.DataPHI ... stride.DataConfidential).
const (
	DataPHI          = "PHI"
	DataPII          = "PII"
	DataPCI          = "PCI"
	DataCredentials  = "credentials"
	DataFinancial    = "financial"
	DataConfidential = "confidential"
	DataTokens       = "tokens"        // session tokens, access/refresh tokens, tokenised cards
	DataSecrets      = "secrets"       // keys, passwords and certificates of other systems
	DataTenantConfig = "tenant-config" // sign-in policies, clients, redirect URIs, roles
	DataWebhooks     = "webhooks"      // callbacks the provider sends to the system
	DataLogged       = "logged-data"   // anything the system logs, sensitive or not
	DataTelemetry    = "telemetry"     // metrics, traces, device readings
	DataSourceCode   = "source-code"
	DataArtifacts    = "build-artifacts" // packages, images, deployable builds
	DataClusterState = "cluster-state"   // orchestrator objects, including Secrets
	DataPrompts      = "prompts"         // LLM prompts and completions
	DataModel        = "model"           // model weights and training data
	DataMessages     = "messages"        // message payloads in transit through a broker
)

// DataClasses lists every valid data class in a fixed order.
var DataClasses = []string{
	DataPHI, DataPII, DataPCI, DataCredentials, DataFinancial, DataConfidential,
	DataTokens, DataSecrets, DataTenantConfig, DataWebhooks, DataLogged, DataTelemetry,
	DataSourceCode, DataArtifacts, DataClusterState, DataPrompts, DataModel, DataMessages,
}

// Controls a technology can provide to what sits behind it. The names are
// the control ids of the rule library (mitigated_by / satisfied_by).
var Controls = []string{
	"api-gateway", "audit-logging", "authentication", "autoscaling", "backup",
	"block-public-access", "cdn", "ddos-protection", "egress-filtering",
	"encryption-at-rest", "hsm", "input-validation", "least-privilege", "mfa",
	"monitoring", "mtls", "network-isolation", "oauth", "private-endpoint",
	"rate-limiting", "rbac", "replication", "saml", "secrets-manager",
	"signed-messages", "tls", "token-validation", "versioning", "waf",
	"malware-scanning", "object-lock", "dlq", "pam", "hardware-isolation", "iam",
	"code-review", "replay-protection",
}

// Scope is where the analysis credits a control a technology provides.
type Scope string

// Scopes of a provided control. A control without a scope is offered to
// the systems that use the technology (a SIEM's monitoring, a VPN's
// isolation): the catalog cannot tell from a picture who relies on it, so
// the analysis does not credit it (edge protection by a WAF, CDN or API
// gateway is credited from the diagram's shape instead).
const (
	// ScopeOffered is a control offered to the technology's users; not
	// credited.
	ScopeOffered Scope = ""
	// ScopeSelf is enforcement built into the technology and always on,
	// protecting its own data and the requests made to it (a secure
	// partition manager checking its callers, an API that accepts only
	// signed requests, storage encrypted at rest): credited on the
	// component's own threats and on the flows into it. Never a control
	// the technology is for others (a WAF's filtering does not protect the
	// WAF).
	ScopeSelf Scope = "self"
	// ScopeOutbound is a property of what the technology sends (signed
	// metadata, requests signed with its own cloud identity): credited on
	// the flows out of it.
	ScopeOutbound Scope = "outbound"
	// ScopeContained is protection it gives to what runs inside it, drawn
	// as components inside its box (partitions a secure firmware
	// isolates): credited on those components and on the flows they start
	// or receive.
	ScopeContained Scope = "contained"
)

// Scopes lists every Scope a provided control may be credited to.
var Scopes = []Scope{ScopeSelf, ScopeOutbound, ScopeContained}

// Provided is a control a technology provides: a bare control id in the
// data file ("waf"), or a mapping with where it is credited and a note
// saying what the technology does, from its documentation.
type Provided struct {
	// Control is a control id of the rule library (see Controls).
	Control string `yaml:"control"`
	// To lists where the analysis credits it; empty for a control only
	// offered to users (ScopeOffered).
	To []Scope `yaml:"to"`
	// Note says in one line what the technology does that makes it the
	// control, as its documentation says it ("the SPM checks the client
	// ID of every non-secure request").
	Note string `yaml:"note"`
	// Toward, when set, limits an outbound credit to flows whose target
	// is a technology of that provider ("aws"): a controller signs its
	// cloud API calls with its cloud identity, not its other calls.
	Toward string `yaml:"toward"`
	// Carrying, when set, limits an outbound credit to flows whose label
	// names what it applies to: "tokens" (token, JWT, session, login),
	// so an identity provider's token signing is not credited on its
	// other traffic.
	Carrying string `yaml:"carrying"`
	// Default says whether a deployment has the control without anyone
	// turning it on: "always" (it cannot be turned off), "on" (on by
	// default and not commonly disabled), or "" (the product offers it
	// and deployments configure it). Only "always" and "on" let the
	// credit alone mitigate a threat; an offered control the diagram does
	// not show enabled leaves it Partial.
	Default string `yaml:"default"`
}

// Values of Provided.Default.
const (
	DefaultAlways = "always"
	DefaultOn     = "on"
)

// ByDefault reports whether a deployment has the control unless someone
// turns it off (Default "always" or "on").
func (p Provided) ByDefault() bool {
	return p.Default == DefaultAlways || p.Default == DefaultOn
}

// Carrying values of Provided.
const (
	CarryingTokens = "tokens"
)

// Credited reports whether the control is credited on scope sc.
func (p Provided) Credited(sc Scope) bool {
	for _, s := range p.To {
		if s == sc {
			return true
		}
	}
	return false
}

// Tech is one technology of the catalog.
type Tech struct {
	// ID is stable, lower-case, hyphenated: "postgresql", "aws-s3".
	ID string `yaml:"id"`
	// Name is the display name: "PostgreSQL", "Amazon S3".
	Name string `yaml:"name"`
	// Aliases are words or phrases that name it on a label, matched on
	// word boundaries, case-insensitively.
	Aliases []string `yaml:"aliases"`
	// Heads are role nouns ("repo", "pipeline", "registry") that say what
	// an element is when they end its name: on a generic entry, a head
	// after a named technology wins over that technology ("TF-A repo" is
	// a source repository that holds TF-A, not the firmware), unless the
	// technology's role is the entry's own or one of Heads.Unless (a
	// "Kafka pipeline" is a data pipeline on Kafka, not a CI/CD system).
	Heads Heads `yaml:"heads"`
	// Styles are draw.io style keys that draw it: a shape
	// ("mxgraph.aws4.rds"), a resource or product icon
	// ("mxgraph.aws4.lambda"), a shape with prIcon
	// ("mxgraph.kubernetes.icon;prIcon=etcd") or an image path
	// ("img/lib/azure2/databases/Azure_SQL.svg"). Case-insensitive.
	Styles []string `yaml:"styles"`
	// Kind is external, process or datastore.
	Kind Kind `yaml:"kind"`
	// Role is from the fixed vocabulary Roles.
	Role Role `yaml:"role"`
	// Provider is the cloud or vendor that runs it when managed: "aws",
	// "azure", "gcp", or a SaaS vendor's name; empty for self-hosted
	// software.
	Provider string `yaml:"provider"`
	// Managed is true for services a provider runs rather than the
	// system's owner: cloud services (RDS, S3, CloudWatch; Kind process or
	// datastore), which the analysis places in a provider zone, and SaaS
	// (Stripe, Okta, OpenAI; Kind external), which sit outside the system.
	Managed bool `yaml:"managed"`
	// Generic marks entries that name a category, not a product
	// ("message queue", "API gateway"). A named product wins over a
	// generic entry when both match.
	Generic bool `yaml:"generic"`
	// Facts change threats.
	Facts Facts `yaml:"facts"`
	// Data are data classes its presence implies (see DataClasses).
	Data []string `yaml:"data"`
	// Provides are the controls it gives: bare ids are offered to what
	// uses it (not credited); entries with a scope (Provided.To) are
	// credited by the analysis where the scope says.
	Provides []Provided `yaml:"provides"`
	// ProvidesWhenConfigured are controls it can give once configured
	// (an API gateway's authentication and rate limits).
	ProvidesWhenConfigured []string `yaml:"provides_when_configured"`
	// Hardening names the technology's own security controls as an
	// engineer would write them in a mitigation ("ACL users per service
	// (ACL SETUSER)", "row-level security policies", "restricted API
	// keys per service"), by what they address, so a rule's generic
	// mitigation can name the real control.
	Hardening Hardening `yaml:"hardening"`
	// Protocols it speaks, e.g. "PostgreSQL wire", "HTTPS", "MQTT".
	Protocols []string `yaml:"protocols"`
	// Ports it listens on by default.
	Ports []int `yaml:"ports"`
	// Refs are CWE and CAPEC ids a fact points at ("CWE-306").
	Refs []string `yaml:"refs"`
	// Sources names the vendor documentation the facts come from.
	Sources string `yaml:"sources"`
	// Group is the catalog section the entry is listed in.
	Group string `yaml:"-"`
	// Line is where the entry starts in the data file.
	Line int `yaml:"-"`

	col int             // column of the entry, for error messages
	set map[string]bool // fields the entry sets itself
}

// Heads are the role nouns of a generic entry (Tech.Heads).
type Heads struct {
	// Words are the head nouns, matched as whole words (plural "s"
	// allowed) that end a line of the label, or come before a bracket.
	Words []string `yaml:"words"`
	// Unless are the roles of technologies a head does not override:
	// platforms that hold or run such things themselves.
	Unless []Role `yaml:"unless"`
}

// ProvidedControls lists the ids of the controls it provides, in order.
func (t *Tech) ProvidedControls() []string {
	out := make([]string, len(t.Provides))
	for i, p := range t.Provides {
		out[i] = p.Control
	}
	return out
}

// Credits returns the controls it provides that are credited on scope sc.
func (t *Tech) Credits(sc Scope) []Provided {
	var out []Provided
	for _, p := range t.Provides {
		if p.Credited(sc) {
			out = append(out, p)
		}
	}
	return out
}

//go:generate go test -run TestGeneratedCatalog -generate

// defaultMatcher is the matcher over the built-in catalog: the entries
// and the index generated from technologies.yaml, all static data.
var defaultMatcher = &Matcher{techs: builtinTechs, idx: &builtinIndex}

// Default returns the matcher over the built-in catalog. The built-in
// catalog is technologies.yaml, parsed, checked and indexed when
// techs_gen.go was generated from it (go generate; TestGeneratedCatalog
// fails when the two differ), so a run reads no YAML and builds no index.
func Default() *Matcher { return defaultMatcher }

// Hardening is a technology's own security controls, by the concern each
// addresses. A rule's generic mitigation for that concern ("encrypt the
// connection", "least-privilege access") names them (stride.Env.Hardening).
type Hardening struct {
	// Transport: encryption and server authentication in transit
	// ("hostssl lines in pg_hba.conf and ssl = on").
	Transport []string `yaml:"transport"`
	// Auth: how clients and users authenticate ("ACL users per service").
	Auth []string `yaml:"auth"`
	// Access: authorisation and least privilege ("row-level security
	// policies", "Block Public Access on account and bucket").
	Access []string `yaml:"access"`
	// Network: who can reach it ("bind to private interfaces").
	Network []string `yaml:"network"`
	// Encryption: encryption at rest and key handling ("SSE-KMS").
	Encryption []string `yaml:"encryption"`
	// Audit: audit and security logging ("pgaudit for read auditing").
	Audit []string `yaml:"audit"`
	// Recovery: backups, versioning and undelete ("point-in-time
	// recovery").
	Recovery []string `yaml:"recovery"`
	// Abuse: rate limits, brute-force and bot protection, WAF rules.
	Abuse []string `yaml:"abuse"`
	// Integrity: signatures on messages, callbacks and code ("verify
	// Stripe-Signature on every webhook").
	Integrity []string `yaml:"integrity"`
	// Config: other safe settings ("xp_cmdshell disabled").
	Config []string `yaml:"config"`
}

// HardeningAspects are the yaml names of Hardening's fields, in order.
var HardeningAspects = []string{"transport", "auth", "access", "network", "encryption", "audit", "recovery", "abuse", "integrity", "config"}

// Aspect returns the controls for one of HardeningAspects; nil for an
// unknown name.
func (h *Hardening) Aspect(name string) []string {
	switch name {
	case "transport":
		return h.Transport
	case "auth":
		return h.Auth
	case "access":
		return h.Access
	case "network":
		return h.Network
	case "encryption":
		return h.Encryption
	case "audit":
		return h.Audit
	case "recovery":
		return h.Recovery
	case "abuse":
		return h.Abuse
	case "integrity":
		return h.Integrity
	case "config":
		return h.Config
	}
	return nil
}

// All returns every control, aspect by aspect.
func (h *Hardening) All() []string {
	var out []string
	for _, a := range HardeningAspects {
		out = append(out, h.Aspect(a)...)
	}
	return out
}
