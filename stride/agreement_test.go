package stride

import (
	"regexp"
	"strings"
	"testing"
)

// listFields render a list of names ("A, B and C"): one name or many, so
// a verb written right after one agrees with only one of them ("Orders
// API query", "API Gateway and Web App depends").
var listFields = `Senders|Receivers|InternetSenders|KeyedReceivers|StoresWritten|SensitiveStores|Queues|Externals|` +
	`Writers|Readers|UntrustedWriters|HumanSenders|ProxySenders|Databases|LLMReceivers|SecretsStores|` +
	`IdentityStores|BuildPipelines|AuditLogs|CredentialHolders|SignInPeople|AdminPaths`

// listSubject finds a list field that opens a sentence, a clause after a
// colon or semicolon, or a template branch, followed by a lower-case word:
// the list is the subject of that word.
var listSubject = regexp.MustCompile(`(?:^|[.:;]\s+|\{\{(?:else|end|if [^}]*)\}\})\{\{\.(?:` + listFields + `)\}\}\s+([a-z]+)`)

// notVerbs may follow a list subject: modals, which agree with one name
// and many, and words that do not make the list a subject.
var notVerbs = map[string]bool{"can": true, "cannot": true, "must": true, "may": true, "will": true, "would": true,
	"should": true, "and": true, "or": true, "with": true, "as": true, "to": true, "on": true, "in": true}

// No rule text makes a list of names the subject of a verb: the verb
// would agree with one name or with several, never with both. Rewrite
// the sentence so the verb does not depend on the count ("X is called by
// {{.Senders}}").
func TestListFieldsAreNotSubjects(t *testing.T) {
	for _, r := range DefaultRules() {
		texts := map[string]string{"title": r.Title, "description": r.Description, "why": r.Why,
			"group_title": r.GroupTitle, "group_description": r.GroupDescription}
		for i, m := range r.Mitigations {
			texts["mitigation "+string(rune('1'+i))] = m.Control
		}
		for field, text := range texts {
			text = strings.Join(strings.Fields(text), " ")
			for _, m := range listSubject.FindAllStringSubmatch(text, -1) {
				if !notVerbs[m[1]] {
					t.Errorf("%s %s: a list of names is the subject of %q in %q", r.ID, field, m[1], m[0])
				}
			}
		}
	}
}

// The check finds a list opening a sentence or a branch, and lets a
// list that is an object or a modal's subject pass.
func TestListSubjectPattern(t *testing.T) {
	for text, want := range map[string]string{
		"{{.Senders}} depend on {{.Name}}.":                              "depend",
		"It fails. {{.UntrustedWriters}} query {{.Name}}.":               "query",
		"{{if .X}}a{{else}}{{.AdminPaths}} administer the system{{end}}": "administer",
		"Impersonation: {{.Senders}} delivers to a look-alike":           "delivers",
		"{{.Name}} is called by {{.Senders}}.":                           "",
		"{{.Receivers}} can tell.":                                       "",
	} {
		got := ""
		for _, m := range listSubject.FindAllStringSubmatch(text, -1) {
			if !notVerbs[m[1]] {
				got = m[1]
			}
		}
		if got != want {
			t.Errorf("%q: flagged %q, want %q", text, got, want)
		}
	}
}
