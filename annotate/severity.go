package annotate

import (
	"strings"

	"github.com/threatmap/threatmap/stride"
)

// Severities lists the severity bands, highest first.
var Severities = []string{stride.SeverityCritical, stride.SeverityHigh, stride.SeverityMedium, stride.SeverityLow}

// Marker returns the mark that tells severities apart without colour.
func Marker(sev string) string {
	switch sev {
	case stride.SeverityCritical:
		return "!!"
	case stride.SeverityHigh:
		return "!"
	case stride.SeverityMedium:
		return "•"
	case stride.SeverityLow:
		return "·"
	}
	return ""
}

// ChipFontSize is the font size of severity chips.
const ChipFontSize = 9.0

// ChipText is what a severity chip says: marker and name ("!! CRITICAL").
func ChipText(sev string) string {
	return strings.TrimSpace(Marker(sev) + " " + strings.ToUpper(sev))
}

// normSeverity maps any casing of a severity name to its canonical form.
func normSeverity(s string) string {
	for _, v := range Severities {
		if len(s) == len(v) && (s == v || equalFold(s, v)) {
			return v
		}
	}
	return ""
}

func equalFold(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}

// highest returns the higher of two severities.
func highest(a, b string) string {
	if stride.SeverityRank(b) > stride.SeverityRank(a) {
		return b
	}
	return a
}

// residual is a threat's residual severity, or its inherent one when the
// residual is not set.
func residual(t *stride.Threat) string {
	if s := normSeverity(t.ResidualRisk); s != "" {
		return s
	}
	return normSeverity(t.Severity)
}
