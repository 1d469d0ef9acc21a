package markdown

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/threatmap/threatmap/stride"
)

// Options control the document.
type Options struct {
	// Date is shown under the title (e.g. "2026-03-14"); omitted when empty.
	Date string
	// SVGName is the file name of the annotated diagram
	// (<name>.annotated.svg), linked next to the Mermaid diagram; no link
	// when empty.
	SVGName string
}

// Write writes r as a Markdown threat model to w.
func Write(w io.Writer, r *stride.Report, opts Options) error {
	if r == nil {
		return fmt.Errorf("markdown: nil report")
	}
	d := newDoc(r, opts)
	d.title()
	d.scope()
	d.inventory()
	d.boundaryMap()
	d.entryPoints()
	d.diagram()
	d.matrix()
	d.threatTable()
	d.prioritised()
	d.roadmap()
	d.openQuestions()
	d.review()
	d.warnings()
	_, err := w.Write(d.buf.Bytes())
	return err
}

// doc is one document being written, with indexes over the report.
type doc struct {
	buf     bytes.Buffer
	r       *stride.Report
	opts    Options
	comps   map[string]*stride.Component
	bounds  map[string]*stride.Boundary
	flows   map[string]*stride.Flow
	threats map[string]*stride.Threat
	ranked  []*stride.Threat // highest residual risk first
}

func newDoc(r *stride.Report, opts Options) *doc {
	d := &doc{r: r, opts: opts, comps: map[string]*stride.Component{}, bounds: map[string]*stride.Boundary{},
		flows: map[string]*stride.Flow{}, threats: map[string]*stride.Threat{}}
	for i := range r.Components {
		d.comps[r.Components[i].ID] = &r.Components[i]
	}
	for i := range r.Boundaries {
		d.bounds[r.Boundaries[i].ID] = &r.Boundaries[i]
	}
	for i := range r.Flows {
		d.flows[r.Flows[i].ID] = &r.Flows[i]
	}
	for i := range r.Threats {
		t := &r.Threats[i]
		if _, dup := d.threats[t.ID]; !dup {
			d.threats[t.ID] = t
		}
		d.ranked = append(d.ranked, t)
	}
	sort.SliceStable(d.ranked, func(i, j int) bool {
		a, b := d.ranked[i], d.ranked[j]
		if ra, rb := a.ResidualRisk.Rank(), b.ResidualRisk.Rank(); ra != rb {
			return ra > rb
		}
		if a.ResidualScore != b.ResidualScore {
			return a.ResidualScore > b.ResidualScore
		}
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.ID < b.ID
	})
	return d
}

func (d *doc) p(format string, args ...any) { fmt.Fprintf(&d.buf, format, args...) }

func (d *doc) line(s string) { d.buf.WriteString(s + "\n") }

func (d *doc) heading(level int, title string) {
	if !bytes.HasSuffix(d.buf.Bytes(), []byte("\n\n")) {
		d.line("")
	}
	d.line(strings.Repeat("#", level) + " " + title)
	d.line("")
}

// table writes a Markdown table; cells must already be escaped.
func (d *doc) table(header []string, rows [][]string, align string) {
	d.line("| " + strings.Join(header, " | ") + " |")
	seps := make([]string, len(header))
	for i := range seps {
		seps[i] = "---"
		if i < len(align) {
			switch align[i] {
			case 'c':
				seps[i] = ":---:"
			case 'r':
				seps[i] = "---:"
			}
		}
	}
	d.line("| " + strings.Join(seps, " | ") + " |")
	for _, row := range rows {
		d.line("| " + strings.Join(row, " | ") + " |")
	}
}

func (d *doc) compName(id string) string {
	if c := d.comps[id]; c != nil && c.Label != "" {
		return c.Label
	}
	return id
}

func (d *doc) boundName(id string) string {
	if b := d.bounds[id]; b != nil && b.Label != "" {
		return b.Label
	}
	return id
}

// flowName is "A → B".
func (d *doc) flowName(f *stride.Flow) string {
	arrow := " → "
	if f.Bidirectional {
		arrow = " ↔ "
	}
	return d.compName(f.Source) + arrow + d.compName(f.Target)
}

// elementName names a component or flow reference.
func (d *doc) elementName(e stride.ElementRef) string {
	if e.Type == "flow" {
		if f := d.flows[e.ID]; f != nil {
			return d.flowName(f)
		}
	}
	return d.compName(e.ID)
}

// threatIDs writes threat IDs with their residual risk, e.g. "T-001 (High)".
func (d *doc) threatIDs(ids []string) string {
	if len(ids) == 0 {
		return "—"
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = text(id)
		if t := d.threats[id]; t != nil && t.ResidualRisk != "" {
			out[i] += " (" + text(t.ResidualRisk) + ")"
		}
	}
	return strings.Join(out, ", ")
}

func orDash[S ~string](s S) string {
	if s == "" {
		return "—"
	}
	return string(s)
}
