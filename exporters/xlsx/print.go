package xlsx

import (
	"strconv"

	"github.com/threatmap/threatmap/third_party/excelize"
)

// pageSetup makes a sheet print landscape on A4, one page wide; table
// sheets repeat their header row on each printed page. Table sheets get it
// before their first row, as a streamed sheet must. The register is too
// wide for one legible page: it prints at 70% across several pages, each
// repeating the header row and the id and summary columns, without the
// hidden analysis columns.
func (b *book) pageSetup(sh string) {
	if sh == SheetRegister {
		b.registerPageSetup()
		return
	}
	a4, landscape, one, auto := 9, "landscape", 1, 0
	fit := true
	small := sh == SheetSummary || sh == SheetAbout
	tall := &auto
	if small {
		tall = &one
	}
	b.setErr(b.f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}))
	b.setErr(b.f.SetPageLayout(sh, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: tall,
	}))
	b.setErr(b.f.SetPageMargins(sh, &excelize.PageLayoutMarginsOptions{
		Left: ptr(0.4), Right: ptr(0.4), Top: ptr(0.5), Bottom: ptr(0.5),
	}))
	if small {
		return
	}
	b.setErr(b.f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", Scope: sh, RefersTo: "'" + sh + "'!$1:$1",
	}))
}

func ptr(f float64) *float64 { return &f }

func (b *book) registerPageSetup() {
	const sh = SheetRegister
	a4, landscape, scale, order := 9, "landscape", uint(70), "overThenDown"
	fit := false
	b.setErr(b.f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}))
	b.setErr(b.f.SetPageLayout(sh, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &landscape, AdjustTo: &scale, PageOrder: &order,
	}))
	b.setErr(b.f.SetPageMargins(sh, &excelize.PageLayoutMarginsOptions{
		Left: ptr(0.4), Right: ptr(0.4), Top: ptr(0.5), Bottom: ptr(0.5),
	}))
	b.setErr(b.f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", Scope: sh, RefersTo: "'" + sh + "'!$A:$B,'" + sh + "'!$1:$1",
	}))
	b.setErr(b.f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Area", Scope: sh,
		RefersTo: "'" + sh + "'!$A$1:$" + colName(firstAnalysisCol) + "$" + strconv.Itoa(lastRowOf(len(b.rows))),
	}))
}
