package drawio

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/antchfx/xmlquery"

	"github.com/threatmap/threatmap/graph"
)

// page is one draw.io page before it is turned into a diagram.
type page struct {
	name  string         // page name, "" for a bare <mxGraphModel>
	model *xmlquery.Node // the <mxGraphModel> element, nil for an empty page
	index int            // 0-based position in the file
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// reader decodes the containers of one input file.
type reader struct {
	file   string
	limits graph.Limits
}

func (r *reader) errorf(pageName, cell string, format string, args ...any) error {
	return graph.Errorf(r.file, graph.Position{Page: pageName, Cell: cell}, format, args...)
}

func (r *reader) limitErr(pageName, msg string) error {
	return graph.Wrap(r.file, graph.Position{Page: pageName}, msg, graph.ErrLimit)
}

// pages decodes data (XML, SVG or PNG) into its pages.
func (r *reader) pages(data []byte) ([]page, error) {
	if bytes.HasPrefix(data, pngSignature) {
		text, err := r.pngModel(data)
		if err != nil {
			return nil, err
		}
		return r.xmlPages([]byte(text), "PNG text chunk")
	}
	return r.xmlPages(data, "")
}

// xmlPages parses an XML document holding an mxfile, an mxGraphModel or a
// draw.io SVG. where describes the origin of embedded documents for errors.
func (r *reader) xmlPages(data []byte, where string) ([]page, error) {
	root, err := r.parseXML(data, "", where)
	if err != nil {
		return nil, err
	}
	switch root.Data {
	case "mxfile":
		return r.mxfilePages(root)
	case "mxGraphModel":
		return []page{{model: root}}, nil
	case "svg":
		if where != "" {
			break
		}
		content, ok := attr(root, "content")
		if !ok || strings.TrimSpace(content) == "" {
			return nil, r.errorf("", "", "SVG file has no embedded draw.io diagram (no content attribute on the <svg> element); export it from draw.io with \"Include a copy of my diagram\"")
		}
		content = strings.TrimSpace(content)
		if !strings.HasPrefix(content, "<") {
			// Some draw.io versions store the whole mxfile compressed.
			text, err := r.inflate(content, "")
			if err != nil {
				return nil, r.errorf("", "", "SVG content attribute is neither XML nor a compressed draw.io diagram: %v", err)
			}
			content = text
		}
		return r.xmlPages([]byte(content), "SVG content attribute")
	}
	what := "not a draw.io file"
	if where != "" {
		what = where + " does not hold a draw.io diagram"
	}
	return nil, r.errorf("", "", "%s: root element is <%s>, want <mxfile> or <mxGraphModel>", what, root.Data)
}

func (r *reader) mxfilePages(root *xmlquery.Node) ([]page, error) {
	var pages []page
	for n := root.FirstChild; n != nil; n = n.NextSibling {
		if n.Type != xmlquery.ElementNode || n.Data != "diagram" {
			continue
		}
		idx := len(pages)
		name, _ := attr(n, "name")
		if strings.TrimSpace(name) == "" {
			name = "Page-" + strconv.Itoa(idx+1)
		}
		p := page{name: name, index: idx}
		if m := childElement(n, "mxGraphModel"); m != nil {
			p.model = m
		} else if text := strings.TrimSpace(n.InnerText()); text != "" {
			xmlText, err := r.inflate(text, name)
			if err != nil {
				return nil, err
			}
			m, err := r.parseXML([]byte(xmlText), name, "compressed page")
			if err != nil {
				return nil, err
			}
			if m.Data != "mxGraphModel" {
				return nil, r.errorf(name, "", "compressed page holds <%s>, want <mxGraphModel>", m.Data)
			}
			p.model = m
		}
		pages = append(pages, p)
	}
	if len(pages) == 0 {
		return nil, r.errorf("", "", "draw.io file has no <diagram> pages")
	}
	return pages, nil
}

// inflate decodes draw.io's compressed text: base64 of raw-deflated,
// URL-encoded XML. The inflated size is bounded by MaxDecompressedBytes.
func (r *reader) inflate(text, pageName string) (string, error) {
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
		return "", graph.Wrap(r.file, graph.Position{Page: pageName}, "compressed page is not valid base64", err)
	}
	fr := flate.NewReader(bytes.NewReader(raw))
	defer fr.Close()
	out, err := r.readLimited(fr, pageName)
	if err != nil {
		return "", err
	}
	return r.unescape(out, pageName, "compressed page")
}

// readLimited reads rd to the end, failing once more than
// MaxDecompressedBytes come out.
func (r *reader) readLimited(rd io.Reader, pageName string) ([]byte, error) {
	max := r.limits.MaxDecompressedBytes
	out, err := io.ReadAll(io.LimitReader(rd, max+1))
	if err != nil {
		return nil, graph.Wrap(r.file, graph.Position{Page: pageName}, "compressed data does not inflate", err)
	}
	if int64(len(out)) > max {
		return nil, r.limitErr(pageName, fmt.Sprintf("compressed data inflates to more than %d bytes (MaxDecompressedBytes)", max))
	}
	return out, nil
}

// unescape undoes the encodeURIComponent draw.io applies before
// compressing. Text that is already XML is accepted as it is.
func (r *reader) unescape(b []byte, pageName, what string) (string, error) {
	s := string(b)
	if u, err := url.PathUnescape(s); err == nil {
		return u, nil
	} else if strings.HasPrefix(strings.TrimSpace(s), "<") {
		return s, nil
	} else {
		return "", graph.Wrap(r.file, graph.Position{Page: pageName}, what+" is not URL-encoded XML", err)
	}
}

// parseXML parses one XML document and returns its root element. It
// rejects DTD internal subsets and entity declarations and documents
// nested deeper than MaxDepth.
func (r *reader) parseXML(data []byte, pageName, where string) (*xmlquery.Node, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
	in := ""
	if where != "" {
		in = " in " + where
	}
	if err := checkDTD(data); err != nil {
		return nil, r.errorf(pageName, "", "%v%s: draw.io files never declare entities, and entity expansion is refused", err, in)
	}
	doc, err := xmlquery.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, graph.Wrap(r.file, graph.Position{Page: pageName}, "not valid XML"+in, err)
	}
	var root *xmlquery.Node
	for n := doc.FirstChild; n != nil; n = n.NextSibling {
		if n.Type == xmlquery.NotationNode && !safeDirective(n.Data) {
			return nil, r.errorf(pageName, "", "XML declares a DTD with entities%s: refused", in)
		}
		if n.Type == xmlquery.ElementNode && root == nil {
			root = n
		}
	}
	if root == nil {
		return nil, r.errorf(pageName, "", "XML document has no root element%s", in)
	}
	if d := xmlDepth(root, r.limits.MaxDepth); d > r.limits.MaxDepth {
		return nil, r.limitErr(pageName, fmt.Sprintf("XML elements nested deeper than %d (MaxDepth)%s", r.limits.MaxDepth, in))
	}
	return root, nil
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

// xmlDepth returns the element nesting depth below n, stopping as soon as it
// passes max. It walks iteratively, so deep input cannot exhaust the stack.
func xmlDepth(n *xmlquery.Node, max int) int {
	type item struct {
		n *xmlquery.Node
		d int
	}
	deepest := 0
	stack := []item{{n, 1}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.d > deepest {
			deepest = it.d
			if deepest > max {
				return deepest
			}
		}
		for c := it.n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == xmlquery.ElementNode {
				stack = append(stack, item{c, it.d + 1})
			}
		}
	}
	return deepest
}

// pngModel extracts the draw.io model from a PNG text chunk.
func (r *reader) pngModel(data []byte) (string, error) {
	text, found, err := r.scanPNG(data, true)
	if err != nil {
		return "", err
	}
	if !found {
		return "", r.errorf("", "", "PNG file has no embedded draw.io diagram (no tEXt/zTXt/iTXt chunk with keyword mxfile); export it from draw.io with \"Include a copy of my diagram\"")
	}
	s, err := r.unescape([]byte(text), "", "PNG text chunk")
	if err != nil {
		return "", err
	}
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "<") {
		return r.inflate(s, "")
	}
	return s, nil
}

// scanPNG walks the PNG chunks looking for the mxfile text chunk. With
// decode false it only reports whether one exists (for Sniff).
func (r *reader) scanPNG(data []byte, decode bool) (text string, found bool, err error) {
	p := data[len(pngSignature):]
	for len(p) >= 8 {
		n := binary.BigEndian.Uint32(p[:4])
		typ := string(p[4:8])
		p = p[8:]
		if uint64(n)+4 > uint64(len(p)) {
			if decode {
				return "", false, r.errorf("", "", "truncated PNG: chunk %q runs past the end of the file", typ)
			}
			return "", false, nil
		}
		body := p[:n]
		p = p[n+4:] // skip data and CRC
		switch typ {
		case "IEND":
			return "", false, nil
		case "tEXt", "zTXt", "iTXt":
			key, rest, ok := bytes.Cut(body, []byte{0})
			if !ok || (string(key) != "mxfile" && string(key) != "mxGraphModel") {
				continue
			}
			if !decode {
				return "", true, nil
			}
			t, err := r.chunkText(typ, rest)
			return t, true, err
		}
	}
	return "", false, nil
}

func (r *reader) chunkText(typ string, rest []byte) (string, error) {
	switch typ {
	case "tEXt":
		return string(rest), nil
	case "zTXt":
		if len(rest) < 1 {
			return "", r.errorf("", "", "malformed PNG zTXt chunk")
		}
		return r.zlibText(rest[1:])
	default: // iTXt: flag, method, language\0, translated keyword\0, text
		if len(rest) < 2 {
			return "", r.errorf("", "", "malformed PNG iTXt chunk")
		}
		compressed := rest[0] == 1
		rest = rest[2:]
		_, rest, ok := bytes.Cut(rest, []byte{0})
		if !ok {
			return "", r.errorf("", "", "malformed PNG iTXt chunk")
		}
		_, rest, ok = bytes.Cut(rest, []byte{0})
		if !ok {
			return "", r.errorf("", "", "malformed PNG iTXt chunk")
		}
		if compressed {
			return r.zlibText(rest)
		}
		return string(rest), nil
	}
}

func (r *reader) zlibText(b []byte) (string, error) {
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return "", graph.Wrap(r.file, graph.Position{}, "PNG text chunk does not inflate", err)
	}
	defer zr.Close()
	out, err := r.readLimited(zr, "")
	if err != nil {
		return "", err
	}
	return string(out), nil
}

func attr(n *xmlquery.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

func childElement(n *xmlquery.Node, name string) *xmlquery.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xmlquery.ElementNode && c.Data == name {
			return c
		}
	}
	return nil
}
