package testsupport

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata with the current output")

// Golden compares got with the golden file testdata/name of the calling
// test's package. Under go test -update it rewrites the file first. On a
// difference it fails with a line diff of the first few hunks, so that a
// change in a 3,000-line report can be read in the test output.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (- golden, + got); check it, then go test -update to accept:\n%s",
			path, LineDiff(string(want), string(got)))
	}
}

// diffContext is the number of unchanged lines shown around a change;
// maxDiffLines bounds the diff shown.
const (
	diffContext  = 3
	maxDiffLines = 80
)

// LineDiff returns a unified-style diff of a and b: hunks headed by
// "@@ -line +line @@", removed lines with "-", added with "+", and up to
// three unchanged lines of context with " ". It is cut after 80 lines.
// It returns "" when a and b are equal.
func LineDiff(a, b string) string {
	if a == b {
		return ""
	}
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	ops := diffLines(al, bl)
	var out []string
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: context before, changes (joined while separated by at
		// most 2*diffContext unchanged lines), context after.
		start := max(i-diffContext, 0)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*diffContext {
				end = min(end+diffContext, len(ops))
				break
			}
			end = run
		}
		out = append(out, fmt.Sprintf("@@ -%d +%d @@", ops[start].a+1, ops[start].b+1))
		for _, op := range ops[start:end] {
			line := bl[min(op.b, len(bl)-1)]
			if op.kind == '-' {
				line = al[op.a]
			}
			out = append(out, string(op.kind)+line)
		}
		i = end
		if len(out) > maxDiffLines {
			out = append(out[:maxDiffLines], "... (diff cut)")
			break
		}
	}
	return strings.Join(out, "\n")
}

// diffOp is one line of the edit script: kind ' ' (both), '-' (only in
// a) or '+' (only in b), with the line's index in a and in b (for '+' the
// index in a is where it goes, and so on).
type diffOp struct {
	kind byte
	a, b int
}

// diffLines returns an edit script from a to b. Common leading and
// trailing lines are matched first; the rest is aligned by a longest
// common subsequence, or, when it is too large for that, replaced as a
// block.
func diffLines(a, b []string) []diffOp {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []diffOp
	for i := 0; i < pre; i++ {
		ops = append(ops, diffOp{' ', i, i})
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma)*len(mb) > 4_000_000 {
		for i := range ma {
			ops = append(ops, diffOp{'-', pre + i, pre})
		}
		for j := range mb {
			ops = append(ops, diffOp{'+', pre + len(ma), pre + j})
		}
	} else {
		ops = append(ops, lcsOps(ma, mb, pre)...)
	}
	for k := 0; k < suf; k++ {
		ops = append(ops, diffOp{' ', len(a) - suf + k, len(b) - suf + k})
	}
	return ops
}

// lcsOps aligns a and b (offset by off lines) by a longest common
// subsequence.
func lcsOps(a, b []string, off int) []diffOp {
	n, m := len(a), len(b)
	// l[i][j] is the LCS length of a[i:] and b[j:].
	l := make([][]int32, n+1)
	for i := range l {
		l[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	var ops []diffOp
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			ops = append(ops, diffOp{' ', off + i, off + j})
			i, j = i+1, j+1
		case i < n && (j == m || l[i+1][j] >= l[i][j+1]):
			ops = append(ops, diffOp{'-', off + i, off + j})
			i++
		default:
			ops = append(ops, diffOp{'+', off + i, off + j})
			j++
		}
	}
	return ops
}
