package testsupport

import "testing"

func TestLineDiff(t *testing.T) {
	for _, tc := range []struct {
		name, a, b, want string
	}{
		{"equal", "x\ny", "x\ny", ""},
		{"changed line", "a\nb\nc", "a\nB\nc", "@@ -1 +1 @@\n a\n-b\n+B\n c"},
		{"added line", "a\nc", "a\nb\nc", "@@ -1 +1 @@\n a\n+b\n c"},
		{"removed at end", "a\nb\nc", "a\nb", "@@ -1 +1 @@\n a\n b\n-c"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12", "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\n11\nY",
			"@@ -1 +1 @@\n 1\n-2\n+X\n 3\n 4\n 5\n@@ -9 +9 @@\n 9\n 10\n 11\n-12\n+Y"},
	} {
		if got := LineDiff(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

func TestLineDiffLong(t *testing.T) {
	a, b := "", ""
	for i := 0; i < 3000; i++ {
		a += "same\n"
		b += "same\n"
		if i == 1500 {
			a += "old\n"
			b += "new\n"
		}
	}
	want := "@@ -1499 +1499 @@\n same\n same\n same\n-old\n+new\n same\n same\n same"
	if got := LineDiff(a, b); got != want {
		t.Errorf("got\n%s", got)
	}
}
