// Package svg writes the annotated threat-model diagram as a standalone,
// self-contained SVG: trust boundaries as dashed boxes with their trust
// level, components shaped by kind and highlighted by their highest
// residual severity, flows with their labels and sensitive-data tags,
// numbered entry-point badges on the boundary lines, a legend and a title
// block.
//
// The output is safe to embed in review pages: every label is escaped text,
// there is no script, no foreignObject, no external reference (no href, no
// url(), no @import) and no event attribute. Elements carry stable ids and
// classes (tm-component, tm-flow, tm-boundary, tm-entry-point,
// tm-sev-critical ...) with <title> tooltips listing their threats. The
// output is deterministic.
package svg
