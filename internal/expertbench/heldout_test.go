package expertbench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/testcorpus"
	"github.com/threatmap/threatmap/stride"
)

// heldOutFloors are the held-out figures measured on 2026-11-30 (session
// 6), before anyone read the held-out lists to change the analysis: a
// change that lowers one fails TestHeldOutAgreement. They are kept apart
// from floors (bench_test.go) on purpose: the tuned benchmark's rules were
// partly written after reading its expert lists, these systems were not
// looked at by anyone writing rules, and mixing them would hide the gap
// between the two (docs/accuracy.md, "Held-out check (session 6)").
//
// Raise a floor only when the analysis improves for reasons found
// elsewhere (a mechanism fixed on the tuned benchmark, a user report),
// never by writing a rule from a held-out threat; never lower one
// without saying why in the commit.
//
// Measured at a8eb8f7 (main at the start of session 6) on seven systems,
// 106 expert threats: strict 89 (95/106), lenient 90 (96/106), severity
// equal 19 (18/94), High+ as High+ 22 (11/49), Low as Medium- 52 (9/17),
// Critical as Critical 0 (0/1), mitigated 9 (2/22). The tuned benchmark at
// the same commit: 87, 99, 37, 82, 66, 60, 85.
//
// Lowered in session 6 (GEN): High+ as High+ 22 -> 20. E-PRC-01 no longer
// fires on a component nothing in front of it calls (a client, a host fed
// by a key store and people); one held-out expert High had been matched by
// that false-premise Critical and is now matched by the baseline Low
// (docs/accuracy.md, "Session 6: GEN").
//
// Raised in session 7 (SCORE): severity equal 19 -> 21, Low as Medium-
// 52 -> 64 (on main after IMP's importer fixes). Defects 1 to 3 of the held-out check (impact with no data
// class drawn, flow threats colouring both ends, E-PRC-01 on third
// parties and devices, managed edge floods) were fixed on diagrams of our
// own (stride/severity_test.go); the defects were found on the held-out
// output, so these figures are no longer independent for those mechanisms
// (docs/accuracy.md, "Session 7: SCORE").
//
// Raised in session 7 (ML): severity equal 21 -> 27. The ML family now
// names the model, its data and its tools as assets (defects 9 and 10,
// fixed on diagrams of our own, stride/mlread_test.go), so expert threats
// on them are matched by rules rated Medium where the baseline said Low.
// Raised in session 7 (WORDS): severity equal 27 -> 29, High+ as High+
// 20 -> 22, Low as Medium- 64 -> 70. "HTTP GET" is read as the request
// method, not cleartext (threat-composer's expert-Low tampering on its CDN
// hop is no longer a High cleartext threat), and a flow importing
// third-party libraries raises T-SUP-09, which stands for huskyai's
// expert-High "poisoned third-party library" (docs/accuracy.md, "Session
// 7: WORDS"). Found through defects 6 and 8 of the held-out output, so not
// independent for those mechanisms either.
//
// Lowered in session 8 (DFD-scope): strict 89 -> 88. What an author marks
// out of scope now raises no threats of its own (as Threat Dragon,
// IriusRisk and Threagile treat it). The Threat Dragon demo's authors mark
// "Web Application Config" outOfScope yet record a threat on it, which
// the tool no longer matches; High/Critical components fall 39 -> 37, and
// severity equal rises 29 -> 30 and High+ as High+ 22 -> 24 (floors
// raised to match).
//
// Lowered in session 9 (SCORE): severity equal 31 -> 29, while High+ as
// High+ rises 24 -> 28. An arrow drawn to a frame now delivers untrusted
// input to the processes inside it (stride/propagate.go, boxMembers;
// TestInputToFrameReachesItsContents): the chatbot's Agents/Tools, inside
// the frame the API Gateway calls, rate excessive agency (E-ML-08) High,
// as the experts do twice (22, 24-E), but the same experts rate four
// other excessive-agency threats on that element Medium (6, 19, 20, 21),
// and one rule on one element has one rating.
//
// Raised in session 9 (SCORE): severity equal 29 -> 30, High+ as High+
// 28 -> 30. E-BASE-PRC is likelier (+2) on a process whose administration
// port answers the internet (TestInternetAdminPort): Husky AI's bastion,
// reached over SSH from the internet, rates a flaw in it High, as its
// experts do.
var heldOutFloors = map[string]int{
	FigStrict:    88,
	FigLenient:   90,
	FigSeverity:  30,
	FigHigh:      30,
	FigLow:       70,
	FigCritical:  0,
	FigMitigated: 9,
}

// heldOutMaxPerExpert is the held-out ceiling of tool threats per expert
// threat: 228 / 106 = 2.15 at a8eb8f7, 171 / 106 = 1.61 once one concern
// folds into one threat (session 6, FOLD), rounded up to a tenth. The
// Threat Dragon demo models record few threats (one on the 15-component
// wallet), so this ratio says more about the lists than about focus.
//
// Raised in session 7 (ML) from 1.7 to 1.8: 177 / 106 = 1.67 on main
// before the branch (8e8d59b), 186 / 106 = 1.75 after. The nine threats are the ML
// family's on the two ML systems (Husky AI +6: the model in its two
// stores copied or replaced, the training images poisoned, the notebook
// tampered with, perturbed inputs and extraction through the served
// model; the chatbot +3: the agents' excessive agency, poisoned tuning
// data, the model budget exhausted), each on an element where the experts
// wrote a threat of that category; they are the concerns issue 14 item 4
// asks for and the experts raise (severity equal 21% -> 27%). Husky AI is
// at 3.0 tool threats per expert threat, the bound per system.
// Raised to 1.9 in session 8 (DATA): data classes read from descriptions
// ("Transfer sensitive data ...") and assumed user records on the
// application's own stores add disclosure and object-level authorisation
// threats (195 threats, 1.84), and severity equal rises 30 -> 31.
//
// Raised in session 8 (THIRD) from 1.8 to 1.9: 190 / 106 = 1.79 on main
// before the branch (ac65463), 196 / 106 = 1.85 after. The six threats are
// the families issue 14 item 4 and the THIRD brief ask for, each once per
// system (folded): look-alike domains and dangling DNS of a web front end
// people reach (S-DOM-01, two systems), a modified mobile client's requests
// acted on by the server (T-CLI-01, two systems), and the outage of a
// hosting provider the system depends on and the takeover of the
// system's account there (D-TPY-01, I-TPY-02, one system). Written from
// the rule's own examples and the brief, not from the held-out lists;
// every set stays well under issue 14's bound of 3.
//
// Raised to 2.0 in session 9 (PHYS): 202 / 106 = 1.91. The two threats are
// the IoT device's as a physical target (D-PHY-01 stolen or broken,
// T-PHY-02 opened), written from the brief and diagrams of our own.
const heldOutMaxPerExpert = 2.0

// heldOutMaxHighComponents is the ceiling of components rated High or
// Critical over all held-out systems (a component's max_severity, as in
// TestHighRiskIsFocused): 50 of 78 at a8eb8f7, where issue 14 asks for at
// most half; 50 of 77 once the Threat Dragon and DOT importers attach
// more arrow ends (session 7, IMP); 41 of 77 once a flow threat colours
// one end and managed edge floods are not rated as server outages
// (session 7, SCORE). 39 of 77 with the word readings of session 7 (WORDS: the HTTP method,
// guardrails, AI services). It may not rise.
//
// Raised to 40 in session 10 on merging BIDI: a relay carries its caller's
// trust (callers.go relayedFrom), so one more threat-composer-genai
// component behind a relay of internet input is rated High (the BIDI
// report measured 38 -> 39 on its own base; PERINT and SCORE had already
// taken the set to 39).
const heldOutMaxHighComponents = 40

// minHeldOut guards against a held-out set that quietly shrinks.
const minHeldOut = 7

// heldOutRecorded is the number of threats the held-out inputs record
// themselves, as imported: the Threat Dragon models' own threats, the
// demo's 14 (its "Web Request" arrow, whose source end lies 10 px outside
// the Browser box, is attached to it since session 7: it was skipped
// before, and its threat with it) and 4, 2 and 1. If it changes, an importer began or stopped reading
// them, and SOURCES.md's account of what the analysis can see must be
// checked again.
const heldOutRecorded = 21

// analyseHeldOut is analyse with one difference: a Threat Dragon model
// carries its authors' threats (the answers), which the importer keeps as
// recorded threats on the elements. stride.Analyze does not read them
// (only `threatmap analyze`'s merge step folds them into the report), but
// they are removed from the imported model before the analysis all the
// same, so that no later change can let the tool read the answers. It
// returns how many recorded threats it removed.
func analyseHeldOut(s *System) (*stride.Report, int, error) {
	d, err := importOne(s)
	if err != nil {
		return nil, 0, err
	}
	removed := stripRecorded(d)
	rep, err := stride.Analyze(d, stride.Options{})
	return rep, removed, err
}

// stripRecorded removes the threats recorded in the input from every
// component and flow of d and returns how many there were.
func stripRecorded(d *graph.Diagram) int {
	n := 0
	for _, c := range d.Components {
		n += len(c.Threats)
		c.Threats = nil
	}
	for _, f := range d.Flows {
		n += len(f.Threats)
		f.Threats = nil
	}
	return n
}

// heldOutSet is one held-out set and the limits it is checked against.
type heldOutSet struct {
	// dir is the set's folder under testdata; what names it in messages.
	dir, what string
	// floors are the figures' floors, maxPerExpert the ceiling of tool
	// threats per expert threat.
	floors       map[string]int
	maxPerExpert float64
	// maxHigh is the ceiling of components rated High or Critical over
	// the whole set.
	maxHigh int
	// minSystems guards against a set that quietly shrinks.
	minSystems int
	// recorded is the number of threats the set's inputs record
	// themselves (removed before the analysis).
	recorded int
}

// firstHeldOut is testdata/heldout, read by session 6.
var firstHeldOut = heldOutSet{
	dir:          "heldout",
	what:         "held-out ",
	floors:       heldOutFloors,
	maxPerExpert: heldOutMaxPerExpert,
	maxHigh:      heldOutMaxHighComponents,
	minSystems:   minHeldOut,
	recorded:     heldOutRecorded,
}

// TestHeldOutAgreement scores threatmap on testdata/heldout: expert threat
// models nobody working on the analysis had read when they were added
// (testdata/heldout/SOURCES.md). It prints the same table as
// TestExpertAgreement, for these systems only, and fails when a figure
// falls below heldOutFloors.
func TestHeldOutAgreement(t *testing.T) {
	runHeldOut(t, firstHeldOut)
}

// runHeldOut scores threatmap on the held-out set hs as TestExpertAgreement
// scores the tuned benchmark, prints the table, the misses and the focus
// figure, and fails when a figure falls below its floor or a ceiling is
// passed.
func runHeldOut(t *testing.T, hs heldOutSet) {
	t.Helper()
	root := filepath.Join(testcorpus.RepoRoot(t), "testdata", hs.dir)
	systems, err := LoadAll(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(systems) < hs.minSystems {
		t.Fatalf("%d systems in %s, want at least %d", len(systems), root, hs.minSystems)
	}
	var (
		names   []string
		rows    []Counts
		total   Counts
		miss    strings.Builder
		removed int
		comps   int
		high    int
		focus   []string
	)
	for _, s := range systems {
		rep, n, err := analyseHeldOut(s)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		removed += n
		h := 0
		for _, c := range rep.Components {
			if c.MaxSeverity.Rank() >= stride.SeverityHigh.Rank() {
				h++
			}
		}
		comps += len(rep.Components)
		high += h
		focus = append(focus, fmt.Sprintf("%s %d/%d", s.Name, h, len(rep.Components)))
		res, err := Score(s, rep)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, s.Name)
		rows = append(rows, res.Counts)
		total.Add(res.Counts)
		fmt.Fprintf(&miss, "\n%s (%s, %s): %d of %d expert threats not matched on their element; %d import warnings\n",
			s.Name, s.Domain, s.Diagram, len(res.Misses), res.Experts, len(rep.Warnings))
		for _, w := range rep.Warnings {
			fmt.Fprintf(&miss, "  warning: %s\n", w)
		}
		for _, m := range res.Misses {
			fmt.Fprintf(&miss, "  %s\n", m)
		}
		if len(res.Rated) > 0 {
			fmt.Fprintf(&miss, "  rated differently (%d):\n", len(res.Rated))
			for _, r := range res.Rated {
				fmt.Fprintf(&miss, "    %s\n", r)
			}
		}
	}
	if removed != hs.recorded {
		t.Errorf("%d recorded threats removed from the %sinputs, want %d", removed, hs.what, hs.recorded)
	}
	t.Logf("%sagreement, %d systems, %d expert threats (%d recorded threats removed from the inputs before the analysis):\n%s",
		hs.what, len(systems), total.Experts, removed, Table(names, rows, total))
	if testing.Verbose() {
		t.Logf("%sexpert threats the tool misses on their element, and matched ones it rates differently:%s", hs.what, miss.String())
	}
	t.Logf("%scomponents rated High or Critical: %d of %d (%s)", hs.what, high, comps, strings.Join(focus, ", "))
	if high > hs.maxHigh {
		t.Errorf("%scomponents rated High or Critical rose to %d of %d, above today's %d", hs.what, high, comps, hs.maxHigh)
	}
	checkFloors(t, hs.what, total, hs.floors, hs.maxPerExpert)
	var next []string
	for _, f := range total.Figures() {
		if f.Den > 0 {
			next = append(next, fmt.Sprintf("%s=%d", f.Name, f.Percent()))
		}
	}
	t.Logf("%sfigures today: %s; per-expert %.2f", hs.what, strings.Join(next, ", "), total.PerExpert())
}

// TestHeldOutAnswersUnread checks what testdata/heldout/SOURCES.md says:
// the threats a Threat Dragon model records are not read by the analysis,
// so removing them changes nothing in the report. TestHeldOutAgreement
// removes them anyway; this test makes sure the figures published before
// that removal existed were not read from the answers either.
func TestHeldOutAnswersUnread(t *testing.T) {
	root := filepath.Join(testcorpus.RepoRoot(t), "testdata", "heldout")
	systems, err := LoadAll(root)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, s := range systems {
		file := filepath.Join(s.Dir, s.Diagram)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var reports [2]*stride.Report
		recorded := 0
		for i := range reports {
			ds, err := importers.Import(file, data, importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if i == 1 {
				recorded = stripRecorded(ds[0])
			}
			if reports[i], err = stride.Analyze(ds[0], stride.Options{}); err != nil {
				t.Fatal(err)
			}
		}
		if recorded == 0 {
			continue
		}
		checked++
		with, without := threatKeys(reports[0]), threatKeys(reports[1])
		if strings.Join(with, "\n") != strings.Join(without, "\n") {
			t.Errorf("%s: the analysis changes when the %d recorded threats are removed:\nwith:\n%s\nwithout:\n%s",
				s.Name, recorded, strings.Join(with, "\n"), strings.Join(without, "\n"))
		}
	}
	if checked == 0 {
		t.Fatal("no held-out input records threats; the check checked nothing")
	}
}

// threatKeys lists a report's threats as rule, elements, severity, status
// and residual risk, in report order.
func threatKeys(r *stride.Report) []string {
	out := make([]string, 0, len(r.Threats))
	for _, th := range r.Threats {
		out = append(out, fmt.Sprintf("%s %s %s %s %s %s", th.ID, th.Rule, th.ElementName, th.Severity, th.Status, th.ResidualRisk))
	}
	return out
}
