package drawio

import "github.com/threatmap/threatmap/internal/stencils"

// Unlabelled icons are named the way draw.io's own palettes name them
// ("Amazon RDS", "Amazon Route 53", "Pod", "Virtual Machine"), else from
// the stencil's or image file's own name ("mxgraph.cisco.routers.router"
// -> "Router"); never from the cell id. The titles and the naming live in
// internal/stencils, which the picture shares to caption icons.

// stencilKeys are the keys a style may be known by, most specific first
// (see stencils.Keys).
func stencilKeys(st style) []string {
	return stencils.Keys(st.get("shape"), st.get("resIcon"), st.get("prIcon"), st.get("image"))
}

// paletteTitle returns the display name of the stencil a style draws, and
// whether it comes from draw.io's palettes ("palette") or was made from
// the stencil's own name ("stencil"); "" when the style draws no stencil
// (a plain rectangle, an ellipse).
func paletteTitle(st style) (title, source string) {
	return stencils.Title(stencilKeys(st))
}
