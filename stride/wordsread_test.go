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

// TestMisspeltTechnology checks that a misspelt product name is read as the
// product, with a warning that says what was assumed.
func TestMisspeltTechnology(t *testing.T) {
	r := analyze(t, mini(t, []string{"app:App Tier:"}, []string{"x:PostgresSQL:cylinder:app"}, nil), Options{})
	if c := r.Components[0]; c.Technology != "PostgreSQL" {
		t.Fatalf("PostgresSQL read as %q (%s), want PostgreSQL", c.Technology, c.TechnologyReason)
	}
	if w := strings.Join(r.Warnings, "\n"); !strings.Contains(w, "assumed to be PostgreSQL") {
		t.Errorf("warnings %q do not say what was assumed", r.Warnings)
	}
}
