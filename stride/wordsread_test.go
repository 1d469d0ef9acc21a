package stride

import (
	"strings"
	"testing"
)

// TestTechnologyReading checks readings of technology words that mean
// something else than the first product they name (held-out defect 6, on
// labels of our own): a pages service is not the code host, a product
// named as who runs an element is its provider, a vision or search API is
// not a language model, a guardrail is not a model.
func TestTechnologyReading(t *testing.T) {
	tests := []struct {
		label      string
		role, tech string
	}{
		{"GitHub Pages", "static-hosting", "GitHub Pages"},
		{"Docs site (GitLab Pages)", "static-hosting", "GitLab Pages"},
		{"GitHub", "source-repository", "GitHub"},
		{"Build/Deploy (GitHub managed)", "ci-cd", "CI/CD pipeline"},
		{"Build and deploy, hosted on GitLab", "ci-cd", "CI/CD pipeline"},
		{"Release notes (GitHub hosted)", "", ""},
		{"Azure Cognitive Services", "ai-service", "Azure AI services (Cognitive Services)"},
		{"Rekognition image search", "ai-service", "AWS AI services (Rekognition, Comprehend, Textract, Lex, Polly, Transcribe, Translate)"},
		{"Azure AI services language model", "llm-api", "LLM API"},
		{"Amazon Bedrock", "llm-api", "Amazon Bedrock"},
		{"Bedrock Guardrails content filter", "ai-guardrail", "Amazon Bedrock Guardrails"},
		{"Content moderation filter", "ai-guardrail", "LLM guardrail"},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			r := analyze(t, mini(t, []string{"app:App Tier:"}, []string{"x:" + tc.label + "::app"}, nil), Options{})
			c := r.Components[0]
			if c.Role != tc.role || c.Technology != tc.tech {
				t.Fatalf("%q read as role %q, technology %q (%s); want %q, %q", tc.label, c.Role, c.Technology, c.TechnologyReason, tc.role, tc.tech)
			}
		})
	}
}

// TestCloudReadingKeepsEveryMatch: with products of two clouds, every
// component keeps its own match (components after the second cloud's
// product were left without one).
func TestCloudReadingKeepsEveryMatch(t *testing.T) {
	r := analyze(t, mini(t, []string{"app:App Tier:"},
		[]string{"a:Azure Monitor::app", "b:AWS Lambda::app", "c:Redis cache::app", "d:PostgreSQL:cylinder:app"}, nil), Options{})
	for _, c := range r.Components {
		if c.Technology == "" {
			t.Errorf("%s: no technology", strings.TrimSpace(c.Label))
		}
	}
}

// TestStoreByWords checks that a database named alone but drawn as a
// process is read as a data store, with a warning that says so, and that
// software named after a store stays a process.
func TestStoreByWords(t *testing.T) {
	tests := []struct {
		label string
		kind  string
		warn  string // part of a report warning, "" for none
	}{
		{"PostgresSQL", "datastore", "assumed to be PostgreSQL"},
		{"Postgres", "datastore", "read as a data store"},
		{"Orders DB", "datastore", "read as a data store"},
		{"Customer SQL database", "datastore", "read as a data store"},
		{"Postgres sync service", "process", ""},
		{"Redis exporter", "process", ""},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			r := analyze(t, mini(t, []string{"app:App Tier:"}, []string{"x:" + tc.label + ":circle:app"}, nil), Options{})
			if got := r.Components[0].Kind; got != tc.kind {
				t.Fatalf("%q drawn as a process read as %s (%s), want %s", tc.label, got, r.Components[0].KindReason, tc.kind)
			}
			warned := strings.Join(r.Warnings, "\n")
			if tc.warn == "" && warned != "" || !strings.Contains(warned, tc.warn) {
				t.Errorf("warnings %q, want one saying %q", r.Warnings, tc.warn)
			}
		})
	}
}
