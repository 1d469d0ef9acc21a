package stride

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/importers/dot"
)

var (
	threatIDPattern = regexp.MustCompile(`^T-[0-9]{4,}$`)
	epIDPattern     = regexp.MustCompile(`^EP-[0-9]{3,}$`)
)

func analyzeDOT(t *testing.T, src string) *Report {
	t.Helper()
	ds, err := dot.Import("telehealth.dot", []byte(src), dot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return analyze(t, ds[0], Options{})
}

func exampleDOT(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../examples/telehealth.dot")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// addToDOT inserts lines before the closing brace of the graph.
func addToDOT(src string, lines ...string) string {
	i := strings.LastIndex(src, "}")
	return src[:i] + "  " + strings.Join(lines, "\n  ") + "\n" + src[i:]
}

func byFingerprint(r *Report) map[string]Threat {
	m := map[string]Threat{}
	for _, t := range r.Threats {
		m[t.Fingerprint] = t
	}
	return m
}

// Adding a component (with flows) elsewhere keeps the id of every
// existing threat and entry point, without any baseline.
func TestIDsSurviveAddedComponent(t *testing.T) {
	src := exampleDOT(t)
	before := analyzeDOT(t, src)
	after := analyzeDOT(t, addToDOT(src,
		`audit [label="Audit Log DB", shape=cylinder];`,
		`appt -> audit [label="SQL (PII)"];`,
		`partner [label="Partner Clinic", shape=oval];`,
		`partner -> apigw [label="HTTP"];`))
	if len(after.Threats) <= len(before.Threats) {
		t.Fatalf("%d threats after adding a component, want more than %d", len(after.Threats), len(before.Threats))
	}
	now := byFingerprint(after)
	kept, closed := 0, 0
	for _, old := range before.Threats {
		n, ok := now[old.Fingerprint]
		if !ok {
			// The added Audit Log DB closes the model-level "no audit
			// log" gap: that threat must go, and does not count against
			// the bound below.
			if old.Rule == "R-SYS-04" {
				closed++
			}
			continue // the rule no longer matches (the new flows change facts)
		}
		kept++
		if n.ID != old.ID {
			t.Errorf("%s %s on %s became %s", old.ID, old.Rule, old.ElementName, n.ID)
		}
	}
	if closed != 1 {
		t.Errorf("the added audit store closed %d 'no audit log' threats, want 1", closed)
	}
	// Three threats may change: the flows added to Appointments Service
	// and API Gateway change the facts of their neighbours' rules.
	if kept < len(before.Threats)-closed-3 {
		t.Errorf("only %d of %d threats still present", kept, len(before.Threats))
	}
	eps := map[string]string{}
	for _, ep := range after.EntryPoints {
		eps[ep.Fingerprint] = ep.ID
	}
	for _, ep := range before.EntryPoints {
		if eps[ep.Fingerprint] != ep.ID {
			t.Errorf("entry point %s (%s) became %q", ep.ID, ep.Name, eps[ep.Fingerprint])
		}
	}
}

// Fingerprints and ids are unique, well formed and the same on every run.
func TestFingerprintsUniqueAndStable(t *testing.T) {
	src := exampleDOT(t)
	a, b := analyzeDOT(t, src), analyzeDOT(t, src)
	seenFP, seenID := map[string]bool{}, map[string]bool{}
	for i, th := range a.Threats {
		if len(th.Fingerprint) != 16 || seenFP[th.Fingerprint] {
			t.Errorf("%s: fingerprint %q malformed or repeated", th.ID, th.Fingerprint)
		}
		if !threatIDPattern.MatchString(th.ID) || seenID[th.ID] {
			t.Errorf("id %q malformed or repeated", th.ID)
		}
		seenFP[th.Fingerprint], seenID[th.ID] = true, true
		if b.Threats[i].Fingerprint != th.Fingerprint || b.Threats[i].ID != th.ID {
			t.Errorf("run 2 differs at %d: %s/%s vs %s/%s", i, b.Threats[i].ID, b.Threats[i].Fingerprint, th.ID, th.Fingerprint)
		}
		if th.Fingerprint != ThreatFingerprint(th.Rule, th.Identity.Element) {
			t.Errorf("%s: fingerprint does not follow from its identity %+v", th.ID, th.Identity)
		}
	}
	for _, ep := range a.EntryPoints {
		if !epIDPattern.MatchString(ep.ID) || ep.Identity.Kind != "flow" {
			t.Errorf("entry point %+v", ep)
		}
	}
}

func TestIdentityKeys(t *testing.T) {
	r := analyzeDOT(t, addToDOT(exampleDOT(t), `appt -> db [label="SQL read replica"];`))
	comps := map[string]*Component{}
	for i := range r.Components {
		comps[r.Components[i].ID] = &r.Components[i]
	}
	var flows []string
	for _, id := range flowIdentities(r, comps) {
		if strings.HasPrefix(id.Element, "flow:appt>db") {
			flows = append(flows, id.Element+" "+id.Label)
		}
	}
	for _, th := range r.Threats {
		if th.Element.Type == "component" && th.Element.ID == "apigw" && th.Elements == nil {
			if th.Identity != (Identity{Element: "component:apigw", Label: "component:api gateway", Kind: "process"}) {
				t.Errorf("API gateway identity %+v", th.Identity)
			}
		}
	}
	// Two flows appt -> db: told apart by label ("SQL over TLS" < "SQL read").
	want := map[string]bool{
		"flow:appt>db flow:appointments service>patient records db (postgresql)":     true,
		"flow:appt>db#2 flow:appointments service>patient records db (postgresql)#2": true,
	}
	for _, f := range flows {
		if !want[f] {
			t.Errorf("unexpected flow identity %q", f)
		}
	}
	if len(flows) != 2 {
		t.Fatalf("flows appt -> db: %v", flows)
	}
}

// Kept ids stay, reserved ids are never reused, the rest derive from
// their keys; references follow.
func TestRenumberKeepsAndReserves(t *testing.T) {
	r := analyzeDOT(t, exampleDOT(t))
	first, second := r.Threats[0], r.Threats[1]
	keep := &Numbering{
		Threats:  map[string]string{first.Fingerprint: "T-001"},
		Reserved: []string{second.ID},
	}
	Renumber(r, keep)
	if r.Threats[0].ID != "T-001" {
		t.Errorf("kept id: got %s", r.Threats[0].ID)
	}
	if r.Threats[1].ID == second.ID {
		t.Errorf("reserved id %s reused", second.ID)
	}
	// Every reference names an existing threat.
	ids := map[string]bool{}
	for _, th := range r.Threats {
		ids[th.ID] = true
	}
	for _, c := range r.Components {
		for _, id := range c.Threats {
			if !ids[id] {
				t.Errorf("component %s refers to unknown %s", c.ID, id)
			}
		}
	}
	for _, ep := range r.EntryPoints {
		for _, id := range ep.Threats {
			if !ids[id] {
				t.Errorf("entry point %s refers to unknown %s", ep.ID, id)
			}
		}
	}
}

func TestAssignIDsProbesDeterministically(t *testing.T) {
	items := []idItem{{"b", "same"}, {"a", "same"}, {"c", "other"}}
	got := assignIDs(items, nil, nil, "T-", 1)
	// Width grows to 2 digits (3 items need 12 slots); "a" and "b" share
	// a home, "a" takes it, "b" the next free number.
	h := home("same", 99)
	if got[1] != idText("T-", 2, h) {
		t.Errorf("a: got %s, want home %d", got[1], h)
	}
	if got[0] == got[1] || got[0] == got[2] || got[1] == got[2] {
		t.Errorf("ids not unique: %v", got)
	}
	rev := assignIDs([]idItem{items[2], items[1], items[0]}, nil, nil, "T-", 1)
	if rev[0] != got[2] || rev[1] != got[1] || rev[2] != got[0] {
		t.Errorf("order-dependent: %v vs %v", rev, got)
	}
}

func idText(prefix string, width, n int) string {
	return fmt.Sprintf("%s%0*d", prefix, width, n)
}

func TestSortIDs(t *testing.T) {
	ids := []string{"T-0100", "EP-002", "T-042", "T-0007"}
	SortIDs(ids)
	if got := strings.Join(ids, " "); got != "EP-002 T-0007 T-042 T-0100" {
		t.Errorf("got %s", got)
	}
}

// NormalizeLabel folds ASCII labels in one pass of its own: it must give
// exactly what strings.Fields and ToLower give, for ASCII and not.
func TestNormalizeLabelFolds(t *testing.T) {
	for _, s := range []string{"", " ", "\t\n", "api", "API Gateway", " api", "api ", "API  Gateway",
		"a\tb", "a \r\nb", "Payments\vDB\f", "Zürich DB", "A\u00a0B", "x\u0085y", "ÄÖ  Ü", "already normal"} {
		want := strings.Join(strings.Fields(strings.ToLower(s)), " ")
		if got := NormalizeLabel(s); got != want {
			t.Errorf("NormalizeLabel(%q) = %q, want %q", s, got, want)
		}
	}
}

// SortIDs leaves a list in order as it is and sorts one that is not,
// wherever the first misplaced id is.
func TestSortIDsOrder(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"EP-01 EP-02 EP-100", "EP-01 EP-02 EP-100"},
		{"EP-100 EP-01 EP-02", "EP-01 EP-02 EP-100"},
		{"EP-01 EP-100 EP-02", "EP-01 EP-02 EP-100"},
		{"T-002 T-001", "T-001 T-002"},
	} {
		ids := strings.Fields(tc.in)
		SortIDs(ids)
		if got := strings.Join(ids, " "); got != tc.want {
			t.Errorf("SortIDs(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
