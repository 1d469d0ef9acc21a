// Package catalog is threatmap's technology catalog: a data file
// (technologies.yaml, compiled into techs_gen.go by go generate, so that a
// run reads no YAML) naming a few hundred
// technologies that appear on architecture diagrams, with the facts about
// each that change its threats, and a matcher that recognises them on a
// diagram element.
//
// Each entry (a Tech) has an id, a display name, the words and phrases that
// name it on a label (Aliases), the draw.io icon styles that draw it
// (Styles), its kind (external, process or datastore), its role (database,
// cache, identity provider, orchestrator control plane, ...; see Roles),
// whether a cloud provider runs it (Managed), typed facts (authentication
// by default, transport encryption by default, holds secrets, privileged,
// runs code supplied by others, ...), the data classes its presence implies,
// the controls it provides to what sits behind it, its own security
// controls to name in mitigations (Hardening), its usual protocols and
// ports, and CWE/CAPEC references where a fact points at a known weakness.
//
// Typical use, from the analysis:
//
//	m := catalog.Default() // parsed and indexed when generated
//	if match, ok := m.Match(catalog.InputOf(c)); ok { // c is a *graph.Component
//		_ = match.Tech.Role   // catalog.RoleDatabase, ...
//		_ = match.Tech.Facts  // AuthDefault, HoldsSecrets, ...
//		_ = match.Reason      // "label word 'postgres'"
//	}
//
// A generic entry ("message queue", "email service", "load balancer")
// names a category, not a product: its role is a good hint, but its kind
// and provider are defaults, and the diagram's own shape and words should
// win over them (an "Email Service" drawn as a process is the system's own
// service that sends email, not the external provider).
//
// Matching reads, strongest evidence first: an explicit technology
// attribute (technology, tech, c4Technology; a Mermaid icon such as
// "logos:postgresql"), a C4 technology in the label
// ("[Container: PostgreSQL]"), draw.io style names (shape=, resIcon=,
// prIcon=, grIcon=, image=img/lib/...), then the label's words. Aliases match
// whole words, case-insensitively, never inside a word ("spring" does not
// contain "ring"); the longest phrase wins ("Kafka Connect" over "Kafka",
// "Azure SQL" over "SQL"), and a named product wins over a generic entry
// ("redis cache" is Redis, once). One exception to the last: a generic
// entry's head noun (Tech.Heads: "repo", "pipeline", "registry") that ends
// the label after a named technology says what the element is, and the
// technology only what it holds or builds ("TF-A repo" is a source
// repository, not the firmware). Every Match carries its reason. Matching
// is deterministic and allocation-light. The built-in catalog's entries
// and index are generated Go data (techs_gen.go: hash tables of strings
// and integers that the compiler lays out), so a run builds nothing before
// its first lookup; a catalog parsed from a file is indexed once.
package catalog
