// Package markdown writes a stride.Report as the Markdown threat model a
// team reviews: scope, component inventory, trust boundary map, entry
// points, the data-flow diagram as a Mermaid flowchart (boundaries as
// subgraphs, entry points numbered, high-risk components styled), the
// STRIDE threat matrix, prioritised mitigations, a mitigation roadmap, open
// questions and the questions to settle in review.
//
// Text from the diagram is escaped for its context (paragraph, table cell,
// Mermaid label) so that hostile labels cannot inject HTML, Markdown
// structure or Mermaid syntax. Output is deterministic.
package markdown
