package xlsx

import "github.com/xuri/excelize/v2"

// pageSetup makes every sheet print landscape on A4, one page wide; table
// sheets repeat their header row on each printed page.
func (b *book) pageSetup() {
	a4, landscape, one, auto := 9, "landscape", 1, 0
	fit := true
	for _, sh := range SheetNames {
		tall := &auto
		if sh == SheetSummary || sh == SheetAbout {
			tall = &one
		}
		b.setErr(b.f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}))
		b.setErr(b.f.SetPageLayout(sh, &excelize.PageLayoutOptions{
			Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: tall,
		}))
		b.setErr(b.f.SetPageMargins(sh, &excelize.PageLayoutMarginsOptions{
			Left: ptr(0.4), Right: ptr(0.4), Top: ptr(0.5), Bottom: ptr(0.5),
		}))
		if sh == SheetSummary || sh == SheetAbout {
			continue
		}
		b.setErr(b.f.SetDefinedName(&excelize.DefinedName{
			Name: "_xlnm.Print_Titles", Scope: sh, RefersTo: "'" + sh + "'!$1:$1",
		}))
	}
}

func ptr(f float64) *float64 { return &f }
