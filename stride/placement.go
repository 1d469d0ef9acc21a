package stride

import (
	"sort"

	"github.com/threatmap/threatmap/graph"
)

// This file places what the diagram leaves outside every boundary, and
// draws the implicit system boundary. It runs between readFlows (which
// links flows to their ends) and the crossing and direction of each flow.
//
// A box drawn outside the boundaries is not "the internet" because of
// where it was drawn:
//
//   - people and third parties (external entities) are untrusted;
//   - provider-managed services (CloudWatch, S3, RDS, Route 53, Key
//     Vault, ...: the catalog's managed technologies) sit in their
//     provider's zone;
//   - other processes and stores belong to the system: internal, or
//     exposed (DMZ) when an untrusted component feeds them directly.
//
// Each placement raises an open question. Where that leaves external
// entities and the system's own components with no boundary between them
// (always so in a diagram that draws none), the analysis assumes the
// implicit boundary a reader would: between people and third parties and
// the system. It is stated as an assumption in the report.

// The implicit boundaries, as they appear in entry points and crossings:
// ImplicitBoundaryID between people and third parties and the system,
// ProviderBoundaryID around provider-managed services the system uses.
const (
	ImplicitBoundaryID = "threatmap:system"
	ProviderBoundaryID = "threatmap:provider"
)

// implicitBoundaries describes each implicit boundary.
var implicitBoundaries = map[string]struct {
	label, why, whyDrawn string
}{
	ImplicitBoundaryID: {"System boundary (implicit)",
		"the diagram draws no boundary between its people and third parties and the system; threatmap assumes one",
		"external entities and system components are drawn outside every boundary; threatmap assumes a boundary between them"},
	ProviderBoundaryID: {"Cloud provider (implicit)",
		"provider-managed services are drawn without a boundary; threatmap assumes one around them",
		"provider-managed services are drawn outside every boundary; threatmap assumes one around them"},
}

// placeOutsiders decides the zone of every component drawn outside all
// boundaries, now that its flows are known.
func (a *analysis) placeOutsiders() {
	for _, ci := range a.comps {
		if !ci.outside {
			continue
		}
		switch {
		case ci.kind == graph.KindExternal:
			ci.trust, ci.zone = TrustUntrusted, "outside the system"
			ci.placement = "an external entity outside every boundary is untrusted"
		case ci.clientApp != "":
			ci.trust, ci.zone = TrustUntrusted, "outside the system"
			ci.placement = "application code in the user's browser runs where the user, not the system, is in control: untrusted"
		case ci.tech != nil && (ci.tech.Managed || ci.managedBy != ""):
			ci.provider = true
			ci.trust, ci.zone = TrustInternal, "provider-managed services"
			ci.placement = ci.tech.Name + " (" + ci.techReason + ") is run by " + firstNonEmpty(ci.managedBy, "its provider") + ": placed in the provider's zone"
		default:
			if src := untrustedFeeder(ci); src != nil {
				ci.trust, ci.zone = TrustDMZ, "outside every boundary, exposed"
				ci.placement = "drawn outside every boundary and fed directly by " + src.label + ": treated as exposed (DMZ)"
			} else {
				ci.trust, ci.zone = TrustInternal, "outside every boundary"
				ci.placement = "drawn outside every boundary and fed only by the system: treated as internal"
			}
		}
		ci.applyTrustOverrides(a.cfg.component(ci.c))
	}
}

// untrustedFeeder returns the untrusted external entity that calls ci
// directly, if any.
func untrustedFeeder(ci *compInfo) *compInfo {
	for c := range ci.callsIn() {
		if s := c.caller; s.kind == graph.KindExternal && (s.outside || s.trust == TrustUntrusted) {
			return s
		}
	}
	return nil
}

// Sides of the implicit boundaries, for components drawn outside every
// boundary; components inside a drawn boundary are on none (sideDrawn):
// drawn boundaries decide their crossings.
const (
	sideDrawn = iota
	sidePeople
	sideSystem
	sideProvider
)

// implicitSide is which side of the implicit boundaries ci is on.
func (ci *compInfo) implicitSide() int {
	switch {
	case !ci.outside:
		return sideDrawn
	case ci.kind == graph.KindExternal, ci.clientApp != "":
		return sidePeople
	case ci.provider:
		return sideProvider
	}
	return sideSystem
}

// crossFlows sets every flow's crossed boundaries and direction. A flow
// between two components drawn outside every boundary, on different sides
// of an implicit boundary, crosses it: people and third parties against
// everything else, the system's components against provider services.
func (a *analysis) crossFlows() {
	for _, fi := range a.flows {
		fi.crosses = a.d.FlowCrossings(fi.f)
		s, t := fi.src.implicitSide(), fi.dst.implicitSide()
		if len(fi.crosses) == 0 && s != sideDrawn && t != sideDrawn && s != t {
			id := ImplicitBoundaryID
			if s != sidePeople && t != sidePeople {
				id = ProviderBoundaryID
			}
			fi.crosses = []string{id}
			a.useImplicitBoundary(id)
		}
		fi.dir = direction(fi)
	}
}

// useImplicitBoundary registers an implicit boundary once.
func (a *analysis) useImplicitBoundary(id string) {
	if a.bounds[id] != nil {
		return
	}
	ib := implicitBoundaries[id]
	why := ib.why
	if len(a.d.Boundaries) > 0 {
		why = ib.whyDrawn
	}
	a.bounds[id] = &boundaryInfo{b: &graph.Boundary{ID: id, Label: ib.label}, trust: TrustInternal, reason: why}
	a.assumptions = append(a.assumptions, "Implicit trust boundary \""+ib.label+"\": "+why+". Flows across it are entry points.")
}

// implicitMembers lists the components inside implicit boundary id.
func (a *analysis) implicitMembers(id string) []string {
	side := sideSystem
	if id == ProviderBoundaryID {
		side = sideProvider
	}
	members := []string{}
	for _, ci := range a.comps {
		if ci.implicitSide() == side {
			members = append(members, ci.c.ID)
		}
	}
	sort.Strings(members)
	return members
}
