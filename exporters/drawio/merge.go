package drawio

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// child is one element directly inside a page's <root>.
type child struct {
	id, parent string
	// start and end delimit the element; ws is where the whitespace
	// before it starts (== start when there is none).
	ws, start, end int
}

// pageSpan locates the analysed page in a draw.io file.
type pageSpan struct {
	// model is the span of the page's <mxGraphModel> element, or for a
	// compressed page the span of the <diagram> element's text.
	start, end int
	compressed bool
}

// findPage finds the page named page (as the importer names pages:
// their name, or "Page-N" for an unnamed N-th page). An empty name picks
// the first page.
func findPage(file []byte, page string) (pageSpan, error) {
	dec := xml.NewDecoder(bytes.NewReader(file))
	dec.Strict = true
	depth := 0
	type diag struct {
		name        string
		index       int
		contentFrom int
		model       *pageSpan
		textEnd     int
	}
	var cur *diag
	var found []diag
	rootName := ""
	for {
		off0 := int(dec.InputOffset())
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return pageSpan{}, fmt.Errorf("draw.io source is not valid XML: %w", err)
		}
		off1 := int(dec.InputOffset())
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				rootName = t.Name.Local
				if rootName == "mxGraphModel" {
					end, err := skipElement(dec)
					if err != nil {
						return pageSpan{}, err
					}
					return pageSpan{start: off0, end: end}, nil
				}
				if rootName != "mxfile" {
					return pageSpan{}, fmt.Errorf("draw.io source root element is <%s>, want <mxfile> or <mxGraphModel>", rootName)
				}
			}
			if depth == 1 && t.Name.Local == "diagram" {
				name := attrOf(t, "name")
				idx := len(found)
				if cur != nil {
					idx++
				}
				if strings.TrimSpace(name) == "" {
					name = "Page-" + strconv.Itoa(idx+1)
				}
				cur = &diag{name: name, index: idx, contentFrom: off1}
			}
			if depth == 2 && cur != nil && t.Name.Local == "mxGraphModel" {
				end, err := skipElement(dec)
				if err != nil {
					return pageSpan{}, err
				}
				cur.model = &pageSpan{start: off0, end: end}
				continue
			}
			depth++
		case xml.EndElement:
			depth--
			if depth == 1 && cur != nil {
				cur.textEnd = off0
				found = append(found, *cur)
				cur = nil
			}
		}
	}
	if len(found) == 0 {
		return pageSpan{}, fmt.Errorf("draw.io source has no pages")
	}
	pick := -1
	for i, d := range found {
		if d.name == page {
			pick = i
			break
		}
	}
	if pick < 0 && page == "" {
		pick = 0
	}
	if pick < 0 {
		return pageSpan{}, fmt.Errorf("draw.io source has no page %q", page)
	}
	d := found[pick]
	if d.model != nil {
		return *d.model, nil
	}
	return pageSpan{start: d.contentFrom, end: d.textEnd, compressed: true}, nil
}

// skipElement consumes the rest of the element whose start tag was just
// read and returns the offset after its end tag.
func skipElement(dec *xml.Decoder) (int, error) {
	depth := 1
	for depth > 0 {
		tok, err := dec.RawToken()
		if err != nil {
			return 0, fmt.Errorf("draw.io source is not valid XML: %w", err)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return int(dec.InputOffset()), nil
}

func attrOf(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// modelCells reads the children of the model's <root>. It returns them,
// the offset just after the <root> start tag, and the id of the root cell
// (the cell without a parent).
func modelCells(model []byte) (kids []child, rootOpen int, rootCell string, err error) {
	dec := xml.NewDecoder(bytes.NewReader(model))
	dec.Strict = true
	depth := 0
	rootOpen = -1
	var cur *child
	prevEnd := 0
	for {
		off0 := int(dec.InputOffset())
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, "", fmt.Errorf("page is not valid XML: %w", err)
		}
		off1 := int(dec.InputOffset())
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case depth == 1 && t.Name.Local == "root" && rootOpen < 0:
				rootOpen = off1
				prevEnd = off1
			case depth == 2 && rootOpen >= 0:
				ws := off0
				for ws > prevEnd && isSpace(model[ws-1]) {
					ws--
				}
				cur = &child{id: attrOf(t, "id"), parent: attrOf(t, "parent"), ws: ws, start: off0}
			case depth == 3 && cur != nil && t.Name.Local == "mxCell" && cur.parent == "":
				cur.parent = attrOf(t, "parent")
			}
			depth++
		case xml.EndElement:
			depth--
			if depth == 2 && cur != nil {
				cur.end = off1
				prevEnd = off1
				kids = append(kids, *cur)
				if cur.parent == "" && rootCell == "" {
					rootCell = cur.id
				}
				cur = nil
			}
			if depth == 1 && t.Name.Local == "root" {
				if rootOpen < 0 {
					break
				}
				return kids, rootOpen, rootCell, nil
			}
		}
	}
	return nil, 0, "", fmt.Errorf("page has no <root> cell list")
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// replaceLayer returns the model with every cell of an earlier threatmap
// layer removed (with the whitespace before it) and cells appended after
// the last remaining cell, each on its own line indented like the first
// cell. layer builds the cells given the root cell's id.
func replaceLayer(model []byte, layer func(rootCell string) []string) ([]byte, error) {
	kids, rootOpen, rootCell, err := modelCells(model)
	if err != nil {
		return nil, err
	}
	if rootCell == "" {
		return nil, fmt.Errorf("page has no root cell")
	}
	// Ids starting with IDPrefix are threatmap's: such a cell, and any
	// cell whose parent is one (present or not), belongs to an earlier
	// layer. Deciding by the prefix of the parent too, not only by the
	// cells present, keeps a second run from removing what the first kept.
	// The root cell is the user's whatever its id (the layer hangs from
	// it), and a dropped cell that repeats its id does not take it along:
	// cells are dropped by position, ids only carry the parent relation.
	ours := func(id string) bool { return id != rootCell && strings.HasPrefix(id, IDPrefix) }
	dropped := make([]bool, len(kids))
	dropID := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for i, k := range kids {
			if dropped[i] || (k.parent == "" && k.id == rootCell) {
				continue
			}
			if ours(k.id) || (k.parent != "" && (ours(k.parent) || dropID[k.parent])) {
				dropped[i], changed = true, true
				if k.id != "" && k.id != rootCell {
					dropID[k.id] = true
				}
			}
		}
	}
	indent := ""
	insertAt := rootOpen
	for i, k := range kids {
		if dropped[i] {
			continue
		}
		if indent == "" {
			indent = string(model[k.ws:k.start])
		}
		insertAt = k.end
	}
	var out bytes.Buffer
	out.Grow(len(model) + 4096)
	cursor := 0
	emitLayer := func() {
		for _, c := range layer(rootCell) {
			out.WriteString(indent)
			out.WriteString(c)
		}
	}
	inserted := false
	for i, k := range kids {
		if !inserted && k.start >= insertAt {
			out.Write(model[cursor:insertAt])
			cursor = insertAt
			emitLayer()
			inserted = true
		}
		if dropped[i] {
			out.Write(model[cursor:k.ws])
			cursor = k.end
		}
	}
	if !inserted {
		out.Write(model[cursor:insertAt])
		cursor = insertAt
		emitLayer()
	}
	out.Write(model[cursor:])
	return out.Bytes(), nil
}

// annotateFile returns the draw.io file with the layer replaced on the
// named page.
func annotateFile(src []byte, page string, maxInflate int64, layer func(rootCell string) []string) ([]byte, error) {
	file, err := mxfileText(src, maxInflate)
	if err != nil {
		return nil, err
	}
	ps, err := findPage(file, page)
	if err != nil {
		return nil, err
	}
	model := file[ps.start:ps.end]
	if ps.compressed {
		text := strings.TrimSpace(string(model))
		if text == "" {
			return nil, fmt.Errorf("page %q is empty", page)
		}
		m, err := inflate(text, maxInflate)
		if err != nil {
			return nil, fmt.Errorf("page %q: %w", page, err)
		}
		model = []byte(m)
	}
	nm, err := replaceLayer(model, layer)
	if err != nil {
		return nil, fmt.Errorf("page %q: %w", page, err)
	}
	var out bytes.Buffer
	out.Grow(len(file) + len(nm) - len(model))
	out.Write(file[:ps.start])
	out.Write(nm)
	out.Write(file[ps.end:])
	return out.Bytes(), nil
}
