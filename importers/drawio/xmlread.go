package drawio

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/threatmap/threatmap/graph"
)

// The XML is read as a stream of tokens, and only what the importer keeps
// is built: a page's cells (see readModel), never a tree of the whole
// document. A tree of every element, attribute and text node held three
// times the file's size while the page was built (about 150 MB for a 60 MB
// file of 200,000 cells), on top of the cells built from it.

// elem is one element of a cell's subtree (an <mxCell>, its <mxGeometry>
// and points, or an <object> wrapper): read whole, turned into a cell and
// dropped. Text is not kept: nothing below <root> reads it.
type elem struct {
	name string // local name
	attr []xml.Attr
	kids []*elem
}

func (e *elem) get(name string) (string, bool) { return attrOf(e.attr, name) }

// child returns the first child element named name.
func (e *elem) child(name string) *elem {
	for _, k := range e.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// xmlStream reads one XML document token by token, enforcing what the
// importer requires of every document: well-formed XML (the decoder's
// strict mode, no entities beyond XML's own), element prefixes that are
// declared, safe directives only and nesting no deeper than MaxDepth.
type xmlStream struct {
	r        *reader
	dec      *xml.Decoder
	pageName string
	in       string // " in <where>", for messages
	depth    int    // open elements
	spaces   map[string]bool
}

func (r *reader) newStream(data []byte, pageName, in string) *xmlStream {
	dec := xml.NewDecoder(bytes.NewReader(data))
	// decodeText has already turned the text into UTF-8 and removed the
	// declaration that names its encoding: nothing is left to convert.
	dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	return &xmlStream{r: r, dec: dec, pageName: pageName, in: in,
		spaces: map[string]bool{"http://www.w3.org/XML/1998/namespace": true}}
}

// errEOF marks the end of the document in next.
var errEOF = errors.New("end of document")

// next returns the next token that matters (elements, their ends, text,
// directives), or errEOF at the end of the document.
func (x *xmlStream) next() (xml.Token, error) {
	for {
		tok, err := x.dec.Token()
		if err == io.EOF {
			if x.depth > 0 {
				return nil, x.invalid(errors.New("unexpected EOF"))
			}
			return nil, errEOF
		}
		if err != nil {
			return nil, x.invalid(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					x.spaces[a.Value] = true
				}
			}
			// The decoder leaves an undeclared prefix in Name.Space.
			if t.Name.Space != "" && !x.spaces[t.Name.Space] {
				return nil, x.invalid(fmt.Errorf("namespace %s is missing", t.Name.Space))
			}
			x.depth++
			if x.depth > x.r.limits.MaxDepth {
				return nil, x.r.limitErr(x.pageName, fmt.Sprintf("XML elements nested deeper than %d (MaxDepth)%s", x.r.limits.MaxDepth, x.in))
			}
			return t, nil
		case xml.EndElement:
			x.depth--
			return t, nil
		case xml.CharData:
			return t, nil
		case xml.Directive:
			if !safeDirective(string(t)) {
				return nil, x.r.errorf(x.pageName, "", "XML declares a DTD with entities%s: refused", x.in)
			}
		}
	}
}

func (x *xmlStream) invalid(err error) error {
	return graph.Wrap(x.r.file, graph.Position{Page: x.pageName}, "not valid XML"+x.in, err)
}

// root returns the document's root element.
func (x *xmlStream) root() (xml.StartElement, error) {
	for {
		tok, err := x.next()
		if err == errEOF {
			return xml.StartElement{}, x.invalid(errors.New("no root element"))
		}
		if err != nil {
			return xml.StartElement{}, err
		}
		if t, ok := tok.(xml.StartElement); ok {
			return t, nil
		}
	}
}

// skip reads past the end of the element whose start was just read.
func (x *xmlStream) skip() error {
	for d := 1; d > 0; {
		tok, err := x.next()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			d++
		case xml.EndElement:
			d--
		}
	}
	return nil
}

// finish reads the rest of the document, so that it is checked whole:
// what follows the root element must be well-formed too.
func (x *xmlStream) finish() error {
	for {
		_, err := x.next()
		if err == errEOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// text reads to the end of the element whose start was just read and
// returns all the text inside it, at any depth, as xmlquery's InnerText
// did. If an element named stop starts inside, text returns it instead
// (with found true), its start read.
func (x *xmlStream) text(stop string) (s string, found *xml.StartElement, err error) {
	var b []byte
	for d := 1; d > 0; {
		tok, err := x.next()
		if err != nil {
			return "", nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if d == 1 && t.Name.Local == stop {
				return "", &t, nil
			}
			d++
		case xml.EndElement:
			d--
		case xml.CharData:
			b = append(b, t...)
		}
	}
	return string(b), nil, nil
}

// elem reads the element whose start was just read, with every element
// inside it.
func (x *xmlStream) elem(start xml.StartElement) (*elem, error) {
	e := &elem{name: start.Name.Local, attr: start.Attr}
	stack := []*elem{e}
	for len(stack) > 0 {
		tok, err := x.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			k := &elem{name: t.Name.Local, attr: t.Attr}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, k)
			stack = append(stack, k)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	return e, nil
}

// pageModel is what the importer keeps of a page's <mxGraphModel>: its
// cells in document order, and the elements below <root> that are not
// cells, warned about when the page is built.
type pageModel struct {
	hasRoot bool // the model has a <root> element
	cells   []*cell
	skipped []skippedElem
}

type skippedElem struct{ id, msg string }

// model reads the <mxGraphModel> element whose start was just read: the
// cells of its first <root>; anything else in it is passed over.
func (x *xmlStream) model() (*pageModel, error) {
	m := &pageModel{}
	for {
		tok, err := x.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "root" && !m.hasRoot {
				m.hasRoot = true
				err = x.cells(m)
			} else {
				err = x.skip()
			}
			if err != nil {
				return nil, err
			}
		case xml.EndElement:
			return m, nil
		}
	}
}

// cells reads the cells of the <root> element whose start was just read,
// unwrapping <object> and <UserObject> elements whose attributes are custom
// properties. Each cell's elements are read, turned into a cell and dropped.
func (x *xmlStream) cells(m *pageModel) error {
	for {
		tok, err := x.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "mxCell", "object", "UserObject":
			default:
				m.skipped = append(m.skipped, skippedElem{"", fmt.Sprintf("unexpected element <%s> in the model skipped", t.Name.Local)})
				if err := x.skip(); err != nil {
					return err
				}
				continue
			}
			e, err := x.elem(t)
			if err != nil {
				return err
			}
			if e.name == "mxCell" {
				m.cells = append(m.cells, newCell(e, nil))
				continue
			}
			mc := e.child("mxCell")
			if mc == nil {
				id, _ := e.get("id")
				m.skipped = append(m.skipped, skippedElem{id, fmt.Sprintf("<%s> without an <mxCell> skipped", e.name)})
				continue
			}
			m.cells = append(m.cells, newCell(mc, e))
		case xml.EndElement:
			return nil
		}
	}
}
