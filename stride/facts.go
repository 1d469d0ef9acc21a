package stride

import (
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Encryption states of a flow. Unknown is not false: a flow whose label says
// nothing about encryption gets an open question, not a cleartext finding.
const (
	EncTrue    = "true"
	EncFalse   = "false"
	EncUnknown = "unknown"
)

// Data classes a flow or component can carry.
const (
	DataPHI          = "PHI"
	DataPII          = "PII"
	DataPCI          = "PCI"
	DataCredentials  = "credentials"
	DataFinancial    = "financial"
	DataConfidential = "confidential"
	// DataTokens are tokenised card numbers and payment tokens: not card
	// data (PCI scope stays with the tokeniser) and not credentials, but
	// still worth stealing.
	DataTokens = "tokens"
)

// protocols in priority order: application protocols before the transports
// they run over, so "SQL over TLS" is SQL (encrypted) and "HTTPS" is HTTPS.
// enc is what the protocol alone says about encryption.
var protocols = []struct {
	kws  *kwList
	name string
	enc  string
}{
	{kw("sftp"), "SFTP", EncTrue},
	{kw("ftps"), "FTPS", EncTrue},
	{kw("ftp"), "FTP", EncFalse},
	{kw("scp"), "SCP", EncTrue},
	{kw("ssh"), "SSH", EncTrue},
	{kw("telnet"), "Telnet", EncFalse},
	{kw("smtps"), "SMTPS", EncTrue},
	{kw("smtp"), "SMTP", EncFalse},
	{kw("imaps"), "IMAPS", EncTrue},
	{kw("ldaps"), "LDAPS", EncTrue},
	{kw("ldap"), "LDAP", EncFalse},
	{kw("grpcs"), "gRPC", EncTrue},
	{kw("grpc"), "gRPC", EncUnknown},
	{kw("graphql"), "GraphQL", EncUnknown},
	{kw("amqps"), "AMQP", EncTrue},
	{kw("amqp", "rabbitmq"), "AMQP", EncUnknown},
	{kw("kafka"), "Kafka", EncUnknown},
	{kw("mqtts"), "MQTT", EncTrue},
	{kw("mqtt"), "MQTT", EncUnknown},
	{kw("rediss"), "Redis", EncTrue},
	{kw("redis"), "Redis", EncUnknown},
	{kw("memcache*"), "Memcached", EncFalse},
	{kw("jdbc"), "JDBC", EncUnknown},
	{kw("odbc"), "ODBC", EncUnknown},
	{kw("sql", "postgres*", "mysql", "mssql", "tsql", "psql", "mongodb wire", "cql"), "SQL", EncUnknown},
	{kw("s3 api", "s3"), "S3 API", EncUnknown},
	{kw("sqs"), "SQS", EncUnknown},
	{kw("sns"), "SNS", EncUnknown},
	{kw("pub sub", "pubsub"), "Pub/Sub", EncUnknown},
	{kw("service bus"), "Service Bus", EncUnknown},
	{kw("kinesis"), "Kinesis", EncUnknown},
	{kw("dynamodb api", "dynamodb"), "DynamoDB API", EncUnknown},
	// "HTTP/S" and "HTTP(S)" (Threat Dragon's standard value) mean HTTPS.
	{kw("https", "wss", "http s"), "HTTPS", EncTrue},
	{kw("websocket*"), "WebSocket", EncUnknown},
	{kw("http", "ws"), "HTTP", EncFalse},
	// OpenID Connect requires TLS on every endpoint (OIDC Core 1.0,
	// section 16.17): "OIDC login" alone runs over HTTPS.
	{kw("oidc", "openid connect"), "OIDC", EncTrue},
	{kw("soap"), "SOAP", EncUnknown},
	{kw("rest"), "REST", EncUnknown},
	{kw("nfs"), "NFS", EncUnknown},
	{kw("smb", "cifs"), "SMB", EncUnknown},
	{kw("syslog"), "Syslog", EncFalse},
	{kw("dns"), "DNS", EncFalse},
	{kw("mtls", "mutual tls"), "mTLS", EncTrue},
	{kw("tls", "ssl"), "TLS", EncTrue},
	{kw("ipsec", "vpn", "wireguard"), "VPN", EncTrue},
}

// The reading rule for "HTTP" (docs/rules.md, "How flow labels are read"):
// "HTTP" alone, or with anything but a request method, names the scheme and
// says cleartext ("HTTP", "HTTP (PII)", "basic auth over HTTP"). Next to a
// request method or a word for one message ("HTTP GET", "HTTP POST
// /orders", "HTTP request") it describes the request, which is the same
// over TLS, so encryption stays unknown unless something names the
// scheme: an http:// URL, port 80, "plain HTTP", or a negative word
// ("HTTP (no TLS)", "unencrypted").

// httpMethodWords name HTTP request methods and single messages.
var httpMethodWords = kw("get", "post", "put", "patch", "delete", "head", "options", "request", "requests", "call", "calls", "response", "responses", "verb", "verbs", "method", "methods")

// httpMethodOnly reports whether a label that names HTTP names a request
// method or message with it and no cleartext scheme (see above).
func httpMethodOnly(label string, w words) bool {
	return w.first(httpMethodWords) != "" && cleartextScheme(label) == ""
}

// cleartextScheme returns the words of label that name a cleartext
// scheme or port ("http://", "ws://", "port 80", ":80"), "" when none.
func cleartextScheme(label string) string {
	l := strings.ToLower(label)
	for _, s := range []string{"http://", "ws://"} {
		if strings.Contains(l, s) {
			return s
		}
	}
	for i := strings.Index(l, ":80"); i >= 0; {
		end := i + 3
		if end == len(l) || l[end] < '0' || l[end] > '9' {
			return ":80"
		}
		j := strings.Index(l[end:], ":80")
		if j < 0 {
			break
		}
		i = end + j
	}
	return newWords(label).first(cleartextPortWords)
}

// cleartextPortWords name HTTP's cleartext port.
var cleartextPortWords = kw("port 80", "tcp 80", "80 tcp")

var (
	encTrueWords  = kw("tls", "ssl", "mtls", "https", "http s", "encrypted", "starttls", "ipsec", "vpn", "wireguard", "sftp", "ssh")
	encFalseWords = kw("unencrypted", "plaintext", "plain text", "cleartext", "clear text", "no tls", "without tls", "insecure",
		"plain http", "no ssl", "without ssl", "not encrypted", "non tls")
)

// authKeywords in priority order.
var authKeywords = []struct {
	kws  *kwList
	auth string
}{
	{kw("no auth", "unauthenticated", "anonymous", "no authentication", "auth none"), "none"},
	{kw("mtls", "mutual tls", "client cert*", "client certificate*", "x509"), "mtls"},
	{kw("jwt", "bearer"), "jwt"},
	{kw("oauth*", "oidc", "openid*"), "oauth"},
	{kw("saml"), "saml"},
	{kw("iam", "sigv4", "iam role", "managed identity", "service account", "workload identity", "irsa"), "iam"},
	{kw("api key", "apikey", "api token", "x api key"), "api-key"},
	{kw("hmac", "signed", "signature", "signing secret"), "hmac"},
	{kw("kerberos", "ntlm"), "kerberos"},
	{kw("basic auth", "basic", "password auth", "username password"), "basic"},
}

// AuthValues are the values Flow.Authenticated takes.
var AuthValues = []string{"jwt", "oauth", "saml", "mtls", "api-key", "iam", "hmac", "kerberos", "basic", "none", "unknown"}

var sensitivityKeywords = []struct {
	kws   *kwList
	class string
}{
	{kw("phi", "health*", "medical", "clinical", "ehr", "emr", "fhir", "hl7", "prescription*", "diagnos*", "patient record", "medical record", "hipaa", "lab result", "consultation note"), DataPHI},
	{kw("pii", "personal", "personal data", "email address", "ssn", "social security", "date of birth", "dob", "passport", "gdpr", "contact details", "home address", "profile*", "identity document"), DataPII},
	{kw("pci", "card", "card data", "cardholder", "pan", "cvv", "credit card", "payment card"), DataPCI},
	{kw("credential*", "password*", "passwd", "secret*", "token*", "session*", "private key", "access key", "cookie*"), DataCredentials},
	{kw("financial", "payment*", "invoice*", "billing", "bank*", "iban", "transaction*", "salary", "payroll", "ledger", "refund*"), DataFinancial},
	{kw("confidential", "restricted", "sensitive", "internal only"), DataConfidential},
}

// sensitivityAttrs are the attribute keys read as data classifications.
var sensitivityAttrs = []string{"sensitivity", "data_classification", "dataclassification", "classification", "data_class", "data", "pii", "phi", "pci"}

// tokenWords mark tokenised data: "tokenized card data" is payment tokens,
// neither card data nor credentials.
var tokenWords = kw("tokenized", "tokenised", "tokenization", "tokenisation", "payment token*", "card token*", "network token*")

// tokenParts are the words a tokenised phrase owns.
var tokenParts = map[string]bool{"tokenized": true, "tokenised": true, "tokenization": true, "tokenisation": true,
	"token": true, "tokens": true, "card": true, "cards": true, "pan": true, "payment": true, "network": true}

// ParseSensitivity returns the data classes named in s (sorted, unique).
// Words in an operational sense ("health check", "service account") name
// none (falseSenses).
func ParseSensitivity(s string) []string {
	w := newWords(s)
	out := set{}
	if w.first(tokenWords) != "" {
		out.add(DataTokens)
		var rest []string
		for _, t := range w.toks {
			if !tokenParts[t] {
				rest = append(rest, t)
			}
		}
		w = newWords(strings.Join(rest, " "))
	}
	// "health check", "card layout", "token bucket": not data
	// (datawords.go).
	w = w.withoutFalseSenses()
	for _, e := range sensitivityKeywords {
		if w.first(e.kws) != "" {
			out.add(e.class)
		}
	}
	return out.sorted()
}

// FlowFacts is what threatmap reads from one flow's label and attributes.
type FlowFacts struct {
	Protocol      string
	Encrypted     string
	EncReason     string
	Authenticated string
	Sensitivity   []string
	// Pull is set when the label says the arrow's source fetches from its
	// target ("poll", "read", "GET", "fetch", "subscribe"): the data moves
	// against the arrow. A label that also says it writes is not a pull.
	Pull bool
}

var (
	pullWords  = kw("poll*", "read", "reads", "reading", "get", "gets", "fetch*", "pull*", "download*", "subscribe*", "consume*", "scrape*", "query", "queries", "lookup", "look up", "retrieve*", "list")
	writeWords = kw("write*", "update*", "post", "put", "push*", "send*", "upload*", "store*", "insert*", "save*", "publish*", "enqueue*", "delete*", "patch")
)

// ParseFlow reads a flow's protocol, encryption, authentication and data
// classes from its label and attributes. Attributes win over the label.
func ParseFlow(label string, attrs map[string]string) FlowFacts {
	w := newWords(label)
	var f FlowFacts
	protoEnc := EncUnknown
	if v := attrFirst(attrs, "protocol", "proto"); v != "" {
		f.Protocol = v
		pw := newWords(v)
		for _, p := range protocols {
			if pw.first(p.kws) != "" {
				f.Protocol, protoEnc = p.name, p.enc
				break
			}
		}
	} else {
		for _, p := range protocols {
			if w.first(p.kws) != "" {
				f.Protocol, protoEnc = p.name, p.enc
				break
			}
		}
	}
	// "HTTP" next to a request method names the request, not the scheme
	// (httpMethodOnly): only the scheme says cleartext.
	if f.Protocol == "HTTP" && protoEnc == EncFalse && httpMethodOnly(label, w) {
		protoEnc = EncUnknown
	}
	// Encryption: attribute, then explicit negative words, then positive
	// words, then what the protocol implies.
	if v := attrFirst(attrs, "encrypted", "encryption", "tls"); v != "" {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "yes", "y", "1", "tls", "mtls", "on":
			f.Encrypted, f.EncReason = EncTrue, "attribute encrypted="+strconv.Quote(v)
		case "false", "no", "n", "0", "none", "off", "plaintext":
			f.Encrypted, f.EncReason = EncFalse, "attribute encrypted="+strconv.Quote(v)
		default:
			f.Encrypted, f.EncReason = EncUnknown, "attribute encrypted="+strconv.Quote(v)+" is not true or false"
		}
	} else if k := w.first(encFalseWords); k != "" {
		f.Encrypted, f.EncReason = EncFalse, "label says "+strconv.Quote(k)
	} else if k := w.first(encTrueWords); k != "" {
		if k == "http s" {
			k = "HTTP/S"
		}
		f.Encrypted, f.EncReason = EncTrue, "label says "+strconv.Quote(k)
	} else if k := cleartextScheme(label); k != "" {
		f.Encrypted, f.EncReason = EncFalse, "label says "+strconv.Quote(k)
	} else if f.Protocol != "" && protoEnc != EncUnknown {
		f.Encrypted = protoEnc
		if protoEnc == EncTrue {
			f.EncReason = f.Protocol + " is encrypted"
		} else {
			f.EncReason = f.Protocol + " without TLS is cleartext"
		}
	} else {
		f.Encrypted = EncUnknown
		if f.Protocol == "HTTP" && protoEnc == EncUnknown {
			f.EncReason = "HTTP names the request method here, not the scheme (http:// or https://); the diagram does not say whether it runs over TLS"
		} else if f.Protocol != "" {
			f.EncReason = f.Protocol + " may or may not run over TLS; the diagram does not say"
		} else {
			f.EncReason = "no protocol or encryption on the diagram"
		}
	}
	if v := attrFirst(attrs, "auth", "authentication", "authn", "authenticated"); v != "" {
		f.Authenticated = normalizeAuth(v)
	} else {
		f.Authenticated = "unknown"
		for _, a := range authKeywords {
			if w.first(a.kws) != "" {
				f.Authenticated = a.auth
				break
			}
		}
	}
	f.Pull = w.first(pullWords) != "" && w.first(writeWords) == ""
	sens := set{}
	sens.add(ParseSensitivity(label)...)
	sens.add(attrSensitivity(attrs)...)
	f.Sensitivity = sens.sorted()
	return f
}

func normalizeAuth(v string) string {
	lv := strings.ToLower(strings.TrimSpace(v))
	for _, a := range AuthValues {
		if lv == a {
			return a
		}
	}
	switch lv {
	case "false", "no", "anonymous":
		return "none"
	case "oidc", "openid", "oauth2":
		return "oauth"
	case "apikey", "api_key", "api key":
		return "api-key"
	case "true", "yes":
		return "unknown"
	}
	w := newWords(v)
	for _, a := range authKeywords {
		if w.first(a.kws) != "" {
			return a.auth
		}
	}
	return "unknown"
}

func attrFirst(attrs map[string]string, keys ...string) string {
	for _, k := range keys {
		if v, ok := attrs[k]; ok && strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// attrSensitivity reads data classes from classification attributes. A
// boolean attribute such as phi=true names its own class.
func attrSensitivity(attrs map[string]string) []string {
	out := set{}
	for _, k := range sensitivityAttrs {
		v, ok := attrs[k]
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "yes", "1":
			if c := ParseSensitivity(k); len(c) > 0 {
				out.add(c...)
			}
			continue
		case "false", "no", "0", "none", "public":
			continue
		}
		out.add(ParseSensitivity(v)...)
	}
	return out.sorted()
}

// normalizeClasses maps free spellings ("phi", "card data") to data classes.
func normalizeClasses(in []string) ([]string, []string) {
	out := set{}
	var bad []string
	for _, s := range in {
		c := ParseSensitivity(s)
		if len(c) == 0 {
			bad = append(bad, s)
		}
		out.add(c...)
	}
	sort.Strings(bad)
	return out.sorted(), bad
}

// dataText renders data classes for prose: "PHI and card data".
//
// Every Env, endpoint and asset reason renders its classes, a few
// distinct lists over the whole model: each list's text is made once
// (dataTexts) and shared.
func dataText(classes []string) string {
	switch len(classes) {
	case 0:
		return "its data"
	case 1:
		return dataName(classes[0])
	}
	var buf [128]byte
	key := buf[:0]
	for _, c := range classes {
		key = append(append(key, c...), 0)
	}
	dataTexts.RLock()
	text, ok := dataTexts.m[string(key)]
	dataTexts.RUnlock()
	if ok {
		return text
	}
	text = makeDataText(classes)
	dataTexts.Lock()
	if len(dataTexts.m) < 1024 { // bounded: configured classes are free text
		dataTexts.m[string(key)] = text
	}
	dataTexts.Unlock()
	return text
}

// dataTexts holds dataText's renderings by their classes, each followed
// by a NUL.
var dataTexts = struct {
	sync.RWMutex
	m map[string]string
}{m: map[string]string{}}

// dataName names one data class for prose.
func dataName(c string) string {
	switch c {
	case DataPCI:
		return "card data"
	case DataCredentials:
		return "credentials"
	case DataFinancial:
		return "financial data"
	case DataConfidential:
		return "confidential data"
	case DataTokens:
		return "payment tokens"
	}
	return c
}

// makeDataText is dataText without the memo.
func makeDataText(classes []string) string {
	names := make([]string, 0, len(classes))
	for _, c := range classes {
		switch c {
		case DataPCI:
			names = append(names, "card data")
		case DataCredentials:
			names = append(names, "credentials")
		case DataFinancial:
			names = append(names, "financial data")
		case DataConfidential:
			names = append(names, "confidential data")
		case DataTokens:
			names = append(names, "payment tokens")
		default:
			names = append(names, c)
		}
	}
	switch len(names) {
	case 0:
		return "its data"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
