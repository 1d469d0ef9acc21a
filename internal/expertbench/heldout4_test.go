package expertbench

import "testing"

// heldOut4Floors are the figures of the fourth held-out set
// (testdata/heldout4, built in session 9 from sources nobody working on the
// analysis had read: testdata/heldout4/SOURCES.md), measured at 84be5b4
// (main at the start of session 9) before any of that session's changes
// to the analysis merged. The rules of heldOutFloors apply: raise a floor
// only when the analysis improves for reasons found elsewhere, never from
// a threat in the set; never lower one without saying why in the commit.
//
// Measured at 84be5b4 on four systems, 191 expert threats: strict 56
// (108/191), lenient 98 (189/191), severity equal 14 (10/71), High+ as
// High+ 0 (0/41), mitigated 0 (0/71). No expert threat in the set is rated
// Low or Critical, so those two figures have no denominator (their floors
// are 0 and checked only once one has). Every rating and every "mitigated"
// comes from one system, Trusted Services' generic threat model, whose
// authors rate each threat by CVSS (Medium or High) and mark every one
// mitigated in place.
//
// Raised in session 10, after session 9's PERINT (S, R and E per
// interaction) and BIDI (two-way callers) merged: strict 56 -> 65
// (125/191), severity 14 -> 25 (18/71). Neither branch read this set (it
// was built in parallel with them), so these gains are independent.
//
// KINDS (session 10) takes strict to 71 (136/191); it was written from
// this set's defect list (wrong kinds: Producer/Consumer, CRDs, queue
// controllers), so that gain is not independent and the floor stays 65.
var heldOut4Floors = map[string]int{
	FigStrict:    65,
	FigLenient:   98,
	FigSeverity:  25,
	FigHigh:      0,
	FigLow:       0,
	FigCritical:  0,
	FigMitigated: 0,
}

// heldOut4MaxPerExpert is the ceiling of tool threats per expert threat on
// the fourth held-out set: 50 / 191 = 0.26 at 84be5b4, rounded up to a
// tenth. The set's lists are long (SLSA details 54 threats on a six-box
// figure), so the ratio says more about the lists than about focus.
//
// Raised to 0.4 in session 10 on merging BIDI and FWMSG: 63 / 191 = 0.33.
// The seven threats are trusted-services-generic's: the partitions family
// on the SPM (sender ID, shared buffer, exhaustion) and the two-way arrows
// read from their other ends.
const heldOut4MaxPerExpert = 0.4

// heldOut4MaxHighComponents is the ceiling of components rated High or
// Critical over the fourth held-out set: 1 of 43 at 84be5b4. It may not
// rise without a reason written here.
//
// Raised to 6 in session 10 on merging BIDI (two-way callers, trust frames):
// trusted-services-generic goes from 0 to 5 of 14. Every arrow in that
// figure is two-way, so Trusted Service 1 and 2 are now called by the
// normal world and by each other across TB1 to TB4 (forwarded client
// identity, Critical), and the two physically accessible devices behind
// TB5 are reached from the service (High). The authors rate 41 of the 71
// threats High, all on these flows, so High components here are not noise;
// the expert High+ figure (0/41) says the ratings still miss by threat.
//
// 7 on merging FWMSG (session 10): the SPM of trusted-services-generic is a
// partition manager that both trusted services and the normal world call.
//
// 8 on merging KINDS (session 10): in slsa-supply-chain "Producer" is now
// a person, so Source is called from outside and Build, which runs what
// Dependencies supply, is rated High for poisoned packages (T-SUP-09,
// the SLSA authors' "use compromised dependency").
const heldOut4MaxHighComponents = 8

// fourthHeldOut is testdata/heldout4. Its inputs record no threats of their
// own (all are DOT transcriptions of the authors' figures), so nothing is
// removed before the analysis.
var fourthHeldOut = heldOutSet{
	dir:          "heldout4",
	what:         "held-out 4 ",
	floors:       heldOut4Floors,
	maxPerExpert: heldOut4MaxPerExpert,
	maxHigh:      heldOut4MaxHighComponents,
	minSystems:   4,
	recorded:     0,
}

// TestHeldOut4Agreement scores threatmap on testdata/heldout4, the fourth
// held-out set, exactly as TestHeldOutAgreement scores the first, with its
// own floors and ceilings, and never mixes it into the other sets'
// figures. No authors' file had to be changed for this set (every diagram
// is a transcription: GraphML, SVG and PNG figures, which threatmap does
// not read), so it has no TestHeldOut3AuthorsFile counterpart.
func TestHeldOut4Agreement(t *testing.T) {
	runHeldOut(t, fourthHeldOut)
}
