// Package graph is threatmap's format-neutral model of an architecture
// diagram: components, data flows between them, nested trust boundaries,
// free-text notes, source positions and import warnings.
//
// Every importer produces a *Diagram and nothing downstream of the importers
// knows which file format a diagram came from. The package also answers the
// structural questions the STRIDE pass asks: which boundaries enclose a
// component (BoundaryPath) and which boundaries a flow crosses (Crossings).
package graph
