package drawio

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// page is one draw.io page before it is turned into a diagram. A
// compressed page keeps its text and is inflated only when it is built, so
// that a file's pages are never all inflated at once.
type page struct {
	name       string     // page name, "" for a bare <mxGraphModel>
	model      *pageModel // the page's cells, nil for an empty or not yet inflated page
	compressed string     // draw.io's compressed text, "" once inflated or for an uncompressed page
	index      int        // 0-based position in the file
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// reader decodes the containers of one input file. Its budgets are per file:
// inflated bytes (compressed pages and PNG chunks together) and cells.
type reader struct {
	file     string
	limits   graph.Limits
	inflated int64           // bytes inflated so far in this file
	cells    int             // <mxCell> elements parsed so far in this file
	warnings []graph.Warning // file-level warnings (encodings, PNG chunks)
}

func (r *reader) errorf(pageName, cell string, format string, args ...any) error {
	return graph.Errorf(r.file, graph.Position{Page: pageName, Cell: cell}, format, args...)
}

func (r *reader) limitErr(pageName, msg string) error {
	return graph.Wrap(r.file, graph.Position{Page: pageName}, msg, graph.ErrLimit)
}

func (r *reader) warn(pageName, format string, args ...any) {
	r.warnings = append(r.warnings, graph.Warning{Pos: graph.Position{Page: pageName}, Message: fmt.Sprintf(format, args...)})
}

// pages decodes data (XML, SVG or PNG) into its pages. Compressed pages are
// not inflated yet: load does that, one page at a time.
func (r *reader) pages(data []byte) ([]page, error) {
	if bytes.HasPrefix(data, pngSignature) {
		text, err := r.pngModel(data)
		if err != nil {
			return nil, err
		}
		return r.xmlPages(text, "PNG text chunk")
	}
	if strings.HasSuffix(strings.ToLower(r.file), ".png") {
		return nil, r.errorf("", "", "not a PNG file although its name ends in .png (%s); a .drawio.png is a PNG image exported from draw.io with \"Include a copy of my diagram\"", describeMagic(data))
	}
	return r.xmlPages(data, "")
}

// describeMagic says what a file's first bytes look like, for the message
// about a .png that is not one.
func describeMagic(data []byte) string {
	for _, m := range []struct{ prefix, what string }{
		{"GIF8", "it starts like a GIF image"},
		{"\xff\xd8\xff", "it starts like a JPEG image"},
		{"RIFF", "it starts like a RIFF (WebP) file"},
		{"%PDF", "it starts like a PDF document"},
		{"PK\x03\x04", "it starts like a ZIP archive"},
		{"<", "it starts like XML or HTML"},
	} {
		if bytes.HasPrefix(data, []byte(m.prefix)) {
			return m.what
		}
	}
	if len(data) == 0 {
		return "it is empty"
	}
	return fmt.Sprintf("it starts with bytes % x", data[:min(len(data), 8)])
}

// load inflates and parses a compressed page. The inflated size counts
// against the file's MaxDecompressedBytes budget.
func (r *reader) load(p *page) error {
	if p.compressed == "" {
		return nil
	}
	text, err := r.inflate(p.compressed, p.name)
	if err != nil {
		return err
	}
	x, err := r.stream(text, p.name, "compressed page")
	if err != nil {
		return err
	}
	root, err := x.root()
	if err != nil {
		return err
	}
	if root.Name.Local != "mxGraphModel" {
		if err := x.skip(); err != nil {
			return err
		}
		if err := x.finish(); err != nil {
			return err
		}
		return r.errorf(p.name, "", "compressed page holds <%s>, want <mxGraphModel>", root.Name.Local)
	}
	m, err := x.model()
	if err != nil {
		return err
	}
	if err := x.finish(); err != nil {
		return err
	}
	p.model, p.compressed = m, ""
	return nil
}

// xmlPages parses an XML document holding an mxfile, an mxGraphModel or a
// draw.io SVG. where describes the origin of embedded documents for errors.
// The whole document is read (and so checked) before what it holds is
// judged.
func (r *reader) xmlPages(data []byte, where string) ([]page, error) {
	x, err := r.stream(data, "", where)
	if err != nil {
		return nil, err
	}
	root, err := x.root()
	if err != nil {
		return nil, err
	}
	var pages []page
	switch root.Name.Local {
	case "mxfile":
		pages, err = x.mxfilePages()
	case "mxGraphModel":
		var m *pageModel
		if m, err = x.model(); err == nil {
			pages = []page{{model: m}}
		}
	default:
		err = x.skip()
	}
	if err == nil {
		err = x.finish()
	}
	if err != nil {
		return nil, err
	}
	switch root.Name.Local {
	case "mxfile":
		if len(pages) == 0 {
			return nil, r.errorf("", "", "draw.io file has no <diagram> pages")
		}
		return pages, nil
	case "mxGraphModel":
		return pages, nil
	case "svg":
		if where != "" {
			break
		}
		content, ok := attrOf(root.Attr, "content")
		return r.svgPages(content, ok)
	}
	what := "not a draw.io file"
	if where != "" {
		what = where + " does not hold a draw.io diagram"
	}
	return nil, r.errorf("", "", "%s: root element is <%s>, want <mxfile> or <mxGraphModel>", what, root.Name.Local)
}

// svgPages reads the diagram a .drawio.svg keeps in its content attribute.
func (r *reader) svgPages(content string, ok bool) ([]page, error) {
	if !ok || strings.TrimSpace(content) == "" {
		return nil, r.errorf("", "", "SVG file has no embedded draw.io diagram (no content attribute on the <svg> element); export it from draw.io with \"Include a copy of my diagram\"")
	}
	content = strings.TrimSpace(content)
	if strings.HasPrefix(content, "<") {
		return r.xmlPages([]byte(content), "SVG content attribute")
	}
	// Some draw.io versions store the whole mxfile compressed.
	text, err := r.inflate(content, "")
	if err != nil {
		if errors.Is(err, graph.ErrLimit) {
			return nil, err
		}
		return nil, r.errorf("", "", "SVG content attribute is neither XML nor a compressed draw.io diagram: %v", err)
	}
	return r.xmlPages(text, "SVG content attribute")
}

// mxfilePages reads the pages of the <mxfile> element whose start was just
// read: each <diagram> holds an <mxGraphModel> or compressed text.
func (x *xmlStream) mxfilePages() ([]page, error) {
	var pages []page
	for {
		tok, err := x.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return pages, nil
		case xml.StartElement:
			if t.Name.Local != "diagram" {
				if err := x.skip(); err != nil {
					return nil, err
				}
				continue
			}
			idx := len(pages)
			name, _ := attrOf(t.Attr, "name")
			if strings.TrimSpace(name) == "" {
				name = "Page-" + strconv.Itoa(idx+1)
			}
			p := page{name: name, index: idx}
			text, model, err := x.text("mxGraphModel")
			if err != nil {
				return nil, err
			}
			if model != nil {
				if p.model, err = x.model(); err != nil {
					return nil, err
				}
				if err := x.skip(); err != nil { // the rest of the <diagram>
					return nil, err
				}
			} else {
				p.compressed = strings.TrimSpace(text)
			}
			pages = append(pages, p)
		}
	}
}

// inflate decodes draw.io's compressed text: base64 of raw-deflated,
// URL-encoded XML. What it inflates counts against the file's
// MaxDecompressedBytes budget.
func (r *reader) inflate(text, pageName string) ([]byte, error) {
	clean := strings.Map(func(c rune) rune {
		if c == ' ' || c == '\n' || c == '\r' || c == '\t' {
			return -1
		}
		return c
	}, text)
	raw, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "="))
	}
	if err != nil {
		return nil, graph.Wrap(r.file, graph.Position{Page: pageName}, "compressed page is not valid base64", err)
	}
	out, err := r.readLimited(func() (io.ReadCloser, error) {
		return flate.NewReader(bytes.NewReader(raw)), nil
	}, pageName)
	if err != nil {
		return nil, err
	}
	return r.unescape(out, pageName, "compressed page")
}

// readLimited inflates what open returns, failing once the bytes inflated
// in this file pass MaxDecompressedBytes.
//
// It inflates twice: first only counting, so that a bomb is refused before
// any of it is kept, then into a buffer of exactly the counted size. Reading
// once into a growing buffer held up to about 2.5 times the budget at its
// peak (the buffer, its next growth and the garbage of earlier ones), enough
// to run out of memory under a 256 MB limit before the budget was reached.
func (r *reader) readLimited(open func() (io.ReadCloser, error), pageName string) ([]byte, error) {
	max := r.limits.MaxDecompressedBytes
	left := max - r.inflated
	if left < 0 {
		left = 0
	}
	fail := func(err error) ([]byte, error) {
		return nil, graph.Wrap(r.file, graph.Position{Page: pageName}, "compressed data does not inflate", err)
	}
	rd, err := open()
	if err != nil {
		return fail(err)
	}
	n, err := io.Copy(io.Discard, io.LimitReader(rd, left+1))
	rd.Close()
	if err != nil {
		return fail(err)
	}
	if r.inflated+n > max {
		r.inflated += n
		return nil, r.limitErr(pageName, fmt.Sprintf("compressed data inflates to more than %d bytes (MaxDecompressedBytes, a budget for the whole file: all its compressed pages and PNG chunks together)", max))
	}
	if rd, err = open(); err != nil {
		return fail(err)
	}
	defer rd.Close()
	out := make([]byte, n)
	if _, err := io.ReadFull(rd, out); err != nil {
		return fail(err)
	}
	r.inflated += n
	return out, nil
}

// unescape undoes the encodeURIComponent draw.io applies before
// compressing, in place. Text that is already XML is accepted as it is.
func (r *reader) unescape(b []byte, pageName, what string) ([]byte, error) {
	if out, ok := percentDecode(b); ok {
		return out, nil
	}
	if t := bytes.TrimSpace(b); bytes.HasPrefix(t, []byte("<")) {
		return b, nil
	}
	return nil, r.errorf(pageName, "", "%s is not URL-encoded XML (bad %%-escape)", what)
}

// percentDecode decodes %XX escapes in place, as url.PathUnescape does
// ('+' stays '+'). ok is false on a malformed escape; b is then unchanged.
func percentDecode(b []byte) ([]byte, bool) {
	i := bytes.IndexByte(b, '%')
	if i < 0 {
		return b, true
	}
	for k := i; k < len(b); k++ {
		if b[k] == '%' && (k+2 >= len(b) || unhex(b[k+1]) < 0 || unhex(b[k+2]) < 0) {
			return b, false
		}
	}
	w := i
	for k := i; k < len(b); k++ {
		if b[k] == '%' {
			b[w] = byte(unhex(b[k+1])<<4 | unhex(b[k+2]))
			k += 2
		} else {
			b[w] = b[k]
		}
		w++
	}
	return b[:w], true
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// stream prepares one XML document for reading. It honours a byte order
// mark and a declared encoding (see decodeText), rejects DTD internal
// subsets and entity declarations and files with more than MaxElements
// cells in all; the cell count is checked before any cell is read. Nesting
// deeper than MaxDepth is refused as the document is read (xmlStream).
func (r *reader) stream(data []byte, pageName, where string) (*xmlStream, error) {
	in := ""
	if where != "" {
		in = " in " + where
	}
	data, err := r.decodeText(data, pageName, in)
	if err != nil {
		return nil, err
	}
	if err := checkDTD(data); err != nil {
		return nil, r.errorf(pageName, "", "%v%s: draw.io files never declare entities, and entity expansion is refused", err, in)
	}
	r.cells += bytes.Count(data, []byte("<mxCell"))
	if r.cells > r.limits.MaxElements {
		return nil, r.limitErr(pageName, fmt.Sprintf("more than %d cells in the file (MaxElements)%s", r.limits.MaxElements, in))
	}
	return r.newStream(data, pageName, in), nil
}

// checkDTD refuses entity declarations and DOCTYPE internal subsets. A plain
// DOCTYPE naming an external DTD (as draw.io's SVG export writes) is fine:
// nothing is fetched and no entity can be defined by it.
func checkDTD(data []byte) error {
	if bytes.Contains(data, []byte("<!ENTITY")) {
		return errors.New("XML contains an ENTITY declaration")
	}
	rest := data
	for {
		i := bytes.Index(rest, []byte("<!DOCTYPE"))
		if i < 0 {
			return nil
		}
		rest = rest[i+len("<!DOCTYPE"):]
		end := bytes.IndexByte(rest, '>')
		if end < 0 {
			end = len(rest)
		}
		if bytes.IndexByte(rest[:end], '[') >= 0 {
			return errors.New("XML DOCTYPE has an internal subset")
		}
	}
}

func safeDirective(d string) bool {
	return !strings.Contains(d, "[") && !strings.Contains(d, "ENTITY")
}

// pngModel extracts the draw.io model from a PNG text chunk.
func (r *reader) pngModel(data []byte) ([]byte, error) {
	text, found, err := r.scanPNG(data, true)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, r.errorf("", "", "PNG file has no embedded draw.io diagram (no tEXt/zTXt/iTXt chunk with keyword mxfile); export it from draw.io with \"Include a copy of my diagram\"")
	}
	s, err := r.unescape(text, "", "PNG text chunk")
	if err != nil {
		return nil, err
	}
	s = bytes.TrimSpace(s)
	if !bytes.HasPrefix(s, []byte("<")) {
		return r.inflate(string(s), "")
	}
	return s, nil
}

// scanPNG walks the PNG chunks looking for the mxfile text chunk. With
// decode false it only reports whether one exists (for Sniff). With decode
// true it checks every chunk's CRC (a bad one is a warning: the file is
// damaged, though its diagram may still read) and warns about further
// diagram chunks, which draw.io itself ignores too.
func (r *reader) scanPNG(data []byte, decode bool) (text []byte, found bool, err error) {
	p := data[len(pngSignature):]
	offset := len(pngSignature)
	for len(p) >= 8 {
		n := binary.BigEndian.Uint32(p[:4])
		typ := string(p[4:8])
		if uint64(n)+12 > uint64(len(p)) {
			if decode {
				return nil, false, r.errorf("", "", "truncated PNG: chunk %q at byte %d runs past the end of the file", typ, offset)
			}
			return nil, false, nil
		}
		body := p[8 : 8+n]
		if decode && crc32.ChecksumIEEE(p[4:8+n]) != binary.BigEndian.Uint32(p[8+n:12+n]) {
			r.warn("", "PNG chunk %q at byte %d has a bad CRC checksum: the file is damaged", typ, offset)
		}
		p = p[12+n:]
		at := offset
		offset += 12 + int(n)
		switch typ {
		case "IEND":
			return text, found, nil
		case "tEXt", "zTXt", "iTXt":
			key, rest, ok := bytes.Cut(body, []byte{0})
			if !ok || (string(key) != "mxfile" && string(key) != "mxGraphModel") {
				continue
			}
			if !decode {
				return nil, true, nil
			}
			if found {
				r.warn("", "PNG holds another draw.io diagram in chunk %q at byte %d; only the first is imported, as draw.io does", typ, at)
				continue
			}
			found = true
			if text, err = r.chunkText(typ, rest); err != nil {
				return nil, true, err
			}
		}
	}
	return text, found, nil
}

func (r *reader) chunkText(typ string, rest []byte) ([]byte, error) {
	switch typ {
	case "tEXt":
		return append([]byte(nil), rest...), nil
	case "zTXt":
		if len(rest) < 1 {
			return nil, r.errorf("", "", "malformed PNG zTXt chunk")
		}
		return r.zlibText(rest[1:])
	default: // iTXt: flag, method, language\0, translated keyword\0, text
		if len(rest) < 2 {
			return nil, r.errorf("", "", "malformed PNG iTXt chunk")
		}
		compressed := rest[0] == 1
		rest = rest[2:]
		_, rest, ok := bytes.Cut(rest, []byte{0})
		if !ok {
			return nil, r.errorf("", "", "malformed PNG iTXt chunk")
		}
		_, rest, ok = bytes.Cut(rest, []byte{0})
		if !ok {
			return nil, r.errorf("", "", "malformed PNG iTXt chunk")
		}
		if compressed {
			return r.zlibText(rest)
		}
		return append([]byte(nil), rest...), nil
	}
}

func (r *reader) zlibText(b []byte) ([]byte, error) {
	if _, err := zlib.NewReader(bytes.NewReader(b)); err != nil {
		return nil, graph.Wrap(r.file, graph.Position{}, "PNG text chunk does not inflate", err)
	}
	return r.readLimited(func() (io.ReadCloser, error) {
		return zlib.NewReader(bytes.NewReader(b))
	}, "")
}

func attrOf(attrs []xml.Attr, name string) (string, bool) {
	for _, a := range attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}
