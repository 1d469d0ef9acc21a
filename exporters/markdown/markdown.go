package markdown

import (
	"bytes"
	"fmt"
	"io"
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
	d.overview()
	d.assumptions()
	d.changes()
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

// doc is one document being written, with the report's lookups.
type doc struct {
	buf  bytes.Buffer
	r    *stride.Report
	x    *stride.Index
	opts Options
	// described holds the threat and entry-point ids the document has an
	// anchor for (see ref).
	described map[string]bool
}

func newDoc(r *stride.Report, opts Options) *doc {
	d := &doc{r: r, x: r.Index(), opts: opts, described: map[string]bool{}}
	for _, t := range r.Threats {
		d.described[t.ID] = true
	}
	for _, t := range r.Closed {
		d.described[t.ID] = true
	}
	for _, ep := range r.EntryPoints {
		d.described[ep.ID] = true
	}
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

// threatIDs writes threat IDs with their residual risk, e.g. "T-001 (High)".
func (d *doc) threatIDs(ids []string) string {
	if len(ids) == 0 {
		return "—"
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = d.ref(id)
		if t := d.x.Threat(id); t != nil && t.ResidualRisk != "" {
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
