package expertbench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/stride"
)

// handReport is a hand-made report: user -> web -> db, plus web -> mail.
//
//	user --f1--> web --f2--> db
//	              \--f3--> mail
func handReport() *stride.Report {
	comp := func(id string) stride.Component { return stride.Component{ID: id} }
	flow := func(id, s, t string) stride.Flow { return stride.Flow{ID: id, Source: s, Target: t} }
	th := func(cat, typ, id, sev, status, residual string) stride.Threat {
		return stride.Threat{Stride: cat, Element: stride.ElementRef{Type: typ, ID: id}, Severity: stride.Severity(sev), Status: status, ResidualRisk: stride.Severity(residual)}
	}
	return &stride.Report{
		Components: []stride.Component{comp("user"), comp("web"), comp("db"), comp("mail")},
		Flows:      []stride.Flow{flow("f1", "user", "web"), flow("f2", "web", "db"), flow("f3", "web", "mail")},
		Threats: []stride.Threat{
			th("S", "component", "web", "High", "Unmitigated", "High"),
			th("T", "flow", "f1", "Medium", "Mitigated", "Low"),
			th("I", "component", "db", "Critical", "Partial", "High"),
			th("D", "flow", "f2", "Low", "Unmitigated", "Low"),
			th("I", "flow", "f2", "Medium", "Unmitigated", "Medium"),
		},
	}
}

func yes() *bool { b := true; return &b }

func TestScoreHandMade(t *testing.T) {
	s := &System{Name: "hand", Threats: []Expert{
		// strict: S on web.
		{ID: "E1", Stride: "S", Component: "web", Severity: "Critical", Title: "a", Where: "x"},
		// strict on a flow written against the drawn direction.
		{ID: "E2", Stride: "T", Flow: "web -> user", Severity: "Low", Mitigated: yes(), Title: "b", Where: "x"},
		// lenient: I on flow web->db, tool has I on db (an end) and on f2 itself -> strict.
		{ID: "E3", Stride: "I", Flow: "web -> db", Severity: "High", Title: "c", Where: "x"},
		// lenient only: D on db; tool has D on f2, a flow touching db.
		{ID: "E4", Stride: "D", Component: "db", Severity: "High", Title: "d", Where: "x"},
		// lenient only: I on mail; tool has I on f2? not adjacent to mail. I on web? no.
		// mail's neighbours: f3, web. Nothing with I there: missed.
		{ID: "E5", Stride: "I", Component: "mail", Severity: "Low", Mitigated: yes(), Title: "e", Where: "x"},
		// lenient via a component one flow away: S on user, tool has S on web.
		{ID: "E6", Stride: "S", Component: "user", Title: "f", Where: "x"},
		// E on web: nothing anywhere.
		{ID: "E7", Stride: "E", Component: "web", Severity: "Medium", Title: "g", Where: "x"},
	}}
	res, err := Score(s, handReport())
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{
		Experts: 7, Strict: 3, Lenient: 5,
		// rated and matched: E1 (High vs Critical), E2 (Medium vs Low),
		// E3 (Medium vs High, the most severe strict match is f2's I Medium),
		// E4 (Low vs High).
		SevRated: 4, SevEqual: 0,
		HighExpert: 3, HighTool: 1, // E1 High ok; E3 Medium, E4 Low not
		LowExpert: 2, LowTool: 1, // E2 Medium ok; E5 unmatched
		CritExpert: 1, CritTool: 0,
		MitExpert: 2, MitTool: 1, // E2 matched Mitigated/Low
		ToolThreats: 5, ToolElementThreats: 5,
	}
	if res.Counts != want {
		t.Errorf("counts\n got %+v\nwant %+v", res.Counts, want)
	}
	var got []string
	for _, m := range res.Misses {
		got = append(got, m.Expert.ID+":"+m.OnElement+"/"+m.Nearby)
	}
	if w := "E4:I/SID E5:/S E6:/ST E7:S/TID"; strings.Join(got, " ") != w {
		t.Errorf("misses %q, want %q", strings.Join(got, " "), w)
	}
	if !res.Misses[0].Lenient || res.Misses[1].Lenient {
		t.Errorf("lenient flags wrong: %+v", res.Misses)
	}
	got = got[:0]
	for _, r := range res.Rated {
		got = append(got, fmt.Sprintf("%s:%v/%v", r.Expert.ID, r.Severity, r.NotCredited))
	}
	// E1-E4 are rated and matched with other bands; E2 is credited (f1's T
	// is Mitigated/Low); E5 is mitigated but unmatched, so it is a miss,
	// not a rating difference.
	if w := "E1:true/false E2:true/false E3:true/false E4:true/false"; strings.Join(got, " ") != w {
		t.Errorf("rated %q, want %q", strings.Join(got, " "), w)
	}
	if l := res.Rated[0].String(); !strings.Contains(l, "E1 S on web: expert Critical, tool High") {
		t.Errorf("rated line %q", l)
	}
	if f := res.Figures()[0]; f.String() != "42% (3/7)" {
		t.Errorf("strict figure %s", f)
	}
}

func TestScoreUnknownElement(t *testing.T) {
	for _, e := range []Expert{
		{ID: "X", Stride: "S", Component: "nope"},
		{ID: "X", Stride: "S", Flow: "user -> db"},
	} {
		if _, err := Score(&System{Name: "hand", Threats: []Expert{e}}, handReport()); err == nil {
			t.Errorf("%s: want an error for an element not in the diagram", e.ElementName())
		}
	}
}

func TestLoadRejects(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"unknown field", "system: a\ndomain: web\ndiagram: d.dot\ncolour: red\nthreats: []\n", "colour"},
		{"no threats", "system: a\ndomain: web\ndiagram: d.dot\n", "no threats"},
		{"bad stride", "system: a\ndomain: web\ndiagram: d.dot\nthreats:\n- {id: A, stride: X, component: c, title: t, where: w}\n", "stride"},
		{"both elements", "system: a\ndomain: web\ndiagram: d.dot\nthreats:\n- {id: A, stride: S, component: c, flow: a -> b, title: t, where: w}\n", "exactly one"},
		{"bad flow", "system: a\ndomain: web\ndiagram: d.dot\nthreats:\n- {id: A, stride: S, flow: a, title: t, where: w}\n", "source-id -> target-id"},
		{"bad severity", "system: a\ndomain: web\ndiagram: d.dot\nthreats:\n- {id: A, stride: S, component: c, severity: Severe, title: t, where: w}\n", "severity"},
		{"duplicate id", "system: a\ndomain: web\ndiagram: d.dot\nthreats:\n- {id: A, stride: S, component: c, title: t, where: w}\n- {id: A, stride: T, component: c, title: t, where: w}\n", "twice"},
		{"missing diagram", "system: a\ndomain: web\ndiagram: other.dot\nthreats:\n- {id: A, stride: S, component: c, title: t, where: w}\n", "other.dot"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "d.dot"), []byte("digraph{}"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, ThreatsFile), []byte(c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

func TestScoreFlowToBoundary(t *testing.T) {
	r := handReport()
	r.Boundaries = []stride.Boundary{{ID: "cloud"}}
	s := &System{Name: "hand", Threats: []Expert{
		// web's S counts as adjacent; the flow itself does not exist.
		{ID: "B1", Stride: "S", Flow: "web -> cloud", Title: "a", Where: "x"},
		{ID: "B2", Stride: "R", Flow: "cloud -> web", Title: "b", Where: "x"},
	}}
	res, err := Score(s, r)
	if err != nil {
		t.Fatal(err)
	}
	if res.Strict != 0 || res.Lenient != 1 || len(res.Misses) != 2 || !res.Misses[0].NoElement {
		t.Fatalf("got %+v", res)
	}
	if got := res.Misses[0].String(); !strings.Contains(got, "no such flow in the tool's model") || !strings.Contains(got, "adjacent: S") {
		t.Errorf("miss line %q", got)
	}
	s.Threats = []Expert{{ID: "B3", Stride: "S", Flow: "web -> nowhere", Title: "c", Where: "x"}}
	if _, err := Score(s, r); err == nil {
		t.Errorf("unknown flow end accepted")
	}
}

func TestFigure(t *testing.T) {
	for _, c := range []struct {
		f    Figure
		want string
		pct  int
	}{
		{Figure{Num: 2, Den: 3}, "66% (2/3)", 66},
		{Figure{Num: 0, Den: 0}, "n/a", 0},
		{Figure{Num: 5, Den: 5}, "100% (5/5)", 100},
	} {
		if got := c.f.String(); got != c.want || c.f.Percent() != c.pct {
			t.Errorf("%+v: %q %d, want %q %d", c.f, got, c.f.Percent(), c.want, c.pct)
		}
	}
}

// TestScoreFoldedThreat checks that a threat folding one concern on several
// elements counts on each of them.
func TestScoreFoldedThreat(t *testing.T) {
	r := handReport()
	r.Threats = []stride.Threat{{Stride: "R", Severity: stride.SeverityMedium,
		Element:  stride.ElementRef{Type: "flow", ID: "f2"},
		Elements: []stride.ElementRef{{Type: "flow", ID: "f2"}, {Type: "flow", ID: "f3"}, {Type: "component", ID: "mail"}}}}
	s := &System{Name: "hand", Threats: []Expert{
		{ID: "F1", Stride: "R", Flow: "web -> mail", Title: "a", Where: "x"},
		{ID: "F2", Stride: "R", Component: "mail", Title: "b", Where: "x"},
		{ID: "F3", Stride: "R", Component: "user", Title: "c", Where: "x"},
	}}
	res, err := Score(s, r)
	if err != nil {
		t.Fatal(err)
	}
	if res.Strict != 2 || res.Lenient != 2 || res.ToolThreats != 1 || res.ToolElementThreats != 3 {
		t.Errorf("got %+v", res.Counts)
	}
}

// TestScoreNotCredited checks that a matched threat the expert marks
// mitigated, which the tool does not list as Mitigated with a Low residual,
// is listed as rated differently with the tool's status.
func TestScoreNotCredited(t *testing.T) {
	s := &System{Name: "hand", Threats: []Expert{
		{ID: "N1", Stride: "S", Component: "web", Mitigated: yes(), Title: "a", Where: "x"},
		{ID: "N2", Stride: "T", Flow: "user -> web", Mitigated: yes(), Title: "b", Where: "x"},
	}}
	res, err := Score(s, handReport())
	if err != nil {
		t.Fatal(err)
	}
	if res.MitExpert != 2 || res.MitTool != 1 || len(res.Rated) != 1 {
		t.Fatalf("got %+v, rated %+v", res.Counts, res.Rated)
	}
	r := res.Rated[0]
	if r.Expert.ID != "N1" || r.Severity || !r.NotCredited {
		t.Errorf("rated %+v", r)
	}
	if l := r.String(); !strings.Contains(l, "expert mitigated, tool Unmitigated with High residual") {
		t.Errorf("rated line %q", l)
	}
}
