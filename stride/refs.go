package stride

import (
	"fmt"
	"regexp"
	"strings"
)

// Refs are the identifiers a rule shares with other catalogues, so a
// reader can look the threat up where they already work and a tool can
// join threatmap's findings with others'. Ids only, no links or titles:
//
//	refs: {cwe: [CWE-79], capec: [CAPEC-63], asvs: [V5.3.3],
//	       threagile: [cross-site-scripting], pytm: [INP39]}
type Refs struct {
	// CWE are MITRE CWE weakness ids ("CWE-79").
	CWE []string `yaml:"cwe" json:"cwe,omitempty"`
	// CAPEC are MITRE CAPEC attack pattern ids ("CAPEC-63").
	CAPEC []string `yaml:"capec" json:"capec,omitempty"`
	// ASVS are OWASP ASVS 4.0.3 requirement ids ("V5.3.3").
	ASVS []string `yaml:"asvs" json:"asvs,omitempty"`
	// Threagile are Threagile risk rule ids ("missing-vault").
	Threagile []string `yaml:"threagile" json:"threagile,omitempty"`
	// PyTM are OWASP pytm threat ids ("INP39").
	PyTM []string `yaml:"pytm" json:"pytm,omitempty"`
	// OWASPLLM are OWASP Top 10 for LLM Applications 2025 ids
	// ("LLM06:2025").
	OWASPLLM []string `yaml:"owasp_llm" json:"owasp_llm,omitempty"`
	// OWASPML are OWASP Machine Learning Security Top 10 (2023) ids
	// ("ML02:2023").
	OWASPML []string `yaml:"owasp_ml" json:"owasp_ml,omitempty"`
	// ATLAS are MITRE ATLAS technique ids ("AML.T0020").
	ATLAS []string `yaml:"atlas" json:"atlas,omitempty"`
}

var refFormats = []struct {
	name string
	re   func() *regexp.Regexp
	want string
	get  func(*Refs) []string
}{
	{"cwe", lazyRegexp(`^CWE-[1-9][0-9]{0,4}$`), "CWE-<number>", func(r *Refs) []string { return r.CWE }},
	{"capec", lazyRegexp(`^CAPEC-[1-9][0-9]{0,4}$`), "CAPEC-<number>", func(r *Refs) []string { return r.CAPEC }},
	{"asvs", lazyRegexp(`^V[1-9][0-9]?\.[1-9][0-9]?\.[1-9][0-9]?$`), "V<chapter>.<section>.<requirement>", func(r *Refs) []string { return r.ASVS }},
	{"threagile", lazyRegexp(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`), "a Threagile risk id such as missing-vault", func(r *Refs) []string { return r.Threagile }},
	{"pytm", lazyRegexp(`^[A-Z]{2,4}[0-9]{2}$`), "a pytm threat id such as INP01", func(r *Refs) []string { return r.PyTM }},
	{"owasp_llm", lazyRegexp(`^LLM(0[1-9]|10):2025$`), "an OWASP LLM Top 10 2025 id such as LLM06:2025", func(r *Refs) []string { return r.OWASPLLM }},
	{"owasp_ml", lazyRegexp(`^ML(0[1-9]|10):2023$`), "an OWASP ML Top 10 2023 id such as ML02:2023", func(r *Refs) []string { return r.OWASPML }},
	{"atlas", lazyRegexp(`^AML\.T[0-9]{4}(\.[0-9]{3})?$`), "a MITRE ATLAS technique id such as AML.T0020", func(r *Refs) []string { return r.ATLAS }},
}

// check reports an id that does not have its catalogue's form, or an id
// listed twice.
func (r *Refs) check() error {
	for _, f := range refFormats {
		seen := map[string]bool{}
		for _, id := range f.get(r) {
			if !f.re().MatchString(id) {
				return fmt.Errorf("%s %q: want %s", f.name, id, f.want)
			}
			if seen[id] {
				return fmt.Errorf("%s %q listed twice", f.name, id)
			}
			seen[id] = true
		}
	}
	return nil
}

// Empty reports whether r lists no id.
func (r *Refs) Empty() bool {
	return r == nil || len(r.CWE)+len(r.CAPEC)+len(r.ASVS)+len(r.Threagile)+len(r.PyTM)+len(r.OWASPLLM)+len(r.OWASPML)+len(r.ATLAS) == 0
}

// Text renders r on one line for a table cell or a list item, catalogue
// by catalogue in a fixed order: "CWE-79; CAPEC-63; ASVS V5.3.3;
// Threagile cross-site-scripting; pytm INP39; OWASP LLM06:2025; OWASP
// ML02:2023; ATLAS AML.T0020". "" when r is empty.
func (r *Refs) Text() string {
	if r.Empty() {
		return ""
	}
	var parts []string
	add := func(prefix string, ids []string) {
		for _, id := range ids {
			parts = append(parts, prefix+id)
		}
	}
	add("", r.CWE)
	add("", r.CAPEC)
	add("ASVS ", r.ASVS)
	add("Threagile ", r.Threagile)
	add("pytm ", r.PyTM)
	add("OWASP ", r.OWASPLLM)
	add("OWASP ", r.OWASPML)
	add("ATLAS ", r.ATLAS)
	return strings.Join(parts, "; ")
}

// refsOf is the Refs a threat of rule r carries: nil when the rule has
// none, so the JSON report omits the field.
func refsOf(r *Rule) *Refs {
	if r.Refs.Empty() {
		return nil
	}
	refs := r.Refs
	return &refs
}
