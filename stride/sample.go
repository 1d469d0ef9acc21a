package stride

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RuleSample is how a rule's threat reads to someone who has not seen its
// templates: its title and a one-line summary as they come out on a
// diagram, for `threatmap rules` and docs/rules.md.
type RuleSample struct {
	// Element is the element of the rule's example the texts were
	// rendered on ("Orders API"); "" when the rule has no fires example
	// that fires, and placeholders ("<process>") stand for the names.
	Element string
	// Title is the threat's title; Summary the first sentence of its
	// description, at most SummaryLen characters.
	Title, Summary string
}

// SummaryLen bounds RuleSample.Summary, in characters.
const SummaryLen = 200

// summaryMin is the shortest first sentence a summary stops at.
const summaryMin = 60

// Sample renders r's title and summary on the element of its first fires
// example on which it fires, analysed with rules (the set r belongs to,
// as CheckExamples does); without such an example, or without parse,
// with placeholders for the names. Deterministic.
func (r *Rule) Sample(parse ParseDiagram, rules []Rule) RuleSample {
	if parse != nil {
		for i, ex := range r.Examples.Fires {
			ts, err := r.runExample(parse, rules, fmt.Sprintf("%s fires example %d", r.ID, i+1), ex)
			if err != nil {
				continue
			}
			for _, t := range ts {
				if ex.Element == "" || t.ElementName == ex.Element {
					return RuleSample{Element: t.ElementName, Title: oneLine(t.Title), Summary: summary(t.Description)}
				}
			}
		}
	}
	return r.placeholderSample()
}

// placeholderSample renders r's title and description with a placeholder
// for every name ("<process>", "<senders>"); conditions on facts take
// their "no" branch.
func (r *Rule) placeholderSample() RuleSample {
	env := placeholderEnv(r)
	s := RuleSample{Title: oneLine(r.Title)}
	if r.tx == nil || r.prepare() != nil {
		return s // not compiled
	}
	var b bytes.Buffer
	if r.tx.title != nil && r.tx.title.Execute(&b, env) == nil {
		s.Title = oneLine(b.String())
	}
	b.Reset()
	if r.tx.desc != nil && r.tx.desc.Execute(&b, env) == nil {
		s.Summary = summary(b.String())
	}
	return s
}

// placeholderEnv is an Env whose text fields are placeholders named after
// the field ("<internet senders>"), and whose element is named after the
// element type r applies to.
func placeholderEnv(r *Rule) *Env {
	env := &Env{Source: &Endpoint{Name: "<source>"}, Target: &Endpoint{Name: "<target>"}}
	v := reflect.ValueOf(env).Elem()
	for i := 0; i < v.NumField(); i++ {
		if f := v.Type().Field(i); f.Type.Kind() == reflect.String {
			v.Field(i).SetString("<" + fieldWords(f.Name) + ">")
		}
	}
	env.Element = "component"
	if len(r.AppliesTo) == 1 {
		env.Element = r.AppliesTo[0]
	}
	switch env.Element {
	case "flow", "interaction":
		env.Name = "<source> → <target>"
	case "system":
		env.Name = "the system"
	default:
		env.Name = "<" + env.Element + ">"
	}
	// Facts compared with fixed values keep their "unknown" value.
	env.Kind, env.Encrypted, env.Auth, env.Direction, env.TrustName = "", EncUnknown, "unknown", "", ""
	return env
}

// fieldWords spells a field name in lower-case words ("InternetSenders"
// is "internet senders").
func fieldWords(name string) string {
	var b strings.Builder
	for i, c := range name {
		if unicode.IsUpper(c) && i > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// summary is the first sentence of a description on one line (with the
// next ones while it is shorter than summaryMin characters: "The flow
// crosses DMZ." says little alone), cut at a word boundary to SummaryLen
// characters.
func summary(desc string) string {
	s := oneLine(desc)
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '.' && s[i+1] == ' ' && i >= summaryMin {
			if c, _ := utf8.DecodeRuneInString(s[i+2:]); unicode.IsUpper(c) {
				s = s[:i+1]
				break
			}
		}
	}
	if utf8.RuneCountInString(s) <= SummaryLen {
		return s
	}
	cut := []rune(s)[:SummaryLen-1]
	if sp := strings.LastIndexByte(string(cut), ' '); sp > 0 {
		return strings.TrimRight(string(cut)[:sp], ",;:") + "…"
	}
	return string(cut) + "…"
}

// SeverityFactors says in words what a rule adds to the asset and exposure
// an element's threat is scored from: its likelihood and impact weights,
// the attacker skill it assumes and its modifiers ("likelihood -1, impact
// +0, skill 4 (needs modest skill); likelihood -1 when the design has a
// secrets store to fetch them from").
func (r *Rule) SeverityFactors() string {
	skill, _ := skillOf(r)
	out := fmt.Sprintf("likelihood %s, impact %s, skill %d (%s)", signedInt(r.Likelihood-3), signedInt(r.Impact-4), skill, skillWords[skill])
	for _, m := range r.Modifiers {
		var parts []string
		if m.Likelihood != 0 {
			parts = append(parts, "likelihood "+signedInt(m.Likelihood))
		}
		if m.Impact != 0 {
			parts = append(parts, "impact "+signedInt(m.Impact))
		}
		if len(parts) == 0 {
			continue
		}
		why := m.Reason
		if why == "" {
			why = m.When
		}
		out += "; " + strings.Join(parts, ", ") + " when " + why
	}
	return out
}

// signedInt writes n with its sign ("+1", "-2", "+0").
func signedInt(n int) string {
	if n < 0 {
		return strconv.Itoa(n)
	}
	return "+" + strconv.Itoa(n)
}
