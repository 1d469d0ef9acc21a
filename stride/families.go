package stride

import (
	"fmt"
	"sort"
	"strings"
)

// Family is one group of rules: the built-in rule file they come from
// ("secrets" for rules/secrets.yaml), or a user's rules file.
type Family struct {
	Name  string
	Rules []*Rule
}

// familyTitles describe the built-in families for the rule listing and
// docs/rules.md; a family without an entry is described by its name.
var familyTitles = map[string]string{
	"audit":              "Audit: a design without an audit log",
	"clients":            "Clients the server must not trust: state sent by modified clients, data copied to machines nobody manages",
	"cloud":              "Serverless and cloud: function roles, event injection",
	"coverage":           "STRIDE-per-element and per-interaction coverage: every applicable category of every element and of every boundary-crossing interaction",
	"datastores":         "Data at rest where it should not be: caches, over-shared stores",
	"denial":             "Denial of service",
	"disclosure":         "Information disclosure",
	"dos":                "Denial of service by the application's own features: unbounded queries, cache eviction",
	"domains":            "Domains: look-alike domains and dangling DNS used to pose as the system's sites",
	"elevation":          "Elevation of privilege",
	"firmware":           "Firmware: input from other worlds and physical ports parsed by privileged code, images loaded from media",
	"forwarded-identity": "Forwarded identity: services that trust what sits in front of them",
	"identity":           "Identity providers: tenant policy, credential stuffing, no identity store",
	"iot":                "IoT: device identity, firmware and updates, local interfaces",
	"isolation":          "Isolation partitions: the less trusted side started too early, requests naming the other side's resources",
	"ml":                 "ML and LLM systems: prompts, model and data as assets and attack paths",
	"orchestrators":      "Containers and orchestrators: control plane, state store, node agents",
	"partitions":         "Partition managers: sender and receiver IDs, shared buffers, call order, memory ownership and side channels between partitions and the hypervisor, SPM or TEE OS that serves them",
	"parsers":            "Parsers of untrusted input: XXE, deserialisation, path traversal, command injection, media decoders",
	"queues":             "Work queues: forged jobs a worker trusts",
	"repudiation":        "Repudiation",
	"secrets":            "Secrets: credentials in configuration, no secrets store",
	"spoofing":           "Spoofing",
	"supplychain":        "CI/CD and supply chain: pipeline secrets, unsigned artefacts, poisoned dependencies",
	"tampering":          "Tampering",
	"people":             "People as targets: staff, owners and users deceived into handing over credentials or approving actions",
	"physical":           "Devices as physical targets: devices in the field stolen, broken or opened",
	"thirdparty":         "Third parties the system depends on: the system's account at them (their outage is D-FLW-01, on the caller's flow)",
	"webclient":          "Web and mobile clients: XSS token theft, CSRF, clickjacking, secrets on devices, application code in the browser",
}

// FamilyTitle describes a family in a few words.
func FamilyTitle(name string) string {
	if t, ok := familyTitles[name]; ok {
		return t
	}
	return name
}

// Families groups the enabled rules by family, families by name and rules
// by id.
func Families(rules []Rule) []Family {
	by := map[string][]*Rule{}
	for i := range rules {
		r := &rules[i]
		if r.Disabled {
			continue
		}
		name := r.Family
		if name == "" {
			name = "custom"
		}
		by[name] = append(by[name], r)
	}
	out := make([]Family, 0, len(by))
	for name, rs := range by {
		sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
		out = append(out, Family{Name: name, Rules: rs})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// RulesReference renders docs/rules.md: the families with their rule
// counts, then each family's rules with category, elements, title and
// summary as they read on the rule's first fires example (parsed with
// parse; nil renders placeholders), severity factors and references.
// Deterministic.
func RulesReference(rules []Rule, parse ParseDiagram) string {
	fams := Families(rules)
	n := 0
	for _, f := range fams {
		n += len(f.Rules)
	}
	var b strings.Builder
	b.WriteString("# Rule library\n\n")
	b.WriteString("<!-- Generated from stride/rules/*.yaml by \"go test ./stride -run TestRulesDoc -update-docs\"; do not edit. -->\n\n")
	fmt.Fprintf(&b, "threatmap applies %d rules in %d families (`threatmap rules` prints the same list). ", n, len(fams))
	b.WriteString("Each family is one file in `stride/rules/`; every rule has `fires:` and `quiet:` examples that ")
	b.WriteString("`threatmap rules --check` runs. Each rule's title and summary (the first sentence of its description) ")
	b.WriteString("are shown as they read on the element of its first `fires:` example, named in italics. ")
	b.WriteString("Severity factors are what the rule adds to the likelihood and impact an element's asset and exposure ")
	b.WriteString("give (scoring in [report-json.md](report-json.md)), the attacker skill it assumes (1 a nation state .. 5 ")
	b.WriteString("anyone with public tools) and its modifiers. References are ids in other catalogues: CWE, CAPEC, OWASP ")
	b.WriteString("ASVS 4.0.3, Threagile risk rules and pytm threats, and for ML rules the OWASP Top 10 for LLM Applications ")
	b.WriteString("2025, the OWASP Machine Learning Security Top 10 and MITRE ATLAS. Rules that apply to `system` raise model-level ")
	b.WriteString("threats on \"the system\" as a whole.\n\n")
	b.WriteString("| Family | Rules | What it covers |\n|---|---|---|\n")
	for _, f := range fams {
		fmt.Fprintf(&b, "| [%s](#%s) | %d | %s |\n", f.Name, f.Name, len(f.Rules), mdCell(FamilyTitle(f.Name)))
	}
	for _, f := range fams {
		fmt.Fprintf(&b, "\n## %s\n\n%s.\n\n", f.Name, FamilyTitle(f.Name))
		b.WriteString("| Rule | STRIDE | Applies to | Title and summary | Severity factors | References |\n|---|---|---|---|---|---|\n")
		for _, r := range f.Rules {
			refs := r.Refs.Text()
			if refs == "" {
				refs = "—"
			}
			s := r.Sample(parse, rules)
			text := "**" + mdCell(s.Title) + "**"
			if s.Element != "" {
				text += " (on *" + mdCell(s.Element) + "*)"
			}
			if s.Summary != "" {
				text += "<br>" + mdCell(s.Summary)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", r.ID, r.Stride, strings.Join(r.AppliesTo, ", "),
				text, mdCell(r.SeverityFactors()), mdCell(refs))
		}
	}
	return b.String()
}

// mdCell escapes a table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}
