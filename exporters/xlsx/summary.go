package xlsx

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/third_party/excelize"
)

var likelihoodNames = []string{"", "Rare", "Unlikely", "Possible", "Likely", "Almost certain"}
var impactNames = []string{"", "Negligible", "Minor", "Moderate", "Major", "Severe"}

// topRisks is the number of threats listed on the Summary.
const topRisks = 10

// summary writes the Summary sheet. Counts are formulas over the register
// so that they follow the owners' edits.
func (b *book) summary() {
	const sh = SheetSummary
	for _, w := range []struct {
		from, to string
		width    float64
	}{{"A", "A", 26}, {"B", "F", 12}, {"G", "G", 3}, {"H", "P", 10}} {
		b.setErr(b.f.SetColWidth(sh, w.from, w.to, w.width))
	}
	b.str(sh, "A1", "Risk register: "+b.r.System)
	b.style(sh, "A1", "A1", b.st.title)
	b.str(sh, "A2", "STRIDE threat model by threatmap. Scores and counts are live: edit Likelihood and Impact in the Risk Register.")
	b.style(sh, "A2", "A2", b.st.subtitle)
	row := b.summaryFacts(4)
	row = b.summaryWarnings(row + 1)
	row = b.summarySeverity(row)
	catHeader, catRows := row+2, b.categories()
	row = b.summaryCategories(catHeader, catRows)
	b.summaryChart(catHeader, len(catRows))
	row = b.summaryHeatMap(row + 1)
	b.summaryTop(row + 1)
}

func (b *book) section(sheet string, row int, title string) {
	c := "A" + strconv.Itoa(row)
	b.str(sheet, c, title)
	b.style(sheet, c, c, b.st.section)
}

// summaryFacts writes the key facts from row on and returns the next row.
func (b *book) summaryFacts(row int) int {
	const sh = SheetSummary
	r := b.r
	version := r.Generator
	if b.opts.Version != "" {
		version = "threatmap " + b.opts.Version
	}
	facts := [][2]string{
		{"System", r.System},
		{"Source file", r.Source.File},
		{"Source format", r.Source.Format},
	}
	if r.Source.Diagram != "" {
		facts = append(facts, [2]string{"Diagram", r.Source.Diagram})
	}
	facts = append(facts, [2]string{"Source SHA-256", r.Source.SHA256}, [2]string{"Generator", version})
	if b.shown {
		facts = append(facts, [2]string{"Date", b.date.Format("2006-01-02")})
	}
	for _, kv := range facts {
		b.str(sh, rangeTo("A", row), kv[0])
		b.str(sh, rangeTo("B", row), orDash(kv[1]))
		row++
	}
	counts := []struct {
		name string
		n    int
	}{{"Components", len(r.Components)}, {"Data flows", len(r.Flows)},
		{"Trust boundaries", len(r.Boundaries)}, {"Entry points", len(r.EntryPoints)}}
	for _, c := range counts {
		b.str(sh, rangeTo("A", row), c.name)
		b.num(sh, rangeTo("B", row), c.n)
		row++
	}
	b.str(sh, rangeTo("A", row), "Threats")
	b.formulaV(sh, rangeTo("B", row), "COUNTIFS("+b.registerRange(colID)+`,"?*",`+b.openOnly()+")", len(b.threats))
	b.style(sh, "A4", rangeTo("A", row), b.st.key)
	b.style(sh, "B4", rangeTo("B", row), b.st.value)
	return row + 1
}

// summaryWarnings lists the report's warnings (what the importer could not
// represent, an empty model, unused configuration) from row on, one a row,
// and returns the next free row: row itself when there are none.
func (b *book) summaryWarnings(row int) int {
	const sh = SheetSummary
	if len(b.r.Warnings) == 0 {
		return row
	}
	b.section(sh, row, "Warnings")
	for _, w := range b.r.Warnings {
		// Unstyled, so that a long warning reads on across the empty
		// columns beside it.
		row++
		b.str(sh, rangeTo("A", row), "Warning: "+oneLine(w))
	}
	return row + 2
}

// summarySeverity writes the counts by severity and returns the next row.
func (b *book) summarySeverity(row int) int {
	const sh = SheetSummary
	b.section(sh, row, "Threats by severity")
	row++
	b.header(sh, row, "Severity", "Inherent", "Residual")
	first := row + 1
	for _, sev := range severities {
		row++
		r := strconv.Itoa(row)
		b.str(sh, "A"+r, sev)
		b.style(sh, "A"+r, "A"+r, b.st.band[sev])
		inh, res := 0, 0
		for _, t := range b.threats {
			if string(stride.Band(t.Likelihood*t.Impact)) == sev {
				inh++
			}
			if string(stride.Band(t.ResidualLikelihood*t.ResidualImpact)) == sev {
				res++
			}
		}
		b.formulaV(sh, "B"+r, "COUNTIFS("+b.registerRange(colSeverity)+",$A"+r+","+b.openOnly()+")", inh)
		b.formulaV(sh, "C"+r, "COUNTIFS("+b.registerRange(colResidual)+",$A"+r+","+b.openOnly()+")", res)
	}
	row++
	b.totalRow(sh, row, first, 3)
	b.style(sh, rangeTo("B", first), rangeTo("C", row-1), b.st.center)
	return row + 1
}

// header writes a header row of a summary table starting in column A.
func (b *book) header(sheet string, row int, names ...string) {
	for i, n := range names {
		b.str(sheet, cell(i+1, row), n)
	}
	b.style(sheet, cell(1, row), cell(len(names), row), b.st.header)
}

// totalRow writes a "Total" row summing rows first..row-1 of columns B up
// to column lastCol.
func (b *book) totalRow(sheet string, row, first, lastCol int) {
	b.str(sheet, cell(1, row), "Total")
	for c := 2; c <= lastCol; c++ {
		col := colName(c)
		sum := 0
		for r := first; r < row; r++ {
			if v, ok := b.cached[sheet][cell(c, r)].(int); ok {
				sum += v
			}
		}
		b.formulaV(sheet, cell(c, row), fmt.Sprintf("SUM(%s%d:%s%d)", col, first, col, row-1), sum)
	}
	b.style(sheet, cell(1, row), cell(1, row), b.st.key)
	b.style(sheet, cell(2, row), cell(lastCol, row), b.st.heatAxis)
}

// categories lists the six STRIDE categories, then any other category the
// report uses, sorted.
func (b *book) categories() []string {
	var out []string
	known := map[stride.Category]bool{}
	for _, c := range stride.Categories {
		out = append(out, string(c))
		known[c] = true
	}
	var extra []string
	for _, t := range b.threats {
		if !known[t.Category] {
			known[t.Category] = true
			extra = append(extra, string(t.Category))
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// summaryCategories writes the category x severity table whose header is
// at row and returns the next free row.
func (b *book) summaryCategories(row int, cats []string) int {
	const sh = SheetSummary
	b.section(sh, row-1, "Threats by STRIDE category and severity")
	b.header(sh, row, append([]string{"Category"}, append(severities, "Total")...)...)
	hdr := strconv.Itoa(row)
	first := row + 1
	for _, cat := range cats {
		row++
		r := strconv.Itoa(row)
		b.str(sh, "A"+r, cat)
		total := 0
		for i, sev := range severities {
			col := colName(i + 2)
			n := 0
			for _, t := range b.threats {
				if string(t.Category) == cat && string(stride.Band(t.Likelihood*t.Impact)) == sev {
					n++
				}
			}
			total += n
			b.formulaV(sh, col+r, fmt.Sprintf("COUNTIFS(%s,$A%s,%s,%s$%s,%s)",
				b.registerRange(colCategory), r, b.registerRange(colSeverity), col, hdr, b.openOnly()), n)
		}
		b.formulaV(sh, "F"+r, "SUM(B"+r+":E"+r+")", total)
	}
	b.style(sh, rangeTo("A", first), rangeTo("A", row), b.st.text)
	b.style(sh, rangeTo("B", first), rangeTo("F", row), b.st.center)
	row++
	b.totalRow(sh, row, first, 6)
	return row + 1
}

// summaryChart adds a stacked bar chart of the category table.
func (b *book) summaryChart(hdr, n int) {
	var series []excelize.ChartSeries
	for i, sev := range severities {
		col := colName(i + 2)
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("Summary!$%s$%d", col, hdr),
			Categories: fmt.Sprintf("Summary!$A$%d:$A$%d", hdr+1, hdr+n),
			Values:     fmt.Sprintf("Summary!$%s$%d:$%s$%d", col, hdr+1, col, hdr+n),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{sevColors[sev][0]}},
		})
	}
	b.setErr(b.f.AddChart(SheetSummary, "H4", &excelize.Chart{
		Type:      excelize.BarStacked,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Threats by STRIDE category and severity"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 640, Height: 380},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Color: "404040"}},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: excelize.Font{Color: "404040"}},
		Format:    excelize.GraphicOptions{AltText: "Threats by STRIDE category and severity", OffsetX: 4},
	}))
}

// summaryHeatMap writes the 5x5 likelihood x impact matrix of live counts
// and returns the next free row.
func (b *book) summaryHeatMap(row int) int {
	const sh = SheetSummary
	b.section(sh, row, "Likelihood × impact heat map (threats per cell)")
	row++
	b.str(sh, rangeTo("A", row), "Likelihood ↓  Impact →")
	for i := 1; i <= 5; i++ {
		b.str(sh, cell(i+1, row), fmt.Sprintf("%d %s", i, impactNames[i]))
	}
	b.style(sh, rangeTo("A", row), rangeTo("F", row), b.st.header)
	b.setErr(b.f.SetRowHeight(sh, row, 30))
	for l := 5; l >= 1; l-- {
		row++
		b.str(sh, rangeTo("A", row), fmt.Sprintf("%d %s", l, likelihoodNames[l]))
		b.style(sh, rangeTo("A", row), rangeTo("A", row), b.st.heatAxis)
		for i := 1; i <= 5; i++ {
			c := cell(i+1, row)
			n := 0
			for _, t := range b.threats {
				if t.Likelihood == l && t.Impact == i {
					n++
				}
			}
			b.formulaV(sh, c, fmt.Sprintf("COUNTIFS(%s,%d,%s,%d,%s)",
				b.registerRange(colLikelihood), l, b.registerRange(colImpact), i, b.openOnly()), n)
			b.style(sh, c, c, b.st.band[string(stride.Band(l*i))])
		}
	}
	return row + 1
}

// summaryTop lists the highest-scoring threats; score, severity and status
// follow the register.
func (b *book) summaryTop(row int) {
	const sh = SheetSummary
	b.section(sh, row, fmt.Sprintf("Top %d risks (highest score first)", topRisks))
	row++
	b.header(sh, row, "Threat ID", "Score", "Severity", "Residual", "Status", "Threat")
	first := row + 1
	// Each row looks its threat up by id (INDEX/MATCH), so it stays right
	// when the register is sorted or filtered.
	for i, t := range b.threats {
		if i == topRisks {
			break
		}
		row++
		b.threatRef(sh, cell(1, row), []string{t.ID})
		b.formulaV(sh, cell(2, row), registerLookup(colScore, t.ID), t.Likelihood*t.Impact)
		b.formulaV(sh, cell(3, row), registerLookup(colSeverity, t.ID), string(stride.Band(t.Likelihood*t.Impact)))
		b.formulaV(sh, cell(4, row), registerLookup(colResidual, t.ID), string(stride.Band(t.ResidualLikelihood*t.ResidualImpact)))
		b.formulaV(sh, cell(5, row), registerLookup(colStatus, t.ID), orDefault(t.Status, "Unmitigated"))
		b.str(sh, cell(6, row), oneLine(t.Title+" — "+t.ElementName))
	}
	if row < first {
		b.str(sh, cell(1, first), "No threats found.")
		return
	}
	b.style(sh, cell(2, first), cell(5, row), b.st.center)
	b.setErr(b.f.SetConditionalFormat(sh, fmt.Sprintf("C%d:D%d", first, row), b.st.severityFormats()))
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// openOnly is the COUNTIFS criterion that leaves out closed threats.
func (b *book) openOnly() string {
	return b.registerRange(colStatus) + `,"<>Closed"`
}
