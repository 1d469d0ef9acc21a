package xlsx

import (
	"fmt"
	"strconv"
	"strings"
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

// table writes a whole table sheet. rules, when not nil, adds the sheet's
// validations and conditional formats over data rows 2..last.
func (b *book) table(sheet string, cols []column, rows [][]val, freezeCols int, rules func(last int)) {
	b.tableOf(sheet, cols, len(rows), func(yield func([]val)) {
		for _, row := range rows {
			yield(row)
		}
	}, freezeCols, rules)
}

// tableOf writes a table sheet of n rows that each yields one at a time,
// so that a sheet with many rows (a row per boundary crossing) is never
// held whole: each row is written before the next is made, and yield does
// not keep the slice it is given. each must yield exactly n rows.
func (b *book) tableOf(sheet string, cols []column, n int, each func(yield func([]val)), freezeCols int, rules func(last int)) {
	out := b.begin(sheet, cols, n, freezeCols, nil, rules)
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = c.width
	}
	texts := make([]string, len(cols))
	cells := make([]cellv, len(cols))
	i := 0
	each(func(row []val) {
		defer func() { i++ }()
		clear(texts)
		for j := range cols {
			c := cellv{style: b.st.text}
			if cols[j].center {
				c.style = b.st.center
			}
			if j < len(row) {
				switch v := row[j]; v.kind {
				case valNum:
					c.kind, c.n = kindNum, v.n
				case valRefs:
					// The first threat in the register is the link target,
					// found by id when the link is followed.
					if f, text, ok := b.refLink(v.refs); ok {
						c.kind, c.s, c.cached, c.style = kindFormula, f, text, b.st.link
					} else {
						c.kind, c.s = kindText, text
					}
					texts[j] = strings.Join(v.refs, ", ")
				default:
					c.kind, c.s = kindText, v.s
					texts[j] = v.s
				}
			}
			cells[j] = c
		}
		out.row(i+2, cells, rowHeight(texts, widths))
	})
	if i != n {
		b.setErr(fmt.Errorf("sheet %s: %d rows written, %d announced", sheet, i, n))
	}
	out.done()
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
	for para := range strings.SplitSeq(s, "\n") {
		k := 0
		for range para {
			k++
		}
		n += max(1, (k+per-1)/per)
	}
	return n
}

// rowHeight is the height of a row that fits the texts, given their
// column widths, or 0 for a one-line row, which keeps the default height.
func rowHeight(texts []string, widths []float64) float64 {
	lines := 1
	for i, s := range texts {
		if i < len(widths) && s != "" {
			lines = max(lines, textLines(s, widths[i]))
		}
	}
	if lines > 1 {
		return min(409, float64(lines*lineHeight+3))
	}
	return 0
}

// fitRow sets the height of row to fit the texts, given their column
// widths; one-line rows keep the default height.
func (b *book) fitRow(sheet string, row int, texts []string, widths []float64) {
	if h := rowHeight(texts, widths); h > 0 {
		b.setErr(b.f.SetRowHeight(sheet, row, h))
	}
}
