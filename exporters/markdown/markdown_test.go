package markdown

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

var fixtureOpts = Options{Date: "2026-03-14", SVGName: "telehealth.annotated.svg"}

func render(t *testing.T, r *stride.Report, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r, opts); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.String()
}

// totalRow is the STRIDE matrix's total row for r: threats per category
// letter, then all.
func totalRow(r *stride.Report) string {
	n := map[string]int{}
	for _, th := range r.Threats {
		n[string(th.Stride)]++
	}
	row := "| **Total** |"
	for _, l := range strideLetters {
		row += " **" + strconv.Itoa(n[l]) + "** |"
	}
	return row + " **" + strconv.Itoa(len(r.Threats)) + "** |"
}

// TestSections checks the parts the review relies on, independently of the
// golden file's wording.
func TestSections(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	md := render(t, r, fixtureOpts)
	for _, want := range []string{
		"# Threat model: Telehealth Platform",
		"- **Date:** 2026-03-14",
		"## Scope", "## Component inventory", "## Trust boundaries", "## Entry points",
		"## Data-flow diagram", "```mermaid\nflowchart LR\n", "](telehealth.annotated.svg)",
		"## STRIDE threat matrix", "| Element | S | T | R | I | D | E | Total |",
		"## Prioritised mitigations for high and critical threats",
		"## Mitigation roadmap", "### This sprint: quick wins", "### This quarter: planned controls", "### Design changes: architectural",
		"## Open questions", "## Questions for the review",
		"**PCI-DSS**", "**HIPAA**", "SOC 2",
		totalRow(r),
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q", want)
		}
	}
	// Every threat appears; only High and Critical ones are detailed.
	for _, th := range r.Threats {
		a := `<a id="` + strings.ToLower(th.ID) + `"></a>`
		if !strings.Contains(md, "| ["+th.ID+"](#"+strings.ToLower(th.ID)+") |") && !strings.Contains(md, "| "+a+th.ID+" |") {
			t.Errorf("threat %s not listed", th.ID)
		}
		detailed := strings.Contains(md, "### "+a+th.ID+" ")
		if want := th.ResidualRisk.Rank() >= stride.SeverityHigh.Rank(); detailed != want {
			t.Errorf("%s (%s): detailed = %v", th.ID, th.ResidualRisk, detailed)
		}
	}
	for _, ep := range r.EntryPoints {
		if !strings.Contains(md, `| <a id="`+strings.ToLower(ep.ID)+`"></a>`+ep.ID+" |") {
			t.Errorf("entry point %s not listed", ep.ID)
		}
	}
	for _, q := range r.OpenQuestions {
		if !strings.Contains(md, q.Question) {
			t.Errorf("open question %s missing", q.ID)
		}
	}
}

func TestComplianceFollowsData(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	for i := range r.Components {
		r.Components[i].Sensitivity = nil
	}
	for i := range r.Flows {
		r.Flows[i].Sensitivity = nil
	}
	md := render(t, r, Options{})
	for _, absent := range []string{"**PCI-DSS**", "**HIPAA**", "GDPR", ".svg", "**Date:**"} {
		if strings.Contains(md, absent) {
			t.Errorf("%q mentioned without data suggesting it", absent)
		}
	}
	for i, f := range r.Flows {
		if f.Source == "appt" && f.Target == "stripe" {
			r.Flows[i].Sensitivity = []string{"PCI"}
		}
	}
	md = render(t, r, Options{})
	if !strings.Contains(md, "**PCI-DSS**: Card data reaches Appointments Service → Stripe Payments.") {
		t.Error("card data flow does not suggest PCI-DSS")
	}
}

var hostileLabels = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	"a | b\nc",
	`"]; click n_x call evil(); x["`,
	"`code` **bold** [link](http://evil) ![img](http://evil/x.png)",
	"# heading",
	"- item",
	"1. item",
	"end",
	`=HYPERLINK("http://evil","x")`,
	"&lt;b&gt; &#60;",
	"$x^2$ ~~strike~~ _em_",
	"%%{init: {'securityLevel':'loose'}}%%",
}

func hostileReport(t testing.TB) *stride.Report {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	for i := range r.Components {
		r.Components[i].Label = hostileLabels[i%len(hostileLabels)]
		r.Components[i].Sensitivity = []string{hostileLabels[(i+1)%len(hostileLabels)]}
	}
	for i := range r.Boundaries {
		r.Boundaries[i].Label = hostileLabels[(i+3)%len(hostileLabels)]
	}
	for i := range r.Flows {
		r.Flows[i].Label = hostileLabels[(i+5)%len(hostileLabels)]
	}
	for i := range r.Threats {
		r.Threats[i].Title = hostileLabels[i%len(hostileLabels)]
		r.Threats[i].Description = hostileLabels[(i+2)%len(hostileLabels)]
		r.Threats[i].ElementName = hostileLabels[(i+4)%len(hostileLabels)]
		if len(r.Threats[i].Mitigations) > 0 {
			r.Threats[i].Mitigations[0].Control = hostileLabels[(i+6)%len(hostileLabels)]
		}
	}
	r.System = "<h1>pwned</h1>"
	r.Notes = hostileLabels
	r.Warnings = hostileLabels
	return r
}

var (
	rawTag      = regexp.MustCompile(`<[a-zA-Z/!]`)
	allowedTags = regexp.MustCompile(`<br>|<a id="[a-z0-9-]+"></a>`)
	// internalLink is a link from an id to its section.
	internalLink = regexp.MustCompile(`\[(T|EP)-[0-9]+\]\(#(t|ep)-[0-9]+\)`)
	badLink      = regexp.MustCompile(`[^\\]\]\(`)
)

// TestHostileLabels renders labels that try to inject HTML, Markdown and
// Mermaid: no raw tag other than our <br>, no link or image, tables keep
// their column count, the Mermaid block stays well-formed.
func TestHostileLabels(t *testing.T) {
	md := render(t, hostileReport(t), Options{SVGName: "x).md [a](b"})
	outside := mermaidRe.ReplaceAllString(md, "")
	if m := rawTag.FindAllString(allowedTags.ReplaceAllString(outside, ""), -1); len(m) > 0 {
		t.Errorf("raw HTML outside the Mermaid block: %q", m)
	}
	svgLine := regexp.MustCompile(`(?m)^The annotated diagram with threat badges: .*$`)
	if got := svgLine.FindString(outside); got != `The annotated diagram with threat badges: [x).md \[a\](b](x%29.md%20%5Ba%5D%28b).` {
		t.Errorf("SVG link line = %q", got)
	}
	if m := badLink.FindAllString(internalLink.ReplaceAllString(svgLine.ReplaceAllString(outside, ""), ""), -1); len(m) > 0 {
		t.Errorf("hostile label produced a link: %q", m)
	}
	inTable := false
	cols := 0
	for i, line := range strings.Split(outside, "\n") {
		if strings.HasPrefix(line, "|") {
			n := len(splitRow(line))
			if !inTable {
				inTable, cols = true, n
			} else if n != cols {
				t.Errorf("line %d: %d cells, want %d: %s", i+1, n, cols, line)
			}
			continue
		}
		inTable = false
		trimmed := strings.TrimLeft(line, " -")
		if strings.HasPrefix(trimmed, "# heading") || strings.HasPrefix(trimmed, "- item") || strings.HasPrefix(trimmed, "1. item") {
			t.Errorf("line %d: hostile label became block structure: %s", i+1, line)
		}
	}
	block := MermaidBlock(hostileReport(t))
	checkMermaid(t, block)
}

// splitRow splits a table row on unescaped pipes.
func splitRow(line string) []string {
	var cells []string
	cur := strings.Builder{}
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line):
			cur.WriteByte(line[i])
			cur.WriteByte(line[i+1])
			i++
		case line[i] == '|':
			cells = append(cells, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return cells
}

// The References section has one row per rule behind a threat with
// references, listing its CWE ids, and none for a rule without.
func TestReferencesSection(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	md := render(t, r, fixtureOpts)
	if !strings.Contains(md, "## References\n") {
		t.Fatal("no References section")
	}
	sec := md[strings.Index(md, "## References\n"):]
	if i := strings.Index(sec[3:], "\n## "); i >= 0 {
		sec = sec[:i+3]
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(sec, "\n") {
		c := splitRow(line)
		if len(c) != 8 {
			continue
		}
		c = c[1:]
		for i := range c {
			c[i] = strings.TrimSpace(c[i])
		}
		if c[0] != "Rule" && !strings.HasPrefix(c[0], "-") {
			rows[c[0]] = c
		}
	}
	want := map[string]*stride.Refs{}
	for _, th := range r.Threats {
		if !th.Refs.Empty() {
			want[th.Rule] = th.Refs
		}
	}
	if len(rows) != len(want) || len(want) == 0 {
		t.Errorf("%d reference rows for %d rules with references", len(rows), len(want))
	}
	for id, refs := range want {
		row, ok := rows[id]
		if !ok {
			t.Errorf("rule %s has references and no row", id)
			continue
		}
		for _, c := range refs.CWE {
			if !strings.Contains(row[2], c) {
				t.Errorf("rule %s: CWE cell %q lacks %s", id, row[2], c)
			}
		}
	}
}

// TestStatuses: each of the five statuses reaches the threat table, and a
// threat the diagram mitigates is listed (not dropped) with its control.
func TestStatuses(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	want := testsupport.FiveStatuses(t, r)
	md := render(t, r, fixtureOpts)
	for id, status := range want {
		re := regexp.MustCompile(`(?m)^\| <a id="` + strings.ToLower(id) + `"></a>` + id + ` \|.*\| ` + status + `(<br>[^|]*)? \|$|^\| \[` + id + `\]\(#` + strings.ToLower(id) + `\) \|.*\| ` + status + `(<br>[^|]*)? \|$`)
		if !re.MatchString(md) {
			t.Errorf("%s: no threat-table row with status %s", id, status)
		}
	}
	for _, th := range r.Threats {
		if th.Status != stride.StatusMitigated || len(th.Controls) == 0 {
			continue
		}
		if !strings.Contains(md, "## Controls already in place") || !strings.Contains(md, text(th.Controls[0].Source)) {
			t.Errorf("%s: the source of its control %q is not in the document", th.ID, th.Controls[0].Source)
		}
	}
}

// TestOutOfScopeListed: the parts the diagram takes out of scope are
// listed once in the Scope section, with the reason and the threats not
// raised, and none of their own threats appears; a diagram with none has
// no such list.
func TestOutOfScopeListed(t *testing.T) {
	if md := render(t, testsupport.ExampleReport(t, "telehealth.dot"), Options{}); strings.Contains(md, "takes these parts out of scope") {
		t.Error("out-of-scope list without any part out of scope")
	}
	d := testsupport.ExampleDiagram(t, "telehealth.dot")
	c := d.Component("notify")
	c.OutOfScope, c.OutOfScopeReason = true, "threat modelled with the messaging platform"
	r := testsupport.Analyze(t, d)
	if len(r.OutOfScope) != 1 || r.OutOfScope[0].NotRaised == 0 {
		t.Fatalf("out of scope %+v", r.OutOfScope)
	}
	md := render(t, r, Options{})
	want := "- **Notification Worker** (component): threat modelled with the messaging platform; " + threatCount(r.OutOfScope[0].NotRaised) + " not raised"
	if !strings.Contains(md, want) {
		t.Errorf("Scope section does not list %q", want)
	}
	for _, th := range r.Threats {
		if th.Element.ID == "notify" {
			t.Errorf("threat %s %s raised on the out-of-scope component", th.ID, th.Rule)
		}
	}
}

func threatCount(n int) string {
	if n == 1 {
		return "1 threat"
	}
	return strconv.Itoa(n) + " threats"
}
