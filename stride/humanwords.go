package stride

import "strings"

// controlWords are the names people use for the control vocabulary
// (KnownControls), for documents and registers.
var controlWords = map[string]string{
	"tls": "TLS", "mtls": "Mutual TLS", "authentication": "Authentication", "jwt": "JWT",
	"oauth": "OAuth 2.0", "saml": "SAML", "api-key": "API key", "iam": "Cloud IAM role", "hmac": "HMAC signature",
	"kerberos": "Kerberos", "mfa": "MFA", "waf": "WAF", "cdn": "CDN", "api-gateway": "API gateway",
	"rate-limiting": "Rate limiting", "encryption-at-rest": "Encryption at rest", "audit-logging": "Audit logging",
	"input-validation": "Input validation", "parameterized-queries": "Parameterised queries", "backup": "Backups",
	"versioning": "Object versioning", "object-lock": "Object lock", "least-privilege": "Least privilege",
	"secrets-manager": "Secrets manager", "dlq": "Dead-letter queue", "monitoring": "Monitoring",
	"circuit-breaker": "Circuit breaker", "signed-messages": "Signed messages", "network-isolation": "Network isolation",
	"malware-scanning": "Malware scanning", "ddos-protection": "DDoS protection", "private-endpoint": "Private endpoint",
	"redis-auth": "Redis AUTH", "token-validation": "Token validation", "egress-filtering": "Egress filtering",
	"hsm": "HSM", "replication": "Replication", "autoscaling": "Autoscaling", "block-public-access": "Block public access",
	"cache-control": "Cache-Control headers", "rbac": "Role-based access control", "pam": "Privileged access management",
	"data-minimization": "Data minimisation", "dmarc": "DMARC", "idempotency": "Idempotency keys",
	"basic": "HTTP Basic", "oidc": "OpenID Connect", "hardware-isolation": "Hardware isolation",
	"code-review": "Mandatory code review", "replay-protection": "Replay protection (nonces or sequence numbers)",
}

// ControlName is a control in the words people use ("tls" → "TLS",
// "oauth" → "OAuth 2.0"); a control outside the vocabulary is shown as
// written.
func ControlName(c string) string {
	c = strings.TrimSpace(c)
	if w, ok := controlWords[strings.ToLower(c)]; ok {
		return w
	}
	return c
}

// ControlNames maps ControlName over cs.
func ControlNames(cs []string) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = ControlName(c)
	}
	return out
}

// AuthName is a flow's authentication in words: "none" → "None",
// "unknown" or "" → "Not stated", else the control name ("OAuth 2.0").
func AuthName(a string) string {
	switch strings.ToLower(strings.TrimSpace(a)) {
	case "none":
		return "None"
	case "", "unknown":
		return "Not stated"
	}
	return ControlName(a)
}

// EncryptedName is a flow's encryption in words: "Yes", "No" or "Not
// stated" (unknown is not no).
func EncryptedName(e string) string {
	switch e {
	case EncTrue:
		return "Yes"
	case EncFalse:
		return "No"
	}
	return "Not stated"
}

// DataName is a data class in words ("PCI" → "Card data (PCI)").
func DataName(d string) string {
	switch d {
	case DataPCI:
		return "Card data (PCI)"
	case DataCredentials:
		return "Credentials"
	case DataFinancial:
		return "Financial data"
	case "confidential":
		return "Confidential"
	}
	return d
}

// DataNames maps DataName over ds.
func DataNames(ds []string) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = DataName(d)
	}
	return out
}
