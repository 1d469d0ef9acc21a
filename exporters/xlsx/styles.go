package xlsx

import (
	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/third_party/excelize"
)

// Severity colours: fill and font, used by cell styles and conditional
// formats alike.
var sevColors = map[string][2]string{
	"Critical": {"C00000", "FFFFFF"},
	"High":     {"F4B084", "000000"},
	"Medium":   {"FFE699", "000000"},
	"Low":      {"C6EFCE", "000000"},
}

// severities lists the bands from highest to lowest.
var severities = stride.SeverityNames()

// styles holds the style IDs of the workbook.
type styles struct {
	title, subtitle, key, value int
	header, section             int
	text, center, link, date    int
	heatAxis                    int
	band                        map[string]int // cell styles per severity
	cond                        map[string]int // conditional formats per severity
}

func newStyles(f *excelize.File, errp *error) styles {
	mk := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil && *errp == nil {
			*errp = err
		}
		return id
	}
	thin := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	dateFmt := "yyyy-mm-dd"
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	st := styles{
		title:    mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Color: "1F3864"}}),
		subtitle: mk(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}}),
		key:      mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}}),
		value:    mk(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}}),
		header: mk(&excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F3864"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
			Border:    thin,
		}),
		section: mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: "1F3864"}}),
		text:    mk(&excelize.Style{Alignment: top, Border: thin}),
		center: mk(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"},
			Border: thin}),
		link: mk(&excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"},
			Alignment: top, Border: thin}),
		date: mk(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top"},
			Border: thin}),
		heatAxis: mk(&excelize.Style{Font: &excelize.Font{Bold: true},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}, Border: thin}),
		band: map[string]int{},
		cond: map[string]int{},
	}
	for _, sev := range severities {
		c := sevColors[sev]
		st.band[sev] = mk(&excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: c[1]},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c[0]}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
			Border:    thin,
		})
		id, err := f.NewConditionalStyle(&excelize.Style{
			Font: &excelize.Font{Bold: true, Color: c[1]},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c[0]}, Shading: 0},
		})
		if err != nil && *errp == nil {
			*errp = err
		}
		st.cond[sev] = id
	}
	return st
}

// severityFormats are the conditional formats that colour a severity cell.
func (st styles) severityFormats() []excelize.ConditionalFormatOptions {
	var out []excelize.ConditionalFormatOptions
	for _, sev := range severities {
		id := st.cond[sev]
		out = append(out, excelize.ConditionalFormatOptions{
			Type: "cell", Criteria: "==", Value: `"` + sev + `"`, Format: &id,
		})
	}
	return out
}
