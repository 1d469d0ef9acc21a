package textfit

import (
	"strconv"
	"strings"
	"testing"
)

func TestWidth(t *testing.T) {
	if w := Width("MMMM", 10, false); w < 33 || w > 37 {
		t.Errorf("Width(MMMM,10) = %v, want ~36.6", w)
	}
	if Width("iiii", 10, false) >= Width("MMMM", 10, false) {
		t.Error("narrow letters should be narrower than wide ones")
	}
	if Width("abc", 10, true) <= Width("abc", 10, false) {
		t.Error("bold should be wider")
	}
}

func TestWrap(t *testing.T) {
	lines := Wrap("Patient Records DB (PostgreSQL) primary", 12, 90, false)
	if len(lines) < 2 {
		t.Fatalf("want several lines, got %q", lines)
	}
	for _, l := range lines {
		if Width(l, 12, false) > 90 {
			t.Errorf("line %q too wide", l)
		}
	}
	if got := strings.Join(Wrap("a\nb", 12, 90, false), "|"); got != "a|b" {
		t.Errorf("newline kept: %q", got)
	}
	long := strings.Repeat("x", 100)
	for _, l := range Wrap(long, 12, 50, false) {
		if Width(l, 12, false) > 50 {
			t.Errorf("long word line %q too wide", l)
		}
	}
}

func TestFit(t *testing.T) {
	b, trunc := Fit("Notification Worker", 13, 9, 100, 40, true)
	if trunc || b.Height() > 40 || b.Width(true) > 100 {
		t.Errorf("Fit = %+v trunc=%v", b, trunc)
	}
	b, trunc = Fit(strings.Repeat("word ", 200), 13, 9, 100, 40, false)
	if !trunc || b.Height() > 40 || b.Width(false) > 100 {
		t.Errorf("overflowing Fit = %v lines size %v trunc=%v", len(b.Lines), b.Size, trunc)
	}
	if !strings.HasSuffix(b.Lines[len(b.Lines)-1], "…") {
		t.Errorf("no ellipsis: %q", b.Lines)
	}
}

func TestTruncate(t *testing.T) {
	s := Truncate("A very long boundary label indeed", 12, 60, false)
	if Width(s, 12, false) > 60 || !strings.HasSuffix(s, "…") {
		t.Errorf("Truncate = %q", s)
	}
}

func TestFitShrinksBeforeBreakingWords(t *testing.T) {
	b, _ := Fit("Payments API", 13, 8.5, 56, 50, true)
	for _, l := range b.Lines {
		if l != "Payments" && l != "API" && l != "Payments API" {
			t.Errorf("word broken: %q at size %v", b.Lines, b.Size)
		}
	}
	if b.Size >= 13 {
		t.Errorf("font not shrunk: %v", b.Size)
	}
}

// Words are broken only when one alone is wider than the box, and then
// with a hyphen: no line ends in the middle of a word that reads on as
// the next line ("Clie" / "nt").
func TestWrapNeverSplitsWordsSilently(t *testing.T) {
	tests := []struct {
		s     string
		width float64
		want  string
	}{
		{"Thin Client", 45, "Thin|Client"},
		{"Client", 30, "Clie-|nt"},
		{"Xenclient Synchronizer", 60, "Xenclient|Synchron-|izer"},
		{"eu-west-1/payments", 60, "eu-west-|1/|payments"},
		{"ab", 8, "a|b"},
	}
	for _, tc := range tests {
		lines := Wrap(tc.s, 11, tc.width, true)
		if got := strings.Join(lines, "|"); got != tc.want {
			t.Errorf("Wrap(%q, %v) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
		for _, l := range lines {
			if Width(l, 11, true) > tc.width && len([]rune(l)) > 1 {
				t.Errorf("Wrap(%q): line %q is %.1f wide, over %v", tc.s, l, Width(l, 11, true), tc.width)
			}
		}
	}
}

// TestWiderAgreesWithWidth: wider is Width(s) > maxWidth, stopping early.
func TestWiderAgreesWithWidth(t *testing.T) {
	samples := []string{"", "a", "Auth Service", "WWWWWWWWWW", "iiiiiiiiiiiiiiiiiiii", "0\xda\xda\xda\xda", "Ünïcödé façade — 数据库", strings.Repeat("mW", 40)}
	for _, s := range samples {
		for _, bold := range []bool{false, true} {
			for _, max := range []float64{0, 1, 7.5, 20, 55.5, 100, 300} {
				want := Width(s, 11, bold) > max
				if got := wider(s, 11, max, bold); got != want {
					t.Errorf("wider(%q, %v, bold %v) = %v, Width says %v", s, max, bold, got, want)
				}
			}
		}
	}
}

// BenchmarkWrapLongWord wraps one word of n bytes into a 120-unit box: the
// cost per byte must stay flat as n grows (it grew with n before wider and
// twoRunes: a 3,000-byte label took 0.6 s to draw).
func BenchmarkWrapLongWord(b *testing.B) {
	for _, n := range []int{500, 4000} {
		s := strings.Repeat("\xda", n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Wrap(s, 11, 120, false)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/byte")
		})
	}
}
