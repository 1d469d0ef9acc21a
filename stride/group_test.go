package stride

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The same concern on sibling elements is one threat that lists every
// element; each element still lists the threat.
func TestGroupFoldsSiblings(t *testing.T) {
	flows := []string{"user>gw:HTTPS", "gw>svc:HTTPS, JWT", "svc>db:SQL (PII)", "admin>db:SQL (PII)", "worker>db:SQL (PII)"}
	r := analyze(t, mini(t, famBounds, famComps, flows), Options{})
	ts := threatsBy(r, "S-INT-03", "")
	if len(ts) != 1 {
		t.Fatalf("S-INT-03: %d threats, want one for the three unauthenticated hops to Orders DB", len(ts))
	}
	th := ts[0]
	got := memberNames(r, th)
	slices.Sort(got)
	want := []string{"Admin Console → Orders DB", "Mailer Worker → Orders DB", "Orders Service → Orders DB"}
	if !slices.Equal(got, want) {
		t.Errorf("S-INT-03 lists %v, want %v", got, want)
	}
	if !strings.Contains(th.Title, "3 unauthenticated internal hops") {
		t.Errorf("S-INT-03 title %q", th.Title)
	}
	if th.Identity != (Identity{Element: "group:flow:internal", Label: "group:flow:internal", Kind: "flow"}) {
		t.Errorf("S-INT-03 identity %+v", th.Identity)
	}
	for _, f := range r.Flows {
		if f.Target == "db" && !slices.Contains(f.Threats, th.ID) {
			t.Errorf("flow %s → %s does not list %s", f.Source, f.Target, th.ID)
		}
	}
	checkThreatList(t, r)
}

// A folded threat keeps its fingerprint and id when a member leaves or
// joins, as long as it still stands for several elements.
func TestGroupIdentityStable(t *testing.T) {
	all := []string{"user>gw:HTTPS", "gw>svc:HTTPS, JWT", "svc>db:SQL (PII)", "admin>db:SQL (PII)", "worker>db:SQL (PII)"}
	key := func(flows []string) (string, string) {
		r := analyze(t, mini(t, famBounds, famComps, flows), Options{})
		ts := threatsBy(r, "S-INT-03", "")
		if len(ts) != 1 || len(ts[0].Elements) < 2 {
			t.Fatalf("flows %v: S-INT-03 %+v", flows, ts)
		}
		return ts[0].Fingerprint, ts[0].ID
	}
	fp, id := key(all)
	for _, drop := range []int{2, 3, 4} {
		fewer := slices.Delete(slices.Clone(all), drop, drop+1)
		if f, i := key(fewer); f != fp || i != id {
			t.Errorf("without %q: %s %s, want %s %s", all[drop], f, i, fp, id)
		}
	}
}

// Different outcomes and different sibling sets stay apart.
func TestGroupKeepsOutcomesApart(t *testing.T) {
	flows := []string{"user>gw:HTTPS", "gw>svc:HTTP", "svc>db:SQL (PII)", "svc>psp:HTTP (card data)"}
	r := analyze(t, mini(t, famBounds, famComps, flows), Options{})
	for _, th := range threatsBy(r, "T-FLW-01", "") {
		names := memberNames(r, th)
		if slices.Contains(names, "Orders Service → Stripe") && len(names) > 1 {
			t.Errorf("an internet-facing flow folded with internal hops: %v", names)
		}
	}
	for _, th := range r.Threats {
		if len(th.Elements) == 1 {
			t.Errorf("%s lists a single element", th.ID)
		}
	}
}

func TestJoinDistinct(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{[]string{"A"}, "A"},
		{[]string{"A", "B"}, "A and B"},
		{[]string{"M4", "M4", "B", "M4"}, "M4 (×3) and B"},
		{[]string{"A", "B", "C", "D", "E", "F"}, "A, B, C, D, E and F"},
		{[]string{"A", "B", "C", "D", "E", "F", "G"}, "A, B, C, D, E and 2 more"},
		{[]string{"A", "A", "B", "C", "D", "E", "F", "F", "G"}, "A (×2), B, C, D, E and 3 more"},
	} {
		if got := joinDistinct(c.in); got != c.want {
			t.Errorf("joinDistinct(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// A group's prose names a few members and counts the rest, so its texts
// do not grow with the group; Elements still lists every member.
func TestGroupTextsNameAFew(t *testing.T) {
	comps := append([]string{}, famComps...)
	flows := []string{"user>gw:HTTPS", "gw>svc:HTTPS, JWT"}
	const n = 40
	for i := range n {
		key := fmt.Sprintf("w%02d", i)
		comps = append(comps, key+":Worker "+fmt.Sprintf("%02d", i)+"::app")
		flows = append(flows, key+">db:SQL (PII)")
	}
	r := analyze(t, mini(t, famBounds, comps, flows), Options{})
	ts := threatsBy(r, "S-INT-03", "")
	if len(ts) != 1 {
		t.Fatalf("S-INT-03: %d threats, want one", len(ts))
	}
	th := ts[0]
	if got := len(memberNames(r, th)); got != n {
		t.Errorf("S-INT-03 lists %d elements, want %d", got, n)
	}
	named := 0
	for i := range n {
		if strings.Contains(th.ElementName, fmt.Sprintf("Worker %02d", i)) {
			named++
		}
	}
	if named != namedMax || !strings.HasSuffix(th.ElementName, fmt.Sprintf(" and %d more", n-namedMax)) {
		t.Errorf("element name names %d workers, want %d and %d counted: %q", named, namedMax, n-namedMax, th.ElementName)
	}
	texts := []string{th.Title, th.Description, th.ElementName}
	for _, m := range th.Mitigations {
		texts = append(texts, m.Control)
	}
	for _, s := range texts {
		if strings.Contains(s, "Worker 39") && strings.Contains(s, "Worker 00") && strings.Count(s, "Worker") > namedMax {
			t.Errorf("a text names more than %d members: %q", namedMax, s)
		}
		if len(s) > 1000 {
			t.Errorf("a text of %d bytes: %.200q…", len(s), s)
		}
	}
	checkThreatList(t, r)
}

func TestJoinSome(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"A", "B", "C"}, "A, B and C"},
		{[]string{"A", "B", "C", "D", "E", "F"}, "A, B, C, D, E and F"},
		{[]string{"A", "B", "C", "D", "E", "F", "G", "H"}, "A, B, C, D, E and 3 more"},
	} {
		if got := joinSome(c.in); got != c.want {
			t.Errorf("joinSome(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSortMembersPacked: sortMembers, comparing packed numbers, orders
// every rule's matches of a generated model as comparing the fields does.
func TestSortMembersPacked(t *testing.T) {
	d := bigDiagram(t, 400)
	a := &analysis{d: d, workers: 1}
	a.readContext()
	matched, err := a.applyRules(DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	byRule := map[*Rule][]*rated{}
	var rules []*Rule
	for _, x := range matched {
		if byRule[x.rule] == nil {
			rules = append(rules, x.rule)
		}
		byRule[x.rule] = append(byRule[x.rule], x)
	}
	for _, r := range rules {
		g := byRule[r]
		slices.Reverse(g)
		want := slices.Clone(g)
		sortMembersSlow(want, want[0].actor != nil)
		sortMembers(g)
		if !slices.Equal(g, want) {
			t.Errorf("rule %s: %d members ordered differently", r.ID, len(g))
		}
	}
	if len(rules) < 20 {
		t.Fatalf("only %d rules matched", len(rules))
	}
}
