package xlsx

import "github.com/xuri/excelize/v2"

// pageSetup makes a sheet print landscape on A4, one page wide; table
// sheets repeat their header row on each printed page. Table sheets get it
// before their first row, as a streamed sheet must.
func (b *book) pageSetup(sh string) {
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
