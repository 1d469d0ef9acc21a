package xlsx

import (
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// column describes one column of a table sheet.
type column struct {
	name   string
	width  float64
	center bool
}

// val is one cell of a table row: text, a number, or threat references
// that link to the register.
type val struct {
	s    string
	n    int
	kind int // valText, valNum, valRefs
	refs []string
}

const (
	valText = iota
	valNum
	valRefs
)

func txt(s string) val               { return val{s: s} }
func num(n int) val                  { return val{n: n, kind: valNum} }
func refs(ids []string) val          { return val{refs: ids, kind: valRefs} }
func lastRowOf(rows int) int         { return max(rows+1, 2) }
func rangeTo(c string, r int) string { return c + strconv.Itoa(r) }

// tableHead writes the header row of a table sheet with rows data rows:
// column widths, body styles, frozen header, autofilter. freezeCols columns
// stay visible when scrolling right.
func (b *book) tableHead(sheet string, cols []column, rows, freezeCols int) {
	last := lastRowOf(rows)
	lastCol := colName(len(cols))
	for i, c := range cols {
		col := colName(i + 1)
		b.str(sheet, col+"1", c.name)
		b.setErr(b.f.SetColWidth(sheet, col, col, c.width))
		body := b.st.text
		if c.center {
			body = b.st.center
		}
		b.style(sheet, col+"2", rangeTo(col, last), body)
	}
	b.style(sheet, "A1", lastCol+"1", b.st.header)
	b.setErr(b.f.SetRowHeight(sheet, 1, 32))
	pane := "bottomLeft"
	if freezeCols > 0 {
		pane = "bottomRight"
	}
	b.setErr(b.f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, XSplit: freezeCols, YSplit: 1,
		TopLeftCell: cell(freezeCols+1, 2), ActivePane: pane,
		Selection: []excelize.Selection{{SQRef: cell(freezeCols+1, 2), ActiveCell: cell(freezeCols+1, 2), Pane: pane}},
	}))
	b.setErr(b.f.AutoFilter(sheet, "A1:"+rangeTo(lastCol, last), nil))
}

// table writes a whole table sheet.
func (b *book) table(sheet string, cols []column, rows [][]val, freezeCols int) {
	b.tableHead(sheet, cols, len(rows), freezeCols)
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = c.width
	}
	texts := make([]string, len(cols))
	for i, row := range rows {
		clear(texts)
		for j, v := range row {
			c := cell(j+1, i+2)
			switch v.kind {
			case valNum:
				b.num(sheet, c, v.n)
			case valRefs:
				b.threatRef(sheet, c, v.refs)
				texts[j] = strings.Join(v.refs, ", ")
			default:
				b.str(sheet, c, v.s)
				texts[j] = v.s
			}
		}
		b.fitRow(sheet, i+2, texts, widths)
	}
}

// lineHeight is the height in points of one line of 11-point text.
const lineHeight = 15

// textLines estimates how many lines s takes when wrapped in a column
// width characters wide. Spreadsheet programs do not reliably fit row
// heights to wrapped text when they open a file, so rows get explicit
// heights from this estimate.
func textLines(s string, width float64) int {
	per := int(width * 1.05)
	if per < 1 {
		per = 1
	}
	n := 0
	for _, para := range strings.Split(s, "\n") {
		k := 0
		for range para {
			k++
		}
		n += max(1, (k+per-1)/per)
	}
	return n
}

// fitRow sets the height of row to fit the texts, given their column
// widths; one-line rows keep the default height.
func (b *book) fitRow(sheet string, row int, texts []string, widths []float64) {
	lines := 1
	for i, s := range texts {
		if i < len(widths) && s != "" {
			lines = max(lines, textLines(s, widths[i]))
		}
	}
	if lines > 1 {
		b.setErr(b.f.SetRowHeight(sheet, row, min(409, float64(lines*lineHeight+3))))
	}
}
