package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/threatmap/threatmap/graph"
)

// file is the data file's layout: groups of technologies sharing defaults
// and sources.
type file struct {
	Groups []group `yaml:"groups"`
}

type group struct {
	Name         string   `yaml:"name"`
	Sources      string   `yaml:"sources"`
	Defaults     defaults `yaml:"defaults"`
	Technologies []Tech   `yaml:"technologies"`
}

// defaults fill the fields an entry leaves out. Generic entries never
// inherit managed: a category is not a provider's service.
type defaults struct {
	Kind     Kind     `yaml:"kind"`
	Role     Role     `yaml:"role"`
	Provider string   `yaml:"provider"`
	Managed  *bool    `yaml:"managed"`
	Data     []string `yaml:"data"`
	Refs     []string `yaml:"refs"`
}

// idRE and refRE check entry ids and references; compiled when a catalog
// is first parsed, not at start-up.
var (
	idRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`) })
	refRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(CWE|CAPEC)-[1-9][0-9]*$`) })
)

// Parse reads a catalog data file and builds its matcher. name is used in
// error messages. Every problem is a *graph.InputError naming the line and
// column of the entry at fault.
func Parse(name string, data []byte) (*Matcher, error) {
	techs, err := parseTechs(name, data)
	if err != nil {
		return nil, err
	}
	return newMatcher(name, techs)
}

func parseTechs(name string, data []byte) ([]*Tech, error) {
	fail := func(line, col int, format string, args ...any) error {
		return &graph.InputError{File: name, Pos: graph.Position{Line: line, Column: col}, Msg: fmt.Sprintf(format, args...)}
	}
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		var ke *keyError
		if errors.As(err, &ke) {
			return nil, fail(ke.line, ke.col, "%s", ke.msg)
		}
		return nil, &graph.InputError{File: name, Msg: "not a valid catalog file: " + err.Error(), Err: err}
	}
	if len(f.Groups) == 0 {
		return nil, fail(1, 0, "catalog has no groups")
	}
	var techs []*Tech
	seen := map[string]*Tech{}
	for gi := range f.Groups {
		g := &f.Groups[gi]
		if strings.TrimSpace(g.Name) == "" {
			return nil, fail(0, 0, "group %d has no name", gi+1)
		}
		if len(g.Technologies) == 0 {
			return nil, fail(0, 0, "group %q lists no technologies", g.Name)
		}
		for ti := range g.Technologies {
			t := &g.Technologies[ti]
			t.Group = g.Name
			applyDefaults(t, g)
			if err := validate(t); err != nil {
				return nil, fail(t.Line, t.col, "technology %q: %v", t.ID, err)
			}
			if prev := seen[t.ID]; prev != nil {
				return nil, fail(t.Line, t.col, "technology id %q is already used on line %d", t.ID, prev.Line)
			}
			seen[t.ID] = t
			techs = append(techs, t)
		}
	}
	return techs, nil
}

// keyError is an unknown field in the data file: a typo there must be an
// error, not a silently ignored fact.
type keyError struct {
	line, col int
	msg       string
}

func (e *keyError) Error() string { return e.msg }

// yamlKeys returns the yaml field names of struct type t.
func yamlKeys(t reflect.Type) map[string]bool {
	keys := map[string]bool{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			keys[name] = true
		}
	}
	return keys
}

var (
	techKeys     = yamlKeys(reflect.TypeFor[Tech]())
	factsKeys    = yamlKeys(reflect.TypeFor[Facts]())
	providedKeys = yamlKeys(reflect.TypeFor[Provided]())
	hardKeys     = yamlKeys(reflect.TypeFor[Hardening]())
	headsKeys    = yamlKeys(reflect.TypeFor[Heads]())
)

// checkKeys rejects keys of mapping n that are not in allowed and returns
// the keys n sets.
func checkKeys(n *yaml.Node, what string, allowed map[string]bool) (map[string]bool, error) {
	if n.Kind != yaml.MappingNode {
		return nil, &keyError{n.Line, n.Column, fmt.Sprintf("%s must be a mapping", what)}
	}
	set := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !allowed[k.Value] {
			return nil, &keyError{k.Line, k.Column, fmt.Sprintf("unknown field %q in %s", k.Value, what)}
		}
		set[k.Value] = true
	}
	return set, nil
}

// UnmarshalYAML decodes one entry, rejecting unknown fields and recording
// its position and the fields it sets itself (so group defaults fill only
// the others).
func (t *Tech) UnmarshalYAML(n *yaml.Node) error {
	set, err := checkKeys(n, "technology", techKeys)
	if err != nil {
		return err
	}
	type plain Tech
	if err := n.Decode((*plain)(t)); err != nil {
		return err
	}
	t.Line, t.col, t.set = n.Line, n.Column, set
	return nil
}

// UnmarshalYAML decodes heads, rejecting unknown fields.
func (h *Heads) UnmarshalYAML(n *yaml.Node) error {
	if _, err := checkKeys(n, "heads", headsKeys); err != nil {
		return err
	}
	type plain Heads
	return n.Decode((*plain)(h))
}

// UnmarshalYAML decodes facts, rejecting unknown fields.
func (f *Facts) UnmarshalYAML(n *yaml.Node) error {
	if _, err := checkKeys(n, "facts", factsKeys); err != nil {
		return err
	}
	type plain Facts
	return n.Decode((*plain)(f))
}

// UnmarshalYAML decodes a provided control: a bare control id (offered,
// not credited), or a mapping {control, to, note}; to is one scope or a
// list of them.
func (p *Provided) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*p = Provided{Control: n.Value}
		return nil
	}
	if _, err := checkKeys(n, "provided control", providedKeys); err != nil {
		return err
	}
	var raw struct {
		Control  string    `yaml:"control"`
		To       yaml.Node `yaml:"to"`
		Note     string    `yaml:"note"`
		Toward   string    `yaml:"toward"`
		Carrying string    `yaml:"carrying"`
		Default  string    `yaml:"default"`
	}
	if err := n.Decode(&raw); err != nil {
		return err
	}
	*p = Provided{Control: raw.Control, Note: raw.Note, Toward: raw.Toward, Carrying: raw.Carrying, Default: raw.Default}
	switch raw.To.Kind {
	case 0:
	case yaml.ScalarNode:
		p.To = []Scope{Scope(raw.To.Value)}
	default:
		if err := raw.To.Decode(&p.To); err != nil {
			return err
		}
	}
	return nil
}

// UnmarshalYAML decodes hardening, rejecting unknown concerns.
func (h *Hardening) UnmarshalYAML(n *yaml.Node) error {
	if _, err := checkKeys(n, "hardening", hardKeys); err != nil {
		return err
	}
	type plain Hardening
	return n.Decode((*plain)(h))
}

// applyDefaults fills the fields the entry does not set from its group's
// defaults. A field set on the entry, even to false or [], wins.
func applyDefaults(t *Tech, g *group) {
	d := g.Defaults
	if !t.set["kind"] {
		t.Kind = d.Kind
	}
	if !t.set["role"] {
		t.Role = d.Role
	}
	if !t.set["provider"] {
		t.Provider = d.Provider
	}
	if !t.set["managed"] && d.Managed != nil && !t.Generic {
		t.Managed = *d.Managed
	}
	if !t.set["data"] {
		t.Data = slices.Clone(d.Data)
	}
	if !t.set["refs"] {
		t.Refs = slices.Clone(d.Refs)
	}
	if !t.set["sources"] {
		t.Sources = g.Sources
	}
}

func validate(t *Tech) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !idRE().MatchString(t.ID) {
		bad("id must be lower-case words joined by hyphens")
	}
	if strings.TrimSpace(t.Name) == "" {
		bad("no name")
	}
	if !slices.Contains(Kinds, t.Kind) {
		bad("kind %q is not one of %v", t.Kind, Kinds)
	}
	if !validRole(t.Role) {
		bad("role %q is not in the role vocabulary", t.Role)
	}
	if len(t.Aliases) == 0 && len(t.Styles) == 0 {
		bad("neither aliases nor styles: nothing could match it")
	}
	for _, a := range t.Aliases {
		var fixed [64]token
		if len(tokenize(a, &fixed)) == 0 {
			bad("alias %q has no words", a)
		}
	}
	if len(t.Heads.Words) > 0 && !t.Generic {
		bad("heads are for generic entries: a named product is named, not inferred from a role noun")
	}
	for _, h := range t.Heads.Words {
		var fixed [64]token
		if toks := tokenize(strings.ToLower(h), &fixed); len(toks) != 1 {
			bad("head %q is not one word", h)
		}
	}
	for _, r := range t.Heads.Unless {
		if !validRole(r) {
			bad("heads: role %q is not in the role vocabulary", r)
		}
	}
	for _, s := range t.Styles {
		if strings.TrimSpace(s) == "" || strings.ContainsAny(s, " \t\n") {
			bad("style key %q is empty or has spaces", s)
		}
	}
	for _, d := range t.Data {
		if !slices.Contains(DataClasses, d) {
			bad("data class %q is not in the data class vocabulary", d)
		}
	}
	for _, c := range append(t.ProvidedControls(), t.ProvidesWhenConfigured...) {
		if !slices.Contains(Controls, c) {
			bad("control %q is not in the control vocabulary", c)
		}
	}
	for _, p := range t.Provides {
		for _, sc := range p.To {
			if !slices.Contains(Scopes, sc) {
				bad("control %q: scope %q is not one of %v", p.Control, sc, Scopes)
			}
		}
		if len(p.To) > 0 && strings.TrimSpace(p.Note) == "" {
			bad("control %q is credited (to %v) but has no note saying what the technology does", p.Control, p.To)
		}
		if (p.Toward != "" || p.Carrying != "") && !p.Credited(ScopeOutbound) {
			bad("control %q: toward and carrying limit an outbound credit, but it is not credited outbound", p.Control)
		}
		if p.Default != "" && !p.ByDefault() {
			bad("control %q: default %q is not %q or %q", p.Control, p.Default, DefaultAlways, DefaultOn)
		}
		if p.Default != "" && len(p.To) == 0 {
			bad("control %q has a default but no scope (to:)", p.Control)
		}
		if p.Carrying != "" && p.Carrying != CarryingTokens {
			bad("control %q: carrying %q is not %q", p.Control, p.Carrying, CarryingTokens)
		}
		if len(p.To) == 0 && p.Note != "" {
			bad("control %q has a note but no scope (to:)", p.Control)
		}
	}
	for _, r := range t.Refs {
		if !refRE().MatchString(r) {
			bad("reference %q is not a CWE-n or CAPEC-n id", r)
		}
	}
	switch t.Facts.AuthDefault {
	case AuthUnknown, AuthNone, AuthRequired:
	default:
		bad("auth_default %q is not none or required", t.Facts.AuthDefault)
	}
	switch t.Facts.TLSDefault {
	case TLSUnknown, TLSOff, TLSOn:
	default:
		bad("tls_default %q is not off or on", t.Facts.TLSDefault)
	}
	for _, p := range t.Ports {
		if p <= 0 || p > 65535 {
			bad("port %d out of range", p)
		}
	}
	if t.Managed && t.Provider == "" {
		bad("managed but no provider")
	}
	if strings.TrimSpace(t.Sources) == "" {
		bad("no sources (on the entry or its group)")
	}
	return errors.Join(errs...)
}

func validRole(r Role) bool {
	for _, ri := range Roles {
		if ri.Role == r {
			return true
		}
	}
	return false
}
