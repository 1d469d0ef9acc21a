// Package stride runs the STRIDE pass over an imported diagram: it
// classifies components and trust boundaries, reads protocols,
// authentication and data sensitivity from flow labels, numbers the entry
// points, applies the threat rule library, scores the threats, recommends
// mitigations and lists the open questions. Its result is a Report, which
// every exporter reads.
//
// Every decision carries its reason (Component.KindReason,
// Boundary.TrustReason, Flow.EncryptedReason, Threat.Reasons) and the
// result is deterministic: numbering and ordering depend on labels, kinds
// and trust levels, never on source IDs or input order, so one system drawn
// in draw.io, Mermaid and DOT gets the same entry points and threats.
//
// The rule library is data, not code: stride/rules/*.yaml, embedded in the
// binary. Conditions are expr-lang expressions over Env, compiled once;
// titles, descriptions and mitigations are text/template templates over
// the same Env (docs/rule-fields.md lists its fields). LoadRules layers
// extra rule files over the library (same id replaces, disabled: true
// removes). Config (threatmap.yaml) overrides kinds, trust levels,
// sensitivity and controls without editing the diagram. The package reads
// no files: callers pass rule files and configurations as bytes with a
// name for messages. docs/report-json.md documents the report.
package stride
