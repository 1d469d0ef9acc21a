package markdown

import (
	"bufio"
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
	d.buf.w = bufio.NewWriterSize(w, 64<<10)
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
	d.existingControls()
	d.closingControls()
	d.prioritised()
	d.roadmap()
	d.openQuestions()
	d.references()
	d.review()
	d.warnings()
	return d.buf.flush()
}

// stream writes the document as it is made, through a buffer, so that
// memory never holds the whole of it. It remembers the last two bytes
// written (headings want a blank line before them) and the first error.
type stream struct {
	w    *bufio.Writer
	last [2]byte
	err  error
}

func (s *stream) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	switch n := len(p); {
	case n >= 2:
		s.last = [2]byte{p[n-2], p[n-1]}
	case n == 1:
		s.last = [2]byte{s.last[1], p[0]}
	}
	var n int
	n, s.err = s.w.Write(p)
	return n, s.err
}

func (s *stream) WriteString(str string) {
	if s.err != nil || str == "" {
		return
	}
	if n := len(str); n >= 2 {
		s.last = [2]byte{str[n-2], str[n-1]}
	} else {
		s.last = [2]byte{s.last[1], str[0]}
	}
	_, s.err = s.w.WriteString(str)
}

// blankLine reports whether what was written ends with an empty line.
func (s *stream) blankLine() bool { return s.last == [2]byte{'\n', '\n'} }

func (s *stream) flush() error {
	if s.err != nil {
		return s.err
	}
	return s.w.Flush()
}

// doc is one document being written, with the report's lookups.
type doc struct {
	buf  stream
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
	if !d.buf.blankLine() {
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
