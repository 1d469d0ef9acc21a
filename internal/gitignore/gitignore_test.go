package gitignore

import (
	"strings"
	"testing"
)

// matcher builds a Matcher from .gitignore files given as folder ("" for
// the top) and content, in the order git reads them.
func matcher(files ...[2]string) Matcher {
	var m Matcher
	for _, f := range files {
		var domain []string
		if f[0] != "" {
			domain = strings.Split(f[0], "/")
		}
		for _, line := range strings.Split(f[1], "\n") {
			if p, ok := ParsePattern(line, domain); ok {
				m = append(m, p)
			}
		}
	}
	return m
}

// The cases follow gitignore(5); when they were written each was also
// checked against `git status --porcelain --ignored` (git 2.39) on a
// scratch repository holding the same files.
func TestMatch(t *testing.T) {
	top := func(s string) [][2]string { return [][2]string{{"", s}} }
	cases := []struct {
		name    string
		files   [][2]string
		path    string
		isDir   bool
		ignored bool
	}{
		{"plain name at top", top("draft.dot"), "draft.dot", false, true},
		{"plain name at any depth", top("draft.dot"), "a/b/draft.dot", false, true},
		{"plain name is not a prefix", top("draft"), "draft.dot", false, false},
		{"comment", top("#draft.dot"), "#draft.dot", false, false},
		{"escaped hash", top(`\#draft.dot`), "#draft.dot", false, true},
		{"blank line", top("\n   \n"), "x", false, false},
		{"trailing spaces dropped", top("draft.dot   "), "draft.dot", false, true},
		{"escaped trailing space kept", top(`draft\ `), "draft ", false, true},
		{"escaped trailing space is not dropped", top(`draft\ `), "draft", false, false},
		{"CRLF line", top("draft.dot\r"), "draft.dot", false, true},
		{"star", top("*.tmp.dot"), "x/a.tmp.dot", false, true},
		{"star does not cross a slash", top("a/*.dot"), "a/b/c.dot", false, false},
		{"star in an anchored pattern", top("a/*.dot"), "a/c.dot", false, true},
		{"question mark", top("v?.dot"), "v1.dot", false, true},
		{"question mark needs a character", top("v?.dot"), "v.dot", false, false},
		{"range", top("v[0-9].dot"), "v7.dot", false, true},
		{"range miss", top("v[0-9].dot"), "vx.dot", false, false},
		{"negated range !", top("v[!0-9].dot"), "vx.dot", false, true},
		{"negated range ^", top("v[^0-9].dot"), "v7.dot", false, false},
		{"bracket with ] first", top("v[]x].dot"), "v].dot", false, true},
		{"POSIX class", top("v[[:digit:]].dot"), "v3.dot", false, true},
		{"POSIX class miss", top("v[[:upper:]].dot"), "va.dot", false, false},
		{"unclosed bracket matches nothing", top("v[0-9.dot"), "v[0-9.dot", false, false},
		{"escaped star", top(`a\*.dot`), "a*.dot", false, true},
		{"escaped star is literal", top(`a\*.dot`), "ab.dot", false, false},
		{"trailing slash: directory", top("build/"), "build", true, true},
		{"trailing slash: not a file", top("build/"), "build", false, false},
		{"trailing slash: inside the directory", top("build/"), "build/out.dot", false, true},
		{"trailing slash at any depth", top("build/"), "a/build/out.dot", false, true},
		{"leading slash anchors", top("/draft.dot"), "draft.dot", false, true},
		{"leading slash: not deeper", top("/draft.dot"), "a/draft.dot", false, false},
		{"middle slash anchors", top("a/draft.dot"), "a/draft.dot", false, true},
		{"middle slash: not deeper", top("a/draft.dot"), "x/a/draft.dot", false, false},
		{"anchored directory covers its files", top("docs/old"), "docs/old/a.dot", false, true},
		{"leading **", top("**/old.dot"), "a/b/old.dot", false, true},
		{"leading ** matches at the top", top("**/old.dot"), "old.dot", false, true},
		{"leading ** with a folder", top("**/old/x.dot"), "p/old/x.dot", false, true},
		{"trailing **", top("old/**"), "old/a/b.dot", false, true},
		{"trailing ** is not the folder itself", top("old/**"), "old", true, false},
		{"trailing ** lets a later pattern re-include", top("old/**\n!old/keep"), "old/keep", false, false},
		{"middle ** zero folders", top("a/**/b.dot"), "a/b.dot", false, true},
		{"middle ** several folders", top("a/**/b.dot"), "a/x/y/b.dot", false, true},
		{"middle ** anchored", top("a/**/b.dot"), "z/a/x/b.dot", false, false},
		{"many ** stay fast", top(strings.Repeat("**/a/", 40) + "b"), strings.Repeat("a/", 60) + "c", false, false},
		{"many ** match", top(strings.Repeat("**/a/", 3) + "b"), "x/a/y/a/a/b", false, true},
		{"other ** is a star", top("a**.dot"), "abc.dot", false, true},
		{"negation re-includes", top("*.dot\n!keep.dot"), "keep.dot", false, false},
		{"last match wins", top("!keep.dot\n*.dot"), "keep.dot", false, true},
		{"escaped bang", top(`\!keep.dot`), "!keep.dot", false, true},
		{"no re-include inside an excluded folder", top("build/\n!build/keep.dot"), "build/keep.dot", false, true},
		{"re-include a folder's file when only its files are excluded", top("build/*\n!build/keep.dot"), "build/keep.dot", false, false},
		{"lone slash", top("/"), "x", false, false},
		{"lone bang", top("!"), "x", false, false},
		{"sub folder's file applies below it",
			[][2]string{{"", ""}, {"arch", "draft.dot"}}, "arch/x/draft.dot", false, true},
		{"sub folder's file does not apply beside it",
			[][2]string{{"arch", "draft.dot"}}, "other/draft.dot", false, false},
		{"sub folder's anchored pattern is relative to it",
			[][2]string{{"arch", "/draft.dot"}}, "arch/draft.dot", false, true},
		{"sub folder's anchored pattern: not deeper",
			[][2]string{{"arch", "/draft.dot"}}, "arch/x/draft.dot", false, false},
		{"sub folder negates the parent's pattern",
			[][2]string{{"", "*.dot"}, {"arch", "!keep.dot"}}, "arch/keep.dot", false, false},
		{"case matters", top("Draft.dot"), "draft.dot", false, false},
		{"? is one byte, as in git", top("d?.dot"), "dé.dot", false, false},
		{"? and * on bytes", top("d??.dot"), "dé.dot", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := matcher(c.files...)
			if got := m.Match(strings.Split(c.path, "/"), c.isDir); got != c.ignored {
				t.Errorf("%q (dir %v) against %q: ignored %v, want %v", c.path, c.isDir, c.files, got, c.ignored)
			}
		})
	}
}

func TestParsePattern(t *testing.T) {
	cases := []struct {
		line string
		ok   bool
		want Pattern
	}{
		{"", false, Pattern{}},
		{"# x", false, Pattern{}},
		{"   ", false, Pattern{}},
		{"a.dot", true, Pattern{segs: []string{"a.dot"}}},
		{"!a/", true, Pattern{segs: []string{"a"}, negate: true, dirOnly: true}},
		{"/a/b", true, Pattern{segs: []string{"a", "b"}, anchored: true}},
		{"a/**/b ", true, Pattern{segs: []string{"a", "**", "b"}, anchored: true}},
	}
	for _, c := range cases {
		p, ok := ParsePattern(c.line, nil)
		if ok != c.ok || strings.Join(p.segs, "/") != strings.Join(c.want.segs, "/") ||
			p.negate != c.want.negate || p.dirOnly != c.want.dirOnly || p.anchored != c.want.anchored {
			t.Errorf("ParsePattern(%q) = %+v, %v; want %+v, %v", c.line, p, ok, c.want, c.ok)
		}
	}
}

func FuzzMatch(f *testing.F) {
	f.Add("a/**/b[!x-z]*.dot", "a/q/bq1.dot")
	f.Add(`\[[[:alpha:]\]`, "[x]")
	f.Fuzz(func(t *testing.T, pattern, path string) {
		m := matcher([2]string{"", pattern})
		m.Match(strings.Split(path, "/"), false)
		m.Match(strings.Split(path, "/"), true)
	})
}
