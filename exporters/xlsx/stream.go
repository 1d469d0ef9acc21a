package xlsx

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"

	"github.com/threatmap/threatmap/third_party/excelize"
)

// streamMin is the number of data rows from which a table sheet is written
// with excelize's StreamWriter (see Options.StreamAll).
const streamMin = 1000

// link is an internal hyperlink from a cell to a threat's register row.
type link struct {
	cell string
	id   string
	row  int // register row
}

func (l link) location() string { return registerCell("A", l.row) }
func (l link) tooltip() string  { return "Go to " + l.id + " in the Risk Register" }

// Kinds of cellv.
const (
	kindEmpty = iota
	kindText
	kindNum
	kindFormula
	kindDate
)

// cellv is one cell written by out: text from the report or from
// threatmap (always a string cell), a number, or a formula built by
// threatmap, with its style.
type cellv struct {
	kind  int
	s     string // text or formula
	n     int
	f     float64 // date serial
	style int
	// cached is a formula's value as threatmap computed it, stored with
	// the formula for viewers that do not recalculate; nil for none.
	cached any
}

// out writes the rows of one table sheet, in order, in normal mode or
// through a StreamWriter.
type out struct {
	b     *book
	sheet string
	sw    *excelize.StreamWriter // nil in normal mode
	spill *rowSpill              // the rows, in stream mode
	blank []cellv                // the styled empty row 2 of a table with no rows
	rows  int                    // data rows written
}

// begin starts a table sheet of rows data rows and writes its header row.
// Everything that lives outside the sheet's cells (links, autofilter, page
// setup, the validations and conditional formats that rules adds over data
// rows 2..last, column widths, frozen panes) is set through the normal API
// before the sheet's StreamWriter is made: a StreamWriter writes what its
// sheet holds then, and silently drops what is added after Flush.
func (b *book) begin(sheet string, cols []column, rows, freezeCols int, links []link, rules func(last int)) *out {
	o := &out{b: b, sheet: sheet}
	last := lastRowOf(rows)
	stream := b.opts.StreamAll || rows >= streamMin
	if stream {
		b.preloadLinks(sheet, links)
	}
	// AutoFilter replaces the sheet properties that pageSetup sets.
	lastCol := colName(len(cols))
	b.setErr(b.f.AutoFilter(sheet, "A1:"+rangeTo(lastCol, last), nil))
	b.pageSetup(sheet)
	if rules != nil {
		rules(last)
	}
	for i, c := range cols {
		col := colName(i + 1)
		b.setErr(b.f.SetColWidth(sheet, col, col, c.width))
	}
	pane := "bottomLeft"
	if freezeCols > 0 {
		pane = "bottomRight"
	}
	b.setErr(b.f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, XSplit: freezeCols, YSplit: 1,
		TopLeftCell: cell(freezeCols+1, 2), ActivePane: pane,
		Selection: []excelize.Selection{{SQRef: cell(freezeCols+1, 2), ActiveCell: cell(freezeCols+1, 2), Pane: pane}},
	}))
	if stream && b.err == nil {
		sw, err := b.f.NewStreamWriter(sheet)
		if b.setErr(err); err == nil {
			spill, err := newRowSpill()
			if b.setErr(err); err == nil {
				o.sw, o.spill = sw, spill
				b.spills[sheet] = spill
			}
		}
	}
	if o.sw == nil {
		for _, l := range links {
			tip := l.tooltip()
			b.setErr(b.f.SetCellHyperLink(sheet, l.cell, l.location(), "Location",
				excelize.HyperlinkOpts{Tooltip: &tip}))
		}
	}
	head := make([]cellv, len(cols))
	o.blank = make([]cellv, len(cols))
	for i, c := range cols {
		head[i] = cellv{kind: kindText, s: c.name, style: b.st.header}
		o.blank[i].style = b.st.text
		if c.center {
			o.blank[i].style = b.st.center
		}
	}
	o.row(1, head, 32)
	return o
}

// row writes row n; height 0 keeps the default height.
func (o *out) row(n int, cells []cellv, height float64) {
	b := o.b
	if b.err != nil {
		return
	}
	if n > 1 {
		o.rows++
	}
	if o.sw != nil {
		for j, c := range cells {
			if c.kind == kindFormula {
				b.cache(o.sheet, cell(j+1, n), c.cached)
			}
		}
		b.setErr(o.spill.row(n, cells, height))
		return
	}
	for j, c := range cells {
		ref := cell(j+1, n)
		switch c.kind {
		case kindText:
			b.str(o.sheet, ref, c.s)
		case kindNum:
			b.num(o.sheet, ref, c.n)
		case kindFormula:
			b.formulaV(o.sheet, ref, c.s, c.cached)
		case kindDate:
			b.setErr(b.f.SetCellFloat(o.sheet, ref, c.f, -1, 64))
		}
		if c.style != 0 {
			b.style(o.sheet, ref, ref, c.style)
		}
	}
	if height > 0 {
		b.setErr(b.f.SetRowHeight(o.sheet, n, height))
	}
}

// done ends the sheet. A table with no rows keeps a styled empty row
// under its header.
func (o *out) done() {
	if o.rows == 0 {
		o.row(2, o.blank, 0)
	}
	if o.sw != nil && o.b.err == nil {
		o.b.setErr(o.sw.Flush())
	}
}

// preloadLinks gives a sheet about to be streamed its hyperlinks.
// excelize's SetCellHyperLink looks through the sheet's links on every
// call, which is quadratic in their number, and a StreamWriter has no
// links of its own: so the links are written as the sheet's initial XML,
// which excelize parses when the sheet is first used. It must run before
// anything else touches the sheet.
func (b *book) preloadLinks(sheet string, links []link) {
	if len(links) == 0 || b.err != nil {
		return
	}
	path := ""
	for id, name := range b.f.GetSheetMap() {
		if name == sheet {
			path = "xl/worksheets/sheet" + strconv.Itoa(id) + ".xml"
		}
	}
	if _, ok := b.f.Sheet.Load(path); !ok {
		b.setErr(fmt.Errorf("sheet %q: no worksheet part %q for its links", sheet, path))
		return
	}
	var x bytes.Buffer
	x.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData/><hyperlinks>`)
	attr := func(name, v string) {
		x.WriteString(" " + name + `="`)
		_ = xml.EscapeText(&x, []byte(v))
		x.WriteString(`"`)
	}
	for _, l := range links {
		x.WriteString("<hyperlink")
		attr("ref", l.cell)
		attr("location", l.location())
		attr("tooltip", l.tooltip())
		x.WriteString("/>")
	}
	x.WriteString(`</hyperlinks></worksheet>`)
	b.f.Sheet.Delete(path)
	b.f.Pkg.Store(path, x.Bytes())
}
