// Package sarif writes a stride.Report as a SARIF 2.1.0 log, so that code
// scanning (GitHub and other SARIF viewers) shows the threats on the
// diagram file: one result per threat, with the rule's STRIDE category,
// CWE and help text with its mitigations, a location (the line for
// Mermaid and DOT, the page and cell for draw.io), the threat's stable
// fingerprint as partialFingerprints and the residual severity as level.
// Output is deterministic: no timestamps, no absolute paths, fixed order.
package sarif

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
)

// SchemaURI is the SARIF 2.1.0 schema the log declares.
const SchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// InformationURI is where the tool is documented.
const InformationURI = "https://github.com/threatmap/threatmap"

// Options control the log.
type Options struct {
	// Version is the tool version ("v1.2.3"); "" leaves it out.
	Version string
	// Rules is the rule set the report was made with, for rule metadata;
	// nil means the built-in library.
	Rules []stride.Rule
	// Source is the input file's content. For draw.io it is searched for
	// the cell of each element to give a line; nil gives line 1.
	Source []byte
}

// Levels maps residual severities to SARIF result levels.
var Levels = map[stride.Severity]string{
	stride.SeverityCritical: "error",
	stride.SeverityHigh:     "error",
	stride.SeverityMedium:   "warning",
	stride.SeverityLow:      "note",
}

// securitySeverity is the numeric score GitHub ranks alerts by (0-10).
var securitySeverity = map[stride.Severity]string{
	stride.SeverityCritical: "9.5",
	stride.SeverityHigh:     "8.0",
	stride.SeverityMedium:   "5.5",
	stride.SeverityLow:      "3.0",
}

type log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []run  `json:"runs"`
}

type run struct {
	Tool              tool           `json:"tool"`
	AutomationDetails *automation    `json:"automationDetails,omitempty"`
	Artifacts         []artifact     `json:"artifacts,omitempty"`
	Results           []result       `json:"results"`
	ColumnKind        string         `json:"columnKind"`
	Properties        map[string]any `json:"properties,omitempty"`
}

type automation struct {
	ID string `json:"id"`
}

type tool struct {
	Driver driver `json:"driver"`
}

type driver struct {
	Name           string     `json:"name"`
	Version        string     `json:"version,omitempty"`
	InformationURI string     `json:"informationUri"`
	Rules          []ruleDesc `json:"rules"`
}

type message struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type ruleDesc struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	ShortDescription message        `json:"shortDescription"`
	FullDescription  message        `json:"fullDescription"`
	Help             message        `json:"help"`
	HelpURI          string         `json:"helpUri,omitempty"`
	Default          config         `json:"defaultConfiguration"`
	Properties       map[string]any `json:"properties"`
}

type config struct {
	Level string `json:"level"`
}

type artifact struct {
	Location artifactLocation `json:"location"`
}

type artifactLocation struct {
	URI   string `json:"uri"`
	Index *int   `json:"index,omitempty"`
}

type result struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             message           `json:"message"`
	Locations           []location        `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	BaselineState       string            `json:"baselineState,omitempty"`
	Properties          map[string]any    `json:"properties"`
}

type location struct {
	PhysicalLocation *physical `json:"physicalLocation,omitempty"`
	LogicalLocations []logical `json:"logicalLocations,omitempty"`
}

type physical struct {
	ArtifactLocation artifactLocation `json:"artifactLocation"`
	Region           *region          `json:"region,omitempty"`
}

type region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type logical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// Write encodes r as a SARIF log to w.
func Write(w io.Writer, r *stride.Report, opts Options) error {
	if r == nil {
		return errors.New("sarif: nil report")
	}
	lg := build(r, opts)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(lg); err != nil {
		return err
	}
	return bw.Flush()
}

// ArtifactURI is how the input file is named in the log: as given, with
// forward slashes; the base name when it is absolute; "stdin" for "-".
func ArtifactURI(file string) string {
	switch {
	case file == "" || file == "-":
		return "stdin"
	case filepath.IsAbs(file):
		return filepath.Base(file)
	}
	return filepath.ToSlash(filepath.Clean(file))
}

func build(r *stride.Report, opts Options) *log {
	rules := opts.Rules
	if rules == nil {
		rules = stride.DefaultRules()
	}
	ruleByID := make(map[string]*stride.Rule, len(rules))
	for i := range rules {
		ruleByID[rules[i].ID] = &rules[i]
	}
	// Rules that have results, in id order.
	worst := map[string]stride.Severity{}
	for _, t := range r.Threats {
		worst[t.Rule] = stride.MaxSeverity(worst[t.Rule], t.ResidualRisk)
	}
	ids := make([]string, 0, len(worst))
	for id := range worst {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	index := make(map[string]int, len(ids))
	descs := make([]ruleDesc, len(ids))
	for i, id := range ids {
		index[id] = i
		descs[i] = describeRule(id, ruleByID[id], r, worst[id])
	}
	uri := ArtifactURI(r.Source.File)
	zero := 0
	loc := newLocator(r, opts.Source)
	results := make([]result, 0, len(r.Threats))
	for _, t := range r.Threats {
		res := result{
			RuleID: t.Rule, RuleIndex: index[t.Rule], Level: level(t.ResidualRisk),
			Message:             threatMessage(t),
			PartialFingerprints: map[string]string{stride.FingerprintKey: t.Fingerprint},
			Properties:          threatProps(t),
		}
		line, logicals := loc.locate(t)
		res.Locations = []location{{
			PhysicalLocation: &physical{ArtifactLocation: artifactLocation{URI: uri, Index: &zero}, Region: &region{StartLine: line}},
			LogicalLocations: logicals,
		}}
		switch t.Change {
		case stride.ChangeNew, stride.ChangeReopened:
			res.BaselineState = "new"
		case stride.ChangeChanged:
			res.BaselineState = "updated"
		case stride.ChangeUnchanged:
			res.BaselineState = "unchanged"
		}
		results = append(results, res)
	}
	props := map[string]any{"system": r.System, "format": r.Source.Format}
	if r.Source.Diagram != "" {
		props["diagram"] = r.Source.Diagram
	}
	auto := "threatmap/" + uri
	if r.Source.Diagram != "" {
		auto += "/" + r.Source.Diagram
	}
	return &log{
		Schema: SchemaURI, Version: "2.1.0",
		Runs: []run{{
			Tool:              tool{Driver: driver{Name: "threatmap", Version: opts.Version, InformationURI: InformationURI, Rules: descs}},
			AutomationDetails: &automation{ID: auto + "/"},
			Artifacts:         []artifact{{Location: artifactLocation{URI: uri}}},
			Results:           results,
			ColumnKind:        "unicodeCodePoints",
			Properties:        props,
		}},
	}
}

func level(sev stride.Severity) string {
	if l, ok := Levels[sev]; ok {
		return l
	}
	return "warning"
}

func threatMessage(t stride.Threat) message {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s, residual %s): %s. %s", t.ID, t.Category, t.ResidualRisk, strings.TrimSuffix(t.Title, "."), t.Description)
	if len(t.ExistingControls) > 0 {
		b.WriteString(" Existing controls: " + strings.Join(t.ExistingControls, ", ") + ".")
	}
	if len(t.Mitigations) > 0 {
		b.WriteString(" Mitigations:")
		for i, m := range t.Mitigations {
			if i > 0 {
				b.WriteString(";")
			}
			b.WriteString(" " + m.Control)
		}
		b.WriteString(".")
	}
	return message{Text: b.String()}
}

func threatProps(t stride.Threat) map[string]any {
	mits := make([]string, len(t.Mitigations))
	for i, m := range t.Mitigations {
		mits[i] = m.Control
	}
	p := map[string]any{
		"threatId": t.ID, "stride": t.Stride, "category": t.Category, "element": t.ElementName,
		"severity": t.Severity, "score": t.Score, "residualRisk": t.ResidualRisk, "residualScore": t.ResidualScore,
		"status": t.Status, "entryPoints": nonNil(t.EntryPoints), "existingControls": nonNil(t.ExistingControls),
		"mitigations": mits, "security-severity": securitySeverity[t.ResidualRisk],
	}
	if t.Change != "" {
		p["change"] = t.Change
	}
	if tr := t.Tracking; tr != nil {
		for k, v := range map[string]string{"owner": tr.Owner, "treatment": tr.Treatment, "ticket": tr.Ticket, "dueDate": tr.DueDate} {
			if v != "" {
				p[k] = v
			}
		}
	}
	return p
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// describeRule is a rule's metadata. Rule templates are shown with their
// placeholders in words ("the element", "the target"); a rule missing
// from the rule set (an old report) is described by its first threat.
func describeRule(id string, rule *stride.Rule, r *stride.Report, worst stride.Severity) ruleDesc {
	d := ruleDesc{ID: id, Default: config{Level: level(worst)}}
	var category stride.Category
	var cwe, title, desc string
	var mits []string
	var refs *stride.Refs
	if rule != nil {
		category, refs = rule.Category, &rule.Refs
		if len(rule.Refs.CWE) > 0 {
			cwe = rule.Refs.CWE[0]
		}
		title, desc = Untemplate(rule.Title), Untemplate(rule.Description)
		for _, m := range rule.Mitigations {
			mits = append(mits, Untemplate(m.Control))
		}
	} else {
		for _, t := range r.Threats {
			if t.Rule == id {
				category, title, desc, refs = t.Category, t.Title, t.Description, t.Refs
				if refs != nil && len(refs.CWE) > 0 {
					cwe = refs.CWE[0]
				}
				for _, m := range t.Mitigations {
					mits = append(mits, m.Control)
				}
				break
			}
		}
	}
	d.Name = ruleName(id, string(category))
	d.ShortDescription = message{Text: string(category) + ": " + title}
	d.FullDescription = message{Text: desc}
	var text, md strings.Builder
	fmt.Fprintf(&text, "%s (STRIDE: %s)\n\n%s\n", title, category, desc)
	fmt.Fprintf(&md, "**%s** (STRIDE: %s)\n\n%s\n", title, category, desc)
	if len(mits) > 0 {
		text.WriteString("\nMitigations:\n")
		md.WriteString("\n**Mitigations**\n\n")
		for _, m := range mits {
			text.WriteString("- " + m + "\n")
			md.WriteString("- " + m + "\n")
		}
	}
	tags := []string{"security", "threat-model", "STRIDE", string(category)}
	if cwe != "" {
		n := strings.TrimPrefix(cwe, "CWE-")
		fmt.Fprintf(&text, "\n%s: https://cwe.mitre.org/data/definitions/%s.html\n", cwe, n)
		fmt.Fprintf(&md, "\n[%s](https://cwe.mitre.org/data/definitions/%s.html)\n", cwe, n)
		d.HelpURI = "https://cwe.mitre.org/data/definitions/" + n + ".html"
	}
	if !refs.Empty() {
		for _, c := range refs.CWE {
			tags = append(tags, "external/cwe/cwe-"+strings.TrimPrefix(c, "CWE-"))
		}
		fmt.Fprintf(&text, "\nReferences: %s\n", refs.Text())
		fmt.Fprintf(&md, "\n**References**: %s\n", refs.Text())
	}
	d.Help = message{Text: text.String(), Markdown: md.String()}
	d.Properties = map[string]any{"tags": tags, "stride": category, "security-severity": securitySeverity[worst]}
	if cwe != "" {
		d.Properties["cwe"] = cwe
	}
	if !refs.Empty() {
		d.Properties["references"] = refs
	}
	return d
}

// ruleName is a rule's PascalCase name ("SpoofingSEXT02").
func ruleName(id, category string) string {
	var b strings.Builder
	for _, f := range strings.Fields(category) {
		b.WriteString(strings.ToUpper(f[:1]) + f[1:])
	}
	for _, r := range id {
		if r != '-' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// The patterns Untemplate uses, compiled together on its first call (not
// at start-up: most runs never write SARIF).
var untemplateRE = sync.OnceValue(func() (r struct{ ifElse, ifOnly, action, camel, spaces, fieldRe *regexp.Regexp }) {
	r.ifElse = regexp.MustCompile(`(?s)\{\{-?\s*if [^}]*\}\}(.*?)\{\{-?\s*else\s*-?\}\}(.*?)\{\{-?\s*end\s*-?\}\}`)
	r.ifOnly = regexp.MustCompile(`(?s)\{\{-?\s*(?:if|with|range) [^}]*\}\}(.*?)\{\{-?\s*end\s*-?\}\}`)
	r.action = regexp.MustCompile(`\{\{-?\s*([^}]*?)\s*-?\}\}`)
	r.camel = regexp.MustCompile(`([a-z])([A-Z])`)
	r.spaces = regexp.MustCompile(`\s+`)
	r.fieldRe = regexp.MustCompile(`^\.[A-Za-z.]+$`)
	return r
})

// Untemplate renders a rule template without an element: conditional
// parts are dropped (the else branch kept), fields become words
// ("{{.Target.Name}}" → "the target", "{{.Data}}" → "the data").
func Untemplate(s string) string {
	re := untemplateRE()
	s = re.ifElse.ReplaceAllString(s, "$2")
	for re.ifOnly.MatchString(s) {
		s = re.ifOnly.ReplaceAllString(s, "")
	}
	s = re.action.ReplaceAllStringFunc(s, func(a string) string {
		f := re.action.FindStringSubmatch(a)[1]
		switch f {
		case ".Name":
			return "the element"
		case ".Source.Name":
			return "the source"
		case ".Target.Name":
			return "the target"
		}
		if !re.fieldRe.MatchString(f) {
			return "…"
		}
		parts := strings.Split(strings.TrimPrefix(f, "."), ".")
		w := strings.ToLower(re.camel.ReplaceAllString(strings.Join(parts, " "), "$1 $2"))
		w = strings.TrimSuffix(w, " text")
		return "the " + w
	})
	return strings.TrimSpace(re.spaces.ReplaceAllString(s, " "))
}

// locator finds where an element is defined.
type locator struct {
	r     *stride.Report
	flows map[string]*graph.Flow
	src   []byte
	lines map[string]int // draw.io cell id -> line
}

func newLocator(r *stride.Report, src []byte) *locator {
	l := &locator{r: r, src: src, flows: map[string]*graph.Flow{}}
	if r.Diagram != nil {
		for _, f := range r.Diagram.Flows {
			if _, dup := l.flows[f.ID]; !dup {
				l.flows[f.ID] = f
			}
		}
	}
	return l
}

// locate returns the line (at least 1) and the logical location of the
// threat's element.
func (l *locator) locate(t stride.Threat) (int, []logical) {
	var pos graph.Position
	kind := "element"
	if d := l.r.Diagram; d != nil {
		switch t.Element.Type {
		case "flow":
			if f := l.flows[t.Element.ID]; f != nil {
				pos = f.Pos
			}
		default:
			if c := d.Component(t.Element.ID); c != nil {
				pos = c.Pos
			}
		}
	}
	fq := t.Element.Type + ":" + t.Element.ID
	if t.Element.ID == "" {
		fq = t.Element.Type // a threat on the system as a whole
	}
	if pos.Cell != "" {
		fq = "cell:" + pos.Cell
		if pos.Page != "" {
			fq = "page:" + pos.Page + "/" + fq
		}
	}
	logicals := []logical{{Name: t.ElementName, FullyQualifiedName: fq, Kind: kind}}
	line := pos.Line
	if line <= 0 && pos.Cell != "" {
		line = l.cellLine(pos.Cell)
	}
	return max(line, 1), logicals
}

// cellLine finds the line of a draw.io cell in an uncompressed file.
func (l *locator) cellLine(cell string) int {
	if len(l.src) == 0 {
		return 0
	}
	if l.lines == nil {
		l.lines = map[string]int{}
	}
	if n, ok := l.lines[cell]; ok {
		return n
	}
	n := 0
	for _, q := range []string{`id="` + xmlEscape(cell) + `"`, `id='` + xmlEscape(cell) + `'`} {
		if i := bytes.Index(l.src, []byte(q)); i >= 0 {
			n = bytes.Count(l.src[:i], []byte("\n")) + 1
			break
		}
	}
	l.lines[cell] = n
	return n
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
