// Package gitignore decides which paths the .gitignore files of a folder
// tree ignore, with the semantics git documents in gitignore(5): blank
// lines and "#" comments, trailing spaces dropped unless escaped, "!"
// negation with the last matching pattern deciding, a trailing "/" for
// directories only, patterns with a "/" anchored to their file's folder,
// "*", "?", bracket expressions (ranges, "!"/"^" negation, POSIX classes),
// backslash escapes, and "**" for any number of folders. A path inside an
// ignored folder is ignored whatever later patterns say of it, as in git,
// which never looks inside an excluded folder.
//
// It replaces go-git's matcher, whose package pulled go-git's
// configuration reader and with it encoding/gob into every threatmap
// process (issue 19: start-up cost).
package gitignore

import "strings"

// Pattern is one line of a .gitignore file.
type Pattern struct {
	domain   []string // the folder of the .gitignore file, as path elements
	segs     []string // the pattern split at "/"; one element when not anchored
	negate   bool     // "!pattern": re-include
	dirOnly  bool     // "pattern/": directories only
	anchored bool     // the pattern holds a "/" before its end: matched from domain
}

// ParsePattern parses one line of the .gitignore file of the folder domain
// (its path elements below the top of the tree). ok is false for lines that
// hold no pattern: blank lines, comments and a lone "/" or "!".
func ParsePattern(line string, domain []string) (p Pattern, ok bool) {
	line = strings.TrimSuffix(line, "\r")
	if strings.HasPrefix(line, "#") {
		return Pattern{}, false
	}
	line = trimTrailingSpaces(line)
	if strings.HasPrefix(line, "!") {
		p.negate = true
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		p.dirOnly = true
		line = strings.TrimRight(line, "/")
	}
	if line == "" {
		return Pattern{}, false
	}
	if strings.Contains(line, "/") {
		p.anchored = true
		line = strings.TrimPrefix(line, "/")
		p.segs = strings.Split(line, "/")
	} else {
		p.segs = []string{line}
	}
	p.domain = append([]string(nil), domain...)
	return p, true
}

// trimTrailingSpaces drops the spaces at the end of line that no backslash
// escapes.
func trimTrailingSpaces(line string) string {
	end := len(line)
	for end > 0 && line[end-1] == ' ' {
		// A space is kept when an odd number of backslashes precedes it.
		n := 0
		for i := end - 2; i >= 0 && line[i] == '\\'; i-- {
			n++
		}
		if n%2 == 1 {
			break
		}
		end--
	}
	return line[:end]
}

// matches reports whether p matches path (elements below the top of the
// tree), a directory when isDir, and whether it applies there at all.
func (p Pattern) matches(path []string, isDir bool) bool {
	if len(path) <= len(p.domain) {
		return false
	}
	for i, d := range p.domain {
		if path[i] != d {
			return false
		}
	}
	if p.dirOnly && !isDir {
		return false
	}
	rel := path[len(p.domain):]
	if !p.anchored {
		return wildmatch(p.segs[0], rel[len(rel)-1])
	}
	return matchSegs(p.segs, rel)
}

// matchSegs matches pattern segments against path elements; "**" as a
// whole segment matches any number of elements (at least one at the end
// of the pattern: "dir/**" matches what is inside dir, not dir itself).
// It fills a table of which pattern suffixes match which path suffixes,
// so a pattern with many "**" costs len(segs)*len(path)^2 at most, never
// exponential time.
func matchSegs(segs, path []string) bool {
	// ok[i*(n+1)+j]: segs[i:] matches path[j:].
	n := len(path)
	ok := make([]bool, (len(segs)+1)*(n+1))
	ok[len(segs)*(n+1)+n] = true
	for i := len(segs) - 1; i >= 0; i-- {
		for j := n; j >= 0; j-- {
			var m bool
			switch {
			case segs[i] == "**" && i == len(segs)-1:
				m = j < n
			case segs[i] == "**":
				for k := j; k <= n && !m; k++ {
					m = ok[(i+1)*(n+1)+k]
				}
			default:
				m = j < n && ok[(i+1)*(n+1)+j+1] && wildmatch(segs[i], path[j])
			}
			ok[i*(n+1)+j] = m
		}
	}
	return ok[0]
}

// Matcher holds the patterns of every .gitignore file read, in the order
// git reads them: a parent folder's file before its children's, lines in
// file order.
type Matcher []Pattern

// Match reports whether path (elements below the top of the tree; a
// directory when isDir) is ignored: some folder above it is, or the last
// pattern that matches it is not a negation.
func (m Matcher) Match(path []string, isDir bool) bool {
	for i := 1; i < len(path); i++ {
		if m.decide(path[:i], true) {
			return true
		}
	}
	return len(path) > 0 && m.decide(path, isDir)
}

// decide applies the last pattern that matches path itself.
func (m Matcher) decide(path []string, isDir bool) bool {
	for i := len(m) - 1; i >= 0; i-- {
		if m[i].matches(path, isDir) {
			return !m[i].negate
		}
	}
	return false
}
