package picture

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// members is a grouped threat's title naming n flows, as the STRIDE
// templates write it.
func members(n int) string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("Orders DB %d (PostgreSQL) → Service %d", i, i*7)
	}
	return "Data altered in transit on " + strings.Join(names, ", ")
}

func TestThreatLine(t *testing.T) {
	long := members(700)
	tests := []struct {
		name string
		ref  ThreatRef
		want string
	}{
		{"short title whole", ThreatRef{ID: "T-1", Severity: "High", Title: "Stolen token replayed"},
			"T-1 [High] Stolen token replayed"},
		{"no severity", ThreatRef{ID: "T-2", Title: "Outage"}, "T-2 Outage"},
		{"no title", ThreatRef{ID: "T-3", Severity: "Low"}, "T-3 [Low]"},
		{"grouped, short title whole", ThreatRef{ID: "T-4", Severity: "Low", Title: "Eavesdropping on 866 internal hops", Flows: 866},
			"T-4 [Low] Eavesdropping on 866 internal hops"},
		{"grouped, long title cut at a member", ThreatRef{ID: "T-5", Severity: "Medium", Title: long, Flows: 700, Components: 2},
			"T-5 [Medium] Data altered in transit on Orders DB 0 (PostgreSQL) → Service 0, Orders DB 1 (PostgreSQL) → Service 7, " +
				"Orders DB 2 (PostgreSQL) → Service 14, Orders DB 3 (PostgreSQL) → Service 21, Orders DB 4 (PostgreSQL) → Service 28… (one threat on 700 flows and 2 components: see the register)"},
		{"one element, long title cut at a word", ThreatRef{ID: "T-6", Title: strings.Repeat("word ", 100)},
			"T-6 " + strings.TrimSpace(strings.Repeat("word ", 48)) + "… (see the register)"},
		{"no separator: cut at the limit", ThreatRef{ID: "T-7", Title: strings.Repeat("é", 300)},
			"T-7 " + strings.Repeat("é", maxTooltipTitle) + "… (see the register)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := threatLine(tc.ref)
			if got != tc.want {
				t.Errorf("threatLine =\n%q\nwant\n%q", got, tc.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("threatLine cut a character: %q", got)
			}
		})
	}
}

// TestTooltipBounded: however many threats an element has and however
// long their titles, its tooltip stays within a fixed size.
func TestTooltipBounded(t *testing.T) {
	for _, n := range []int{10, 1000} {
		refs := make([]ThreatRef, n)
		for i := range refs {
			refs[i] = ThreatRef{ID: fmt.Sprintf("T-%04d", i), Severity: "High", Title: members(n), Flows: n}
		}
		got := tooltip([]string{"Data flow: A → B"}, refs)
		lines := strings.Split(got, "\n")
		wantLines := 1 + min(n, maxTooltipThreats) + 1
		if n <= maxTooltipThreats {
			wantLines--
		}
		if len(lines) != wantLines {
			t.Errorf("n=%d: %d lines, want %d", n, len(lines), wantLines)
		}
		if n > maxTooltipThreats {
			if want := fmt.Sprintf("… and %d more: see the register", n-maxTooltipThreats); lines[len(lines)-1] != want {
				t.Errorf("n=%d: last line %q, want %q", n, lines[len(lines)-1], want)
			}
		}
		if limit := (maxTooltipThreats + 2) * (maxTooltipTitle + 100) * 3; len(got) > limit {
			t.Errorf("n=%d: tooltip is %d bytes, more than %d", n, len(got), limit)
		}
	}
}
