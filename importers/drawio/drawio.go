package drawio

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// Options control an import.
type Options struct {
	// Page selects one page by name or, failing that, by 0-based index.
	// Empty imports every page as its own diagram.
	Page string
	// Limits bound what is accepted; zero fields take the defaults.
	Limits graph.Limits
}

// Import reads a draw.io file (.drawio/.xml, .drawio.svg or .drawio.png)
// and returns one diagram per page, in file order. file names the input in
// positions and errors. Problems with the input are *graph.InputError.
func Import(file string, data []byte, opts Options) ([]*graph.Diagram, error) {
	limits := opts.Limits.WithDefaults()
	if int64(len(data)) > limits.MaxInputBytes {
		return nil, graph.Wrap(file, graph.Position{}, fmt.Sprintf("input is %d bytes, over the limit of %d (MaxInputBytes)", len(data), limits.MaxInputBytes), graph.ErrLimit)
	}
	r := &reader{file: file, limits: limits}
	pages, err := r.pages(data)
	if err != nil {
		return nil, err
	}
	if opts.Page != "" {
		p, err := selectPage(r, pages, opts.Page)
		if err != nil {
			return nil, err
		}
		pages = []page{p}
	}
	var out []*graph.Diagram
	// One page at a time: a compressed page is inflated just before it is
	// built and dropped right after, so memory holds one inflated page.
	for i := range pages {
		p := &pages[i]
		if err := r.load(p); err != nil {
			return nil, err
		}
		d, err := r.build(p, limits)
		if err != nil {
			return nil, err
		}
		if err := d.Finalize(); err != nil {
			return nil, graph.Wrap(file, graph.Position{Page: p.name}, "inconsistent model", err)
		}
		// Warnings from reading the file (encodings, PNG chunks) and from
		// inflating this page go first.
		d.Warnings = append(r.warnings, d.Warnings...)
		r.warnings = nil
		d.AggregateWarnings()
		out = append(out, d)
	}
	return out, nil
}

// build turns page p into a diagram and drops the page's cells: neither
// they nor the builder's indexes outlive it.
func (r *reader) build(p *page, limits graph.Limits) (*graph.Diagram, error) {
	b := &builder{r: r, pg: *p, limits: limits}
	p.model = nil
	if err := b.build(); err != nil {
		return nil, err
	}
	return b.d, nil
}

// selectPage finds a page by exact name, then by 0-based index.
func selectPage(r *reader, pages []page, want string) (page, error) {
	for _, p := range pages {
		if p.name == want {
			return p, nil
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(want)); err == nil && n >= 0 && n < len(pages) {
		return pages[n], nil
	}
	var names []string
	for i, p := range pages {
		name := p.name
		if name == "" {
			name = "(unnamed)"
		}
		names = append(names, fmt.Sprintf("%d: %q", i, name))
	}
	return page{}, r.errorf("", "", "no page %q; the file has %d page(s): %s", want, len(pages), strings.Join(names, ", "))
}

// Sniff reports whether data looks like a draw.io file: mxfile or
// mxGraphModel XML, an SVG with an embedded mxfile in its content
// attribute, or a PNG with an mxfile text chunk.
func Sniff(data []byte) bool {
	if bytes.HasPrefix(data, pngSignature) {
		_, found, _ := (&reader{}).scanPNG(data, false)
		return found
	}
	s := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if !bytes.HasPrefix(s, []byte("<")) {
		return false
	}
	if bytes.Contains(s, []byte("<mxfile")) || bytes.Contains(s, []byte("<mxGraphModel")) {
		return true
	}
	if bytes.Contains(s, []byte("<svg")) {
		return bytes.Contains(s, []byte("&lt;mxfile")) || bytes.Contains(s, []byte("&lt;mxGraphModel")) ||
			bytes.Contains(s, []byte("&#60;mxfile")) || bytes.Contains(s, []byte("&#x3C;mxfile"))
	}
	return false
}
