package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/gitignore"
)

// input is one file to analyse.
type input struct {
	path string
	// inFolder is set for a file found by scanning a folder, as opposed to
	// one named on the command line: a folder scan skips files that hold
	// no diagram, a named file that holds none fails.
	inFolder bool
	// skip says why a folder scan skips the file without reading it (a
	// dangling symlink); "" to analyse it.
	skip string
}

// scanOptions select the files of a folder scan.
type scanOptions struct {
	include, exclude []string // doublestar globs, matched against the path below the folder or the base name
	gitignore        bool     // honour .gitignore files
}

// checkGlobs reports a malformed --include or --exclude pattern.
func (o scanOptions) checkGlobs() error {
	for _, g := range append(append([]string(nil), o.include...), o.exclude...) {
		if !doublestar.ValidatePattern(g) {
			return usagef("bad glob %q in --include or --exclude", g)
		}
	}
	return nil
}

// globMatch reports whether rel (slash-separated, below the scanned folder)
// matches one of globs. A glob without a slash also matches the base name,
// so that --exclude '*.svg' works at any depth.
func globMatch(globs []string, rel string) bool {
	base := rel[strings.LastIndexByte(rel, '/')+1:]
	for _, g := range globs {
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
		if !strings.Contains(g, "/") {
			if ok, _ := doublestar.Match(g, base); ok {
				return true
			}
		}
	}
	return false
}

// expandInputs replaces folders by the supported diagrams below them,
// sorted, and drops duplicates. Files named on the command line are kept
// as they are (reading them reports any error).
func expandInputs(args []string, opt scanOptions) ([]input, error) {
	var files []input
	seen := map[string]bool{}
	add := func(in input) {
		if !seen[in.path] {
			seen[in.path] = true
			files = append(files, in)
		}
	}
	for _, a := range args {
		if a == "-" {
			add(input{path: a})
			continue
		}
		fi, err := os.Stat(a)
		if err != nil || !fi.IsDir() {
			add(input{path: a})
			continue
		}
		found, err := scanFolder(a, opt)
		if err != nil {
			return nil, &graph.InputError{File: a, Msg: "cannot read folder: " + errText(err), Err: err}
		}
		if len(found) == 0 {
			return nil, graph.Errorf(a, graph.Position{}, "no supported diagrams in this folder")
		}
		for _, f := range found {
			add(f)
		}
	}
	return files, nil
}

// scanFolder lists the supported diagrams below dir, sorted by path,
// leaving out hidden folders, what .gitignore ignores and what the globs
// exclude.
func scanFolder(dir string, opt scanOptions) ([]input, error) {
	ign, err := newIgnorer(dir, opt.gitignore)
	if err != nil {
		return nil, err
	}
	var found []input
	err = filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if de.IsDir() {
			if p == dir {
				return ign.enter(p)
			}
			if strings.HasPrefix(de.Name(), ".") || ign.ignored(p, true) || globMatch(opt.exclude, rel) {
				return filepath.SkipDir
			}
			return ign.enter(p)
		}
		if !supportedExt(de.Name()) || ign.ignored(p, false) || globMatch(opt.exclude, rel) ||
			len(opt.include) > 0 && !globMatch(opt.include, rel) {
			return nil
		}
		in := input{path: p, inFolder: true}
		if de.Type()&fs.ModeSymlink != 0 {
			switch st, err := os.Stat(p); {
			case err != nil:
				in.skip = "dangling symlink (" + errText(err) + ")"
			case st.IsDir():
				return nil // folders behind symlinks are not followed
			}
		} else if !de.Type().IsRegular() {
			return nil // sockets, pipes, devices
		}
		found = append(found, in)
		return nil
	})
	sort.Slice(found, func(i, j int) bool { return found[i].path < found[j].path })
	return found, err
}

// ignorer applies the .gitignore files of a scanned folder, of the folders
// below it and, inside a git work tree, of its parents up to the top of the
// work tree. Paths are matched relative to base (the work tree's top, or
// the folder itself outside a work tree).
type ignorer struct {
	on       bool
	base     string
	patterns gitignore.Matcher
}

func newIgnorer(dir string, on bool) (*ignorer, error) {
	ig := &ignorer{on: on}
	if !on {
		return ig, nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	ig.base = abs
	// Look up for the top of a git work tree; its .gitignore files down
	// to dir apply too.
	var parents []string
	for d := abs; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			ig.base = d
			break
		}
		up := filepath.Dir(d)
		if up == d {
			parents = nil // not in a work tree: only dir's own files apply
			break
		}
		parents = append(parents, up)
		d = up
	}
	for i := len(parents) - 1; i >= 0; i-- {
		if err := ig.read(parents[i]); err != nil {
			return nil, err
		}
	}
	return ig, nil
}

// parts returns p as path elements below the base.
func (ig *ignorer) parts(p string) []string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil
	}
	rel, err := filepath.Rel(ig.base, abs)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return nil
	}
	return strings.Split(filepath.ToSlash(rel), "/")
}

// enter reads the .gitignore of folder dir, when there is one.
func (ig *ignorer) enter(dir string) error {
	if !ig.on {
		return nil
	}
	return ig.read(dir)
}

func (ig *ignorer) read(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, ".gitignore"), err)
	}
	domain := ig.parts(dir)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if p, ok := gitignore.ParsePattern(sc.Text(), domain); ok {
			ig.patterns = append(ig.patterns, p)
		}
	}
	return nil
}

// ignored reports whether the .gitignore files read so far ignore p.
func (ig *ignorer) ignored(p string, isDir bool) bool {
	if !ig.on || len(ig.patterns) == 0 {
		return false
	}
	parts := ig.parts(p)
	return parts != nil && ig.patterns.Match(parts, isDir)
}

// notADiagram says why data, found by a folder scan, holds no diagram at
// all (a plain image, a pom.xml); "" when it should be analysed. Broken
// diagrams are analysed, and fail.
func notADiagram(file string, data []byte, forced string) string {
	f, err := importers.Detect(file, data, forced)
	if err != nil {
		if _, ok := errors.AsType[*importers.UnknownFormatError](err); ok {
			return "not a diagram (neither its name nor its content is a supported format)"
		}
		return ""
	}
	lower := strings.ToLower(file)
	if forced == "" && (strings.HasSuffix(lower, ".png") || strings.HasSuffix(lower, ".svg")) && !f.Sniff(data) {
		return "an image without an embedded draw.io diagram"
	}
	return ""
}

func supportedExt(name string) bool {
	lower := strings.ToLower(name)
	for _, f := range importers.Formats() {
		for _, ext := range f.Extensions {
			if strings.HasSuffix(lower, ext) {
				return true
			}
		}
	}
	return false
}
