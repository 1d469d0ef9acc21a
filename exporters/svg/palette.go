package svg

import "github.com/threatmap/threatmap/stride"

// sevStyle is how a component of one severity is drawn: border, fill,
// chip colours and border width.
type sevStyle struct {
	stroke, fill, chip, chipText string
	width                        float64
}

// sevStyles use the Okabe-Ito colour-blind-safe palette, critical darkened
// so that it stays darker than high in greyscale; there the severities are
// also told apart by the chip's marker and name, the border width and, for
// critical, a double border.
var sevStyles = map[string]sevStyle{
	string(stride.SeverityCritical): {"#B8420A", "#FBE3D5", "#8C2D04", "#FFFFFF", 4},
	string(stride.SeverityHigh):     {"#E69F00", "#FDF1D8", "#E69F00", "#000000", 3},
	string(stride.SeverityMedium):   {"#B8A200", "#FBF8D8", "#F0E442", "#000000", 2.5},
	string(stride.SeverityLow):      {"#0072B2", "#E1EEF7", "#0072B2", "#FFFFFF", 2},
	"":                              {"#5A5A5A", "#FFFFFF", "#5A5A5A", "#FFFFFF", 1.4},
}

const (
	fontFamily  = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
	inkColour   = "#1F2933"
	mutedColour = "#5B6770"
	flowColour  = "#4A4F55"
	boundaryInk = "#3E5366"
	// lineBoundaryInk draws trust boundaries drawn as lines, in the red
	// DFD convention.
	lineBoundaryInk = "#C0392B"
	badgeFill       = "#111111"
	tagFill         = "#5D2E8C" // sensitive-data tags
	labelBg         = "#FFFFFF"
	lineHeight      = 1.25
	boundaryDash    = "8 5"
	margin          = 24.0
	legendWidth     = 300.0
	legendGap       = 32.0
	titleHeight     = 78.0
	chipRadius      = 8.0
	arrowLen        = 10.0
	arrowHalfWide   = 4.5
)

// boundaryFills tint nested boundaries of unknown trust a little darker
// at each level.
var boundaryFills = []string{"#F6F8FA", "#EDF2F6", "#E4ECF2", "#DBE5ED"}

// trustStyles colour boundaries by trust level, 0 (untrusted) to 4: a
// pale fill and a darker border of one hue per level (red, orange, blue,
// purple, green: distinct for the common colour-vision deficiencies by
// lightness as well as hue); the caption names the level in words too.
var trustStyles = []struct{ fill, stroke string }{
	{"#FFFFFF", "#B2182B"},
	{"#FFF4E5", "#B35806"},
	{"#EEF4FB", "#2166AC"},
	{"#F3EEF8", "#542788"},
	{"#EAF5EE", "#1B7837"},
}

// boundaryStyle is the fill and border of a boundary: by trust level when
// known, else by nesting depth.
func boundaryStyle(level, depth int) (fill, stroke string) {
	if level >= 0 && level < len(trustStyles) {
		return trustStyles[level].fill, trustStyles[level].stroke
	}
	return boundaryFills[(max(depth, 1)-1)%len(boundaryFills)], boundaryInk
}

// sevWidth is a component's border width: its band's, scaled by how its
// score ranks among the picture's (0.8x for the lowest to 1.3x for the
// highest), so that the riskiest stand out within a band.
func sevWidth(st sevStyle, score int, emphasis float64) float64 {
	if score == 0 {
		return st.width
	}
	return st.width * (0.8 + 0.5*emphasis)
}

func sevClass(sev string) string {
	switch stride.Severity(sev) {
	case stride.SeverityCritical:
		return "tm-sev-critical"
	case stride.SeverityHigh:
		return "tm-sev-high"
	case stride.SeverityMedium:
		return "tm-sev-medium"
	case stride.SeverityLow:
		return "tm-sev-low"
	}
	return "tm-sev-none"
}
