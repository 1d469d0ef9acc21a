package svg

import (
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/internal/english"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/picture"
)

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
	return "Threat model: " + t.System, strings.Join(parts, "  ·  "), t.Stats
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
	x.text([]string{stats}, margin, margin+60, 12, "fill", inkColour, "class", "tm-stats")
	x.el("line", "x1", num(margin), "y1", num(margin+titleHeight-10), "x2", num(c.w-margin), "y2", num(margin+titleHeight-10),
		"stroke", "#D0D7DE", "stroke-width", "1")
	x.close("g")
}

const legendRow = 26.0

func legendRows(p *picture.Picture) int { return len(p.Legend.Severities) + 1 + 3 + 3 + 1 }

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
		x.text([]string{s.Marker}, lx+33, y+16, 11, "text-anchor", "middle", "font-weight", "bold", "fill", inkColour)
		row(s.Severity + ": " + english.Plural(s.Components, "component") + ", " + english.Plural(s.Threats, "threat"))
		x.close("g")
		y += legendRow
	}
	st := sevStyles[""]
	x.el("rect", "x", num(lx+14), "y", num(y+3), "width", "38", "height", "18", "rx", "4",
		"fill", st.fill, "stroke", st.stroke, "stroke-width", num(st.width))
	row("No threats: " + english.Plural(lg.Unrated, "component"))
	y += legendRow + 4

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
	x.el("rect", "x", num(sx), "y", num(y+3), "width", "38", "height", "18", "rx", "3", "fill", boundaryFills[0],
		"stroke", boundaryInk, "stroke-width", "1.6", "stroke-dasharray", boundaryDash)
	row("Trust boundary, trust 0 (untrusted) to 4")
	y += legendRow
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
