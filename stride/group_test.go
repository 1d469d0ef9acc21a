package stride

import (
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
	} {
		if got := joinDistinct(c.in); got != c.want {
			t.Errorf("joinDistinct(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
