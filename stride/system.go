package stride

import (
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// This file gives rules a view of the whole diagram: which components play
// the roles a mature design shows (a secrets store, an identity store, a
// build pipeline, an audit log) and what the rest of the diagram implies
// it needs (components holding credentials, people signing in, regulated
// data). Every Env carries these facts; "system" rules run once on the
// system's own Env and raise model-level threats ("no secrets store while
// five services hold credentials").

// SystemElementName is the element name of a threat on the system as a
// whole; its ElementRef has Type "system" and no ID.
const SystemElementName = "the system"

// systemFacts are the diagram-wide facts of Env.
type systemFacts struct {
	secrets, identity, build, audit, holders, signIn, admin []string
	regulated                                               set
	services                                                int
	text                                                    *Env // the rendered texts, set by render
}

// gatherSystem reads the diagram-wide facts from the classified
// components and their flows.
func (a *analysis) gatherSystem() systemFacts {
	var s systemFacts
	s.regulated = set{}
	for _, ci := range a.comps {
		role := catalog.Role("")
		if ci.tech != nil {
			role = ci.tech.Role
		}
		switch {
		case ci.tags[TagSecrets] || role == catalog.RoleSecretsManager || role == catalog.RoleKeyManagement:
			s.secrets = append(s.secrets, ci.label)
		case role == catalog.RoleIdentityProvider || role == catalog.RoleDirectory || ci.tags[TagIdentity] || ci.tags[TagDirectory] ||
			(ci.tags[TagAuth] && ci.kind != graph.KindDataStore && !ci.tags[TagProxy]):
			s.identity = append(s.identity, ci.label)
		case role == catalog.RoleCICD || role == catalog.RoleSourceRepository || role == catalog.RoleArtifactRegistry:
			s.build = append(s.build, ci.label)
		case ci.tags[TagLog] || role == catalog.RoleLogging || role == catalog.RoleSIEM:
			s.audit = append(s.audit, ci.label)
		}
		if ci.tags[TagAdmin] || (ci.person != nil && ci.person.Privileged) {
			s.admin = append(s.admin, ci.label)
		}
		if ci.human() && sendsInbound(ci) {
			s.signIn = append(s.signIn, ci.label)
		}
		for c := range ci.sens {
			if c == DataPHI || c == DataPCI || c == DataPII || c == DataFinancial {
				s.regulated.add(c)
			}
		}
		if ownSoftware(ci) {
			s.services++
		}
		if ci.kind == graph.KindProcess && !ci.tags[TagProxy] {
			if holdsCredential(ci) {
				s.holders = append(s.holders, ci.label)
			}
		}
	}
	return s
}

// sendsInbound reports whether an external entity sends a flow into a
// more trusted zone (or, without boundaries, any flow at all).
func sendsInbound(ci *compInfo) bool {
	for _, fi := range ci.out {
		if fi.dir == DirInbound || len(fi.crosses) == 0 && fi.dst.trust > ci.trust {
			return true
		}
	}
	return false
}

// holdsCredential reports whether a process must keep a credential to do
// its work: a static key or password for a receiver, a connection to a
// store that is not authenticated by its platform identity (IAM, mTLS,
// Kerberos), or a call to a third-party service.
func holdsCredential(ci *compInfo) bool {
	for _, fi := range ci.out {
		switch fi.facts.Authenticated {
		case "api-key", "basic", "hmac":
			return true
		case "iam", "mtls", "kerberos":
			continue
		}
		d := fi.dst
		if d.kind == graph.KindDataStore && (d.tags[TagDB] || d.tags[TagCache] || d.tags[TagQueue] || d.tags[TagDirectory]) {
			return true
		}
		if d.kind == graph.KindExternal && d.tags[TagSaaS] {
			return true
		}
	}
	return false
}

// fill writes the facts into e. The texts are rendered once (render)
// and copied into every Env: rendering them per element made the pass
// quadratic (1.6 of 2.5 s of BenchmarkAnalyze2000, sorting the same
// system-wide name lists once per component and flow).
func (s *systemFacts) fill(e *Env) {
	if s.text == nil {
		s.render()
	}
	t := s.text
	e.SecretsStores, e.IdentityStores = t.SecretsStores, t.IdentityStores
	e.BuildPipelines, e.AuditLogs = t.BuildPipelines, t.AuditLogs
	e.CredentialHolders, e.SignInPeople = t.CredentialHolders, t.SignInPeople
	e.AdminPaths = t.AdminPaths
	e.RegulatedData = t.RegulatedData
	e.Services = s.services
}

// render renders the facts' texts into s.text.
func (s *systemFacts) render() {
	t := &Env{}
	t.SecretsStores, t.IdentityStores = joinNames(s.secrets), joinNames(s.identity)
	t.BuildPipelines, t.AuditLogs = joinNames(s.build), joinNames(s.audit)
	t.CredentialHolders, t.SignInPeople = joinNames(s.holders), joinNames(s.signIn)
	t.AdminPaths = joinNames(s.admin)
	// dataText says "its data" for no class; RegulatedData is "" then, so
	// that a rule can test for it.
	if len(s.regulated) > 0 {
		t.RegulatedData = dataText(s.regulated.sorted())
	}
	s.text = t
}

// systemEnv is the Env of the system as a whole: its facts, the data
// classes anywhere in it, and whether it has trust boundaries.
func (a *analysis) systemEnv(s *systemFacts) *Env {
	e := &Env{Element: AppliesSystem, Name: SystemElementName, Kind: AppliesSystem, Source: noEndpoint, Target: noEndpoint,
		Confident: true, Attacker: "an attacker", Zone: "the system"}
	all := set{}
	for _, ci := range a.comps {
		for c := range ci.sens {
			all.add(c)
		}
		if ci.kind == graph.KindProcess {
			e.InFlows += len(ci.in)
			e.OutFlows += len(ci.out)
		}
	}
	fillSens(e, all.sorted())
	e.Crossing = len(a.eps) > 0
	s.fill(e)
	return e
}
