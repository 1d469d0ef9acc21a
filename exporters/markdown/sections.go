package markdown

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/internal/english"
	"github.com/threatmap/threatmap/stride"
)

func (d *doc) title() {
	r := d.r
	d.line("# Threat model: " + text(orDash(r.System)))
	d.line("")
	fact := func(k, v string) { d.line("- **" + k + ":** " + v) }
	if d.opts.Date != "" {
		fact("Date", text(d.opts.Date))
	}
	d.documentFacts(fact)
	src := text(r.Source.File)
	if r.Source.Format != "" {
		src += " (" + text(r.Source.Format) + ")"
	}
	fact("Source", src)
	if r.Source.Diagram != "" {
		fact("Diagram", text(r.Source.Diagram))
	}
	if r.Source.SHA256 != "" {
		fact("SHA-256", text(r.Source.SHA256))
	}
	fact("Generator", text(orDash(r.Generator)))
	fact("Method", "STRIDE per element; risk = likelihood × impact (1–5 each): Critical ≥ 20, High ≥ 12, Medium ≥ 6, Low < 6")
}

func (d *doc) scope() {
	r := d.r
	d.heading(2, "Scope")
	d.p("This model covers the %s, %s and %s drawn in %s, with %s where a flow crosses a trust boundary.\n",
		english.Plural(len(r.Components), "component"), english.Plural(len(r.Flows), "data flow"),
		english.Plural(len(r.Boundaries), "trust boundary", "trust boundaries"), text(r.Source.File),
		english.Plural(len(r.EntryPoints), "entry point"))
	d.line("Anything not on the diagram is out of scope until the review adds it.")
	d.line("")
	if len(r.OutOfScope) > 0 {
		d.line("The diagram takes these parts out of scope: their own threats are not raised, and the flows between them and the parts in scope are analysed from the in-scope side.")
		d.line("")
		for _, o := range r.OutOfScope {
			d.line(fmt.Sprintf("- **%s** (%s): %s; %s not raised", text(o.Label), o.Element.Type, text(o.Reason), english.Plural(o.NotRaised, "threat")))
		}
		d.line("")
	}
	counts := map[stride.Severity]int{}
	for _, t := range r.Threats {
		counts[t.ResidualRisk]++
	}
	var parts []string
	for _, s := range stride.Severities {
		parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
	}
	d.p("**%s** after existing controls: %s.\n", english.Plural(len(r.Threats), "threat"), strings.Join(parts, ", "))
	if len(r.Notes) > 0 {
		d.line("")
		d.line("Notes on the diagram:")
		d.line("")
		for _, n := range r.Notes {
			d.line("- " + text(n))
		}
	}
}

func (d *doc) inventory() {
	d.heading(2, "Component inventory")
	onFlows := map[string]int{}
	for _, f := range d.r.Flows {
		onFlows[f.Source] += len(f.Threats)
		if f.Target != f.Source {
			onFlows[f.Target] += len(f.Threats)
		}
	}
	var rows [][]string
	for _, c := range d.r.Components {
		zone := "outside all boundaries"
		if c.Boundary != "" {
			zone = d.x.BoundaryName(c.Boundary)
		}
		rows = append(rows, []string{cell(c.Label), cell(c.Kind), cell(zone), cells(c.Sensitivity),
			strconv.Itoa(len(c.Threats)), strconv.Itoa(onFlows[c.ID]), cell(orDash(c.MaxSeverity))})
	}
	if len(rows) == 0 {
		d.line("No components.")
		return
	}
	d.line("Threats are counted against the component itself and against the flows in and out of it; the highest residual risk covers both.")
	d.line("")
	d.table([]string{"Component", "Kind", "Zone", "Data handled", "Threats", "On its flows", "Highest risk"}, rows, "....rr.")
}

// boundaryMap writes the nested boundaries as a list: trust level and the
// components directly inside each.
func (d *doc) boundaryMap() {
	d.heading(2, "Trust boundaries")
	children := map[string][]*stride.Boundary{}
	for i := range d.r.Boundaries {
		b := &d.r.Boundaries[i]
		parent := b.Parent
		if d.x.Boundary(parent) == nil {
			parent = ""
		}
		children[parent] = append(children[parent], b)
	}
	members := map[string][]string{}
	for _, c := range d.r.Components {
		key := c.Boundary
		if d.x.Boundary(key) == nil {
			key = ""
		}
		members[key] = append(members[key], c.Label)
	}
	seen := map[string]bool{}
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, b := range children[parent] {
			if seen[b.ID] {
				continue
			}
			seen[b.ID] = true
			inside := "no components directly inside"
			if m := members[b.ID]; len(m) > 0 {
				inside = textList(m)
			}
			note := ""
			if b.Inferred {
				note = ", inferred from the drawing"
			}
			d.p("%s- **%s** (`%s`, %s, trust %d%s): %s\n", strings.Repeat("  ", depth), text(b.Label),
				codeText(b.ID), text(orDash(b.TrustName)), b.Trust, note, inside)
			walk(b.ID, depth+1)
		}
	}
	walk("", 0)
	if m := members[""]; len(m) > 0 {
		d.line("- Outside all boundaries: " + textList(m))
	}
	if len(d.r.Boundaries) == 0 {
		d.line("")
		d.line("The diagram draws no trust boundaries: every flow is treated as internal.")
	}
}

func textList(v []string) string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = text(s)
	}
	return strings.Join(out, ", ")
}

func (d *doc) entryPoints() {
	d.heading(2, "Entry points")
	if len(d.r.EntryPoints) == 0 {
		d.line("No flow crosses a trust boundary.")
		return
	}
	var rows [][]string
	for _, ep := range d.r.EntryPoints {
		f := d.x.Flow(ep.Flow)
		if f == nil {
			f = &stride.Flow{}
		}
		crosses := make([]string, len(ep.Boundaries))
		for i, b := range ep.Boundaries {
			crosses[i] = d.x.BoundaryName(b)
		}
		rows = append(rows, []string{anchorTag(ep.ID) + cell(ep.ID), cell(d.x.ComponentName(ep.From)), cell(d.x.ComponentName(ep.To)),
			cell(orDash(f.Label)), cell(ep.Direction), cell(strings.Join(crosses, " → ")),
			cell(stride.AuthName(f.Authenticated)), cell(stride.EncryptedName(f.Encrypted)), cells(stride.DataNames(f.Sensitivity)), d.threatIDs(ep.Threats)})
	}
	d.line("Flows that cross a trust boundary, numbered as on the diagram below.")
	d.line("")
	d.table([]string{"#", "From", "To", "Flow", "Direction", "Crosses", "Authentication", "Encrypted", "Data", "Threats"}, rows, "")
}

func (d *doc) diagram() {
	d.heading(2, "Data-flow diagram")
	d.line("Trust boundaries are drawn as subgraphs; flows that cross one carry their entry-point number; components with high or critical residual risk are highlighted.")
	d.line("")
	d.buf.WriteString(MermaidBlock(d.r))
	if d.opts.SVGName != "" {
		d.line("")
		d.line("The annotated diagram with threat badges: [" + text(d.opts.SVGName) + "](" + linkPath(d.opts.SVGName) + ").")
	}
}

// linkPath percent-escapes a relative file name for a Markdown link.
func linkPath(name string) string {
	var sb strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/", c) >= 0 {
			sb.WriteByte(c)
		} else {
			fmt.Fprintf(&sb, "%%%02X", c)
		}
	}
	return sb.String()
}

// strideLetters are the STRIDE columns of the matrix.
var strideLetters = func() []string {
	out := make([]string, len(stride.Categories))
	for i, c := range stride.Categories {
		out[i] = c.Letter()
	}
	return out
}()

// matrix writes the STRIDE threat matrix: one row per component, then one
// per flow with threats; counts per category.
func (d *doc) matrix() {
	d.heading(2, "STRIDE threat matrix")
	d.line("Threats per element and category (S spoofing, T tampering, R repudiation, I information disclosure, D denial of service, E elevation of privilege).")
	d.line("")
	counts := map[stride.ElementRef]map[string]int{}
	for _, t := range d.r.Threats {
		if counts[t.Element] == nil {
			counts[t.Element] = map[string]int{}
		}
		counts[t.Element][t.Stride]++
	}
	total := map[string]int{}
	var rows [][]string
	row := func(name string, e stride.ElementRef) {
		c := counts[e]
		cols := []string{cell(name)}
		sum := 0
		for _, l := range strideLetters {
			n := c[l]
			sum += n
			total[l] += n
			cols = append(cols, count(n))
		}
		rows = append(rows, append(cols, count(sum)))
	}
	for _, c := range d.r.Components {
		row(c.Label, stride.ElementRef{Type: "component", ID: c.ID})
	}
	for i := range d.r.Flows {
		f := &d.r.Flows[i]
		if e := (stride.ElementRef{Type: "flow", ID: f.ID}); len(counts[e]) > 0 {
			row(d.x.FlowName(f), e)
		}
	}
	if e := (stride.ElementRef{Type: stride.AppliesSystem}); len(counts[e]) > 0 {
		row("The system as a whole", e)
	}
	last := []string{"**Total**"}
	sum := 0
	for _, l := range strideLetters {
		last = append(last, "**"+strconv.Itoa(total[l])+"**")
		sum += total[l]
	}
	rows = append(rows, append(last, "**"+strconv.Itoa(sum)+"**"))
	d.table(append(append([]string{"Element"}, strideLetters...), "Total"), rows, ".ccccccc")
}

func count(n int) string {
	if n == 0 {
		return "·"
	}
	return strconv.Itoa(n)
}

// threatTable lists every threat, highest residual risk first.
func (d *doc) threatTable() {
	d.heading(2, "Threats")
	if len(d.x.ByResidualRisk()) == 0 {
		d.line("No threats found.")
		return
	}
	d.line("High and critical threats link to their mitigation plan below; the others are described here.")
	d.line("")
	var rows [][]string
	for _, t := range d.x.ByResidualRisk() {
		id := d.ref(t.ID)
		if !highRisk(t) {
			id = anchorTag(t.ID) + cell(t.ID)
		}
		mit := "—"
		if len(t.Mitigations) > 0 {
			mit = cell(t.Mitigations[0].Control)
			if n := len(t.Mitigations) - 1; n > 0 {
				mit += fmt.Sprintf(" (+%d more)", n)
			}
		}
		status := cell(orDash(t.Status))
		if tr := tracking(t); tr != "" {
			status += "<br>" + cell(tr)
		}
		rows = append(rows, []string{id, cell(t.Title), cell(elementCell(d.x, t)), cell(t.Category),
			fmt.Sprintf("%d×%d=%d %s", t.Likelihood, t.Impact, t.Score, cell(t.Severity)),
			cells(stride.ControlNames(t.ExistingControls)), mit,
			residualCell(t), status})
	}
	d.table([]string{"ID", "Threat", "Element", "STRIDE", "L×I (inherent)", "Existing controls", "Mitigation", "L×I (residual)", "Status"}, rows, "")
}

// elementCell is the Element cell of the threat table: the threat's
// element name, or for a folded threat whose members are rated apart
// each element with its own rating (stride.Index.RatedElementNames).
func elementCell(x *stride.Index, t *stride.Threat) string {
	if len(t.Members) == 0 || x == nil {
		return t.ElementName
	}
	return strings.Join(x.RatedElementNames(t), "; ")
}

// residualCell is the residual likelihood × impact = score and the band in
// bold ("3×4=12 **High**"), or the band alone for a report from before
// residual likelihood and impact were recorded.
func residualCell(t *stride.Threat) string {
	band := "**" + cell(orDash(t.ResidualRisk)) + "**"
	if t.ResidualLikelihood == 0 || t.ResidualImpact == 0 {
		return band
	}
	return fmt.Sprintf("%d×%d=%d %s", t.ResidualLikelihood, t.ResidualImpact, t.ResidualScore, band)
}

func (d *doc) openQuestions() {
	d.heading(2, "Open questions")
	if len(d.r.OpenQuestions) == 0 {
		d.line("None: the diagram states everything the rules asked about.")
		return
	}
	var rows [][]string
	for _, q := range d.r.OpenQuestions {
		rows = append(rows, []string{cell(q.ID), cell(d.x.ElementName(q.Element)), cell(q.Question),
			cell(orDash(q.Impact)), d.threatIDs(q.Threats)})
	}
	d.table([]string{"ID", "Element", "Question", "What the answer changes", "Threats"}, rows, "")
}

func (d *doc) warnings() {
	if len(d.r.Warnings) == 0 {
		return
	}
	d.heading(2, "Import warnings")
	for _, w := range d.r.Warnings {
		d.line("- " + text(w))
	}
}
