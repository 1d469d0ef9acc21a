package mermaid

import (
	"fmt"
	"strings"
	"testing"
)

// lexAll renders every token as "line:col kind text", with shape, label
// and head details where they apply.
func lexAll(src string) []string {
	var l lexer
	l.init([]byte(src), 0, 1)
	var out []string
	for i := 0; i < 1000; i++ {
		t := l.next()
		s := fmt.Sprintf("%d:%d %s %q", t.line, t.col, t.kind, t.text)
		switch t.kind {
		case tShape:
			s += " " + t.shape
			if t.quote != qNone {
				s += fmt.Sprintf(" q%d", t.quote)
			}
		case tLink:
			s += fmt.Sprintf(" %c", t.family)
			if t.startHead != 0 {
				s += fmt.Sprintf(" start=%c", t.startHead)
			}
			if t.endHead != 0 {
				s += fmt.Sprintf(" end=%c", t.endHead)
			}
			if t.hasLabel {
				s += fmt.Sprintf(" label=%q", t.label)
			}
		case tIllegal:
			s += " " + t.msg
		}
		out = append(out, s)
		if t.kind == tEOF || t.kind == tIllegal {
			break
		}
	}
	return out
}

func TestLexer(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"header", "flowchart LR;A", []string{
			`1:1 keyword "flowchart"`, `1:11 text "LR"`, `1:13 ";" ";"`, `1:14 node id "A"`, `1:15 end of input ""`}},
		{"arrows", "A-->B---C-.->D==>E~~~F", []string{
			`1:1 node id "A"`, `1:2 link "-->" - end=>`, `1:5 node id "B"`, `1:6 link "---" -`,
			`1:9 node id "C"`, `1:10 link "-.->" . end=>`, `1:14 node id "D"`, `1:15 link "==>" = end=>`,
			`1:18 node id "E"`, `1:19 link "~~~" ~`, `1:22 node id "F"`, `1:23 end of input ""`}},
		{"heads", "A <--> B o--o C x--x D --o E --x F ---->G", []string{
			`1:1 node id "A"`, `1:3 link "<-->" - start=< end=>`, `1:8 node id "B"`,
			`1:10 link "o--o" - start=o end=o`, `1:15 node id "C"`, `1:17 link "x--x" - start=x end=x`,
			`1:22 node id "D"`, `1:24 link "--o" - end=o`, `1:28 node id "E"`, `1:30 link "--x" - end=x`,
			`1:34 node id "F"`, `1:36 link "---->" - end=>`, `1:41 node id "G"`, `1:42 end of input ""`}},
		{"long variants", "A -..-> B ====> C", []string{
			`1:1 node id "A"`, `1:3 link "-..->" . end=>`, `1:9 node id "B"`, `1:11 link "====>" = end=>`,
			`1:17 node id "C"`, `1:18 end of input ""`}},
		{"o and x start node names", "A---oB\nx-->y", []string{
			`1:1 node id "A"`, `1:2 link "---o" - end=o`, `1:6 node id "B"`, `1:7 newline "\n"`,
			`2:1 node id "x"`, `2:2 link "-->" - end=>`, `2:5 node id "y"`, `2:6 end of input ""`}},
		{"text links", "A -- one two --> B -. dot .-> C == thick ==> D", []string{
			`1:1 node id "A"`, `1:3 link "-- -->" - end=> label="one two"`, `1:18 node id "B"`,
			`1:20 link "-. .->" . end=> label="dot"`, `1:31 node id "C"`,
			`1:33 link "== ==>" = end=> label="thick"`, `1:46 node id "D"`, `1:47 end of input ""`}},
		{"pipe label and edge id", `A e1@-->|"x y"| B`, []string{
			`1:1 node id "A"`, `1:3 edge id "e1"`, `1:6 link "-->" - end=>`, `1:9 |label| "x y"`,
			`1:17 node id "B"`, `1:18 end of input ""`}},
		{"shapes", `a[r]b(r)c([s])d[[s]]e[(c)]f((c))g(((d)))h>a]i{d}j{{h}}`, []string{
			`1:1 node id "a"`, `1:2 node shape "r" rect`, `1:5 node id "b"`, `1:6 node shape "r" rounded`,
			`1:9 node id "c"`, `1:10 node shape "s" stadium`, `1:15 node id "d"`, `1:16 node shape "s" subroutine`,
			`1:21 node id "e"`, `1:22 node shape "c" cylinder`, `1:27 node id "f"`, `1:28 node shape "c" circle`,
			`1:33 node id "g"`, `1:34 node shape "d" double-circle`, `1:41 node id "h"`, `1:42 node shape "a" asymmetric`,
			`1:45 node id "i"`, `1:46 node shape "d" diamond`, `1:49 node id "j"`, `1:50 node shape "h" hexagon`,
			`1:55 end of input ""`}},
		{"slanted shapes", `a[/x/]b[\x\]c[/x\]d[\x/]e[/usr]`, []string{
			`1:1 node id "a"`, `1:2 node shape "x" lean-right`, `1:7 node id "b"`, `1:8 node shape "x" lean-left`,
			`1:13 node id "c"`, `1:14 node shape "x" trapezoid`, `1:19 node id "d"`, `1:20 node shape "x" trapezoid-alt`,
			`1:25 node id "e"`, `1:26 node shape "/usr" rect`, `1:32 end of input ""`}},
		{"quoted text may hold brackets", "A[\"a [b] (c)\"] --> B([\"`**md**`\"])", []string{
			`1:1 node id "A"`, `1:2 node shape "a [b] (c)" rect q1`, `1:16 link "-->" - end=>`,
			`1:20 node id "B"`, `1:21 node shape "**md**" stadium q2`, `1:35 end of input ""`}},
		{"multi-line node text", "A[one\ntwo] --> B", []string{
			`1:1 node id "A"`, `1:2 node shape "one\ntwo" rect`, `2:6 link "-->" - end=>`, `2:10 node id "B"`,
			`2:11 end of input ""`}},
		{"shape data and classes", "A@{ shape: cyl, label: \"x}\" }:::c1 & B", []string{
			`1:1 node id "A"`, `1:2 @{...} " shape: cyl, label: \"x}\" "`, `1:30 ":::" ":::"`, `1:33 node id "c1"`,
			`1:36 "&" "&"`, `1:38 node id "B"`, `1:39 end of input ""`}},
		{"comments and directives", "%%{init: {\n}}%%\nA %% note\n%% all\nB", []string{
			`2:5 newline "\n"`, `3:1 node id "A"`, `3:10 newline "\n"`, `4:7 newline "\n"`, `5:1 node id "B"`,
			`5:2 end of input ""`}},
		{"keywords only at statement start", "subgraph a [T; x]\nend\nA --> end\nclassDef c fill:#f00;\nclass A c", []string{
			`1:1 keyword "subgraph"`, `1:10 text "a [T; x]"`, `1:18 newline "\n"`, `2:1 keyword "end"`,
			`2:4 newline "\n"`, `3:1 node id "A"`, `3:3 link "-->" - end=>`, `3:7 node id "end"`, `3:10 newline "\n"`,
			`4:1 keyword "classDef"`, `4:10 text "c fill:#f00"`, `4:21 ";" ";"`, `4:22 newline "\n"`,
			`5:1 keyword "class"`, `5:7 text "A c"`, `5:10 end of input ""`}},
		{"acc statements", "accTitle: T; x\naccDescr {\n a\n b }\n", []string{
			`1:1 keyword "accTitle"`, `1:11 text "T; x"`, `1:15 newline "\n"`, `2:1 keyword "accDescr"`,
			`2:11 text "a\n b"`, `4:5 newline "\n"`, `5:1 end of input ""`}},
		{"ids with dashes and dots", "my-node.v2 --> b=c", []string{
			`1:1 node id "my-node.v2"`, `1:12 link "-->" - end=>`, `1:16 node id "b=c"`, `1:19 end of input ""`}},
		{"unterminated text", "A[abc", []string{`1:1 node id "A"`, `1:2 illegal character "[" unterminated node text, expected "]"`}},
		{"bracket in text", "A[a(b)]", []string{`1:1 node id "A"`, `1:4 illegal character "(" unexpected "(" in node text, expected "]"`}},
		{"unterminated edge label", "A -- x\nB", []string{`1:1 node id "A"`, `1:3 illegal character "--" unterminated edge label, expected closing arrow such as "-->"`}},
		{"invalid utf-8", "A\xff", []string{`1:1 node id "A"`, `1:2 illegal character "\xff" invalid UTF-8`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := lexAll(tc.src)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("lex %q:\ngot:\n\t%s\nwant:\n\t%s", tc.src, strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
		})
	}
}
