package annotate

import (
	"strings"

	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
)

// ChipText is what a severity chip says: marker and name ("!! CRITICAL").
func ChipText(sev string) string {
	return strings.TrimSpace(picture.Marker(sev) + " " + strings.ToUpper(sev))
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
