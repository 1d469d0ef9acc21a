package stride

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"

	"github.com/threatmap/threatmap/graph"
	"gopkg.in/yaml.v3"
)

// Element types a rule applies to. "interaction" rules run once per flow
// but speak about the pair of components it connects (spoofing of the
// receiver by the sender, injection into a store, ...); per-element rules
// follow STRIDE-per-element: externals S/R, processes STRIDE, data stores
// T/R/I/D, flows T/I/D. An external entity may also have I and D rules: a
// third party the system depends on is at stake itself (its outage stops
// what waits on it, the system's account there holds its data), and a
// person's own machine keeps copies of the data it is sent. A data store
// may also have E rules: a store that holds a whole system's authority
// (a cluster's state store, where reading it is cluster admin) is a way
// to that authority when its disks or snapshots are reached.
const (
	AppliesExternal    = "external"
	AppliesProcess     = "process"
	AppliesDataStore   = "datastore"
	AppliesFlow        = "flow"
	AppliesInteraction = "interaction"
	// AppliesSystem rules run once per diagram on the system as a whole:
	// model-level gaps (no secrets store while components hold
	// credentials). Their threats have the element "the system".
	AppliesSystem = "system"
)

var strideAllowed = map[string]string{
	AppliesExternal:    "SRID",
	AppliesProcess:     "STRIDE",
	AppliesDataStore:   "TRIDE",
	AppliesFlow:        "TID",
	AppliesInteraction: "STRIDE",
	AppliesSystem:      "STRIDE",
}

// Rule is one entry of the threat rule library.
type Rule struct {
	ID string `yaml:"id"`
	// Category is the STRIDE category name or letter in the file;
	// after loading it is the full name and Stride the letter.
	Category Category `yaml:"category"`
	Stride   string   `yaml:"-"`
	// CWE is a shorthand for one CWE id ("CWE-319"), kept for rule files
	// written before refs existed; parsing folds it into Refs.CWE, the
	// one place references are kept.
	CWE string `yaml:"cwe"`
	// Refs are the ids of the same weakness or threat in other catalogues
	// (CWE, CAPEC, OWASP ASVS 4.0.3, Threagile risk rules, pytm threats).
	Refs Refs `yaml:"refs"`
	// Family is the rule file's name without ".yaml" ("secrets" for
	// rules/secrets.yaml): the group `threatmap rules` and docs/rules.md
	// list it under. Set when the rules are loaded.
	Family    string   `yaml:"-"`
	AppliesTo []string `yaml:"applies_to"`
	// When is an expr-lang condition over Env.
	When string `yaml:"when"`
	// Title, Description and Why are text/template templates over Env.
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	Why         string `yaml:"why"`
	// Likelihood and Impact are the concern's own weight: scoring
	// (scoring.go) starts from the asset and the exposure of the element
	// and moves likelihood by Likelihood-3 and impact by Impact-4.
	Likelihood int `yaml:"likelihood"`
	Impact     int `yaml:"impact"`
	// Skill is what the attack needs: 1 a nation state .. 5 anyone with
	// public tools; 0 takes the category's default (defaultSkill).
	Skill     int        `yaml:"skill"`
	Modifiers []Modifier `yaml:"modifiers"`
	// MitigatedBy maps a control (see Env.Controls) to how many points of
	// likelihood it removes when the diagram shows it.
	MitigatedBy map[string]int `yaml:"mitigated_by"`
	// ViaFrontDoor marks an attack that arrives as ordinary requests
	// through the components in front of the element (credential
	// stuffing on a sign-in): network isolation, which keeps outsiders
	// off the network, does not limit it, even for spoofing, unless
	// MitigatedBy lists network-isolation.
	ViaFrontDoor bool `yaml:"via_front_door"`
	// ByCallers marks a threat on a component that its callers carry out
	// with their own access (a workload's cloud role used on the provider
	// API it calls): the controls every flow into the component carries
	// (a caller's scoped role, its signed requests) count as the
	// component's, as the authentication of every caller does for
	// spoofing.
	ByCallers bool `yaml:"by_callers"`
	// SitsOn moves a threat about an external entity onto the part of
	// the system that must act on it (threathost.go): "receiver", the
	// one component the entity sends to (a forged webhook is stopped by
	// its receiver's signature check); "sign-in", the identity provider
	// the entity's requests reach, else that receiver (an account
	// takeover is stopped where the account signs in). Empty keeps the
	// threat on the entity, as it does when no single such place is
	// drawn.
	SitsOn string `yaml:"sits_on"`
	// Paints says which end of a flow a threat of a flow or interaction
	// rule colours (flowInfo.paintedEnd): "source" when the sender must
	// close it (an injection through it, an outage of what it calls that
	// stalls it, data it shares beyond need); empty for the end that
	// serves the interaction, the usual place of the missing control.
	Paints      string           `yaml:"paints"`
	Mitigations []RuleMitigation `yaml:"mitigations"`
	// Disabled removes a rule (useful in an override file).
	Disabled bool `yaml:"disabled"`
	// Coverage marks a STRIDE-per-element baseline rule: it fires on an
	// element only where no other rule of its category did, so every
	// applicable category of every element is considered, and a category
	// the diagram already mitigates is listed as Mitigated rather than
	// left out.
	Coverage bool `yaml:"coverage"`
	// GroupTitle and GroupDescription are the texts of the rule's threat
	// when it stands for the same concern on several sibling elements
	// (group.go); Name is then the list of their names, Count how many
	// and Members what they are. Without them the first element's texts
	// stand for all and name the others.
	GroupTitle       string `yaml:"group_title"`
	GroupDescription string `yaml:"group_description"`
	// FoldSystem folds the rule's threats on components of one kind
	// across the whole system, whatever zone each is drawn in (group.go):
	// for a concern where the attacker's position does not depend on the
	// zone, such as people deceived by mail or phone.
	FoldSystem bool `yaml:"fold_system"`
	// Examples are tiny diagrams on which the rule fires and stays quiet
	// (CheckExamples runs them).
	Examples RuleExamples `yaml:"examples"`

	// Source is "builtin" or the file the rule came from; Line its line.
	Source string `yaml:"-"`
	Line   int    `yaml:"-"`

	when     *cond
	ctlNames []string
	// tx holds what is compiled only for a rule that fires (see
	// Rule.prepare); copies of a rule share it.
	tx *ruleTexts
}

// ruleTexts are a rule's parsed templates. A built-in rule's are parsed,
// with its modifiers' and mitigations' conditions, the first time the rule
// matches an element (most rules of the library match nothing on a small
// system); a rule from a file has them from ParseRules, so that its errors
// are load errors.
type ruleTexts struct {
	once                sync.Once
	err                 error
	title, desc         *tmplText
	why                 *tmplText
	titleF, descF, whyF *fastTmpl
	groupTitle          *tmplText
	groupDesc           *tmplText
	// skill and skillWhy are skillOf the rule, made once (skillWords)
	// for the Skill and Category in skillFor.
	skill        int
	skillWhy     string
	skillFor     skillInputs
	skillCounted bool
}

// skillInputs are what skillOf reads of a rule.
type skillInputs struct {
	skill    int
	category Category
	stride   string
}

// skillWords is skillOf(r), made once per rule when it is prepared rather
// than once per match (two strings each, tens of thousands of matches at
// 2,000 components); a rule whose skill or category changed since is
// worked out again.
func (r *Rule) skillWords() (int, string) {
	if tx := r.tx; tx != nil && tx.skillCounted && tx.skillFor == (skillInputs{r.Skill, r.Category, r.Stride}) {
		return tx.skill, tx.skillWhy
	}
	return skillOf(r)
}

// Modifier adjusts likelihood and impact when its condition holds.
type Modifier struct {
	When       string `yaml:"when"`
	Likelihood int    `yaml:"likelihood"`
	Impact     int    `yaml:"impact"`
	Reason     string `yaml:"reason"`

	prog *cond
}

// RuleMitigation is a recommended control.
type RuleMitigation struct {
	Control string `yaml:"control"`
	Type    string `yaml:"type"` // Preventive | Detective | Corrective
	// Effort is S (quick win), M (moderate) or L (architectural);
	// DefaultEffort when the rule gives none.
	Effort string `yaml:"effort"`
	// SatisfiedBy names a control that, when the diagram already shows
	// it, makes this recommendation unnecessary.
	SatisfiedBy string `yaml:"satisfied_by"`
	// When is an optional expr-lang condition over the same Env as the
	// rule's: the mitigation is recommended only where it holds ("keep
	// tokens out of URLs" only on HTTP, never on a SQL connection). On a
	// threat that lists several elements it is recommended for those
	// where it holds, and names only them.
	When string `yaml:"when"`

	cond  *cond
	tmpl  *tmplText
	tmplF *fastTmpl
}

type ruleFile struct {
	Rules []Rule `yaml:"rules"`
}

//go:generate go test -run TestGeneratedRules -generate

var (
	defaultOnce  sync.Once
	defaultRules []Rule
	defaultErr   error
)

// DefaultRules returns the built-in rule library (stride/rules/*.yaml),
// compiled and sorted by ID. The compiled rules are shared: treat them as
// read-only. It panics if the built-in library is broken, which the
// package tests rule out.
//
// The YAML files are the library's source of truth, but a run does not
// parse them: rules_gen.go holds them as parsed and checked Go data (go
// generate rewrites it; TestGeneratedRules fails when it is stale), and
// only their conditions and templates are compiled here.
func DefaultRules() []Rule {
	defaultOnce.Do(func() {
		defaultRules, defaultErr = loadBuiltin()
	})
	if defaultErr != nil {
		panic(defaultErr)
	}
	out := make([]Rule, len(defaultRules))
	copy(out, defaultRules)
	return out
}

// loadBuiltin compiles the generated built-in rules.
func loadBuiltin() ([]Rule, error) {
	rules := builtinRuleData()
	for i := range rules {
		r := &rules[i]
		if err := r.compileBuiltin(); err != nil {
			return nil, &graph.InputError{File: r.Source, Pos: graph.Position{Line: r.Line}, Msg: "rule " + r.ID + ": " + err.Error(), Err: err}
		}
	}
	return rules, nil
}

// loadRuleFiles parses the rules files rules/*.yaml of fsys as the
// built-in library: every id once, sorted by id. The generator of
// rules_gen.go reads the YAML through it.
func loadRuleFiles(fsys fs.FS) ([]Rule, error) {
	names, err := fs.Glob(fsys, "rules/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var all []Rule
	seen := map[string]string{}
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		rs, err := ParseRules("builtin:"+n, data)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if prev, dup := seen[r.ID]; dup {
				return nil, fmt.Errorf("%s: rule %s already defined in %s", n, r.ID, prev)
			}
			seen[r.ID] = n
			all = append(all, r)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all, nil
}

// ruleLines returns the line of each of the n rules of a rules file whose
// strict decoding gave n rules. Most files write the list in block style
// (rules: then one "- " item per rule at one indentation), and their item
// lines are found by scanning the text, which costs a fraction of parsing
// the YAML a second time; when the scan does not find exactly n items
// (flow style, an unusual layout), the lines come from yaml.v3's node tree.
func ruleLines(data []byte, n int) []int {
	if lines := scanRuleLines(data); len(lines) == n {
		return lines
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil || len(root.Content) != 1 {
		return nil
	}
	var lines []int
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "rules" && m.Content[i+1].Kind == yaml.SequenceNode {
			for _, item := range m.Content[i+1].Content {
				lines = append(lines, item.Line)
			}
		}
	}
	if len(lines) > n {
		lines = lines[:n]
	}
	return lines
}

// scanRuleLines finds the lines of the items of a block sequence under a
// top-level "rules:" key: after that key, the lines that start with "-" at
// the indentation of the first such line, up to the next top-level key or
// document marker. Deeper lines (the items' fields, block scalars) are
// skipped.
func scanRuleLines(data []byte) []int {
	var lines []int
	in, indent := false, -1
	for no := 1; len(data) > 0; no++ {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		body := bytes.TrimLeft(line, " ")
		if len(body) == 0 || body[0] == '#' {
			continue
		}
		col := len(line) - len(body)
		item := body[0] == '-' && (len(body) == 1 || body[1] == ' ')
		if col == 0 && !(in && item) {
			if in {
				return lines // the next top-level key or document
			}
			if bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("...")) {
				if lines != nil {
					return lines
				}
				continue
			}
			key, rest, ok := bytes.Cut(line, []byte(":"))
			rest = bytes.TrimSpace(rest)
			in = ok && string(key) == "rules" && (len(rest) == 0 || rest[0] == '#')
			continue
		}
		if !in || !item {
			continue
		}
		if indent < 0 {
			indent = col
		}
		if col == indent {
			lines = append(lines, no)
		}
	}
	return lines
}

// RuleFile is the content of a rules file; Name (usually its path) is
// what errors name.
type RuleFile struct {
	Name string
	Data []byte
}

// LoadRules returns the built-in rules with the rules of each file added
// in order; a rule whose id already exists replaces it, and a rule with
// "disabled: true" removes it. Rules are sorted by id. Errors are
// *graph.InputError values naming the file and line.
func LoadRules(files ...RuleFile) ([]Rule, error) {
	rules := DefaultRules()
	for _, f := range files {
		extra, err := ParseRules(f.Name, f.Data)
		if err != nil {
			return nil, err
		}
		rules = mergeRules(rules, extra)
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules, nil
}

func mergeRules(base, extra []Rule) []Rule {
	idx := make(map[string]int, len(base))
	for i, r := range base {
		idx[r.ID] = i
	}
	for _, r := range extra {
		if i, ok := idx[r.ID]; ok {
			base[i] = r
		} else {
			idx[r.ID] = len(base)
			base = append(base, r)
		}
	}
	out := base[:0]
	for _, r := range base {
		if !r.Disabled {
			out = append(out, r)
		}
	}
	return out
}

// ParseRules parses and compiles a rules file. Unknown keys are errors
// with the line; a bad condition or template is an error naming the rule.
func ParseRules(name string, data []byte) ([]Rule, error) {
	var rf ruleFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&rf); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlInputError(name, err)
	}
	for j, line := range ruleLines(data, len(rf.Rules)) {
		rf.Rules[j].Line = line
	}
	seen := map[string]bool{}
	family := strings.TrimSuffix(path.Base(strings.ReplaceAll(strings.TrimPrefix(name, "builtin:"), "\\", "/")), path.Ext(name))
	for i := range rf.Rules {
		r := &rf.Rules[i]
		r.Source, r.Family = name, family
		if r.ID == "" {
			return nil, &graph.InputError{File: name, Pos: graph.Position{Line: r.Line}, Msg: "rule without id"}
		}
		if seen[r.ID] {
			return nil, &graph.InputError{File: name, Pos: graph.Position{Line: r.Line}, Msg: "rule " + r.ID + " defined twice"}
		}
		seen[r.ID] = true
		if r.Disabled {
			continue
		}
		if err := r.compile(); err != nil {
			return nil, &graph.InputError{File: name, Pos: graph.Position{Line: r.Line}, Msg: "rule " + r.ID + ": " + err.Error(), Err: err}
		}
	}
	return rf.Rules, nil
}

// compile checks a rule and compiles its conditions and templates.
func (r *Rule) compile() error { return r.build(false) }

// compileBuiltin compiles a built-in rule, whose texts and conditions were
// checked when rules_gen.go was generated: its condition's fast form now,
// the rest when it first fires (Rule.prepare).
func (r *Rule) compileBuiltin() error { return r.build(true) }

func (r *Rule) build(lazy bool) error {
	if lazy {
		// A built-in rule passed every check below when rules_gen.go
		// was generated (TestGeneratedRules), and its category, letter
		// and references are stored as checking left them.
		var err error
		if r.when, err = compileBuiltinCond(r.When); err != nil {
			return fmt.Errorf("when: %v", err)
		}
		r.ctlNames = sortedKeys(r.MitigatedBy)
		r.tx = &ruleTexts{}
		return nil
	}
	if err := r.checkShape(); err != nil {
		return err
	}
	var err error
	if r.when, err = compileCond(r.When); err != nil {
		return fmt.Errorf("when: %v", err)
	}
	if err := r.compileModifiers(compileCond); err != nil {
		return err
	}
	for c := range r.MitigatedBy {
		if !knownControls[c] {
			return fmt.Errorf("mitigated_by: unknown control %q", c)
		}
	}
	r.ctlNames = sortedKeys(r.MitigatedBy)
	switch r.SitsOn {
	case "", SitsOnReceiver, SitsOnSignIn:
	default:
		return fmt.Errorf("sits_on %q: want %s or %s", r.SitsOn, SitsOnReceiver, SitsOnSignIn)
	}
	if r.SitsOn != "" && !slices.Equal(r.AppliesTo, []string{AppliesExternal}) {
		return fmt.Errorf("sits_on is for rules that apply to external entities only")
	}
	if r.Paints != "" && r.Paints != PaintsSource {
		return fmt.Errorf("paints %q: want %s (or nothing, for the end that serves the flow)", r.Paints, PaintsSource)
	}
	if r.Paints != "" && slices.ContainsFunc(r.AppliesTo, func(a string) bool { return a != AppliesFlow && a != AppliesInteraction }) {
		return fmt.Errorf("paints is for rules that apply to flows or interactions only")
	}
	r.tx = &ruleTexts{}
	tx := r.tx
	tx.once.Do(func() { tx.err = r.compileFired(false) })
	return tx.err
}

// compileBuiltinCond compiles a condition of the built-in library, known
// to be valid: its fast form from the syntax tree generated with the rules
// (rules_cond_gen.go), so that a run does not parse the library's
// conditions, and expr's program on first use if the fast form cannot
// run. A text the generated trees lack is parsed (compileCondLazy).
func compileBuiltinCond(src string) (*cond, error) {
	tree := builtinCondTree(src)
	if tree == nil {
		return compileCondLazy(src)
	}
	c := &cond{src: src}
	if !c.compileFast(tree) {
		if _, err := c.program(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// prepare compiles, once per process and rule, what is needed only when
// the rule fires: its modifiers' and mitigations' conditions and its
// templates. A rule from ParseRules has them already.
func (r *Rule) prepare() error {
	tx := r.tx
	if tx == nil {
		return fmt.Errorf("rule %s is not compiled", r.ID)
	}
	tx.once.Do(func() {
		if tx.err = r.compileModifiers(compileBuiltinCond); tx.err == nil {
			tx.err = r.compileFired(true)
		}
	})
	return tx.err
}

func (r *Rule) compileModifiers(compile func(string) (*cond, error)) error {
	for i := range r.Modifiers {
		m := &r.Modifiers[i]
		var err error
		if m.prog, err = compile(m.When); err != nil {
			return fmt.Errorf("modifier %d: %v", i+1, err)
		}
		if strings.Contains(m.Reason, "{{") {
			// A reason is shown as written; a template in it would
			// reach the report unrendered.
			return fmt.Errorf("modifier %d: reason %q is plain text, not a template", i+1, m.Reason)
		}
	}
	return nil
}

// compileFired compiles the mitigations and the templates; lazy skips the
// checks that the generated built-in rules passed already.
func (r *Rule) compileFired(lazy bool) error {
	tx := r.tx
	tx.skill, tx.skillWhy = skillOf(r)
	tx.skillFor, tx.skillCounted = skillInputs{r.Skill, r.Category, r.Stride}, true
	for i := range r.Mitigations {
		if err := r.Mitigations[i].compile(r.ID, lazy); err != nil {
			return fmt.Errorf("mitigation %d: %v", i+1, err)
		}
	}
	return r.compileTemplates(lazy)
}

// checkShape checks the category, element types, scores and required
// texts, and sets Stride and the full Category name.
func (r *Rule) checkShape() error {
	cat, ok := ParseCategory(string(r.Category))
	if !ok {
		return fmt.Errorf("unknown category %q (want Spoofing, Tampering, Repudiation, Information disclosure, Denial of service, Elevation of privilege or S/T/R/I/D/E)", strings.TrimSpace(string(r.Category)))
	}
	r.Category, r.Stride = cat, cat.Letter()
	if len(r.AppliesTo) == 0 {
		return errors.New("applies_to is empty")
	}
	for _, a := range r.AppliesTo {
		allowed, ok := strideAllowed[a]
		if !ok {
			return fmt.Errorf("applies_to %q: want external, process, datastore, flow, interaction or system", a)
		}
		if !strings.Contains(allowed, r.Stride) {
			return fmt.Errorf("category %s does not apply to %s under STRIDE-per-element (allowed: %s)", r.Category, a, allowed)
		}
	}
	if r.Applies(AppliesFlow) && r.Applies(AppliesInteraction) {
		return errors.New("applies_to lists both flow and interaction; a rule has one threat per element")
	}
	if r.When == "" {
		return errors.New("when is empty")
	}
	if r.CWE != "" {
		if !validCWE(r.CWE) {
			return fmt.Errorf("cwe %q: want CWE-<number>", r.CWE)
		}
		if !slices.Contains(r.Refs.CWE, r.CWE) {
			r.Refs.CWE = append([]string{r.CWE}, r.Refs.CWE...)
		}
		r.CWE = ""
	}
	if err := r.Refs.check(); err != nil {
		return fmt.Errorf("refs: %v", err)
	}
	if r.Likelihood < 1 || r.Likelihood > 5 || r.Impact < 1 || r.Impact > 5 {
		return fmt.Errorf("likelihood and impact must be 1-5 (have %d, %d)", r.Likelihood, r.Impact)
	}
	if r.Skill < 0 || r.Skill > 5 {
		return fmt.Errorf("skill must be 1-5, or left out for the category's default (have %d)", r.Skill)
	}
	if r.Title == "" || r.Description == "" {
		return errors.New("title and description are required")
	}
	return nil
}

// compile checks a mitigation and parses its control text when it is a
// template.
func (m *RuleMitigation) compile(ruleID string, lazy bool) error {
	if m.Control == "" {
		return errors.New("control is empty")
	}
	switch m.Type {
	case "Preventive", "Detective", "Corrective":
	default:
		return fmt.Errorf("type %q (want Preventive, Detective or Corrective)", m.Type)
	}
	switch m.Effort {
	case "":
		m.Effort = DefaultEffort
	case EffortQuickWin, EffortModerate, EffortArchitectural:
	default:
		return fmt.Errorf("effort %q (want S, M or L)", m.Effort)
	}
	if m.SatisfiedBy != "" && !knownControls[m.SatisfiedBy] {
		return fmt.Errorf("unknown control %q in satisfied_by", m.SatisfiedBy)
	}
	if m.When != "" {
		compile := compileCond
		if lazy {
			compile = compileBuiltinCond
		}
		var err error
		if m.cond, err = compile(m.When); err != nil {
			return fmt.Errorf("when: %v", err)
		}
	}
	if strings.Contains(m.Control, "{{") {
		m.tmpl = newTmplText(ruleID+".mitigation", m.Control)
		var err error
		if m.tmplF, err = fastOf(m.tmpl, builtinTrees(lazy)); err != nil {
			return err
		}
	}
	return nil
}

// builtinTrees is builtinTmplTree for a built-in rule's texts (lazy),
// nil for a rule from a file, whose texts are parsed.
func builtinTrees(lazy bool) func(string) *parse.ListNode {
	if lazy {
		return builtinTmplTree
	}
	return nil
}

// compileTemplates parses the title, description and why; unless lazy,
// it then executes every template of the rule once against an empty Env
// so that a reference to a missing field fails at load time, not during
// analysis.
func (r *Rule) compileTemplates(lazy bool) error {
	tx := r.tx
	trees := builtinTrees(lazy)
	var err error
	tx.title = newTmplText(r.ID+".title", r.Title)
	if tx.titleF, err = fastOf(tx.title, trees); err != nil {
		return fmt.Errorf("title: %v", err)
	}
	tx.desc = newTmplText(r.ID+".description", r.Description)
	if tx.descF, err = fastOf(tx.desc, trees); err != nil {
		return fmt.Errorf("description: %v", err)
	}
	if r.Why != "" {
		tx.why = newTmplText(r.ID+".why", r.Why)
		if tx.whyF, err = fastOf(tx.why, trees); err != nil {
			return fmt.Errorf("why: %v", err)
		}
	}
	tx.groupTitle, tx.groupDesc = tx.title, tx.desc
	if r.GroupTitle != "" {
		tx.groupTitle = newTmplText(r.ID+".group_title", r.GroupTitle)
	}
	if r.GroupDescription != "" {
		tx.groupDesc = newTmplText(r.ID+".group_description", r.GroupDescription)
	}
	if lazy {
		return nil
	}
	// Group texts are executed by text/template only: parse them now.
	if _, err := tx.groupTitle.parsed(); err != nil {
		return fmt.Errorf("group_title: %v", err)
	}
	if _, err := tx.groupDesc.parsed(); err != nil {
		return fmt.Errorf("group_description: %v", err)
	}
	sample := Env{Source: noEndpoint, Target: noEndpoint}
	tmpls := []*tmplText{tx.title, tx.desc, tx.why, tx.groupTitle, tx.groupDesc}
	for _, m := range r.Mitigations {
		tmpls = append(tmpls, m.tmpl)
	}
	for _, t := range tmpls {
		if t == nil {
			continue
		}
		if err := t.Execute(io.Discard, &sample); err != nil {
			return err
		}
	}
	return nil
}

var tmplFuncs = template.FuncMap{
	"lower": strings.ToLower,
	"cap": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + s[1:]
	},
	"has": func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	},
}

func parseTmpl(name, src string) (*template.Template, error) {
	return template.New(name).Funcs(tmplFuncs).Option("missingkey=error").Parse(src)
}

// Applies reports whether the rule applies to element type t.
func (r *Rule) Applies(t string) bool {
	for _, a := range r.AppliesTo {
		if a == t {
			return true
		}
	}
	return false
}

// validCWE reports whether s is "CWE-" followed by a number.
func validCWE(s string) bool {
	n, ok := strings.CutPrefix(s, "CWE-")
	if !ok || n == "" || len(n) > 5 {
		return false
	}
	for _, c := range n {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
