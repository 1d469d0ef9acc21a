package svg

import (
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/english"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
)

// warningColour draws a title-block warning: a dark red that keeps a
// contrast above 4.5:1 on white.
const warningColour = "#B42318"

func titleLines(p *picture.Picture) (system, source, stats string) {
	t := p.Title
	parts := []string{}
	if t.Source != "" {
		parts = append(parts, "Source: "+t.Source)
	}
	if t.Date != "" {
		parts = append(parts, "Date: "+t.Date)
	}
	if t.Generator != "" {
		parts = append(parts, t.Generator)
	}
	stats = t.Stats
	if t.Warning != "" {
		// The warning explains the counts (all zero for an empty model)
		// and needs the line's width to be read whole.
		stats = "Warning: " + t.Warning
	}
	return "Threat model: " + t.System, strings.Join(parts, "  ·  "), stats
}

func titleWidth(p *picture.Picture) float64 {
	a, b, c := titleLines(p)
	return max(textfit.Width(a, 20, true), textfit.Width(b, 12, false), textfit.Width(c, 12, false))
}

func drawTitle(x *xw, p *picture.Picture, c canvas) {
	system, source, stats := titleLines(p)
	system = textfit.Truncate(system, 20, c.titleMax, true)
	source = textfit.Truncate(source, 12, c.titleMax, false)
	stats = textfit.Truncate(stats, 12, c.titleMax, false)
	x.open("g", false, "id", "tm-title-block", "class", "tm-title-block")
	x.raw("\n")
	x.text([]string{system}, margin, margin+20, 20, "font-weight", "bold", "fill", inkColour, "class", "tm-system")
	x.text([]string{source}, margin, margin+42, 12, "fill", mutedColour, "class", "tm-source")
	if p.Title.Warning != "" {
		x.text([]string{stats}, margin, margin+60, 12, "font-weight", "bold", "fill", warningColour, "class", "tm-stats tm-warning")
	} else {
		x.text([]string{stats}, margin, margin+60, 12, "fill", inkColour, "class", "tm-stats")
	}
	x.el("line", "x1", num(margin), "y1", num(margin+titleHeight-10), "x2", num(c.w-margin), "y2", num(margin+titleHeight-10),
		"stroke", "#D0D7DE", "stroke-width", "1")
	x.close("g")
}

const legendRow = 26.0

func legendRows(p *picture.Picture) int {
	rows := len(p.Legend.Severities) + 1 + 3 + 3 + 1
	if p.Legend.Ranked > 0 {
		rows++
	}
	if n := len(p.Legend.Trust); n > 0 {
		rows += n - 1 // one row per trust level instead of the generic one
	}
	return rows
}

func legendHeight(p *picture.Picture) float64 {
	return 40 + float64(legendRows(p))*legendRow + 3*14 + 30
}

func drawLegend(x *xw, p *picture.Picture, c canvas) {
	lg := p.Legend
	lx, ly := c.legX, c.legY
	x.open("g", false, "id", "tm-legend", "class", "tm-legend")
	x.raw("\n")
	x.el("rect", "x", num(lx), "y", num(ly), "width", num(legendWidth), "height", num(legendHeight(p)), "rx", "6",
		"fill", "#FFFFFF", "stroke", "#C9D1D9", "stroke-width", "1")
	x.text([]string{"Legend"}, lx+14, ly+24, 14, "font-weight", "bold", "fill", inkColour)
	y := ly + 40
	heading := func(s string) {
		x.text([]string{s}, lx+14, y+10, 10.5, "font-weight", "bold", "fill", mutedColour)
		y += 14
	}
	row := func(s string) {
		x.text([]string{textfit.Truncate(s, 11, legendWidth-76, false)}, lx+62, y+15, 11, "fill", inkColour)
	}
	heading("HIGHEST RESIDUAL RISK")
	for _, s := range lg.Severities {
		st := sevStyles[s.Severity]
		x.open("g", false, "class", "tm-legend-severity "+sevClass(s.Severity))
		x.el("rect", "x", num(lx+14), "y", num(y+3), "width", "38", "height", "18", "rx", "4",
			"fill", st.fill, "stroke", st.stroke, "stroke-width", num(st.width))
		if s.Severity == string(stride.SeverityCritical) {
			x.el("rect", "x", num(lx+19), "y", num(y+8), "width", "28", "height", "8", "rx", "2",
				"fill", "none", "stroke", st.stroke, "stroke-width", "1.3")
		}
		x.text([]string{s.Marker}, lx+33, y+16, 11, "text-anchor", "middle", "font-weight", "bold", "fill", inkColour)
		row(s.Severity + ": " + english.Plural(s.Components, "component") + ", " + english.Plural(s.Threats, "threat"))
		x.close("g")
		y += legendRow
	}
	st := sevStyles[""]
	x.el("rect", "x", num(lx+14), "y", num(y+3), "width", "38", "height", "18", "rx", "4",
		"fill", st.fill, "stroke", st.stroke, "stroke-width", num(st.width))
	row("No threats: " + english.Plural(lg.Unrated, "component"))
	y += legendRow
	if lg.Ranked > 0 {
		for i := 0; i < lg.Ranked; i++ {
			drawRank(x, graph.Rect{X: lx + 13 + float64(i)*13, Y: y + 4, W: 15, H: 15}, i+1)
		}
		row("Top risk scores (border weight: score)")
		y += legendRow
	}
	y += 4

	heading("ELEMENTS")
	sx := lx + 14
	x.el("rect", "x", num(sx), "y", num(y+3), "width", "38", "height", "18", "rx", "6", "fill", "#FFFFFF", "stroke", st.stroke, "stroke-width", "1.4")
	row("Process")
	y += legendRow
	x.el("path", "d", "M"+num(sx)+" "+num(y+6)+" A19 4 0 0 1 "+num(sx+38)+" "+num(y+6)+" V"+num(y+19)+" A19 4 0 0 1 "+num(sx)+" "+num(y+19)+" Z M"+num(sx)+" "+num(y+6)+" A19 4 0 0 0 "+num(sx+38)+" "+num(y+6),
		"fill", "#FFFFFF", "stroke", st.stroke, "stroke-width", "1.4")
	row("Data store")
	y += legendRow
	x.el("rect", "x", num(sx), "y", num(y+3), "width", "38", "height", "18", "fill", "#FFFFFF", "stroke", st.stroke, "stroke-width", "1.4")
	row("External entity")
	y += legendRow + 4

	heading("BOUNDARIES AND FLOWS")
	if len(lg.Trust) == 0 {
		x.el("rect", "x", num(sx), "y", num(y+3), "width", "38", "height", "18", "rx", "3", "fill", boundaryFills[0],
			"stroke", boundaryInk, "stroke-width", "1.6", "stroke-dasharray", boundaryDash)
		row("Trust boundary, trust 0 (untrusted) to 4")
		y += legendRow
	}
	for _, t := range lg.Trust {
		fill, stroke := boundaryStyle(t.Level, 1)
		x.open("g", false, "class", "tm-legend-trust tm-trust-"+strconv.Itoa(t.Level))
		x.el("rect", "x", num(sx), "y", num(y+3), "width", "38", "height", "18", "rx", "3", "fill", fill,
			"stroke", stroke, "stroke-width", "1.6", "stroke-dasharray", boundaryDash)
		row("Boundary, " + t.Name + " (" + strconv.Itoa(t.Boundaries) + ")")
		x.close("g")
		y += legendRow
	}
	x.el("rect", "x", num(sx), "y", num(y+4), "width", "38", "height", "16", "rx", "8", "fill", badgeFill)
	x.text([]string{"EP-n"}, sx+19, y+15.5, 9, "text-anchor", "middle", "font-weight", "bold", "fill", "#FFFFFF")
	row("Entry point where a flow crosses (" + strconv.Itoa(lg.EntryPoints) + ")")
	y += legendRow
	x.el("rect", "x", num(sx+2), "y", num(y+5), "width", "34", "height", "14", "rx", "7", "fill", tagFill)
	x.text([]string{"PHI"}, sx+19, y+15.5, 9, "text-anchor", "middle", "font-weight", "bold", "fill", "#FFFFFF")
	row("Sensitive data on a flow (" + english.Plural(lg.SensitiveFlows, "flow") + ")")
	y += legendRow + 4
	x.text([]string{"Hover an element to list its threats."}, lx+14, y+12, 10.5, "font-style", "italic", "fill", mutedColour)
	x.close("g")
}

// The entry-point index: below the legend, for a printed copy, where no
// tooltip says which threats an EP badge stands for.
const (
	indexGap      = 16.0
	indexFont     = 10.0
	indexIDFont   = 9.5
	indexMaxIDs   = 24 // threat ids listed per entry point; the rest are counted
	indexTextLeft = 62.0
)

// indexRow is one entry point of the index, laid out.
type indexRow struct {
	ep, flow string
	ids      []string // wrapped lines of threat ids
}

// indexRows lays out the index's rows.
func indexRows(p *picture.Picture) []indexRow {
	w := legendWidth - indexTextLeft - 12
	rows := make([]indexRow, 0, len(p.Index))
	for _, r := range p.Index {
		ids := r.Threats
		more := ""
		if len(ids) > indexMaxIDs {
			more = " … +" + strconv.Itoa(len(ids)-indexMaxIDs) + " more"
			ids = ids[:indexMaxIDs]
		}
		lines := packIDs(ids, more, w)
		if len(r.Threats) == 0 {
			lines = []string{"no threats"}
		}
		rows = append(rows, indexRow{ep: r.EntryPoint, flow: textfit.Truncate(r.Flow, indexFont, w, false), ids: lines})
	}
	return rows
}

// packIDs lays threat ids out in lines of at most w, never breaking an id
// (an id is what a reader looks up), with more after the last.
func packIDs(ids []string, more string, w float64) []string {
	var lines []string
	cur := ""
	for i, id := range ids {
		item := id
		if i < len(ids)-1 {
			item += ","
		} else {
			item += more
		}
		next := item
		if cur != "" {
			next = cur + " " + item
		}
		if cur != "" && textfit.Width(next, indexIDFont, false) > w {
			lines = append(lines, cur)
			next = item
		}
		cur = next
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// indexHeight is the height of the index block (0 when there is none).
func indexHeight(p *picture.Picture) float64 {
	if len(p.Index) == 0 {
		return 0
	}
	h := 40.0
	for _, r := range indexRows(p) {
		h += indexFont*lineHeight + float64(len(r.ids))*indexIDFont*lineHeight + 6
	}
	return h + 8
}

func drawIndex(x *xw, p *picture.Picture, c canvas) {
	if len(p.Index) == 0 {
		return
	}
	lx, ly := c.legX, c.legY+legendHeight(p)+indexGap
	x.open("g", false, "id", "tm-ep-index", "class", "tm-ep-index")
	x.raw("\n")
	x.el("rect", "x", num(lx), "y", num(ly), "width", num(legendWidth), "height", num(indexHeight(p)), "rx", "6",
		"fill", "#FFFFFF", "stroke", "#C9D1D9", "stroke-width", "1")
	x.text([]string{"Entry points and their threats"}, lx+14, ly+24, 14, "font-weight", "bold", "fill", inkColour)
	y := ly + 40
	for _, r := range indexRows(p) {
		x.open("g", false, "class", "tm-ep-index-row")
		x.text([]string{r.ep}, lx+14, y+indexFont, indexFont, "font-weight", "bold", "fill", inkColour)
		x.text([]string{r.flow}, lx+indexTextLeft, y+indexFont, indexFont, "fill", inkColour)
		y += indexFont * lineHeight
		x.text(r.ids, lx+indexTextLeft, y+indexIDFont, indexIDFont, "fill", mutedColour)
		y += float64(len(r.ids))*indexIDFont*lineHeight + 6
		x.close("g")
	}
	x.close("g")
}
