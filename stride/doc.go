// Package stride runs the STRIDE pass over an imported diagram: it
// classifies components and trust boundaries, reads protocols,
// authentication and data sensitivity from flow labels, numbers the entry
// points, applies the threat rule library, scores the threats, recommends
// mitigations and lists the open questions. Its result is a Report, which
// every exporter reads.
package stride
