package stride

import "github.com/threatmap/threatmap/graph"

// SchemaVersion is the version of the JSON report shape (docs/report-json.md).
// It changes only when a field is removed or changes meaning.
const SchemaVersion = "1.0"

// Report is the result of the STRIDE pass over one diagram. Every exporter
// (JSON, SVG, XLSX, Markdown) reads a Report; the JSON exporter writes it
// as is. Slices are in their documented deterministic order.
type Report struct {
	SchemaVersion string `json:"schema_version"`
	// Generator is "threatmap <version>".
	Generator string `json:"generator"`
	// System is the system name: from threatmap.yaml, the diagram title, or
	// the diagram/file name.
	System string `json:"system"`
	// Source describes the input file.
	Source Source `json:"source"`

	Components    []Component    `json:"components"`
	Boundaries    []Boundary     `json:"boundaries"`
	Flows         []Flow         `json:"flows"`
	EntryPoints   []EntryPoint   `json:"entry_points"`
	Threats       []Threat       `json:"threats"`
	OpenQuestions []OpenQuestion `json:"open_questions"`
	Notes         []string       `json:"notes,omitempty"`
	// Assumptions are what the analysis assumed that the diagram does not
	// state (an implicit system boundary); every document shows them.
	Assumptions []string `json:"assumptions,omitempty"`
	// OutOfScope lists the elements the author took out of the model, with
	// the reason and the threats not raised on them (scope.go); omitted
	// when there are none.
	OutOfScope []OutOfScope `json:"out_of_scope,omitempty"`
	Warnings   []string     `json:"warnings"`
	Summary    Summary      `json:"summary"`
	// Document is the document information from threatmap.yaml; nil
	// when none is given.
	Document *Document `json:"document,omitempty"`
	// Closed are threats of the baseline that no longer appear in the
	// diagram, kept with their history (status Closed); empty without a
	// baseline.
	Closed []Threat `json:"closed_threats,omitempty"`
	// Changes summarises the differences from the baseline; nil without one.
	Changes *Changes `json:"changes,omitempty"`

	// Diagram is the imported model the report was made from, for exporters
	// that draw it (geometry, shapes, styles). Not serialised.
	Diagram *graph.Diagram `json:"-"`
}

// Source names the analysed input.
type Source struct {
	File   string `json:"file"`
	Format string `json:"format"`
	// Diagram is the page or block name inside the file, "" if the file
	// holds one unnamed diagram.
	Diagram string `json:"diagram,omitempty"`
	SHA256  string `json:"sha256"`
}

// Component is a classified component.
type Component struct {
	ID         string `json:"id"`
	Label      string `json:"label"`
	Kind       string `json:"kind"` // external | process | datastore
	KindReason string `json:"kind_reason"`
	Shape      string `json:"shape,omitempty"`
	// Boundary is the innermost boundary ID, "" when outside all.
	Boundary string `json:"boundary"`
	// Sensitivity lists the data classes the component holds or handles
	// (PII, PHI, PCI, credentials, financial), sorted.
	Sensitivity []string          `json:"sensitivity"`
	Attributes  map[string]string `json:"attributes"`
	// Trust is the trust level of the component's zone (0..4, as
	// Boundary.Trust; 0 for a component outside every boundary) and
	// Zone the innermost boundary label ("the public internet" outside).
	Trust     int    `json:"trust"`
	TrustName string `json:"trust_name"`
	Zone      string `json:"zone"`
	// ZoneReason says why the component is in its zone: drawn inside a
	// boundary, or placed by the analysis when drawn outside every one.
	ZoneReason string `json:"zone_reason,omitempty"`
	// Technology is the catalog technology the component is ("PostgreSQL"),
	// with the evidence; Role the person's role or the technology's role
	// ("administrator", "database"), with the reason.
	Technology       string `json:"technology,omitempty"`
	TechnologyReason string `json:"technology_reason,omitempty"`
	Role             string `json:"role,omitempty"`
	RoleReason       string `json:"role_reason,omitempty"`
	// DataReasons says why the component holds each of its data classes:
	// read on the diagram, carried by a flow, or inferred.
	DataReasons map[string]string `json:"data_reasons,omitempty"`
	// Controls are the security controls the diagram or config shows on
	// the component (waf, encryption-at-rest, ...), and those its
	// technology builds in (catalog scope self or contained), sorted.
	Controls []string `json:"controls"`
	// MaxSeverity is the highest residual severity of the threats against
	// the component and its flows ("" when none). Drives SVG highlights.
	MaxSeverity Severity `json:"max_severity,omitempty"`
	Threats     []string `json:"threats"`
}

// Boundary is a trust boundary with its trust level.
type Boundary struct {
	ID     string `json:"id"`
	Label  string `json:"label"`
	Parent string `json:"parent"`
	// Trust is 0 (internet, untrusted) .. 4 (data tier, most trusted).
	Trust       int      `json:"trust"`
	TrustName   string   `json:"trust_name"` // untrusted | dmz | internal | restricted | data
	TrustReason string   `json:"trust_reason"`
	Members     []string `json:"members"`
	Inferred    bool     `json:"inferred,omitempty"`
	// Implicit marks the boundary the analysis assumed between people and
	// third parties and the system (ImplicitBoundaryID); it is not drawn.
	Implicit bool `json:"implicit,omitempty"`
}

// Flow is an analysed data flow.
type Flow struct {
	ID            string `json:"id"`
	Source        string `json:"source"`
	Target        string `json:"target"`
	Label         string `json:"label"`
	Bidirectional bool   `json:"bidirectional"`
	Protocol      string `json:"protocol"` // "" when unknown
	// Encrypted is "true", "false" or "unknown": unknown is not false.
	Encrypted string `json:"encrypted"`
	// EncryptedReason says where Encrypted came from.
	EncryptedReason string   `json:"encrypted_reason"`
	Authenticated   string   `json:"authenticated"` // jwt, oauth, saml, mtls, api-key, iam, hmac, kerberos, basic, none, unknown
	Sensitivity     []string `json:"sensitivity"`
	// DataReasons says why the flow carries the data classes read on
	// the flow itself (its label, attributes or description); classes
	// it carries from its ends have none.
	DataReasons map[string]string `json:"data_reasons,omitempty"`
	// Crosses lists the boundary IDs crossed (leaving innermost first,
	// then entering outermost first).
	Crosses    []string `json:"crosses"`
	EntryPoint string   `json:"entry_point"` // "EP-01" or ""
	// Direction is inbound, outbound or lateral for a crossing flow,
	// internal otherwise.
	Direction string `json:"direction"`
	// Controls are the controls the flow shows (tls, mtls,
	// authentication, jwt, ...), sorted.
	Controls   []string          `json:"controls"`
	Attributes map[string]string `json:"attributes"`
	Threats    []string          `json:"threats"`
}

// EntryPoint is a flow that crosses at least one trust boundary.
type EntryPoint struct {
	ID   string `json:"id"` // EP-01, EP-02, ...
	Flow string `json:"flow"`
	From string `json:"from"` // source component ID
	To   string `json:"to"`   // target component ID
	// Direction is "inbound" (less to more trusted), "outbound" or "lateral".
	Direction string `json:"direction"`
	// Boundaries are the crossed boundary IDs, as in Flow.Crosses.
	Boundaries []string `json:"boundaries"`
	Threats    []string `json:"threats"`
	// Name is "Source label → Target label"; Label the flow label.
	Name  string `json:"name"`
	Label string `json:"label"`
	// Fingerprint and Identity say what the entry point is, independently
	// of order (see Identity).
	Fingerprint string   `json:"fingerprint"`
	Identity    Identity `json:"identity"`
	// Change is new or unchanged relative to the baseline, "" without one.
	Change string `json:"change,omitempty"`
}

// ElementRef names a component or a flow.
type ElementRef struct {
	Type string `json:"type"` // component | flow | system (a model-level threat, no ID)
	ID   string `json:"id"`
}

// Mitigation is a recommended control.
type Mitigation struct {
	Control  string `json:"control"`
	Type     string `json:"type"`     // Preventive | Detective | Corrective
	Effort   string `json:"effort"`   // S | M | L
	Priority string `json:"priority"` // P1 .. P4
}

// Threat is one matched rule on one element.
type Threat struct {
	ID          string     `json:"id"` // T-001 ...
	Rule        string     `json:"rule"`
	Stride      string     `json:"stride"`   // S T R I D E
	Category    Category   `json:"category"` // Spoofing, Tampering, ...
	Element     ElementRef `json:"element"`
	ElementName string     `json:"element_name"` // component label or "A → B" for a flow
	// Elements lists every element of a threat that stands for the same
	// concern on several elements (Element is the first of them); nil for
	// a threat on one element.
	Elements []ElementRef `json:"elements,omitempty"`
	// ElementKeys are the identity keys of Elements, in the same order
	// ("component:db", "flow:svc>db"; see Identity.Element): what a
	// baseline compares, whatever format either side came from.
	ElementKeys []string `json:"element_keys,omitempty"`
	// Members give the elements' own ratings where they differ from the
	// threat's. For one rule on sibling elements (Rule is every member's
	// rule), they list the elements whose outcome (residual band, status,
	// existing controls) differs, such as a flow already on TLS folded
	// with one in clear; an element of Elements not listed is rated as the
	// threat. When the threat folds several rules of one concern (a member
	// names another rule), they list every element with every rule raised
	// on it. Nil when every element is rated alike.
	Members     []Member `json:"members,omitempty"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Likelihood  int      `json:"likelihood"`
	Impact      int      `json:"impact"`
	Score       int      `json:"score"`
	Severity    Severity `json:"severity"` // Critical | High | Medium | Low
	// ExistingControls are controls the diagram shows that mitigate it.
	ExistingControls   []string `json:"existing_controls"`
	ResidualLikelihood int      `json:"residual_likelihood"`
	ResidualScore      int      `json:"residual_score"`
	// ResidualRisk is the severity band after existing controls.
	ResidualRisk Severity `json:"residual_risk"`
	// Status is StatusUnmitigated, StatusPartial or StatusMitigated as the
	// existing controls leave it; an owner's decision (Tracking.Status) or
	// the configuration can make it Accepted or Transferred.
	Status string `json:"status"`
	// Controls are the existing controls with what each does to the
	// threat and where it comes from (the diagram, the configuration or
	// the technology catalog), in the order of ExistingControls.
	Controls    []CreditedControl `json:"controls"`
	Mitigations []Mitigation      `json:"mitigations"`
	// MitigatedIf lists the controls (ids, as in ExistingControls) the
	// element does not show that would each make the threat Mitigated
	// with a Low residual risk if it were in place: what a reviewer can
	// check for, and state in the diagram or in threatmap.yaml
	// (components or flows: controls) when it exists. Empty for a threat
	// the analysis already lists Mitigated.
	MitigatedIf []string `json:"mitigated_if,omitempty"`
	EntryPoints []string `json:"entry_points"`
	// Reasons explains why the rule matched (facts it used).
	Reasons []string `json:"reasons,omitempty"`
	// Scoring says where Likelihood and Impact come from: the asset at
	// stake, who can reach it, the authentication on the path and the
	// skill the attack needs.
	Scoring *Scoring `json:"scoring,omitempty"`
	// Refs are the rule's ids in other catalogues (CWE, CAPEC, ASVS,
	// Threagile, pytm); nil when it has none.
	Refs *Refs `json:"refs,omitempty"`
	// ResidualImpact is the impact after existing controls (the impact
	// unless an owner changed it in the register).
	ResidualImpact int `json:"residual_impact"`
	// Fingerprint is the stable identity of the threat (rule and element,
	// see Identity), kept across runs through a baseline.
	Fingerprint string   `json:"fingerprint"`
	Identity    Identity `json:"identity"`
	// Tracking is what people decided about the threat, carried over from
	// the baseline; nil when nothing was decided.
	Tracking *Tracking `json:"tracking,omitempty"`
	// Analysis keeps what the analysis derived when an owner's override
	// (Tracking) replaced it; nil when nothing was overridden.
	Analysis *Assessment `json:"analysis,omitempty"`
	// Change is new, changed, unchanged or closed relative to the
	// baseline, "" without one.
	Change string `json:"change,omitempty"`
}

// OpenQuestion is something the diagram leaves unsaid that changes the model.
type OpenQuestion struct {
	ID       string     `json:"id"` // OQ-1 ...
	Element  ElementRef `json:"element"`
	Question string     `json:"question"`
	// Impact says what the answer changes; Threats lists affected threats.
	Impact  string   `json:"impact"`
	Threats []string `json:"threats"`
}

// Summary counts threats.
type Summary struct {
	Components  int              `json:"components"`
	Flows       int              `json:"flows"`
	Boundaries  int              `json:"boundaries"`
	EntryPoints int              `json:"entry_points"`
	Threats     int              `json:"threats"`
	BySeverity  map[Severity]int `json:"by_severity"` // residual severity
	ByCategory  map[Category]int `json:"by_category"`
}
