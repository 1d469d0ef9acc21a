package stride

import (
	"slices"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// What the technology catalog (stride/catalog) tells the analysis about a
// component: its technology and role, the kind of an element the diagram
// leaves unclear (an unlabelled icon), whether a provider runs it, the data
// its presence implies, and the facts rules read (authentication off by
// default, holds secrets, privileged, follows instructions in its input).

// techOf matches a component against the catalog; nil when nothing matches.
// Two readings correct the best match (see readTech).
func techOf(c *graph.Component) techMatch {
	in := catalog.InputOf(c)
	m, ok := catalog.Default().Match(in)
	if ok && !techInContext(c.Label, m) {
		return techMatch{}
	}
	if !ok {
		if m, ok := catalog.Default().Near(in.Label); ok {
			return techMatch{tech: m.Tech, why: m.Reason, assumed: m.Tech.Name}
		}
		return techMatch{}
	}
	return readTech(in, m)
}

// readTech reads the best match m of in as a person reads the label:
//
//   - A product named as who runs the element ("Build/Deploy (GitHub
//     managed)", "docs hosted on GitLab") is the provider, not what the
//     element is: the rest of the label decides (a generic entry such as
//     "build/deploy" read as a CI/CD pipeline, run by that provider), and
//     without one the element has no technology.
//   - A managed AI service for vision, speech or search (ai-service) is an
//     LLM only where the label also names a language model.
func readTech(in catalog.Input, m catalog.Match) techMatch {
	if m.Source == catalog.FromLabel && !m.Tech.Generic {
		if q := providerPhrase(in.Label, m.Evidence); q != "" {
			for _, x := range catalog.Default().MatchAll(in) {
				if x.Tech.Generic && x.Source == catalog.FromLabel && !strings.Contains(strings.ToLower(x.Evidence), strings.ToLower(m.Evidence)) {
					return techMatch{tech: x.Tech, why: x.Reason + "; " + strconv.Quote(q) + " names who runs it", managedBy: m.Tech.Name}
				}
			}
			return techMatch{}
		}
	}
	if m.Tech.Role == catalog.RoleAIService {
		for _, x := range catalog.Default().MatchAll(in) {
			if x.Tech.Role == catalog.RoleLLMAPI {
				return techMatch{tech: x.Tech, why: x.Reason + "; the label names a language model beside " + m.Tech.Name}
			}
		}
	}
	return techMatch{tech: m.Tech, why: m.Reason}
}

// providerPhrase returns the words of label that name product ev as who
// runs or hosts the element ("GitHub managed", "hosted on GitHub"), ""
// when ev names the element itself.
func providerPhrase(label, ev string) string {
	w := newWords(label)
	p := newWords(ev)
	if len(p.toks) == 0 {
		return ""
	}
	for i := 0; i+len(p.toks) <= len(w.toks); i++ {
		if !slices.Equal(w.toks[i:i+len(p.toks)], p.toks) {
			continue
		}
		end := i + len(p.toks)
		if end < len(w.toks) && providerAfter[w.toks[end]] {
			return strings.Join(w.toks[i:end+1], " ")
		}
		if i >= 2 && providerBefore[w.toks[i-2]] && providerPrep[w.toks[i-1]] {
			return strings.Join(w.toks[i-2:end], " ")
		}
	}
	return ""
}

var (
	// providerAfter follow a product that runs the element ("GitHub
	// managed", "GitHub-hosted").
	providerAfter = map[string]bool{"managed": true, "hosted": true, "operated": true, "provided": true}
	// providerBefore and providerPrep come before it ("managed by",
	// "hosted on").
	providerBefore = map[string]bool{"managed": true, "hosted": true, "run": true, "operated": true, "provided": true, "served": true}
	providerPrep   = map[string]bool{"by": true, "on": true, "in": true, "at": true}
)

// techMatch is a component's technology and why; managedBy names the
// product the label says runs it ("GitHub" in "Build (GitHub managed)").
type techMatch struct {
	tech      *catalog.Tech
	why       string
	managedBy string
	// assumed names the technology a misspelt word was read as
	// (catalog.Matcher.Near), "" for an exact match: the report warns.
	assumed string
}

// cloudPrefix is the word a provider's own product names start with
// ("AWS IAM", "Azure Monitor", "GCP IAM").
var cloudPrefix = map[string]string{"aws": "aws", "azure": "azure", "gcp": "gcp"}

// cloudTechs matches every component against the catalog, then reads a
// generic match in the light of the diagram's cloud: when the products
// the diagram names belong to one cloud provider (EC2 and nothing from
// another cloud), a label that is a generic category on its own but that
// provider's product with its name in front ("IAM" next to EC2 is AWS
// IAM, a service AWS runs, not an identity provider the owner operates)
// is read as that product, provided it does the same job (same role).
func cloudTechs(cs []*graph.Component) []techMatch {
	out := make([]techMatch, len(cs))
	cloud := ""
	for i, c := range cs {
		out[i] = techOf(c)
	}
	for _, m := range out {
		t := m.tech
		if t == nil || t.Generic || cloudPrefix[t.Provider] == "" {
			continue
		}
		if cloud != "" && cloud != t.Provider {
			// Two clouds: no reading is safe. (Every component is
			// matched above first: returning from that loop left the
			// components after the second cloud's product unmatched.)
			return out
		}
		cloud = t.Provider
	}
	if cloud == "" {
		return out
	}
	prefix := cloudPrefix[cloud]
	for i, c := range cs {
		g := out[i].tech
		if g == nil || !g.Generic {
			continue
		}
		label := strings.Join(strings.Fields(c.Label), " ")
		m, ok := catalog.Default().Match(catalog.Input{Label: prefix + " " + label})
		// The evidence must span the provider's word and the label's
		// (not "aws" alone naming some other product).
		if !ok || m.Tech.Generic || m.Tech.Provider != cloud || m.Tech.Role != g.Role ||
			!strings.HasPrefix(strings.ToLower(m.Evidence), prefix+" ") {
			continue
		}
		out[i] = techMatch{tech: m.Tech, why: out[i].why + ", read as " + m.Tech.Name + ": the diagram's other cloud products are " + strings.ToUpper(cloud[:1]) + cloud[1:] + "'s", managedBy: out[i].managedBy}
	}
	return out
}

// techKind lets a matched technology decide a kind the diagram left open
// (the default for an unlabelled icon or an unknown word).
func techKind(kd kindDecision, tech *catalog.Tech, why string) kindDecision {
	if kd.confident || tech == nil || tech.Generic {
		return kd
	}
	return kindDecision{kind: graph.Kind(tech.Kind), reason: tech.Name + " (" + why + ") is " + kindPhrase(graph.Kind(tech.Kind)), confident: true}
}

// storeNameRoles are the technology roles of data stores whose name alone,
// drawn as a process, still names the store.
var storeNameRoles = map[catalog.Role]bool{
	catalog.RoleDatabase: true, catalog.RoleCache: true, catalog.RoleDataWarehouse: true, catalog.RoleSearch: true,
	catalog.RoleVectorDatabase: true, catalog.RoleObjectStorage: true,
}

// ownCodeWords name software built around a store ("Postgres sync
// service", "Redis exporter"): such a label drawn as a process is one.
var ownCodeWords = kw("service", "services", "svc", "api", "app", "application", "worker", "gateway", "function", "lambda",
	"backend", "handler", "processor", "daemon", "job", "portal", "frontend", "ui", "proxy", "adapter", "connector",
	"consumer", "producer", "listener", "microservice*", "controller", "scheduler", "etl", "sync*", "exporter",
	"importer", "migrat*", "loader", "client", "console", "dashboard", "agent", "operator", "pipeline", "bot")

// storeByWords reads a component drawn or stated as a process as a data
// store when its label is the name of a database (or cache, warehouse,
// search index, bucket) and nothing else that names software of its own:
// a Threat Dragon process box labelled "PostgresSQL" is the database. It
// never overrides a kind set in the configuration or an attribute.
func storeByWords(kd kindDecision, ci *compInfo) (kindDecision, bool) {
	t := ci.tech
	if kd.kind != graph.KindProcess || kd.stated || t == nil || t.Kind != catalog.KindDatastore || !storeNameRoles[t.Role] ||
		ci.lw.first(ownCodeWords) != "" {
		return kd, false
	}
	return kindDecision{kind: graph.KindDataStore, confident: true,
		reason: "its label names " + t.Name + " (" + ci.techReason + "), a data store, and nothing else: read as a data store although " + kd.reason}, true
}

func kindPhrase(k graph.Kind) string {
	switch k {
	case graph.KindExternal:
		return "an external entity"
	case graph.KindDataStore:
		return "a data store"
	}
	return "a process"
}

// techData maps the catalog's data classes to the analysis's.
var techData = map[string]string{
	catalog.DataPHI: DataPHI, catalog.DataPII: DataPII, catalog.DataPCI: DataPCI,
	catalog.DataCredentials: DataCredentials, catalog.DataFinancial: DataFinancial,
	catalog.DataConfidential: DataConfidential, catalog.DataSecrets: DataCredentials,
	// The catalog's tokens are mostly session and access tokens: credentials.
	catalog.DataTokens: DataCredentials,
}

// inferTechData adds the data classes the component's technology implies.
func (ci *compInfo) inferTechData() {
	if ci.tech == nil {
		return
	}
	for _, d := range ci.tech.Data {
		if class, ok := techData[d]; ok {
			ci.infer(class, ci.tech.Name+" ("+ci.techReason+") holds "+d)
		}
	}
}

// role is what the component is for a reader: a person's role, else the
// technology's role, with the reason.
func (ci *compInfo) role() (string, string) {
	if ci.person != nil {
		return ci.person.Role, "label names " + ci.person.Phrase
	}
	if ci.tech != nil && ci.tech.Role != "" {
		return string(ci.tech.Role), "technology " + strconv.Quote(ci.tech.Name) + " (" + ci.techReason + ")"
	}
	return "", ""
}

// fillTech writes the technology facts into a component's Env.
func (ci *compInfo) fillTech(e *Env) {
	if p := ci.person; p != nil {
		e.Person, e.Privileged = p.Phrase, p.Privileged
		e.Device = p.Device
	}
	t := ci.tech
	if t == nil {
		return
	}
	e.Technology, e.Role, e.Managed = t.Name, string(t.Role), t.Managed || ci.managedBy != ""
	e.Hardening = hardeningOf([]*catalog.Tech{t})
	e.NoAuthByDefault = t.Facts.AuthDefault == catalog.AuthNone
	e.HoldsSecrets = t.Facts.HoldsSecrets
	e.Privileged = e.Privileged || t.Facts.Privileged
	e.ExecutesCode, e.PromptInjectable = t.Facts.ExecutesCode, t.Facts.PromptInjectable
}

// hardeningOf renders the own controls of techs (nil entries and repeats
// skipped) for Env.Hardening: per concern, "Name: a; b" for each
// technology that has controls for it, joined by "; ".
func hardeningOf(techs []*catalog.Tech) Hardening {
	var h Hardening
	seen := map[*catalog.Tech]bool{}
	add := func(dst *string, name string, items []string) {
		if len(items) == 0 {
			return
		}
		if *dst != "" {
			*dst += "; "
		}
		*dst += name + ": " + controlList(items)
	}
	for _, t := range techs {
		if t == nil || seen[t] {
			continue
		}
		seen[t] = true
		c := &t.Hardening
		add(&h.Transport, t.Name, c.Transport)
		add(&h.Auth, t.Name, c.Auth)
		add(&h.Access, t.Name, c.Access)
		add(&h.Network, t.Name, c.Network)
		add(&h.Encryption, t.Name, c.Encryption)
		add(&h.Audit, t.Name, c.Audit)
		add(&h.Recovery, t.Name, c.Recovery)
		add(&h.Abuse, t.Name, c.Abuse)
		add(&h.Integrity, t.Name, c.Integrity)
		add(&h.Config, t.Name, c.Config)
	}
	return h
}

// controlList joins one technology's controls: "a; b; c" (controls often
// have commas and "and" of their own).
func controlList(items []string) string {
	return strings.Join(items, "; ")
}

// String renders every concern's controls, joined by "; " ("" when none):
// what {{.Hardening}} prints in a template that wants them all.
func (h Hardening) String() string {
	var parts []string
	for _, s := range []string{h.Transport, h.Auth, h.Access, h.Network, h.Encryption, h.Audit, h.Recovery, h.Abuse, h.Integrity, h.Config} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}
