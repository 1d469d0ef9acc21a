package svg

import "github.com/threatmap/threatmap/stride"

// sevStyle is how a component of one severity is drawn: border, fill,
// chip colours and border width.
type sevStyle struct {
	stroke, fill, chip, chipText string
	width                        float64
}

// sevStyles use the Okabe-Ito colour-blind-safe palette; in greyscale the
// severities are told apart by the chip's marker and name and by the
// border width.
var sevStyles = map[string]sevStyle{
	string(stride.SeverityCritical): {"#D55E00", "#FBE3D5", "#D55E00", "#FFFFFF", 4},
	string(stride.SeverityHigh):     {"#E69F00", "#FDF1D8", "#E69F00", "#000000", 3},
	string(stride.SeverityMedium):   {"#B8A200", "#FBF8D8", "#F0E442", "#000000", 2.5},
	string(stride.SeverityLow):      {"#0072B2", "#E1EEF7", "#0072B2", "#FFFFFF", 2},
	"":                              {"#5A5A5A", "#FFFFFF", "#5A5A5A", "#FFFFFF", 1.4},
}

const (
	fontFamily    = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
	inkColour     = "#1F2933"
	mutedColour   = "#5B6770"
	flowColour    = "#4A4F55"
	boundaryInk   = "#3E5366"
	badgeFill     = "#111111"
	tagFill       = "#5D2E8C" // sensitive-data tags
	labelBg       = "#FFFFFF"
	lineHeight    = 1.25
	boundaryDash  = "8 5"
	margin        = 24.0
	legendWidth   = 300.0
	legendGap     = 32.0
	titleHeight   = 78.0
	chipRadius    = 8.0
	arrowLen      = 10.0
	arrowHalfWide = 4.5
)

// boundaryFills tint nested boundaries a little darker at each level.
var boundaryFills = []string{"#F6F8FA", "#EDF2F6", "#E4ECF2", "#DBE5ED"}

// untrustedFill marks trust level 0 (the internet).
const untrustedFill = "#FFFFFF"

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
