package stride

import (
	"reflect"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

func TestClassifyComponent(t *testing.T) {
	tests := []struct {
		name      string
		c         graph.Component
		want      graph.Kind
		reason    string // substring of the reason
		confident bool
	}{
		{"type attribute", graph.Component{Label: "Orders", Attributes: map[string]string{"type": "datastore"}}, graph.KindDataStore, `attribute type="datastore"`, true},
		{"kind attribute beats shape", graph.Component{Label: "X", Shape: "cylinder", Attributes: map[string]string{"kind": "external"}}, graph.KindExternal, "attribute kind", true},
		{"mermaid class", graph.Component{Label: "Billing", Attributes: map[string]string{"class": "important datastore"}}, graph.KindDataStore, `class "datastore"`, true},
		{"importer kind", graph.Component{Label: "Thing", Kind: graph.KindExternal, Attributes: map[string]string{}}, graph.KindExternal, "stated in the source", true},
		{"cylinder", graph.Component{Label: "Thing", Shape: "cylinder"}, graph.KindDataStore, `shape "cylinder"`, true},
		{"cyl", graph.Component{Label: "Thing", Shape: "cyl"}, graph.KindDataStore, "data store", true},
		{"drawio DFD store", graph.Component{Label: "Orders", Shape: "partialRectangle"}, graph.KindDataStore, `shape "partialRectangle"`, true},
		{"umlActor", graph.Component{Label: "Thing", Shape: "umlActor"}, graph.KindExternal, "external", true},
		{"stadium", graph.Component{Label: "Thing", Shape: "stadium"}, graph.KindExternal, "external", true},
		{"dot oval", graph.Component{Label: "Thing", Shape: "oval"}, graph.KindExternal, `"oval"`, true},
		{"dot ellipse means nothing", graph.Component{Label: "Thing", Shape: "ellipse"}, graph.KindProcess, "defaulted", false},
		{"aws rds icon", graph.Component{Label: "Orders", Shape: "mxgraph.aws4.rds"}, graph.KindDataStore, "cloud icon", true},
		{"aws resIcon", graph.Component{Label: "Fn", Shape: "mxgraph.aws4.resourceIcon", Style: "shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda;"}, graph.KindProcess, "lambda", true},
		{"aws sqs", graph.Component{Label: "Jobs", Shape: "mxgraph.aws4.sqs"}, graph.KindDataStore, "sqs", true},
		{"azure cosmos", graph.Component{Label: "Profiles", Shape: "mxgraph.azure.cosmos_db"}, graph.KindDataStore, "cosmos", true},
		{"azure app service", graph.Component{Label: "Portal", Shape: "mxgraph.azure.app_service"}, graph.KindProcess, "app service", true},
		{"postgres label", graph.Component{Label: "Orders (PostgreSQL)"}, graph.KindDataStore, "postgres", true},
		{"kafka label", graph.Component{Label: "Kafka"}, graph.KindDataStore, "kafka", true},
		{"vault label", graph.Component{Label: "HashiCorp Vault"}, graph.KindDataStore, "vault", true},
		{"process word beats store word", graph.Component{Label: "Kafka Consumer"}, graph.KindProcess, "consumer", true},
		{"user service is a process", graph.Component{Label: "User Service"}, graph.KindProcess, "service", true},
		{"patient", graph.Component{Label: "Patient"}, graph.KindExternal, "patient", true},
		{"browser", graph.Component{Label: "Web Browser"}, graph.KindExternal, "browser", true},
		{"stripe saas", graph.Component{Label: "Stripe"}, graph.KindExternal, "third-party", true},
		{"okta saas", graph.Component{Label: "Okta"}, graph.KindExternal, "okta", true},
		{"our stripe handler", graph.Component{Label: "Stripe Webhook Handler"}, graph.KindProcess, "handler", true},
		{"patient portal", graph.Component{Label: "Patient Portal"}, graph.KindProcess, "portal", true},
		{"patient records db", graph.Component{Label: "Patient Records DB"}, graph.KindDataStore, "db", true},
		{"circle patient", graph.Component{Label: "Patient", Shape: "circle"}, graph.KindExternal, `a patient; a person beats the generic shape "circle"`, true},
		{"admin console", graph.Component{Label: "Admin Console", Shape: "stadium"}, graph.KindExternal, `an administrator working through "Admin Console"`, true},
		{"admin console box", graph.Component{Label: "Admin Console"}, graph.KindExternal, "that person's device", true},
		{"admin console in a trusted zone", graph.Component{Label: "Admin Console"}, graph.KindProcess, `"console"`, true},
		{"partner api", graph.Component{Label: "Partner API"}, graph.KindExternal, `third party "partner"`, true},
		{"partner api in a trusted zone", graph.Component{Label: "Partner API"}, graph.KindProcess, `"api"`, true},
		{"admin api stays a process", graph.Component{Label: "Admin API", Shape: "circle"}, graph.KindProcess, "process", true},
		{"actor shape is specific", graph.Component{Label: "Billing Service", Shape: "umlActor"}, graph.KindExternal, "umlActor", true},
		{"cylinder beats a role", graph.Component{Label: "Users", Shape: "cylinder"}, graph.KindDataStore, "cylinder", true},
		{"user authentication is a function", graph.Component{Label: "User Authentication"}, graph.KindProcess, `identity function "authentication"`, true},
		{"customer sign-in", graph.Component{Label: "Customer Sign-in"}, graph.KindProcess, `identity function "sign in"`, true},
		{"authentication db stays a store", graph.Component{Label: "Authentication DB"}, graph.KindDataStore, "db", true},
		{"default", graph.Component{Label: "Frobnicator"}, graph.KindProcess, "defaulted to process", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.c.Attributes == nil {
				tt.c.Attributes = map[string]string{}
			}
			got := classifyComponent(&tt.c, nil, strings.HasSuffix(tt.name, "in a trusted zone"))
			if got.kind != tt.want || !strings.Contains(got.reason, tt.reason) || got.confident != tt.confident {
				t.Errorf("got %s (%q, confident=%v), want %s (reason containing %q, confident=%v)",
					got.kind, got.reason, got.confident, tt.want, tt.reason, tt.confident)
			}
		})
	}
}

func TestBoundaryTrust(t *testing.T) {
	d := mini(t, []string{
		"inet:Public Internet:",
		"cloud:Production VPC:",
		"dmz:Public Subnet:cloud",
		"k8s:Workloads:cloud", // no keyword: inherits internal from the VPC
		"data:Data Tier:k8s",
		"mgmt:Management:cloud",
		"misc:Team Blue:",               // no keyword, top level: defaults to internal
		"rdc:Data Center (Restricted):", // the qualifier wins over "data center"
		"ub:User's Browser:",
		"dc:Data Center:",
	}, []string{"a:A::inet"}, nil)
	d.Boundaries[len(d.Boundaries)-1].Attributes["trust"] = "restricted" // explicit attribute wins
	bi := classifyBoundaries(d, nil)
	want := map[string]struct {
		trust     int
		reason    string
		defaulted bool
	}{
		"inet":  {TrustUntrusted, `"internet"`, false},
		"cloud": {TrustInternal, `"vpc"`, false},
		"dmz":   {TrustDMZ, `"public subnet"`, false},
		"k8s":   {TrustInternal, "inherits internal", false},
		"data":  {TrustData, `"data tier"`, false},
		"mgmt":  {TrustRestricted, `"management"`, false},
		"misc":  {TrustInternal, "defaults to internal", true},
		"dc":    {TrustRestricted, `attribute trust="restricted"`, false},
		"rdc":   {TrustRestricted, `"restricted"`, false},
		"ub":    {TrustUntrusted, `"browser"`, false},
	}
	for id, w := range want {
		got := bi[id]
		if got.trust != w.trust || !strings.Contains(got.reason, w.reason) || got.defaulted != w.defaulted {
			t.Errorf("%s: got trust %d (%q, defaulted=%v), want %d (%q, %v)", id, got.trust, got.reason, got.defaulted, w.trust, w.reason, w.defaulted)
		}
	}
}

func TestParseFlow(t *testing.T) {
	tests := []struct {
		label string
		attrs map[string]string
		want  FlowFacts
	}{
		{"HTTPS", nil, FlowFacts{Protocol: "HTTPS", Encrypted: EncTrue, Authenticated: "unknown"}},
		{"HTTP", nil, FlowFacts{Protocol: "HTTP", Encrypted: EncFalse, Authenticated: "unknown"}},
		{"HTTP/S", nil, FlowFacts{Protocol: "HTTPS", Encrypted: EncTrue, Authenticated: "unknown"}},
		{"Login (HTTP(S))", nil, FlowFacts{Protocol: "HTTPS", Encrypted: EncTrue, Authenticated: "unknown"}},
		{"gRPC, JWT", nil, FlowFacts{Protocol: "gRPC", Encrypted: EncUnknown, Authenticated: "jwt"}},
		{"gRPC over mTLS", nil, FlowFacts{Protocol: "gRPC", Encrypted: EncTrue, Authenticated: "mtls"}},
		{"SQL over TLS (PHI)", nil, FlowFacts{Protocol: "SQL", Encrypted: EncTrue, Authenticated: "unknown", Sensitivity: []string{DataPHI}}},
		{"JDBC", nil, FlowFacts{Protocol: "JDBC", Encrypted: EncUnknown, Authenticated: "unknown"}},
		{"Redis, session tokens", nil, FlowFacts{Protocol: "Redis", Encrypted: EncUnknown, Authenticated: "unknown", Sensitivity: []string{DataCredentials}}},
		{"S3 API, IAM role (PHI)", nil, FlowFacts{Protocol: "S3 API", Encrypted: EncUnknown, Authenticated: "iam", Sensitivity: []string{DataPHI}}},
		{"SMTP", nil, FlowFacts{Protocol: "SMTP", Encrypted: EncFalse, Authenticated: "unknown"}},
		{"SMTP with STARTTLS", nil, FlowFacts{Protocol: "SMTP", Encrypted: EncTrue, Authenticated: "unknown"}},
		{"SFTP upload", nil, FlowFacts{Protocol: "SFTP", Encrypted: EncTrue, Authenticated: "unknown"}},
		{"FTP", nil, FlowFacts{Protocol: "FTP", Encrypted: EncFalse, Authenticated: "unknown"}},
		{"SSH", nil, FlowFacts{Protocol: "SSH", Encrypted: EncTrue, Authenticated: "unknown"}},
		{"LDAP bind", nil, FlowFacts{Protocol: "LDAP", Encrypted: EncFalse, Authenticated: "unknown"}},
		{"AMQP", nil, FlowFacts{Protocol: "AMQP", Encrypted: EncUnknown, Authenticated: "unknown"}},
		{"Kafka events", nil, FlowFacts{Protocol: "Kafka", Encrypted: EncUnknown, Authenticated: "unknown"}},
		{"SQS enqueue", nil, FlowFacts{Protocol: "SQS", Encrypted: EncUnknown, Authenticated: "unknown"}},
		{"HTTPS, API key (card data)", nil, FlowFacts{Protocol: "HTTPS", Encrypted: EncTrue, Authenticated: "api-key", Sensitivity: []string{DataPCI}}},
		{"HTTPS, OIDC", nil, FlowFacts{Protocol: "HTTPS", Encrypted: EncTrue, Authenticated: "oauth"}},
		{"SAML assertion", nil, FlowFacts{Protocol: "", Encrypted: EncUnknown, Authenticated: "saml"}},
		{"basic auth over HTTP", nil, FlowFacts{Protocol: "HTTP", Encrypted: EncFalse, Authenticated: "basic"}},
		// A request method names the request, not the scheme: cleartext
		// only where the scheme or port says so.
		{"(A1) HTTP GET", nil, FlowFacts{Protocol: "HTTP", Encrypted: EncUnknown, Authenticated: "unknown", Pull: true}},
		{"HTTP POST /orders", nil, FlowFacts{Protocol: "HTTP", Encrypted: EncUnknown, Authenticated: "unknown"}},
		{"HTTP requests", nil, FlowFacts{Protocol: "HTTP", Encrypted: EncUnknown, Authenticated: "unknown"}},
		{"HTTP GET (no TLS)", nil, FlowFacts{Protocol: "HTTP", Encrypted: EncFalse, Authenticated: "unknown", Pull: true}},
		{"GET http://status.example/ping", nil, FlowFacts{Protocol: "HTTP", Encrypted: EncFalse, Authenticated: "unknown", Pull: true}},
		{"HTTP GET, port 80", nil, FlowFacts{Protocol: "HTTP", Encrypted: EncFalse, Authenticated: "unknown", Pull: true}},
		{"HTTP PUT to :80", nil, FlowFacts{Protocol: "HTTP", Encrypted: EncFalse, Authenticated: "unknown"}},
		{"HTTP PUT to :8080", nil, FlowFacts{Protocol: "HTTP", Encrypted: EncUnknown, Authenticated: "unknown"}},
		{"plain HTTP POST", nil, FlowFacts{Protocol: "HTTP", Encrypted: EncFalse, Authenticated: "unknown"}},
		{"HTTPS GET", nil, FlowFacts{Protocol: "HTTPS", Encrypted: EncTrue, Authenticated: "unknown", Pull: true}},
		{"anonymous HTTPS", nil, FlowFacts{Protocol: "HTTPS", Encrypted: EncTrue, Authenticated: "none"}},
		{"signed webhook HTTPS", nil, FlowFacts{Protocol: "HTTPS", Encrypted: EncTrue, Authenticated: "hmac"}},
		{"unencrypted HTTPS?", nil, FlowFacts{Protocol: "HTTPS", Encrypted: EncFalse, Authenticated: "unknown"}},
		{"sync", nil, FlowFacts{Protocol: "", Encrypted: EncUnknown, Authenticated: "unknown"}},
		{"", nil, FlowFacts{Protocol: "", Encrypted: EncUnknown, Authenticated: "unknown"}},
		{"payroll export", nil, FlowFacts{Encrypted: EncUnknown, Authenticated: "unknown", Sensitivity: []string{DataFinancial}}},
		{"tokenized card data", nil, FlowFacts{Encrypted: EncUnknown, Authenticated: "unknown", Sensitivity: []string{DataTokens}}},
		{"payment token and email address", nil, FlowFacts{Encrypted: EncUnknown, Authenticated: "unknown", Sensitivity: []string{DataPII, DataTokens}}},
		{"card data", nil, FlowFacts{Encrypted: EncUnknown, Authenticated: "unknown", Sensitivity: []string{DataPCI}}},
		{"session tokens", nil, FlowFacts{Encrypted: EncUnknown, Authenticated: "unknown", Sensitivity: []string{DataCredentials}}},
		{"password reset (email address)", nil, FlowFacts{Encrypted: EncUnknown, Authenticated: "unknown", Sensitivity: []string{DataPII, DataCredentials}}},
		// Attributes win over the label.
		{"sync", map[string]string{"protocol": "grpc", "encrypted": "true", "auth": "mtls", "sensitivity": "PHI, PII"},
			FlowFacts{Protocol: "gRPC", Encrypted: EncTrue, Authenticated: "mtls", Sensitivity: []string{DataPHI, DataPII}}},
		{"HTTPS", map[string]string{"encrypted": "false"}, FlowFacts{Protocol: "HTTPS", Encrypted: EncFalse, Authenticated: "unknown"}},
		{"x", map[string]string{"data_classification": "cardholder data"}, FlowFacts{Encrypted: EncUnknown, Authenticated: "unknown", Sensitivity: []string{DataPCI}}},
		{"x", map[string]string{"phi": "true"}, FlowFacts{Encrypted: EncUnknown, Authenticated: "unknown", Sensitivity: []string{DataPHI}}},
	}
	for _, tt := range tests {
		got := ParseFlow(tt.label, tt.attrs)
		got.EncReason = ""
		if tt.want.Sensitivity == nil {
			tt.want.Sensitivity = []string{}
		}
		sortStrings(tt.want.Sensitivity)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseFlow(%q, %v) = %+v, want %+v", tt.label, tt.attrs, got, tt.want)
		}
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestTelehealthClassification(t *testing.T) {
	r := analyze(t, telehealthSpec().build(t, nil, nil), Options{})
	want := map[string][2]string{ // label -> kind, trust name
		"Patient": {"external", "untrusted"}, "Clinician": {"external", "untrusted"},
		"CDN / WAF": {"process", "dmz"}, "API Gateway": {"process", "dmz"}, "Web App": {"process", "internal"},
		"Appointments Service": {"process", "internal"}, "Auth Service": {"process", "internal"},
		"Notification Worker": {"process", "internal"}, "Reminder Queue (SQS)": {"datastore", "internal"},
		"Patient Records DB\n(PostgreSQL)": {"datastore", "data"}, "Session Cache (Redis)": {"datastore", "data"},
		"Documents Bucket (S3)": {"datastore", "data"}, "Stripe Payments": {"external", "untrusted"},
		"SendGrid Email": {"external", "untrusted"},
	}
	if len(r.Components) != len(want) {
		t.Fatalf("got %d components", len(r.Components))
	}
	for _, c := range r.Components {
		w, ok := want[c.Label]
		if !ok || c.Kind != w[0] || c.TrustName != w[1] || c.KindReason == "" {
			t.Errorf("%q: kind %s trust %s (%q), want %v", c.Label, c.Kind, c.TrustName, c.KindReason, w)
		}
	}
	// Components are sorted by label.
	for i := 1; i < len(r.Components); i++ {
		if r.Components[i-1].Label > r.Components[i].Label {
			t.Errorf("components not sorted by label: %q before %q", r.Components[i-1].Label, r.Components[i].Label)
		}
	}
	// PHI propagates from the flows into the stores and back out.
	for _, c := range r.Components {
		if c.Label == "Documents Bucket (S3)" && !reflect.DeepEqual(c.Sensitivity, []string{"PHI"}) {
			t.Errorf("bucket sensitivity %v", c.Sensitivity)
		}
		if c.Label == "Reminder Queue (SQS)" && len(c.Sensitivity) != 0 {
			t.Errorf("queue sensitivity %v", c.Sensitivity)
		}
	}
}

func TestUnlabelledName(t *testing.T) {
	for _, tt := range []struct{ shape, want string }{
		{"mxgraph.aws4.ssl_padlock", "Ssl padlock 40"},
		{"umlActor", "Uml actor 40"},
		{"rect", "40"},
		{"", "40"},
	} {
		if got := unlabelledName(&graph.Component{ID: "40", Shape: tt.shape}); got != tt.want {
			t.Errorf("unlabelledName(%q) = %q, want %q", tt.shape, got, tt.want)
		}
	}
}

func TestReadPerson(t *testing.T) {
	tests := []struct {
		label string
		want  Person
		ok    bool
	}{
		{"Patient", Person{Role: "patient", Phrase: "a patient"}, true},
		{"Admin Console", Person{Role: "administrator", Phrase: "an administrator", Privileged: true, Device: "Admin Console"}, true},
		{"Operator\nlaptop", Person{Role: "operator", Phrase: "an operator", Privileged: true, Device: "Operator laptop"}, true},
		{"Patient Mobile App", Person{Role: "patient", Phrase: "a patient", Device: "Patient Mobile App"}, true},
		{"Patient Portal", Person{}, false},
		{"User Service", Person{}, false},
		{"Admin API", Person{}, false},
		{"Orders", Person{}, false},
		// Identity functions named after whom they serve are software.
		{"User Authentication", Person{}, false},
		{"Customer Sign-in", Person{}, false},
		{"Member login", Person{}, false},
	}
	for _, tt := range tests {
		got, ok := readPerson(tt.label)
		if ok != tt.ok || got != tt.want {
			t.Errorf("readPerson(%q) = %+v %v, want %+v %v", tt.label, got, ok, tt.want, tt.ok)
		}
	}
}
