package catalog

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

//go:generate go test -run ^TestTechnologiesDoc$ -update .

// WriteMarkdown writes the catalog as a Markdown reference page: the
// vocabularies, then one table per group with each technology's id, name,
// kind, role, key facts, data classes, controls, references and the label
// words that name it. docs/technologies.md is this output; a test
// fails when it is stale.
func (m *Matcher) WriteMarkdown(w io.Writer) error {
	var b bytes.Buffer
	named := 0
	for _, t := range m.techs {
		if !t.Generic {
			named++
		}
	}
	b.WriteString("# Technology catalog\n\n")
	b.WriteString("<!-- Generated from stride/catalog/technologies.yaml by `go generate ./stride/catalog`. Do not edit. -->\n\n")
	fmt.Fprintf(&b, "threatmap recognises %d technologies (%d named products, %d generic categories) on diagram "+
		"elements, from label words, draw.io icon styles and C4 technology strings, and records the facts about each "+
		"that change its threats. The data file is `stride/catalog/technologies.yaml`; each group names the vendor "+
		"documentation its facts come from.\n\n", len(m.techs), named, len(m.techs)-named)
	b.WriteString("## How a technology is recognised\n\n")
	b.WriteString("Evidence is read strongest first: an explicit `technology`, `tech` or `c4Technology` attribute; the " +
		"technology of a C4 label (`[Container: PostgreSQL]`); a draw.io style (`shape=`, `resIcon=`, `prIcon=`, `grIcon=`, " +
		"`image=img/lib/...`); then the label's words. Aliases match whole words, case-insensitively, with a plural `s` " +
		"allowed on the last word, never inside a word. The longest phrase wins (\"Kafka Connect\" over \"Kafka\", " +
		"\"Azure SQL\" over \"SQL\"), and a named product wins over a generic category (\"redis cache\" is Redis). For " +
		"generic categories the label's words outweigh a generic icon. A C4 element's description is not read: it names " +
		"what the element talks to, not what it is. Bare words that name too many things are not aliases: " +
		"\"gateway\" (API, payment, IoT, NAT or internet gateway), \"api server\", \"records\", \"storage\", " +
		"\"functions\", \"elastic\", \"apache\", \"control plane\", \"log\", \"sentinel\", \"nexus\", \"swarm\", \"flux\". " +
		"So \"Records Service\" and \"Gateway of India\" match nothing.\n\n")
	b.WriteString("## Facts\n\n")
	b.WriteString("| field | meaning |\n|---|---|\n")
	for _, r := range [][2]string{
		{"auth", "authentication out of the box: `none` (none unless configured) or `required`"},
		{"tls", "transport encryption out of the box: `off` or `on`"},
		{"secrets", "holds credentials, keys or tokens of others"},
		{"privileged", "whoever controls it controls other components"},
		{"runs code", "runs code, jobs or queries supplied by others"},
		{"edge", "normally reachable from the internet"},
		{"prompt", "follows instructions in the text it is given (LLMs)"},
		{"admin UI", "ships a management interface that is a target of its own"},
		{"managed", "run by a cloud or SaaS provider (the analysis places it in a provider zone, or outside when external)"},
	} {
		fmt.Fprintf(&b, "| %s | %s |\n", r[0], r[1])
	}
	b.WriteString("\n## Roles\n\n| role | meaning |\n|---|---|\n")
	for _, r := range Roles {
		fmt.Fprintf(&b, "| `%s` | %s |\n", r.Role, r.Description)
	}
	b.WriteString("\n## Data classes\n\n")
	b.WriteString(strings.Join(quoteAll(DataClasses), ", "))
	b.WriteString("\n\n## Controls a technology can provide\n\n")
	b.WriteString(strings.Join(quoteAll(Controls), ", "))
	b.WriteString("\n\n## Built-in controls the analysis credits\n\n")
	b.WriteString("An entry's `provides:` lists controls in two forms. A bare id (`provides: [waf]`) is a control the " +
		"technology offers to the systems that use it: a SIEM's monitoring, a VPN's isolation, a WAF's filtering. The " +
		"analysis does not credit it from the catalog, because a picture does not say who relies on it; edge protection " +
		"by a WAF, CDN or API gateway is credited from the diagram's shape, on what sits behind it. A mapping " +
		"(`{control, to, note}`) is enforcement built into the technology, always on as it ships or as every supported " +
		"installation runs it, and the analysis credits it where `to` says:\n\n")
	b.WriteString("| scope | credited on |\n|---|---|\n")
	for _, r := range [][2]string{
		{"self", "the component's own threats and the flows into it: enforcement on the requests made to it (a secure partition manager checking its callers, an API that accepts only signed requests) and protection of its own data (storage encrypted at rest)"},
		{"outbound", "the flows out of it: a property of what it sends (signed metadata or tokens, cloud API calls signed with its own identity); `toward: <provider>` limits it to flows to that provider's technologies, `carrying: tokens` to flows whose label names tokens"},
		{"contained", "the components drawn inside its box and the flows they start: what it runs and isolates (the partitions of a secure firmware)"},
	} {
		fmt.Fprintf(&b, "| `%s` | %s |\n", r[0], r[1])
	}
	b.WriteString("\nThe rules decide how much a credited control is worth, exactly as for a control the diagram shows: " +
		"one the rule's `mitigated_by` rates 2 or more addresses the threat (residual likelihood 1, status Mitigated when " +
		"the residual risk is Low), one rated 1 lowers the likelihood by 1 (status Partial). The threat names the control, " +
		"what it did and its source (`catalog: <technology> provides <control>: <note>`) in JSON `controls`, the register's " +
		"Existing controls column and the Markdown's \"Controls already in place\". Never credited: a control a " +
		"technology is for others on the technology itself (a WAF does not mitigate attacks on the WAF, a CDN's DDoS " +
		"protection does not protect the CDN's own configuration), a control that needs configuring " +
		"(`provides_when_configured`), and a default that users can turn off unless every supported installation keeps " +
		"it on. Each note ends with the documentation it comes from.\n" +
		"\nA mapping's `default:` says whether a deployment has the control without anyone turning it on: `always` " +
		"(it cannot be turned off: encryption a cloud store always applies, requests an API accepts only signed) or " +
		"`on` (on by default and not commonly disabled). Without it the product offers the control and each " +
		"deployment configures it (Kubernetes' RBAC is on, but whether its grants are narrow is each cluster's own): " +
		"the credit then lowers the likelihood by 1 at most, so the threat stays Partial until the diagram or " +
		"configuration shows the control, and its source reads `catalog: <technology> offers (the diagram does not show " +
		"it enabled) <control>: <note>`.\n")
	group := ""
	var hardening []*Tech
	for _, t := range m.techs {
		if t.Group != group {
			group = t.Group
			fmt.Fprintf(&b, "\n## %s\n\n", mdEscape(group))
			fmt.Fprintf(&b, "Sources: %s\n\n", mdEscape(groupSources(m.techs, group)))
			b.WriteString("| id | name | kind | role | key facts | data | provides | refs | label words |\n|---|---|---|---|---|---|---|---|---|\n")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			t.ID, mdEscape(t.Name), t.Kind, t.Role, mdEscape(keyFacts(t)),
			strings.Join(t.Data, ", "), mdEscape(provides(t)), strings.Join(t.Refs, ", "),
			mdEscape(strings.Join(t.Aliases, ", ")))
		if len(t.Hardening.All()) > 0 {
			hardening = append(hardening, t)
		}
	}
	b.WriteString("\n## The technologies' own controls\n\n")
	b.WriteString("What a mitigation names for these technologies instead of a generic control. `hardening:` in the data file " +
		"groups them by the concern they address: `transport` (encryption in transit), `auth` (how clients authenticate), " +
		"`access` (authorisation, least privilege), `network` (who can reach it), `encryption` (at rest), `audit`, " +
		"`recovery` (backups, versioning), `abuse` (rate limits, brute-force and bot protection), `integrity` (signatures) " +
		"and `config` (other settings). A rule's mitigation for a concern names the element's controls for it through " +
		"the rule field `Hardening` (`{{if .Hardening.Transport}} ({{.Hardening.Transport}}){{end}}`; see docs/rule-fields.md): " +
		"\"Encrypt the connection with TLS 1.2+ (PostgreSQL: hostssl lines in pg_hba.conf and ssl = on)\".\n\n")
	b.WriteString("| id | own controls |\n|---|---|\n")
	for _, t := range hardening {
		var parts []string
		for _, a := range HardeningAspects {
			if hs := t.Hardening.Aspect(a); len(hs) > 0 {
				parts = append(parts, a+": "+strings.Join(hs, "; "))
			}
		}
		fmt.Fprintf(&b, "| `%s` | %s |\n", t.ID, mdEscape(strings.Join(parts, " · ")))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// groupSources is the sources line most entries of the group share.
func groupSources(techs []*Tech, group string) string {
	count := map[string]int{}
	best := ""
	for _, t := range techs {
		if t.Group != group {
			continue
		}
		count[t.Sources]++
		if n := count[t.Sources]; n > count[best] || n == count[best] && t.Sources < best {
			best = t.Sources
		}
	}
	return best
}

func keyFacts(t *Tech) string {
	var f []string
	if t.Generic {
		f = append(f, "generic")
	}
	if t.Managed {
		f = append(f, "managed ("+t.Provider+")")
	}
	if t.Facts.AuthDefault != AuthUnknown {
		f = append(f, "auth "+string(t.Facts.AuthDefault))
	}
	if t.Facts.TLSDefault != TLSUnknown {
		f = append(f, "tls "+string(t.Facts.TLSDefault))
	}
	for _, b := range []struct {
		on   bool
		name string
	}{
		{t.Facts.HoldsSecrets, "secrets"},
		{t.Facts.Privileged, "privileged"},
		{t.Facts.ExecutesCode, "runs code"},
		{t.Facts.Edge, "edge"},
		{t.Facts.PromptInjectable, "prompt"},
		{t.Facts.AdminUI, "admin UI"},
	} {
		if b.on {
			f = append(f, b.name)
		}
	}
	if len(t.Ports) > 0 {
		ps := make([]string, len(t.Ports))
		for i, p := range t.Ports {
			ps[i] = strconv.Itoa(p)
		}
		f = append(f, "ports "+strings.Join(ps, "/"))
	}
	s := strings.Join(f, "; ")
	for _, n := range t.Facts.Notes {
		s += "<br>" + n
	}
	return s
}

func provides(t *Tech) string {
	var parts []string
	for _, p := range t.Provides {
		if len(p.To) == 0 {
			parts = append(parts, p.Control)
			continue
		}
		to := make([]string, len(p.To))
		for i, sc := range p.To {
			to[i] = string(sc)
		}
		limit := ""
		if p.Toward != "" {
			limit += " toward " + p.Toward
		}
		if p.Carrying != "" {
			limit += " carrying " + p.Carrying
		}
		how := "built in"
		switch p.Default {
		case DefaultAlways:
			how = "built in, always on"
		case DefaultOn:
			how = "built in, on by default"
		default:
			how = "offered, configured per deployment: Partial unless the diagram shows it"
		}
		parts = append(parts, p.Control+" ("+how+", credited to "+strings.Join(to, ", ")+limit+": "+p.Note+")")
	}
	s := strings.Join(parts, ", ")
	if len(t.ProvidesWhenConfigured) > 0 {
		if s != "" {
			s += "; "
		}
		s += "when configured: " + strings.Join(t.ProvidesWhenConfigured, ", ")
	}
	return s
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = "`" + s + "`"
	}
	return out
}

// mdEscape keeps text from breaking a Markdown table cell.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
