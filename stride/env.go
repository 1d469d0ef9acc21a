package stride

// Env is what a rule's condition (expr-lang) and templates (text/template)
// see for one element. Component fields are zero for flows and flow fields
// are zero for components; interaction rules get the flow's Env.
//
// Names (Name, Source.Name, Senders, ...) are labels on one line, never IDs,
// so the text of a threat is the same whichever format the diagram came in.
type Env struct {
	// Element is the element type the rule runs on: external, process,
	// datastore, flow or interaction.
	Element string
	// Name is the label on one line ("Source → Target" for a flow); in a
	// rule's group texts, the names of every element it lists.
	Name string
	// Count is the number of elements a folded threat lists, in a rule's
	// group texts; 0 otherwise.
	Count int
	// Members says what the elements a folded threat lists are ("internal
	// hops", "processes in DMZ", "inbound flows across DMZ"), in a rule's
	// group texts; "" otherwise.
	Members string
	// Source and Target are the ends of a flow (never nil; empty for a
	// component).
	Source, Target *Endpoint
	// ProtocolText is Protocol or "an unnamed protocol".
	ProtocolText string
	// Crossing: the flow crosses at least one trust boundary.
	Crossing bool
	// TwoWay: the sender gets answers on the flow: it is drawn both ways
	// (bidirectional or undirected) or a response flow answers it.
	TwoWay bool
	// Boundaries names the crossed boundaries ("DMZ and Application Tier").
	Boundaries string
	// Kind is the component kind (external, process, datastore); "flow"
	// for flows.
	Kind string
	// Keywords are tags derived from the label and shape: waf, cdn,
	// gateway, proxy, auth, identity, admin, db, cache, bucket, queue,
	// log, secrets, payment, email, sms, directory, webhook, worker, web,
	// upload, mobile, boot, isolation-hw, saas, media, dependency; for a
	// flow, from its label: webhook, admin, upload, login, token, backup,
	// export, poll, enqueue, validation, boot, fetch, change, media,
	// dependency.
	Keywords []string
	// Controls the diagram or config shows on the element (for a flow:
	// on the flow and on its target): tls, mtls, authentication, jwt,
	// oauth, saml, api-key, iam, hmac, waf, cdn, api-gateway, ...
	Controls []string
	// Sensitivity lists the data classes (PHI, PII, PCI, credentials,
	// financial, confidential) the element holds or carries.
	Sensitivity []string
	// Sensitive: Sensitivity is not empty. PHI, PII, PCI, Credentials and
	// Financial test single classes.
	Sensitive, PHI, PII, PCI, Credentials, Financial bool
	// Data renders Sensitivity for prose ("PHI and card data").
	Data string

	// Trust is the trust level (0 untrusted .. 4 data) of the component's
	// zone; for a flow, of its target.
	Trust int
	// TrustName names Trust: untrusted, dmz, internal, restricted, data.
	TrustName string
	// Zone is the label of the innermost boundary, or "the public internet"
	// for a component outside every boundary.
	Zone string
	// Partition is the label of the isolation partition the component
	// runs in (a secure or non-secure world, a TEE or enclave, a hypervisor
	// or guest VM, kernel or user space, a sandbox): a zone kept apart by
	// configuration on one machine rather than by a network; "" otherwise.
	Partition string
	// PartitionCallers names the less trusted isolation partitions whose
	// components send flows into the component's partition (for a
	// component in "SPE", "NSPE" when a non-secure application calls
	// Trusted Firmware-M): code there enters the partition through its
	// call gate, whichever component of the partition it reaches. ""
	// when none does, or for a flow.
	PartitionCallers string
	// ServedPartitions names, on a partition manager (a hypervisor, a
	// secure partition manager, a secure monitor, a TEE OS core), the
	// partitions it serves that call it and that it does not trust
	// (partitionmgr.go); "" on anything else.
	ServedPartitions string
	// PartitionCaller and PartitionManager name, on a flow that is a
	// partition's call to the manager that serves it, the calling
	// partition and the manager, whichever way the arrow is drawn; ""
	// on any other flow.
	PartitionCaller, PartitionManager string
	// Internet: trust level 0 (for a flow: either end). Human: a person or
	// their device. SaaS: a third-party service. Proxy: CDN, WAF, gateway,
	// load balancer.
	Internet, Human, SaaS, Proxy bool
	// Local says, on a firmware or embedded diagram, how an untrusted
	// element outside the boundaries reaches the system instead of the
	// internet: "world" (another execution world on the same device, such
	// as the non-secure world calling a secure monitor) or "physical" (a
	// port or medium: UART, debug, external flash); "" otherwise. For a
	// flow: either end's.
	Local string
	// Confident is false for a component classified by default.
	Confident bool
	// Attacker describes who is positioned to attack the element.
	Attacker string

	// UntrustedInput: a process that receives data originating from an
	// untrusted zone, directly or through other processes.
	UntrustedInput bool
	// InternetFacing: receives a flow directly from a trust-0 component.
	InternetFacing bool
	// InboundCrossing: receives a flow across a boundary from a less
	// trusted zone.
	InboundCrossing bool
	// InFlows and OutFlows count the flows into and out of the component.
	InFlows, OutFlows int
	// Senders and Receivers name the components that send to and receive
	// from this one ("A, B and C").
	Senders, Receivers string
	// InternetSenders names the trust-0 components that send to it.
	InternetSenders string
	// LocalFacing: receives a flow directly from an untrusted local
	// world or port of a firmware system (Local).
	LocalFacing bool
	// LocalSenders names the local worlds and ports that send to it.
	LocalSenders string
	// DeviceInterface names the device whose local interface the
	// component is drawn as (a "Local API" or "Debug console" box beside
	// or inside the device, linked to it by a flow or drawn in its box);
	// "" otherwise.
	DeviceInterface string
	// InterfaceBoxes names, on a device, its local interfaces drawn as
	// boxes of their own (DeviceInterface on them); "" when none is.
	InterfaceBoxes string
	// KeyedReceivers names receivers reached with a static secret
	// (api-key or basic authentication).
	KeyedReceivers string
	// StoreData renders the data classes of the sensitive stores it
	// writes ("PHI").
	StoreData string
	// WritesStore: it writes a data store;
	// WritesSensitiveStore: one that holds sensitive data.
	WritesStore, WritesSensitiveStore bool
	// WritesRecords: it writes a store that keeps records (a database,
	// cache or queue), not only object storage, whose blobs have no
	// fields a request could bind onto.
	WritesRecords bool
	// StoresWritten and SensitiveStores name those stores.
	StoresWritten, SensitiveStores string
	// AssumedData: a data store of a system people use, with no data
	// class drawn, that the system's own services write their data to, so
	// taken to hold its users' records (asset.go, assumeAppData; not a
	// cache, log, queue, metrics or public content store).
	AssumedData bool
	// AssumedStores names, on a process, the stores it writes to or
	// reads from that are AssumedData.
	AssumedStores string
	// MemberClusters names, on a cluster's state store (etcd), the other
	// clusters the diagram draws beside the one that keeps it: frames
	// holding an API server of their own, other than the frames of the
	// API servers that use the store (clusters.go). "" when none is drawn.
	MemberClusters string
	// ConsumesQueue: a process that reads a queue; Queues names them.
	ConsumesQueue bool
	// Queues names the queues a process consumes.
	Queues string
	// SendsToExternal: a component that sends to an external entity;
	// Externals names them.
	SendsToExternal bool
	// Externals names the external entities it sends to.
	Externals string
	// OutboundAuth and InboundAuth list the authentication (see Auth) of
	// the flows it sends and receives.
	OutboundAuth, InboundAuth []string
	// CallerControls lists the controls every flow into a component
	// carries, whether the diagram states them or a caller's technology
	// provides them (Karpenter signs its calls to AWS with its IAM role):
	// what its callers do to it, they do through these. Empty when it
	// receives no flow.
	CallerControls []string
	// Writers and Readers name the processes that write and read a data
	// store.
	Writers, Readers string
	// WrittenFromUntrusted: a data store written by a process that takes
	// untrusted input; UntrustedWriters names those processes.
	WrittenFromUntrusted bool
	// UntrustedWriters names the writers that take untrusted input.
	UntrustedWriters string
	// SendsInbound: an external entity that sends flows into a more
	// trusted zone.
	SendsInbound bool
	// InboundEncryption lists the Encrypted states of flows received.
	InboundEncryption []string

	// Protocol is the flow's protocol as read from its label ("HTTPS",
	// "gRPC"), "" when unknown.
	Protocol string
	// Encrypted is "true", "false" or "unknown" (unknown is not false).
	Encrypted string
	// Auth is the flow's authentication: jwt, oauth, saml, mtls, api-key,
	// iam, hmac, kerberos, basic, none, unknown.
	Auth string
	// AuthText names the credential for prose ("a JWT", "an API key").
	AuthText string
	// AuthName is AuthText without the article ("JWT").
	AuthName string
	// Direction is inbound, outbound or lateral for a crossing flow,
	// internal otherwise.
	Direction string
	// EntryPoint is the flow's entry point ("EP-03"), "" if it crosses no
	// boundary.
	EntryPoint string
	// Label is the flow label on one line.
	Label string

	// What the technology catalog and the label's person say (components).
	// Technology is the catalog's display name ("PostgreSQL").
	Technology string
	// Role is the technology's role ("database", "identity-provider").
	Role string
	// Managed: a provider runs it.
	Managed bool
	// NoAuthByDefault: the technology accepts clients without
	// authentication unless configured (Redis, Memcached, etcd).
	NoAuthByDefault bool
	// HoldsSecrets: it stores others' credentials, keys or tokens.
	HoldsSecrets bool
	// Privileged: whoever controls it controls other components (a
	// control plane, CI/CD, an IdP), or it is an administrator's device.
	Privileged bool
	// ExecutesCode: it runs code or jobs others supply; PromptInjectable:
	// it follows instructions found in its input (LLMs).
	ExecutesCode, PromptInjectable bool
	// Person is the human role the label names, with its article ("an
	// administrator").
	Person string
	// Device is the client the person works through ("Admin Console"), ""
	// when the label is the person.
	Device string
	// Hardening names the technology's own controls by the concern they
	// address, for mitigations to name ({{.Hardening.Transport}} is
	// "PostgreSQL: hostssl lines in pg_hba.conf and ssl = on"): the
	// component's; for a flow, its target's (else its source's); in a
	// rule's group texts, those of every element. Empty where no
	// technology is recognised.
	Hardening Hardening
	// KeyedAuth names how the receivers reached with a static secret
	// (KeyedReceivers) scope their credentials ("Stripe: restricted API
	// keys per service"), "" when the catalog does not say.
	KeyedAuth string
	// HumanSenders names the people (or their devices) that send to the
	// component.
	HumanSenders string
	// ProxySenders names the proxies (CDN, WAF, gateway, load balancer)
	// that send to the component: what sits in front of it.
	ProxySenders string
	// ServiceSenders names the software that calls the component across a
	// boundary into it and could forward a user's identity: processes
	// that are not a client a person works through (a browser, mobile or
	// desktop app), and not stores (a store's contents are read, not a
	// request forwarded on someone's behalf). "" when only people, their
	// clients or stores send across.
	ServiceSenders string
	// Client: a client application a person works through (a browser, a
	// mobile or desktop app): the user's side of the system, not a
	// service behind a front end.
	Client bool
	// RichClient: client software on the user's machine that runs
	// application logic and sends the server state or results it acts on
	// (a game client, a desktop or mobile app, a kiosk): a modified copy
	// sends whatever its user wants. A browser is not one (see
	// ClientApp).
	RichClient bool
	// UnmanagedClient: a person's own machine or desktop tool (a laptop,
	// a workstation, a spreadsheet) that receives the system's data or
	// reads its stores, so keeps a copy outside the system's controls.
	UnmanagedClient bool
	// CopiedData renders the data classes an UnmanagedClient receives or
	// reads ("PII and card data"); "" when none is drawn.
	CopiedData string
	// NamesService: the label names software or a service (a server, an
	// API, a system, a platform) or an outside provider, partner or feed,
	// not only a thing or a state ("Success", "CRDs").
	NamesService bool
	// ThirdParty: someone else runs it: an external entity, a SaaS, or a
	// component whose label names a third party, a partner or vendor, or
	// an outside provider or source of data ("External data provider",
	// "Partner feed"), whatever shape it is drawn with.
	ThirdParty bool
	// FieldDevice: a device in the field (an IoT device or gateway by its
	// technology, or a label naming a device, sensor, actuator, camera or
	// meter and no server-side software): hardware that obeys commands,
	// not a service behind a front end.
	FieldDevice bool
	// ManagedEdge: a provider's edge service that takes internet traffic
	// for the system and absorbs floods on the provider's network: a CDN
	// or DDoS protection service, or a WAF, load balancer, API gateway or
	// serverless function the catalog knows a provider runs. A flood costs
	// it money and quota, and passes on to its origin; it does not take
	// it down like a server.
	ManagedEdge bool
	// ClientApp: the component runs the system's own application code in
	// the user's browser (a single-page app, a browser-based tool, a front
	// end that keeps data in browser storage or opens files it is given),
	// not only a browser visiting a server-rendered site. Such a browser
	// drawn as an external entity is read as a process.
	ClientApp bool
	// ClientAppWhy says how the diagram shows the code in the browser.
	ClientAppWhy string
	// BrowserStores names the browser storage (local storage, IndexedDB)
	// a ClientApp reads or writes, drawn as stores; "" when none is drawn.
	BrowserStores string
	// OpensFiles: a ClientApp opens or imports files it is given.
	OpensFiles bool
	// ScriptSources names what a ClientApp loads its code and content from
	// (the components that serve it or that it fetches from).
	ScriptSources string
	// AppServices names the services a ClientApp calls.
	AppServices string
	// UserInput (a flow): a person entering what they do into their own
	// client (a browser, an app, their device): interaction on the
	// person's machine, not a network hop anyone can listen on.
	UserInput bool
	// InboundTags are the keywords of the flows it receives (see
	// Keywords for a flow): "upload" when callers send it files.
	InboundTags []string
	// NeedsSecret: a process that must keep a credential to do its work
	// (one of CredentialHolders).
	NeedsSecret bool
	// Accessors counts the distinct processes that read or write a data
	// store.
	Accessors int
	// Databases names the databases (db keyword) a process reads or
	// writes.
	Databases string
	// LLMReceivers names the components it sends to that follow
	// instructions found in their input (PromptInjectable: LLMs).
	LLMReceivers string
	// MLAsset says what part of a machine-learning system the component
	// is (mlread.go): "model" (model weights, an adapter or a served
	// model), "training-data" (data a model is trained, fine-tuned or
	// evaluated on), "training" (a training or fine-tuning job or
	// pipeline) or "notebook" (a data-science notebook); "" otherwise.
	MLAsset string
	// MLWhat names MLAsset for prose ("model weights", "training data").
	MLWhat string
	// ModelStores names the stores of model weights a process loads
	// (flows between it and a store whose MLAsset is "model").
	ModelStores string
	// ModelDrivers names the components that decide what this one does
	// from a language model's output: for a tool, plugin or agent box,
	// the LLM-driven components it is connected to, or that sit in the
	// same frame, the frame around it or a frame beside it. "" when no
	// model drives it.
	ModelDrivers string
	// PromptSenders names, for a language model drawn inside the system,
	// the components that send it prompts (whose LLMReceivers name it):
	// the application in front of the model, where requests are bounded.
	PromptSenders string

	// What the whole diagram shows, the same on every element (and what a
	// "system" rule reads): the components that play each role, "" when
	// none does. SecretsStores: secrets managers, vaults, KMS.
	SecretsStores string
	// IdentityStores: identity providers, authentication services,
	// directories.
	IdentityStores string
	// BuildPipelines: CI/CD systems, source repositories, artifact
	// registries.
	BuildPipelines string
	// AuditLogs: log stores, audit logs, SIEMs.
	AuditLogs string
	// CredentialHolders: processes that must keep a credential to do
	// their work (a static key to a receiver, a connection to a database,
	// cache, queue or directory without IAM or mTLS, a call to a SaaS).
	CredentialHolders string
	// SignInPeople: people who send into the system, so sign in to it.
	SignInPeople string
	// AdminPaths: administrative components and privileged people.
	AdminPaths string
	// RegulatedData renders the regulated data classes anywhere in the
	// diagram (PHI, card data, personal data, financial data).
	RegulatedData string
	// Services counts the processes the system's owner deploys: not
	// proxies, not a provider's managed services, not hardware blocks,
	// placeholders ("...") or a component standing for a whole box.
	Services int
}

// Hardening is what Env.Hardening names for each concern: the controls of
// every technology involved, "Technology: control; control", joined by "; ",
// or "" (see docs/technologies.md).
type Hardening struct {
	// Transport: encryption and server authentication in transit.
	Transport string
	// Auth: how clients and users authenticate.
	Auth string
	// Access: authorisation and least privilege.
	Access string
	// Network: who can reach it.
	Network string
	// Encryption: encryption at rest and key handling.
	Encryption string
	// Audit: audit and security logging.
	Audit string
	// Recovery: backups, versioning and undelete.
	Recovery string
	// Abuse: rate limits, brute-force and bot protection, WAF rules.
	Abuse string
	// Integrity: signatures on messages, callbacks and code.
	Integrity string
	// Config: other safe settings.
	Config string
}

// Endpoint is one end of a flow as rules see it (Env.Source, Env.Target):
// the same facts as the component's own Env.
type Endpoint struct {
	// Name is the component's label on one line.
	Name string
	// Kind is external, process or datastore.
	Kind string
	// Zone is the label of its innermost boundary.
	Zone string
	// Partition is its isolation partition, as in Env.
	Partition string
	// Trust is its zone's trust level (0 untrusted .. 4 data).
	Trust int
	// TrustName names Trust.
	TrustName string
	// Internet, Human, SaaS and Proxy as in Env.
	Internet, Human, SaaS, Proxy bool
	// Local is how it reaches a firmware system, as in Env.
	Local string
	// Sensitive: it holds or handles sensitive data.
	Sensitive bool
	// UntrustedInput: a process that receives untrusted input.
	UntrustedInput bool
	// Keywords are its tags, as in Env.
	Keywords []string
	// Controls are its controls, as in Env.
	Controls []string
	// Data renders its data classes for prose.
	Data string
	// Role is its technology's role, as in Env.
	Role string
	// RichClient: client software the server must not trust, as in Env.
	RichClient bool
	// ThirdParty: someone else runs it, as in Env.
	ThirdParty bool
}

// knownControls is the control vocabulary rules and config may use.
var knownControls = map[string]bool{
	"tls": true, "mtls": true, "authentication": true, "jwt": true, "oauth": true, "saml": true,
	"api-key": true, "iam": true, "hmac": true, "kerberos": true, "mfa": true, "waf": true, "cdn": true,
	"api-gateway": true, "rate-limiting": true, "encryption-at-rest": true, "audit-logging": true,
	"input-validation": true, "parameterized-queries": true, "backup": true, "versioning": true,
	"object-lock": true, "least-privilege": true, "secrets-manager": true, "dlq": true,
	"monitoring": true, "circuit-breaker": true, "signed-messages": true, "network-isolation": true,
	"malware-scanning": true, "ddos-protection": true, "private-endpoint": true,
	"redis-auth": true, "token-validation": true, "egress-filtering": true, "hsm": true,
	"replication": true, "autoscaling": true, "block-public-access": true, "cache-control": true,
	"rbac": true, "pam": true, "data-minimization": true, "dmarc": true, "idempotency": true,
	"hardware-isolation": true, "code-review": true, "replay-protection": true,
}

// componentTags are the tags of a component and the words of its label
// or shape that give each.
var componentTags = []struct {
	tag Tag
	kws *kwList
}{
	{TagWAF, kw("waf", "web application firewall", "front door", "cloud armor")},
	{TagCDN, kw("cdn", "cloudfront", "akamai", "fastly", "cloudflare", "front door")},
	{TagGateway, kw("gateway", "api management", "apigee", "kong", "ingress", "bff")},
	{TagProxy, kw("waf", "cdn", "cloudfront", "gateway", "proxy", "load balancer", "lb", "alb", "elb", "nlb", "ingress", "reverse proxy", "nginx", "envoy", "haproxy", "api management", "front door")},
	{TagAuth, kw("auth", "authentication", "identity", "idp", "sso", "login", "keycloak", "okta", "auth0", "cognito", "oauth", "oidc", "token service", "sts")},
	{TagIdentity, kw("okta", "auth0", "azure ad", "entra", "idp", "identity provider", "onelogin", "cognito", "keycloak")},
	{TagAdmin, kw("admin*", "management console", "backoffice", "back office", "console", "ops portal", "internal tool*")},
	{TagDB, kw("database", "db", "postgres*", "mysql", "mariadb", "mongo*", "oracle", "sql", "mssql", "sqlite", "dynamo*", "cassandra", "couchdb", "rds", "aurora", "cosmos*", "firestore", "elasticsearch", "opensearch", "warehouse", "bigquery", "snowflake")},
	{TagCache, kw("cache", "redis", "memcache*", "elasticache")},
	{TagBucket, kw("bucket", "s3", "blob*", "object storage", "object store", "file share", "cloud storage", "files", "documents", "uploads")},
	{TagQueue, kw("queue", "sqs", "sns", "kafka", "topic", "pub sub", "pubsub", "rabbitmq", "service bus", "event hub*", "kinesis", "stream", "event bus")},
	{TagLog, kw("log", "logs", "audit", "siem", "logging")},
	{TagSecrets, kw("vault", "secret*", "kms", "hsm", "key vault", "secrets manager", "keystore")},
	{TagPayment, kw("payment*", "stripe", "paypal", "adyen", "braintree", "billing", "checkout", "worldpay", "klarna")},
	{TagEmail, kw("email", "mail", "smtp", "sendgrid", "mailgun", "ses", "postmark", "mailchimp", "sparkpost")},
	{TagSMS, kw("sms", "twilio", "text message")},
	{TagDirectory, kw("ldap", "active directory", "ad", "directory")},
	{TagWebhook, kw("webhook*", "callback")},
	{TagWorker, kw("worker", "consumer", "job", "cron", "scheduler", "batch")},
	{TagWeb, kw("web", "frontend", "portal", "spa", "website", "webapp")},
	{TagUpload, kw("upload*", "import", "ingest*")},
	{TagMobile, kw("mobile", "ios", "android")},
	{TagMedia, mediaWords},
	{TagDependency, kw("librar*", "dependencies", "dependency", "third party packages", "open source packages",
		"pypi", "npm", "npm registry", "pip packages", "maven central", "nuget", "rubygems", "crates io", "ml libraries")},
	{TagBoot, bootWords},
	{TagIsolationHW, kw("mmu", "mpu", "smmu", "iommu", "tzc", "tz controller", "trustzone controller", "tzasc", "tzpc",
		"sau", "idau", "gic", "interrupt controller", "memory protection", "mpc", "ppc", "hardware ip*", "hw ip*", "ip blocks")},
}

// flowTags are the tags of a flow and the words of its label that give
// each.
var flowTags = []struct {
	tag Tag
	kws *kwList
}{
	{TagWebhook, kw("webhook*", "callback")},
	{TagAdmin, kw("admin*", "management", "console", "ssh", "rdp")},
	{TagUpload, kw("upload*", "file*", "document*")},
	{TagLogin, kw("login", "sign in", "signin", "token request", "authenticate")},
	{TagToken, kw("token*", "jwt", "session*")},
	{TagBackup, kw("backup*", "replication", "replica", "snapshot*")},
	{TagExport, kw("export*", "report*", "download*")},
	{TagPoll, kw("poll*", "consume*", "subscribe*", "read*")},
	{TagEnqueue, kw("enqueue*", "publish*", "produce*", "send*")},
	{TagValidation, kw("validation", "validate", "introspect*", "verify")},
	{TagFetch, kw("clone*", "fetch*", "download*", "pull", "pulls", "install*", "checkout", "git clone")},
	{TagChange, kw("push", "pushes", "git push", "patch*", "commit*", "pull request*", "merge request*", "changeset*", "change request*", "submit change*", "contribut*")},
	{TagBoot, bootWords},
	{TagMedia, mediaWords},
	{TagDependency, kw("pip", "pip install", "npm", "npm install", "yarn", "pnpm", "maven", "gradle", "nuget", "go get",
		"go mod*", "cargo", "gem install", "librar*", "dependencies", "dependency", "third party package*", "open source package*",
		"import packages", "imports packages", "package import*")},
}

// mediaWords name media and document decoding, or what it decodes.
var mediaWords = kw("image*", "photo*", "picture*", "thumbnail*", "video*", "audio", "media", "pdf*", "archive*",
	"zip", "tarball*", "office document*", "spreadsheet*", "ocr", "transcod*", "resiz*", "imagemagick",
	"ffmpeg", "libvips", "pillow", "ghostscript", "exif", "svg", "svgs", "heic", "jpeg*", "png*", "gif*", "webp", "tiff")

// bootWords name what starts other software, on a component or a flow.
var bootWords = kw("boot*", "init", "initialization", "initialisation", "initialize", "initialise",
	"startup", "start up", "start", "starts", "launch*", "loader", "spawn*", "handoff", "hand off", "reset handler")

func tagsOf(w words, table []struct {
	tag Tag
	kws *kwList
}) tagSet {
	out := tagSet{}
	for _, e := range table {
		if w.first(e.kws) != "" {
			out.add(e.tag)
		}
	}
	if out[TagMedia] && w.first(softwareImageWords) != "" && w.first(pictureWords) == "" {
		// A container, VM or firmware image is software, not a picture.
		delete(out, TagMedia)
	}
	return out
}

// softwareImageWords say that "image" means software: a container, VM,
// disk or firmware image.
var softwareImageWords = kw("container*", "docker*", "oci", "vm", "vms", "ami", "amis", "base image*", "firmware", "boot*",
	"disk image*", "os image*", "registry", "registries", "kernel*", "helm", "chart*", "build*", "deploy*", "artifact*", "artefact*")

// pictureWords name media whatever else the label says.
var pictureWords = kw("photo*", "picture*", "thumbnail*", "video*", "audio", "pdf*", "ocr", "transcod*", "imagemagick",
	"ffmpeg", "libvips", "pillow", "jpeg*", "png*", "gif*", "webp", "heic", "exif", "image processing", "image upload*")
