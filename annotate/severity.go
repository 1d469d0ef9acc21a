package annotate

import (
	"strings"

	"github.com/threatmap/threatmap/stride"
)

// Severities lists the severity bands, highest first (stride.Severities
// as the picture's text).
var Severities = stride.SeverityNames()

// Marker returns the mark that tells severities apart without colour.
func Marker(sev string) string {
	switch stride.Severity(sev) {
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
func normSeverity[S ~string](s S) string {
	v, _ := stride.ParseSeverity(string(s))
	return string(v)
}

// highest returns the higher of two severities.
func highest(a, b string) string {
	return string(stride.MaxSeverity(stride.Severity(a), stride.Severity(b)))
}

// residual is a threat's residual severity, or its inherent one when the
// residual is not set.
func residual(t *stride.Threat) string {
	if s := normSeverity(t.ResidualRisk); s != "" {
		return s
	}
	return normSeverity(t.Severity)
}
