package catalog

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testcorpus"
)

var update = flag.Bool("update", false, "rewrite docs/technologies.md")

// TestDefaultCatalog checks the embedded data file as a whole: it loads,
// it is big enough, and every entry is usable.
func TestDefaultCatalog(t *testing.T) {
	m, err := Parse("technologies.yaml", defaultData)
	if err != nil {
		t.Fatal(err)
	}
	techs := m.Techs()
	named := 0
	ids := map[string]bool{}
	roles := map[Role]int{}
	for _, tc := range techs {
		if ids[tc.ID] {
			t.Errorf("duplicate id %q", tc.ID)
		}
		ids[tc.ID] = true
		if !tc.Generic {
			named++
		}
		if !slices.Contains(Kinds, tc.Kind) || !validRole(tc.Role) {
			t.Errorf("%s: kind %q role %q outside the vocabularies", tc.ID, tc.Kind, tc.Role)
		}
		if len(tc.Aliases) == 0 && len(tc.Styles) == 0 {
			t.Errorf("%s: nothing can match it", tc.ID)
		}
		if tc.Sources == "" || tc.Line == 0 || tc.Group == "" {
			t.Errorf("%s: sources %q line %d group %q", tc.ID, tc.Sources, tc.Line, tc.Group)
		}
		roles[tc.Role]++
	}
	if len(techs) < 200 || named < 200 {
		t.Errorf("catalog has %d technologies, %d named; want at least 200 named", len(techs), named)
	}
	// Every role the analysis keys on has at least one technology.
	for _, r := range Roles {
		if roles[r.Role] == 0 {
			t.Errorf("role %q has no technology", r.Role)
		}
	}
	// The facts the brief names are there.
	for id, check := range map[string]func(*Tech) bool{
		"redis": func(t *Tech) bool {
			return t.Facts.AuthDefault == AuthNone && slices.ContainsFunc(t.Hardening.All(), func(h string) bool { return strings.Contains(h, "ACL") })
		},
		"postgresql": func(t *Tech) bool {
			return slices.ContainsFunc(t.Hardening.All(), func(h string) bool { return strings.Contains(h, "row-level security") })
		},
		"memcached": func(t *Tech) bool { return t.Facts.AuthDefault == AuthNone },
		"mongodb":   func(t *Tech) bool { return t.Facts.AuthDefault == AuthNone },
		"etcd":      func(t *Tech) bool { return t.Facts.HoldsSecrets && t.Role == RoleStateStore },
		"kubelet":   func(t *Tech) bool { return t.Role == RoleNodeAgent && t.Facts.Privileged },
		"stripe": func(t *Tech) bool {
			return slices.Contains(t.Data, DataPCI) && slices.Contains(t.Data, DataWebhooks) &&
				slices.ContainsFunc(t.Hardening.All(), func(h string) bool { return strings.Contains(h, "restricted API keys") })
		},
		"okta": func(t *Tech) bool {
			return slices.Contains(t.Data, DataCredentials) && slices.Contains(t.Data, DataTenantConfig)
		},
		"amazon-ses": func(t *Tech) bool { return slices.Contains(t.Data, DataPII) },
		"generic-waf": func(t *Tech) bool {
			return slices.Contains(t.ProvidedControls(), "waf")
		},
		"amazon-api-gateway": func(t *Tech) bool {
			return slices.Contains(t.ProvidesWhenConfigured, "rate-limiting") && slices.Contains(t.ProvidesWhenConfigured, "authentication")
		},
		"amazon-cloudfront": func(t *Tech) bool { return slices.Contains(t.ProvidedControls(), "ddos-protection") },
		"amazon-rds":        func(t *Tech) bool { return t.Managed && t.Provider == "aws" },
		"openai-api":        func(t *Tech) bool { return t.Facts.PromptInjectable && slices.Contains(t.Refs, "CWE-1427") },
		"aws-secrets-manager": func(t *Tech) bool {
			return t.Facts.HoldsSecrets && t.Role == RoleSecretsManager
		},
	} {
		tc, ok := m.Lookup(id)
		if !ok {
			t.Errorf("%s missing", id)
			continue
		}
		if !check(tc) {
			t.Errorf("%s: facts %+v data %v provides %v", id, tc.Facts, tc.Data, tc.Provides)
		}
	}
}

// TestParseErrors feeds the loader broken catalogs: each must fail with an
// input error naming the line.
func TestParseErrors(t *testing.T) {
	const head = "groups:\n  - name: G\n    sources: docs\n    technologies:\n"
	tests := []struct {
		name, yaml, want string
		line             int
	}{
		{"duplicate id", head + "      - {id: a, name: A, kind: process, role: cache, aliases: [a]}\n      - {id: a, name: B, kind: process, role: cache, aliases: [b]}\n", `id "a" is already used on line 5`, 6},
		{"unknown role", head + "      - {id: a, name: A, kind: process, role: teapot, aliases: [a]}\n", `role "teapot" is not in the role vocabulary`, 5},
		{"unknown kind", head + "      - {id: a, name: A, kind: robot, role: cache, aliases: [a]}\n", `kind "robot"`, 5},
		{"unknown field", head + "      - id: a\n        name: A\n        kind: process\n        role: cache\n        alias: [a]\n", `unknown field "alias" in technology`, 9},
		{"unknown fact", head + "      - id: a\n        name: A\n        kind: process\n        role: cache\n        aliases: [a]\n        facts: {auth: none}\n", `unknown field "auth" in facts`, 10},
		{"unknown hardening concern", head + "      - id: a\n        name: A\n        kind: process\n        role: cache\n        aliases: [a]\n        hardening: {tls: [x]}\n", `unknown field "tls" in hardening`, 10},
		{"hardening as a list", head + "      - id: a\n        name: A\n        kind: process\n        role: cache\n        aliases: [a]\n        hardening: [x]\n", `hardening must be a mapping`, 10},
		{"no alias or style", head + "      - {id: a, name: A, kind: process, role: cache}\n", "nothing could match it", 5},
		{"bad ref", head + "      - {id: a, name: A, kind: process, role: cache, aliases: [a], refs: [CVE-1]}\n", `"CVE-1" is not a CWE-n or CAPEC-n id`, 5},
		{"bad data class", head + "      - {id: a, name: A, kind: process, role: cache, aliases: [a], data: [gold]}\n", `data class "gold"`, 5},
		{"bad control", head + "      - {id: a, name: A, kind: process, role: cache, aliases: [a], provides: [magic]}\n", `control "magic"`, 5},
		{"bad scope", head + "      - {id: a, name: A, kind: process, role: cache, aliases: [a], provides: [{control: tls, to: everywhere, note: n}]}\n", `scope "everywhere"`, 5},
		{"credited without note", head + "      - {id: a, name: A, kind: process, role: cache, aliases: [a], provides: [{control: tls, to: self}]}\n", "has no note", 5},
		{"note without scope", head + "      - {id: a, name: A, kind: process, role: cache, aliases: [a], provides: [{control: tls, note: n}]}\n", "has a note but no scope", 5},
		{"toward without outbound", head + "      - {id: a, name: A, kind: process, role: cache, aliases: [a], provides: [{control: iam, to: self, toward: aws, note: n}]}\n", "not credited outbound", 5},
		{"bad carrying", head + "      - {id: a, name: A, kind: process, role: cache, aliases: [a], provides: [{control: iam, to: outbound, carrying: gold, note: n}]}\n", `carrying "gold"`, 5},
		{"unknown provided field", head + "      - id: a\n        name: A\n        kind: process\n        role: cache\n        aliases: [a]\n        provides: [{control: tls, scope: self}]\n", `unknown field "scope" in provided control`, 10},
		{"managed without provider", head + "      - {id: a, name: A, kind: process, role: cache, aliases: [a], managed: true}\n", "managed but no provider", 5},
		{"bad auth default", head + "      - {id: a, name: A, kind: process, role: cache, aliases: [a], facts: {auth_default: maybe}}\n", `auth_default "maybe"`, 5},
		{"bad id", head + "      - {id: A_B, name: A, kind: process, role: cache, aliases: [a]}\n", "lower-case words", 5},
		{"alias of two", head + "      - {id: a, name: A, kind: process, role: cache, aliases: [Redis Cache]}\n      - {id: b, name: B, kind: process, role: cache, aliases: [redis-cache]}\n", `alias "redis-cache" of "b" is also an alias of "a"`, 6},
		{"style of two", head + "      - {id: a, name: A, kind: process, role: cache, styles: [mxgraph.x.y]}\n      - {id: b, name: B, kind: process, role: cache, styles: [MXGRAPH.X.Y]}\n", `style "MXGRAPH.X.Y" of "b" is also a style of "a"`, 6},
		{"heads on a named product", head + "      - {id: a, name: A, kind: process, role: cache, aliases: [a], heads: {words: [cache]}}\n", "heads are for generic entries", 5},
		{"head of two words", head + "      - {id: a, name: A, kind: process, role: cache, generic: true, aliases: [a], heads: {words: [hot cache]}}\n", `head "hot cache" is not one word`, 5},
		{"head unless an unknown role", head + "      - {id: a, name: A, kind: process, role: cache, generic: true, aliases: [a], heads: {words: [cache], unless: [teapot]}}\n", `heads: role "teapot"`, 5},
		{"unknown heads field", head + "      - id: a\n        name: A\n        kind: process\n        role: cache\n        generic: true\n        aliases: [a]\n        heads: {word: [x]}\n", `unknown field "word" in heads`, 11},
		{"no groups", "groups: []\n", "no groups", 1},
		{"not yaml", "groups: [\n", "not a valid catalog file", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tt.yaml))
			var ie *graph.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v (%T), want *graph.InputError", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) || ie.Pos.Line != tt.line || ie.File != "bad.yaml" {
				t.Errorf("error %q at line %d, want %q at line %d", err, ie.Pos.Line, tt.want, tt.line)
			}
		})
	}
}

// TestGroupDefaults checks that an entry's own value, even false or [],
// beats its group's default.
func TestGroupDefaults(t *testing.T) {
	data := `groups:
  - name: G
    sources: vendor docs
    defaults: {kind: datastore, role: database, provider: aws, managed: true, data: [PII], refs: [CWE-89]}
    technologies:
      - {id: a, name: A, aliases: [a]}
      - {id: b, name: B, aliases: [b], managed: false, data: [], refs: [], kind: process, sources: own}
      - {id: c, name: C, aliases: [c], generic: true}
`
	m, err := Parse("g.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := m.Lookup("a")
	b, _ := m.Lookup("b")
	c, _ := m.Lookup("c")
	if !a.Managed || a.Kind != KindDatastore || a.Provider != "aws" || !slices.Equal(a.Data, []string{"PII"}) || a.Sources != "vendor docs" || a.Line != 6 {
		t.Errorf("a = %+v", a)
	}
	if b.Managed || b.Kind != KindProcess || len(b.Data) != 0 || len(b.Refs) != 0 || b.Sources != "own" {
		t.Errorf("b = %+v", b)
	}
	if c.Managed {
		t.Errorf("generic entry inherited managed: %+v", c)
	}
}

// TestTechnologiesDoc fails when docs/technologies.md is not what the data
// file generates. Refresh it with go generate ./stride/catalog.
func TestTechnologiesDoc(t *testing.T) {
	var b bytes.Buffer
	if err := Default().WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(testcorpus.RepoRoot(t), "docs", "technologies.md")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Errorf("docs/technologies.md is stale: run go generate ./stride/catalog")
	}
	for _, want := range []string{"| `etcd` | etcd | datastore | orchestrator-state-store | auth none; tls off; secrets; privileged; ports 2379/2380<br>plain HTTP and no client authentication", "## Roles", "Records Service"} {
		if !bytes.Contains(b.Bytes(), []byte(want)) {
			t.Errorf("doc lacks %q", want)
		}
	}
}

// TestParseProvided reads both forms of a provided control: a bare id
// (offered, not credited) and a mapping with one scope or several.
func TestParseProvided(t *testing.T) {
	const data = "groups:\n  - name: G\n    sources: docs\n    technologies:\n" +
		"      - id: a\n        name: A\n        kind: process\n        role: cache\n        aliases: [a]\n" +
		"        provides:\n          - waf\n          - {control: tls, to: self, note: always on}\n" +
		"          - {control: iam, to: [outbound, contained], toward: aws, note: signs its calls}\n"
	m, err := Parse("p.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := m.Lookup("a")
	want := []Provided{
		{Control: "waf"},
		{Control: "tls", To: []Scope{ScopeSelf}, Note: "always on"},
		{Control: "iam", To: []Scope{ScopeOutbound, ScopeContained}, Note: "signs its calls", Toward: "aws"},
	}
	if !reflect.DeepEqual(a.Provides, want) {
		t.Errorf("provides = %+v, want %+v", a.Provides, want)
	}
	if got := a.ProvidedControls(); !reflect.DeepEqual(got, []string{"waf", "tls", "iam"}) {
		t.Errorf("ProvidedControls = %v", got)
	}
	if got := a.Credits(ScopeContained); len(got) != 1 || got[0].Control != "iam" {
		t.Errorf("Credits(contained) = %+v", got)
	}
	if a.Provides[0].Credited(ScopeSelf) {
		t.Errorf("a bare control is credited")
	}
}

// TestCatalogCreditsHaveSources: every credited control in the embedded
// catalog names the documentation it comes from in its note, so the
// threat that credits it can say why.
func TestCatalogCreditsHaveSources(t *testing.T) {
	n := 0
	for _, tc := range Default().Techs() {
		for _, p := range tc.Provides {
			if len(p.To) == 0 {
				continue
			}
			n++
			if !strings.Contains(p.Note, "(") || !strings.HasSuffix(p.Note, ")") {
				t.Errorf("%s: %s: note %q does not end with its source in parentheses", tc.ID, p.Control, p.Note)
			}
		}
	}
	if n < 30 {
		t.Errorf("%d credited controls in the catalog, want at least 30", n)
	}
}
