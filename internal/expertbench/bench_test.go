package expertbench

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/testcorpus"
	"github.com/threatmap/threatmap/stride"
)

// floors are today's figures rounded down to the percent: a change that
// lowers one fails TestExpertAgreement. Raise them when the analysis
// improves (and update docs/accuracy.md); never lower them to make a
// change pass without saying why in the commit.
//
// Measured 2026-11-30 after the isolation rules (rules/isolation.yaml;
// docs/accuracy.md, "after isolation"). The "before" figures, at b1ddef4,
// were 3/11/0/0/16/0/0; before scoring 81/100/35/0/100/0/0; after scoring
// 82/100/21/50/100/0/0.
//
// Severity equal was lowered from 35 to 21, on purpose: the 35% came from
// rating every TF-M threat Medium or Low, which matched the experts' many
// Mediums while missing all twelve of their High and Critical threats. The
// tool now rates threats against the secure side High or Critical (High+
// 0 -> 50%), and one tool threat of a category on a flow stands for
// several expert threats of different severities there (on DF1 the
// experts rate disclosure Critical twice and Medium once), so exact band
// equality falls. High+ and Low are the figures the issue gates.
//
// Mitigated rose from 0 to 73 (14/19) when the analysis began crediting
// the controls a technology builds in (catalog provides: with a scope:
// TF-M's client-ID and memory checks and TrustZone isolation, TUF, Fulcio
// and Rekor signing, Karpenter's and Cluster API's IAM-signed AWS calls)
// and the authentication every caller of a process carries
// (docs/accuracy.md, "After built-in controls").
//
// Mitigated rose from 73 to 94 (18/19 on the seven systems; 60 to 71,
// 21/35 to 25/35, on the nine with TF-A's) in session 5 (MITIG): rules for what
// crosses the switch between isolation partitions (E-ISO-01, I-ISO-03,
// D-ISO-01: faked returns into unsealed stacks, registers left behind,
// calls in an unexpected processor mode), credited by TF-M's documented
// stack sealing, FPU lock and handler-mode check (advisories TFMV-1 and
// TFMV-2), and E-CLD-03 (a caller's cloud role used on resources of other
// workloads), credited by Karpenter's tag-scoped controller policy. On the
// nine systems strict recall 74 -> 75 and severity equal 31 -> 32 follow
// from the same rules (docs/accuracy.md, "Session 5: expert-mitigated
// threats credited"); the two TF-A systems' figures do not move.
//
// Expert Low rated Medium- was lowered from 100 to 66, on purpose: the
// two expert Lows on TF-M's DF1 (a tampered or rolled-back non-secure
// image) share their flow and category with the two expert Criticals
// there (the non-secure side started before isolation is configured), and
// the tool's most severe Tampering threat on DF1 stands for all four. One
// threat on one element cannot be both Critical and Low; the issue gates
// this figure at 60%.
//
// Session 5 added two rated systems (tf-a, 54 expert threats, and
// tf-a-supply-chain, 10; docs/accuracy.md, "More rated systems"). The
// analysis did not change; the floors moved to the nine-system figures
// because the new systems measure families the seven never rated: on
// 191 threats strict recall is 74 (was 82 on 127), lenient 98 (100),
// severity equal 31 (39), High+ as High+ 60 (91), Critical as Critical
// 42 (100, which was 6 of 6 on TF-M; of TF-A's 32 expert Criticals 10
// come out Critical), mitigated 60 (73). Expert Low stays 66 (both Low sets are TF-M's).
// CTX's context fixes (session 5: supply-chain roles, the fetch rule
// T-SUP-06 on flows between external entities) raised strict recall to 75,
// lenient to 99 and High+ as High+ to 62 (tf-a-supply-chain; measured on
// main with MITIG and FOCUS merged).
//
// Session 5 (FW) read firmware diagrams as firmware: outside the boundary
// are other worlds and physical ports, not the internet (stride/local.go),
// and rules/firmware.yaml raises tampering, elevation and denial on what
// privileged code parses from them. On main after MITIG: strict 75 -> 87,
// severity equal 32 -> 36, High+ 60 -> 81, Critical 42 -> 60, mitigated
// 71 -> 85.
//
// Both merged on main (CTX and FW together): strict 87, lenient 99,
// severity equal 37, High+ 82, Low 66, Critical 60, mitigated 85.
//
// Session 6 (MIT): mandatory code review credited where the code host
// enforces it (T-SUP-07, Gerrit's code-review) and look-alike sources
// raised (S-SUP-08), both on tf-a-supply-chain: strict 88, lenient 100,
// severity equal 39, High+ 84, mitigated 88 (31/35; docs/accuracy.md,
// "Session 6: MIT").
//
// Session 6 (CRIT) scored firmware inputs by what the channel gives an
// attacker (docs/scoring.md): physical ports of a held device reach 5,
// firmware beneath other worlds is worth 5 and, beneath two or more, its
// outage stops the device; new rules for memory disclosure to a world or
// a two-way port and for misconfigured isolation hardware. Strict 87 ->
// 88, severity equal 37 -> 51, High+ 82 -> 95, Critical 60 -> 92 (35 of
// 38: TF-A's three availability-only Criticals stay High), Low 66.
// With MIT's change on main: strict 89, lenient 100, severity equal 53,
// High+ 96, Low 66, Critical 92, mitigated 88.
//
// Session 7 (MIT2): AWS IAM's catalog entry provides ddos-protection and
// rate-limiting to itself (a provider endpoint that AWS protects and
// throttles per calling account): Karpenter's D on IAM is credited,
// mitigated 88 -> 91 (32/35; docs/accuracy.md, "Session 7: MIT2").
//
// Session 9 (PERINT): spoofing, repudiation and elevation raised per
// interaction on boundary-crossing flows into a process (S-BASE-INT,
// R-BASE-INT, E-BASE-INT), one threat with the per-element rule of the
// same concern: strict 89 -> 91 (174/191; cluster-api's S, R and E on
// awscli -> secrets and capa -> EC2, TF-M's R on ns_app_1 -> tfm), 191 ->
// 188 tool threats (docs/accuracy.md, "Session 9: PERINT").
var floors = map[string]int{
	FigStrict:    91,
	FigLenient:   100,
	FigSeverity:  53,
	FigHigh:      96,
	FigLow:       66,
	FigCritical:  92,
	FigMitigated: 91,
}

// maxPerExpert is the ceiling of tool threats per expert threat over all
// systems: 1.3 after session 5, 0.94 (179 for 191) once one rule on
// sibling elements folds whatever each element's controls leave and the
// rules of one concern fold on the elements they share (session 6, FOLD).
//
// Raised to 1.1 in session 9 (PHYS): 193 / 191 = 1.01. The two threats are
// S-PPL-01, people deceived into handing over credentials or approving
// actions, once per system over the people drawn inside its boundaries
// (TF-A supply chain's maintainer and contributor: strict 170 -> 171, the
// expert's spoofing of the maintainer now met on its element; CoSAI's
// user query). With the node agents' side doors split by concern
// (I-ORC-04 open ports, I-ORC-06 credentials in command lines and logs,
// S-ORC-07 long-lived node credentials), cluster-api's kubelet adds three,
// and E-ORC-08 (member clusters' cloud credentials reaching the managing
// control plane's disks) one on its management etcd: 197 / 191 = 1.03.
const maxPerExpert = 1.1

// maxPerExpertSystem is issue 14's acceptance, on every system: at most 3
// tool threats per expert threat (Karpenter was 4.2 and Sigstore 4.6
// after session 5; both 3.0 now).
const maxPerExpertSystem = 3.0

// minSystems guards against a benchmark that quietly shrinks.
const minSystems = 9

// analyse imports a system's diagram with the real importers and runs the
// real STRIDE pass with the built-in rules and no threatmap.yaml, as a
// user running `threatmap analyze` on the drawing would.
func analyse(s *System) (*stride.Report, error) {
	d, err := importOne(s)
	if err != nil {
		return nil, err
	}
	return stride.Analyze(d, stride.Options{})
}

// importOne imports a system's diagram with the real importers; the file
// must hold exactly one diagram.
func importOne(s *System) (*graph.Diagram, error) {
	file := filepath.Join(s.Dir, s.Diagram)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	ds, err := importers.Import(file, data, importers.Options{})
	if err != nil {
		return nil, err
	}
	if len(ds) != 1 {
		return nil, fmt.Errorf("%s: %d diagrams, want 1", file, len(ds))
	}
	return ds[0], nil
}

// checkFloors fails t for each figure of total below its floor and for a
// per-expert ratio above ceiling; what names the set in the messages.
func checkFloors(t *testing.T, what string, total Counts, floors map[string]int, ceiling float64) {
	t.Helper()
	for _, f := range total.Figures() {
		if f.Den == 0 {
			continue
		}
		if floor, ok := floors[f.Name]; ok && f.Percent() < floor {
			t.Errorf("%s%s fell to %s, below its floor of %d%%", what, f.Name, f, floor)
		}
	}
	if pe := total.PerExpert(); pe > ceiling+1e-9 {
		t.Errorf("%stool threats per expert threat rose to %.2f, above its ceiling of %.1f", what, pe, ceiling)
	}
}

func TestExpertAgreement(t *testing.T) {
	root := filepath.Join(testcorpus.RepoRoot(t), "testdata", "expert")
	systems, err := LoadAll(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(systems) < minSystems {
		t.Fatalf("%d systems in %s, want at least %d", len(systems), root, minSystems)
	}
	var (
		names []string
		rows  []Counts
		total Counts
		miss  strings.Builder
	)
	for _, s := range systems {
		rep, err := analyse(s)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		res, err := Score(s, rep)
		if err != nil {
			t.Fatal(err)
		}
		if pe := res.Counts.PerExpert(); pe > maxPerExpertSystem+1e-9 {
			t.Errorf("%s: %.2f tool threats per expert threat (%d for %d), above %.0f", s.Name, pe, res.ToolThreats, res.Experts, maxPerExpertSystem)
		}
		names = append(names, s.Name)
		rows = append(rows, res.Counts)
		total.Add(res.Counts)
		fmt.Fprintf(&miss, "\n%s (%s, %s): %d of %d expert threats not matched on their element\n",
			s.Name, s.Domain, s.Diagram, len(res.Misses), res.Experts)
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
	t.Logf("expert agreement, %d systems, %d expert threats:\n%s", len(systems), total.Experts, Table(names, rows, total))
	if testing.Verbose() {
		t.Logf("expert threats the tool misses on their element, and matched ones it rates differently:%s", miss.String())
	}
	checkFloors(t, "", total, floors, maxPerExpert)
	// Show the next floors so raising them is a copy, not a calculation.
	var next []string
	for _, f := range total.Figures() {
		if f.Den > 0 {
			next = append(next, fmt.Sprintf("%s=%d", f.Name, f.Percent()))
		}
	}
	t.Logf("floors today: %s; per-expert ceiling %.1f", strings.Join(next, ", "), math.Ceil(total.PerExpert()*10)/10)
}
