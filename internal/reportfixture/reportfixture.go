// Package reportfixture builds stride.Report values by hand for the
// exporters' tests, so that they do not depend on the STRIDE engine: a small
// telehealth platform (examples/telehealth.dot) with threats in every
// severity band, entry points, open questions and sensitive flows, and a
// generator of large reports for benchmarks.
package reportfixture

import (
	"fmt"

	"github.com/threatmap/threatmap/stride"
)

// Telehealth returns a fresh report of the telehealth example. Callers may
// modify it.
func Telehealth() *stride.Report {
	r := &stride.Report{
		SchemaVersion: stride.SchemaVersion,
		Generator:     "threatmap 0.1.0",
		System:        "Telehealth Platform",
		Source: stride.Source{
			File:   "examples/telehealth.dot",
			Format: "dot",
			SHA256: "3f1c0f5e9a7b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d",
		},
		Boundaries:    telehealthBoundaries(),
		Components:    telehealthComponents(),
		Flows:         telehealthFlows(),
		Threats:       telehealthThreats(),
		OpenQuestions: telehealthQuestions(),
		Notes:         []string{"Telehealth platform: patients and clinicians book and hold video consultations."},
		Warnings:      []string{},
	}
	link(r)
	return r
}

func b(id, label, parent string, trust int, name string, members ...string) stride.Boundary {
	return stride.Boundary{ID: id, Label: label, Parent: parent, Trust: trust, TrustName: name,
		TrustReason: "label \"" + label + "\"", Members: members}
}

func telehealthBoundaries() []stride.Boundary {
	return []stride.Boundary{
		b("cluster_internet", "Internet", "", 0, "untrusted", "clinician", "patient"),
		b("cluster_cloud", "AWS Cloud (VPC)", "", 2, "internal"),
		b("cluster_dmz", "DMZ", "cluster_cloud", 1, "dmz", "apigw", "cdn"),
		b("cluster_app", "Application Tier", "cluster_cloud", 2, "internal", "appt", "auth", "notify", "queue", "webapp"),
		b("cluster_data", "Data Tier", "cluster_app", 4, "data", "cache", "db", "docs"),
	}
}

func c(id, label, kind, boundary string, sens ...string) stride.Component {
	if sens == nil {
		sens = []string{}
	}
	return stride.Component{ID: id, Label: label, Kind: kind, KindReason: "shape", Boundary: boundary,
		Sensitivity: sens, Attributes: map[string]string{}, Threats: []string{}}
}

func telehealthComponents() []stride.Component {
	return []stride.Component{
		c("patient", "Patient", "external", "cluster_internet", "PHI", "PII"),
		c("clinician", "Clinician", "external", "cluster_internet", "PHI"),
		c("cdn", "CDN / WAF", "process", "cluster_dmz"),
		c("apigw", "API Gateway", "process", "cluster_dmz", "PHI", "credentials"),
		c("webapp", "Web App", "process", "cluster_app"),
		c("appt", "Appointments Service", "process", "cluster_app", "PCI", "PHI", "PII"),
		c("auth", "Auth Service", "process", "cluster_app", "credentials"),
		c("notify", "Notification Worker", "process", "cluster_app", "PII"),
		c("queue", "Reminder Queue (SQS)", "datastore", "cluster_app", "PII"),
		c("db", "Patient Records DB\n(PostgreSQL)", "datastore", "cluster_data", "PHI", "PII"),
		c("cache", "Session Cache (Redis)", "datastore", "cluster_data", "credentials"),
		c("docs", "Documents Bucket (S3)", "datastore", "cluster_data", "PHI"),
		c("stripe", "Stripe Payments", "external", "", "PCI"),
		c("email", "SendGrid Email", "external", "", "PII"),
	}
}

type flowSpec struct {
	id, src, dst, label, proto, enc, auth string
	sens                                  []string
	crosses                               []string
}

func telehealthFlows() []stride.Flow {
	specs := []flowSpec{
		{"f1", "patient", "cdn", "HTTPS", "https", "true", "unknown", []string{"PHI", "PII"}, []string{"cluster_internet", "cluster_cloud", "cluster_dmz"}},
		{"f2", "clinician", "cdn", "HTTPS, OIDC", "https", "true", "oauth", []string{"PHI"}, []string{"cluster_internet", "cluster_cloud", "cluster_dmz"}},
		{"f3", "cdn", "apigw", "HTTPS", "https", "true", "unknown", nil, nil},
		{"f4", "apigw", "webapp", "HTTP", "http", "false", "unknown", nil, []string{"cluster_dmz", "cluster_app"}},
		{"f5", "apigw", "appt", "gRPC, JWT", "grpc", "unknown", "jwt", []string{"PHI"}, []string{"cluster_dmz", "cluster_app"}},
		{"f6", "apigw", "auth", "HTTPS, OAuth token request", "https", "true", "oauth", []string{"credentials"}, []string{"cluster_dmz", "cluster_app"}},
		{"f7", "appt", "db", "SQL over TLS (PHI)", "sql", "true", "unknown", []string{"PHI"}, []string{"cluster_data"}},
		{"f8", "auth", "cache", "Redis, session tokens", "redis", "unknown", "none", []string{"credentials"}, []string{"cluster_data"}},
		{"f9", "appt", "docs", "S3 API, IAM role (PHI)", "https", "true", "iam", []string{"PHI"}, []string{"cluster_data"}},
		{"f10", "appt", "queue", "SQS enqueue", "sqs", "unknown", "iam", []string{"PII"}, nil},
		{"f11", "queue", "notify", "SQS poll", "sqs", "unknown", "iam", []string{"PII"}, nil},
		{"f12", "notify", "email", "SMTP", "smtp", "unknown", "unknown", []string{"PII"}, []string{"cluster_app", "cluster_cloud"}},
		{"f13", "appt", "stripe", "HTTPS, API key (card data)", "https", "true", "api-key", []string{"PCI"}, []string{"cluster_app", "cluster_cloud"}},
		{"f14", "stripe", "apigw", "Webhook HTTPS", "https", "true", "unknown", nil, []string{"cluster_cloud", "cluster_dmz"}},
		{"f15", "webapp", "auth", "OIDC token validation", "", "unknown", "oauth", []string{"credentials"}, nil},
	}
	var out []stride.Flow
	for _, s := range specs {
		f := stride.Flow{ID: s.id, Source: s.src, Target: s.dst, Label: s.label, Protocol: s.proto,
			Encrypted: s.enc, Authenticated: s.auth, Sensitivity: s.sens, Crosses: s.crosses,
			Attributes: map[string]string{}, Threats: []string{}}
		if f.Sensitivity == nil {
			f.Sensitivity = []string{}
		}
		if f.Crosses == nil {
			f.Crosses = []string{}
		}
		out = append(out, f)
	}
	return out
}

type threatSpec struct {
	rule, stride, elemType, elem, title, desc string
	l, i, residualL                           int
	controls                                  []string
	status                                    string
	mits                                      []stride.Mitigation
}

func mit(control, typ, effort, prio string) stride.Mitigation {
	return stride.Mitigation{Control: control, Type: typ, Effort: effort, Priority: prio}
}

// Category returns the STRIDE category of a letter (S, T, R, I, D, E).
func Category(letter string) stride.Category {
	c, _ := stride.ParseCategory(letter)
	return c
}

func telehealthThreats() []stride.Threat {
	specs := []threatSpec{
		{"plaintext-internal-hop", "I", "flow", "f4", "Unencrypted HTTP between API Gateway and Web App",
			"Traffic from the DMZ into the application tier uses plain HTTP; anyone on the network path can read or alter session cookies and page data.",
			4, 5, 4, nil, "Unmitigated", []stride.Mitigation{mit("Enforce TLS 1.2+ on every internal hop", "Preventive", "S", "P1")}},
		{"card-data-scope", "I", "flow", "f13", "Card data passes through the Appointments Service",
			"Card data flows through an internal service, which brings it into PCI-DSS scope; a compromise of the service exposes card numbers.",
			4, 5, 4, nil, "Unmitigated", []stride.Mitigation{
				mit("Tokenise card data client-side with Stripe Elements", "Preventive", "L", "P1"),
				mit("Restrict outbound egress to the Stripe API", "Preventive", "S", "P2")}},
		{"unauthenticated-webhook", "S", "flow", "f14", "Webhook caller is not authenticated",
			"The Stripe webhook endpoint accepts requests with no stated authentication; an attacker can forge payment events.",
			4, 4, 4, nil, "Unmitigated", []stride.Mitigation{mit("Verify Stripe webhook signatures", "Preventive", "S", "P1")}},
		{"phi-store-exfil", "I", "component", "db", "Bulk exfiltration of patient records",
			"The Patient Records DB holds PHI; a compromised Appointments Service can read all records.",
			3, 5, 2, []string{"SQL over TLS"}, "Partial", []stride.Mitigation{
				mit("Encrypt PHI columns with per-tenant keys", "Preventive", "L", "P1"),
				mit("Alert on anomalous query volume", "Detective", "M", "P2")}},
		{"session-token-theft", "S", "flow", "f8", "Session tokens readable in Redis without authentication",
			"The Session Cache is reached with no authentication; a foothold in the application tier can replay session tokens.",
			3, 4, 3, nil, "Unmitigated", []stride.Mitigation{mit("Enable Redis AUTH and TLS", "Preventive", "S", "P1")}},
		{"edge-dos", "D", "component", "cdn", "Volumetric attack on the public edge",
			"The CDN / WAF is the only internet-facing entry; a volumetric attack makes consultations unavailable.",
			3, 4, 2, []string{"CDN / WAF"}, "Partial", []stride.Mitigation{mit("Rate limiting and DDoS protection at the edge", "Preventive", "M", "P2")}},
		{"missing-audit-log", "R", "component", "appt", "No audit trail of record access",
			"The diagram shows no audit logging; clinicians' access to patient records cannot be attributed, as HIPAA requires.",
			3, 3, 3, nil, "Unmitigated", []stride.Mitigation{mit("Central tamper-evident audit log", "Detective", "M", "P2")}},
		{"jwt-validation", "E", "flow", "f5", "JWT claims trusted without validation",
			"The Appointments Service may trust JWT claims forwarded by the gateway without checking signature and audience.",
			2, 5, 2, nil, "Unmitigated", []stride.Mitigation{mit("Validate JWT signature, audience and expiry in each service", "Preventive", "S", "P2")}},
		{"queue-tampering", "T", "component", "queue", "Reminder messages can be altered in the queue",
			"Messages in the Reminder Queue are not signed; a principal with queue access can change recipients.",
			2, 3, 2, nil, "Unmitigated", []stride.Mitigation{mit("Least-privilege IAM policy on the queue", "Preventive", "S", "P3")}},
		{"smtp-plaintext", "I", "flow", "f12", "Reminder e-mails sent over SMTP without stated TLS",
			"The Notification Worker sends reminders by SMTP; without TLS patient names and appointment times travel in clear.",
			2, 3, 2, nil, "Unmitigated", []stride.Mitigation{mit("Require STARTTLS to the mail provider", "Preventive", "S", "P3")}},
		{"bucket-misconfig", "I", "component", "docs", "Public exposure of the Documents Bucket",
			"A bucket policy mistake would expose uploaded clinical documents.",
			1, 5, 1, []string{"IAM role"}, "Mitigated", []stride.Mitigation{mit("Block public access on the account", "Preventive", "S", "P3")}},
		{"clinician-spoofing", "S", "component", "clinician", "Clinician account takeover",
			"Stolen clinician credentials give access to every patient's records.",
			1, 4, 1, []string{"OIDC"}, "Mitigated", []stride.Mitigation{mit("Phishing-resistant MFA for clinicians", "Preventive", "M", "P3")}},
	}
	var out []stride.Threat
	for n, s := range specs {
		score := s.l * s.i
		t := stride.Threat{
			ID: fmt.Sprintf("T-%03d", n+1), Rule: s.rule, Stride: s.stride, Category: Category(s.stride),
			Element: stride.ElementRef{Type: s.elemType, ID: s.elem}, Title: s.title, Description: s.desc,
			Likelihood: s.l, Impact: s.i, Score: score, Severity: stride.Band(score),
			ExistingControls: s.controls, ResidualLikelihood: s.residualL, ResidualScore: s.residualL * s.i,
			ResidualRisk: stride.Band(s.residualL * s.i), Status: s.status, Mitigations: s.mits,
			EntryPoints: []string{},
		}
		if t.ExistingControls == nil {
			t.ExistingControls = []string{}
		}
		out = append(out, t)
	}
	return out
}

func telehealthQuestions() []stride.OpenQuestion {
	return []stride.OpenQuestion{
		{ID: "OQ-1", Element: stride.ElementRef{Type: "flow", ID: "f1"},
			Question: "How do patients authenticate to the platform?",
			Impact:   "Unknown authentication on the main entry point keeps spoofing threats at full likelihood."},
		{ID: "OQ-2", Element: stride.ElementRef{Type: "flow", ID: "f8"},
			Question: "Is the Redis connection encrypted and authenticated?",
			Impact:   "If it is, the session token threat drops to Low."},
		{ID: "OQ-3", Element: stride.ElementRef{Type: "component", ID: "appt"},
			Question: "Does the Appointments Service store or log card numbers?",
			Impact:   "Storage would extend PCI-DSS scope to the data tier."},
	}
}

// link fills the cross references that the STRIDE engine derives: element
// names, component and flow threat lists, entry points, maximum severities,
// open-question threats and the summary.
func link(r *stride.Report) {
	comp := map[string]*stride.Component{}
	for i := range r.Components {
		comp[r.Components[i].ID] = &r.Components[i]
	}
	flow := map[string]*stride.Flow{}
	trust := map[string]int{}
	for _, bd := range r.Boundaries {
		trust[bd.ID] = bd.Trust
	}
	zoneTrust := func(id string) int {
		if c := comp[id]; c != nil && c.Boundary != "" {
			return trust[c.Boundary]
		}
		return 0
	}
	r.EntryPoints = nil
	for i := range r.Flows {
		f := &r.Flows[i]
		flow[f.ID] = f
		f.EntryPoint = ""
		if len(f.Crosses) == 0 {
			continue
		}
		ep := stride.EntryPoint{ID: fmt.Sprintf("EP-%02d", len(r.EntryPoints)+1), Flow: f.ID,
			From: f.Source, To: f.Target, Boundaries: f.Crosses, Threats: []string{}}
		switch st, dt := zoneTrust(f.Source), zoneTrust(f.Target); {
		case dt > st:
			ep.Direction = "inbound"
		case dt < st:
			ep.Direction = "outbound"
		default:
			ep.Direction = "lateral"
		}
		f.EntryPoint = ep.ID
		r.EntryPoints = append(r.EntryPoints, ep)
	}
	epIndex := map[string]int{}
	for i, ep := range r.EntryPoints {
		epIndex[ep.ID] = i
	}
	raise := func(c *stride.Component, sev stride.Severity) {
		c.MaxSeverity = stride.MaxSeverity(c.MaxSeverity, sev)
	}
	for i := range r.Threats {
		t := &r.Threats[i]
		if t.Element.Type == "component" {
			c := comp[t.Element.ID]
			t.ElementName = c.Label
			c.Threats = append(c.Threats, t.ID)
			raise(c, t.ResidualRisk)
			continue
		}
		f := flow[t.Element.ID]
		t.ElementName = comp[f.Source].Label + " → " + comp[f.Target].Label
		f.Threats = append(f.Threats, t.ID)
		raise(comp[f.Source], t.ResidualRisk)
		raise(comp[f.Target], t.ResidualRisk)
		if f.EntryPoint != "" {
			t.EntryPoints = []string{f.EntryPoint}
			ep := &r.EntryPoints[epIndex[f.EntryPoint]]
			ep.Threats = append(ep.Threats, t.ID)
		}
	}
	for i := range r.OpenQuestions {
		q := &r.OpenQuestions[i]
		q.Threats = []string{}
		for _, t := range r.Threats {
			if t.Element == q.Element {
				q.Threats = append(q.Threats, t.ID)
			}
		}
	}
	r.Summary = stride.Summary{
		Components: len(r.Components), Flows: len(r.Flows), Boundaries: len(r.Boundaries),
		EntryPoints: len(r.EntryPoints), Threats: len(r.Threats),
		BySeverity: map[stride.Severity]int{}, ByCategory: map[stride.Category]int{},
	}
	for _, t := range r.Threats {
		r.Summary.BySeverity[t.ResidualRisk]++
		r.Summary.ByCategory[t.Category]++
	}
}

// Large returns the telehealth report with n generated threats spread over
// its components and flows, for benchmarks and size tests.
func Large(n int) *stride.Report {
	r := Telehealth()
	base := r.Threats
	r.Threats = make([]stride.Threat, 0, n)
	for i := 0; i < n; i++ {
		t := base[i%len(base)]
		t.ID = fmt.Sprintf("T-%05d", i+1)
		t.Likelihood = 1 + i%5
		t.Impact = 1 + (i/5)%5
		t.Score = t.Likelihood * t.Impact
		t.Severity = stride.Band(t.Score)
		t.ResidualLikelihood = t.Likelihood
		t.ResidualScore = t.Score
		t.ResidualRisk = t.Severity
		t.Title = fmt.Sprintf("%s (#%d)", t.Title, i+1)
		t.Mitigations = append([]stride.Mitigation(nil), t.Mitigations...)
		r.Threats = append(r.Threats, t)
	}
	for i := range r.Components {
		r.Components[i].Threats = []string{}
		r.Components[i].MaxSeverity = ""
	}
	for i := range r.Flows {
		r.Flows[i].Threats = []string{}
	}
	link(r)
	return r
}

// Wide returns a report as wide as a large architecture, for benchmarks
// and tests of writers that must scale with every part of a report, not
// only the threats: n components alternating between the internet and the
// application tier, a flow from each to the next (every flow crosses a
// boundary, so every flow is an entry point), a threat on every component
// and every flow with a control of its own, and an open question on every
// flow.
func Wide(n int) *stride.Report {
	r := Telehealth()
	base := r.Threats
	zones := [][]string{{"cluster_internet"}, {"cluster_cloud", "cluster_app"}}
	r.Components = make([]stride.Component, 0, n)
	for i := 0; i < n; i++ {
		r.Components = append(r.Components, c(fmt.Sprintf("w%d", i), fmt.Sprintf("Service %d", i),
			"process", zones[i%2][len(zones[i%2])-1], "PII"))
	}
	r.Flows = make([]stride.Flow, 0, n)
	r.OpenQuestions = make([]stride.OpenQuestion, 0, n)
	for i := 1; i < n; i++ {
		id := fmt.Sprintf("wf%d", i)
		crosses := append(append([]string(nil), zones[(i-1)%2]...), zones[i%2]...)
		r.Flows = append(r.Flows, stride.Flow{ID: id, Source: fmt.Sprintf("w%d", i-1), Target: fmt.Sprintf("w%d", i),
			Label: fmt.Sprintf("HTTPS call %d", i), Protocol: "https", Encrypted: "true", Authenticated: []string{"unknown", "jwt"}[i%2],
			Sensitivity: []string{"PII"}, Crosses: crosses, Attributes: map[string]string{}, Threats: []string{}})
		r.OpenQuestions = append(r.OpenQuestions, stride.OpenQuestion{ID: fmt.Sprintf("OQ-%d", i),
			Element:  stride.ElementRef{Type: "flow", ID: id},
			Question: fmt.Sprintf("How does Service %d authenticate to Service %d?", i-1, i),
			Impact:   "Unknown authentication keeps spoofing threats at full likelihood."})
	}
	r.Threats = make([]stride.Threat, 0, 2*n)
	add := func(typ, elem, name string) {
		i := len(r.Threats)
		t := base[i%len(base)]
		t.ID = fmt.Sprintf("T-%05d", i+1)
		t.Element = stride.ElementRef{Type: typ, ID: elem}
		t.Title = fmt.Sprintf("%s (%s)", t.Title, name)
		t.Mitigations = []stride.Mitigation{mit("Harden "+name, "Preventive", "S", "P2")}
		t.EntryPoints = []string{}
		r.Threats = append(r.Threats, t)
	}
	for _, comp := range r.Components {
		add("component", comp.ID, comp.Label)
	}
	for _, f := range r.Flows {
		add("flow", f.ID, f.Label)
	}
	link(r)
	return r
}
