package english

import "testing"

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		one  string
		many []string
		want string
	}{
		{0, "threat", nil, "0 threats"},
		{1, "threat", nil, "1 threat"},
		{2, "threat", nil, "2 threats"},
		{1, "trust boundary", []string{"trust boundaries"}, "1 trust boundary"},
		{5, "trust boundary", []string{"trust boundaries"}, "5 trust boundaries"},
	} {
		if got := Plural(tc.n, tc.one, tc.many...); got != tc.want {
			t.Errorf("Plural(%d, %q, %q) = %q, want %q", tc.n, tc.one, tc.many, got, tc.want)
		}
	}
}
