package xlsx

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/third_party/excelize"
)

// book holds the state of one workbook being built. Cell writes go through
// its helpers, which keep the first error.
type book struct {
	f     *excelize.File
	r     *stride.Report
	opts  Options
	date  time.Time
	shown bool // date is a real date, shown on the Summary
	st    styles
	err   error

	x       *stride.Index
	threats []stride.Threat // register order: the report's, highest inherent score first
	regRow  map[string]int  // threat ID -> register row

	// rows are the register's rows: threats, then closed threats kept
	// from the baseline.
	rows []stride.Threat
	// cached holds the value of each formula cell, by sheet and cell.
	cached map[string]map[string]any
	// spills hold the rows of the streamed sheets, by sheet.
	spills map[string]*rowSpill
}

func newBook(f *excelize.File, r *stride.Report, opts Options, date time.Time, shown bool) *book {
	b := &book{f: f, r: r, x: r.Index(), opts: opts, date: date, shown: shown, regRow: map[string]int{}}
	b.threats = append([]stride.Threat(nil), r.Threats...)
	b.rows = append(append([]stride.Threat(nil), b.threats...), r.Closed...)
	// Reports from before residual impact existed: it is the impact.
	for _, ts := range [][]stride.Threat{b.threats, b.rows} {
		for i := range ts {
			if ts[i].ResidualImpact == 0 {
				ts[i].ResidualImpact = ts[i].Impact
			}
		}
	}
	for i, t := range b.rows {
		if _, dup := b.regRow[t.ID]; !dup {
			b.regRow[t.ID] = i + 2
		}
	}
	b.cached = map[string]map[string]any{}
	b.spills = map[string]*rowSpill{}
	return b
}

// build writes every sheet.
func (b *book) build() {
	b.setErr(b.f.SetSheetName("Sheet1", SheetSummary))
	for _, name := range SheetNames[1:] {
		_, err := b.f.NewSheet(name)
		b.setErr(err)
	}
	if b.err != nil {
		return
	}
	b.f.SetActiveSheet(0)
	b.st = newStyles(b.f, &b.err)
	b.register()
	b.summary()
	b.pageSetup(SheetSummary)
	b.mitigations()
	b.entryPoints()
	b.components()
	b.trustBoundaries()
	b.dataFlows()
	b.questions()
	b.about()
	b.pageSetup(SheetAbout)
	b.properties()
}

// properties fixes the document properties and asks spreadsheet programs
// to recompute every formula when the file is opened.
func (b *book) properties() {
	stamp := b.date.Format(time.RFC3339)
	b.setErr(b.f.SetDocProps(&excelize.DocProperties{
		Title:          cellText("Risk register: " + b.r.System),
		Subject:        "STRIDE threat model",
		Creator:        "threatmap",
		LastModifiedBy: "threatmap",
		Description:    cellText("Generated from " + b.r.Source.File),
		Created:        stamp,
		Modified:       stamp,
		Revision:       "1",
	}))
	// The application name tells LibreOffice that the file was not saved
	// by Excel or by itself, so it recalculates on load rather than trust
	// the cached values; Excel recalculates because of fullCalcOnLoad.
	b.setErr(b.f.SetAppProps(&excelize.AppProperties{Application: "threatmap", Company: ""}))
	full := true
	b.setErr(b.f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &full}))
}

func (b *book) setErr(err error) {
	if err != nil && b.err == nil {
		b.err = err
	}
}

// str writes text from the report as a string cell.
func (b *book) str(sheet, cell, v string) {
	b.setErr(b.f.SetCellStr(sheet, cell, cellText(v)))
}

func (b *book) num(sheet, cell string, v int) {
	b.setErr(b.f.SetCellInt(sheet, cell, int64(v)))
}

// formula writes a formula built by threatmap (never from report text).
func (b *book) formula(sheet, cell, f string) {
	b.setErr(b.f.SetCellFormula(sheet, cell, f))
}

// formulaV writes a formula with its value as threatmap computed it, which
// is stored as the cell's cached value.
func (b *book) formulaV(sheet, cell, f string, v any) {
	b.formula(sheet, cell, f)
	b.cache(sheet, cell, v)
}

// cache records the value of a formula cell (nil: none).
func (b *book) cache(sheet, cell string, v any) {
	if v == nil {
		return
	}
	m := b.cached[sheet]
	if m == nil {
		m = map[string]any{}
		b.cached[sheet] = m
	}
	m[cell] = v
}

func (b *book) style(sheet, from, to string, id int) {
	b.setErr(b.f.SetCellStyle(sheet, from, to, id))
}

// threatRef writes threat IDs (comma separated) and, when the first is in
// the register, links the cell to its register row, found by id so that
// the link survives sorting the register.
func (b *book) threatRef(sheet, cell string, ids []string) {
	if f, text, ok := b.refLink(ids); ok {
		b.formulaV(sheet, cell, f, text)
		b.style(sheet, cell, cell, b.st.link)
		return
	}
	b.str(sheet, cell, joinOrDash(ids))
}

// maxLinkText is the longest text a HYPERLINK formula may show.
const maxLinkText = 255

// refLink is the link formula of a cell listing ids: to the register row
// of the first id in the register, showing them all; ok is false when
// there is nothing to link or the text is too long for a link.
func (b *book) refLink(ids []string) (formula, text string, ok bool) {
	text = joinOrDash(ids)
	if len(text) > maxLinkText {
		return "", text, false
	}
	for _, id := range ids {
		if _, in := b.regRow[id]; in {
			return linkFormula(id, cellText(text)), text, true
		}
	}
	return "", text, false
}

// registerCell is the internal link location of a register cell.
func registerCell(col string, row int) string {
	return "'" + SheetRegister + "'!" + col + strconv.Itoa(row)
}

// cell names the cell at column col (1-based) and row.
func cell(col, row int) string {
	return colName(col) + strconv.Itoa(row)
}

func colName(col int) string {
	name := ""
	for col > 0 {
		col--
		name = string(rune('A'+col%26)) + name
		col /= 26
	}
	return name
}

// byRegister sorts threat IDs in register order (unknown IDs last, by ID).
func (b *book) byRegister(ids []string) []string {
	out := append([]string(nil), ids...)
	sort.SliceStable(out, func(i, j int) bool {
		ri, oki := b.regRow[out[i]]
		rj, okj := b.regRow[out[j]]
		switch {
		case oki && okj:
			return ri < rj
		case oki != okj:
			return oki
		}
		return out[i] < out[j]
	})
	return out
}

func (b *book) boundNames(ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = b.x.BoundaryName(id)
	}
	return strings.Join(names, " → ")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func joinOrDash(v []string) string { return orDash(strings.Join(v, ", ")) }

// oneLine joins the lines of s with spaces, for cells that do not wrap.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
