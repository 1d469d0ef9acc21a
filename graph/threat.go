package graph

// Threat is a threat recorded in the input itself: a threat-modelling
// tool's file (Threat Dragon, Open Threat Model) that already lists threats
// against its elements. Importers of such formats attach them to the
// component or flow they concern; the STRIDE pass leaves them alone and
// package stride/merge merges them with threatmap's own threats by element
// and title. Diagram formats (draw.io, Mermaid, DOT) never set them.
type Threat struct {
	// ID is the threat's identifier in its source ("" when it has none).
	ID    string
	Title string
	// Category is the STRIDE category name ("Spoofing", "Tampering",
	// "Repudiation", "Information disclosure", "Denial of service",
	// "Elevation of privilege") when the source names one, else the
	// source's own type text.
	Category string
	// Status is the source's status word as written ("Open",
	// "Mitigated", "NA", "exposed", ...).
	Status string
	// Severity is the source's severity word ("Critical", "High",
	// "Medium", "Low", "TBD", ...) or "" when it has none.
	Severity    string
	Description string
	// Mitigation is the mitigation text the source records ("" if none).
	Mitigation string
	// Score is the source's own score text, kept as written.
	Score string
	// Source names the format the threat came from ("threatdragon",
	// "otm").
	Source string
	Pos    Position
}
