package markdown

import (
	"sort"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/internal/english"
	"github.com/threatmap/threatmap/stride"
)

// anchor is the in-document anchor of a threat or entry point id
// ("T-0042" → "t-0042").
func anchor(id string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(id) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// anchorTag is the HTML anchor placed where an id is described.
func anchorTag(id string) string { return `<a id="` + anchor(id) + `"></a>` }

// ref is an id linked to where the document describes it; plain text
// when the document does not describe it.
func (d *doc) ref(id string) string {
	if d.described[id] {
		return "[" + text(id) + "](#" + anchor(id) + ")"
	}
	return text(id)
}

// refs links each id, comma separated, "—" for none.
func (d *doc) refs(ids []string) string {
	if len(ids) == 0 {
		return "—"
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = d.ref(id)
	}
	return strings.Join(out, ", ")
}

// documentFacts writes the version, owner, reviewers and classification
// from threatmap.yaml under the title.
func (d *doc) documentFacts(fact func(k, v string)) {
	doc := d.r.Document
	if doc.Empty() {
		return
	}
	if doc.Version != "" {
		fact("Version", text(doc.Version))
	}
	if doc.Owner != "" {
		fact("Owner", text(doc.Owner))
	}
	if len(doc.Reviewers) > 0 {
		fact("Reviewers", textList(doc.Reviewers))
	}
}

// dataClasses lists the data classes the system handles, in words.
func (d *doc) dataClasses() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range d.r.Components {
		for _, s := range c.Sensitivity {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return stride.DataNames(out)
}

// overview writes the system overview: the team's own words from
// threatmap.yaml when given, then what the diagram shows, and the data
// classification.
func (d *doc) overview() {
	r := d.r
	d.heading(2, "System overview")
	if doc := r.Document; doc != nil && doc.Overview != "" {
		d.line(text(doc.Overview))
		d.line("")
	}
	kinds := map[string]int{}
	for _, c := range r.Components {
		kinds[c.Kind]++
	}
	d.p("%s is drawn as %s (%d external entities, %d processes, %d data stores) in %s, connected by %s; %s cross a trust boundary.\n",
		text(orDash(r.System)), english.Plural(len(r.Components), "component"), kinds["external"], kinds["process"], kinds["datastore"],
		english.Plural(len(r.Boundaries), "trust boundary", "trust boundaries"), english.Plural(len(r.Flows), "data flow"),
		english.Plural(len(r.EntryPoints), "of them", "of them"))
	d.line("")
	class := "not stated (set document.classification in threatmap.yaml)"
	if doc := r.Document; doc != nil && doc.Classification != "" {
		class = text(doc.Classification)
	}
	d.line("- **Data classification:** " + class)
	if dc := d.dataClasses(); len(dc) > 0 {
		d.line("- **Data handled:** " + textList(dc))
	} else {
		d.line("- **Data handled:** nothing sensitive is named on the diagram")
	}
}

// assumptions lists what the analysis assumed where the diagram is
// silent, and the team's own assumptions from threatmap.yaml.
func (d *doc) assumptions() {
	r := d.r
	d.heading(2, "Assumptions")
	var items []string
	if doc := r.Document; doc != nil {
		for _, a := range doc.Assumptions {
			items = append(items, text(a))
		}
	}
	for _, a := range r.Assumptions {
		items = append(items, text(a))
	}
	if len(r.Boundaries) == 0 {
		items = append(items, "The diagram draws no trust boundary: every flow is treated as internal.")
	}
	var inferred []string
	for _, b := range r.Boundaries {
		if b.Inferred {
			inferred = append(inferred, b.Label)
		}
		if strings.Contains(b.TrustReason, "default") {
			items = append(items, "Trust boundary "+text(b.Label)+" (`"+codeText(b.ID)+"`): "+text(b.TrustReason)+".")
		}
	}
	if len(inferred) > 0 {
		items = append(items, "Inferred from the drawing (a dashed or zone-named shape behind components, not a container): "+textList(inferred)+".")
	}
	var outside, defaulted []string
	for _, c := range r.Components {
		if c.Boundary == "" && len(r.Boundaries) > 0 {
			outside = append(outside, c.Label)
		}
		if strings.Contains(c.KindReason, "default") {
			defaulted = append(defaulted, c.Label)
		}
	}
	if len(outside) > 0 {
		items = append(items, "Outside every boundary, so treated as "+text(stride.TrustName(0))+" (the public internet): "+textList(outside)+".")
	}
	if len(defaulted) > 0 {
		items = append(items, "Classified as processes because nothing says otherwise: "+textList(defaulted)+".")
	}
	unknownEnc, unknownAuth := 0, 0
	for _, f := range r.Flows {
		if f.Encrypted != stride.EncTrue && f.Encrypted != stride.EncFalse {
			unknownEnc++
		}
		if f.Authenticated == "" || f.Authenticated == "unknown" {
			unknownAuth++
		}
	}
	if unknownEnc > 0 {
		items = append(items, agree(unknownEnc, "flow does not say whether it is", "flows do not say whether they are")+
			" encrypted: treated as possibly cleartext, not as cleartext.")
	}
	if unknownAuth > 0 {
		items = append(items, agree(unknownAuth, "flow does not say how it authenticates", "flows do not say how they authenticate")+".")
	}
	items = append(items, "Controls count only when the diagram or threatmap.yaml shows them; anything not drawn is out of scope.")
	for _, it := range items {
		d.line("- " + it)
	}
}

// changes writes what changed since the baseline: new, changed, reopened
// and closed threats, new and removed entry points.
func (d *doc) changes() {
	ch := d.r.Changes
	if ch == nil {
		return
	}
	d.heading(2, "Changes since the baseline")
	d.p("Compared with %s: %d new, %d changed, %d reopened, %d closed and %d unchanged threats; %d new and %d removed entry points.\n",
		"`"+codeText(ch.Baseline)+"`", len(ch.New), len(ch.Changed), len(ch.Reopened), len(ch.Closed), ch.Unchanged,
		len(ch.EntryPointsNew), len(ch.EntryPointsRemoved))
	list := func(title string, ids []string) {
		if len(ids) == 0 {
			return
		}
		d.line("")
		d.line("**" + title + "**")
		d.line("")
		for _, id := range ids {
			if t := d.x.Threat(id); t != nil {
				d.line("- " + d.ref(id) + " " + text(t.Title) + " (" + text(t.ResidualRisk) + ")")
			} else {
				d.line("- " + d.ref(id))
			}
		}
	}
	list("New threats", ch.New)
	list("Changed threats", ch.Changed)
	list("Reopened threats", ch.Reopened)
	if len(ch.Worse) > 0 {
		d.line("")
		d.line("Residual risk rose for " + d.refs(ch.Worse) + ".")
	}
	if len(d.r.Closed) > 0 {
		d.line("")
		d.line("**Closed threats** (no longer in the diagram; kept with their history)")
		d.line("")
		var rows [][]string
		for _, t := range d.r.Closed {
			history := ""
			if t.Tracking != nil {
				history = strings.Join(t.Tracking.History, "\n")
			}
			rows = append(rows, []string{anchorTag(t.ID) + cell(t.ID), cell(t.Title), cell(t.ElementName), cell(orDash(t.ResidualRisk)), cell(history)})
		}
		d.table([]string{"ID", "Threat", "Element", "Last residual", "History"}, rows, "")
	}
	if len(ch.EntryPointsNew) > 0 {
		d.line("")
		d.line("New entry points: " + d.refs(ch.EntryPointsNew) + ".")
	}
	if len(ch.EntryPointsRemoved) > 0 {
		d.line("")
		d.line("Removed entry points: " + textList(ch.EntryPointsRemoved) + ".")
	}
}

// codeText makes s safe inside a code span.
func codeText(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "`", "'")
}

// tracking is the people's part of a threat for the threat table:
// owner, treatment, ticket, due date.
func tracking(t *stride.Threat) string {
	tr := t.Tracking
	if tr == nil {
		return ""
	}
	var parts []string
	if tr.Owner != "" {
		parts = append(parts, "owner "+tr.Owner)
	}
	if tr.Treatment != "" {
		parts = append(parts, tr.Treatment)
	}
	if tr.Ticket != "" {
		parts = append(parts, tr.Ticket)
	}
	if tr.DueDate != "" {
		parts = append(parts, "due "+tr.DueDate)
	}
	return strings.Join(parts, ", ")
}

// agree is "1 " + one or "n " + many.
func agree(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
