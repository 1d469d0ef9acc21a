package mermaid

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// Options configure an import.
type Options struct {
	// Limits bound the input; zero fields take graph's defaults.
	Limits graph.Limits
}

// Import reads a Mermaid flowchart file (.mmd) and returns its single
// diagram. Syntax errors are *graph.InputError values naming
// file:line:column, the offending token and what was expected.
func Import(file string, data []byte, opts Options) ([]*graph.Diagram, error) {
	lim := opts.Limits.WithDefaults()
	if int64(len(data)) > lim.MaxInputBytes {
		return nil, graph.Wrap(file, graph.Position{}, fmt.Sprintf("input is %d bytes, more than the %d allowed", len(data), lim.MaxInputBytes), graph.ErrLimit)
	}
	d, err := importBlock(file, loneCRToLF(data), 1, lim)
	if err != nil {
		return nil, err
	}
	// A generated file can repeat one problem thousands of times: fold
	// repeats and cap the list, as the draw.io importer does.
	d.AggregateWarnings()
	return []*graph.Diagram{d}, nil
}

// importBlock parses one flowchart whose first line is line firstLine of
// file.
func importBlock(file string, src []byte, firstLine int, lim graph.Limits) (*graph.Diagram, error) {
	off := 0
	if bytes.HasPrefix(src, []byte("\uFEFF")) {
		off = 3
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line := firstLine + bytes.Count(src[:i], []byte("\n"))
		col := i - bytes.LastIndexByte(src[:i], '\n')
		return nil, graph.Errorf(file, graph.Position{Line: line, Column: col}, "NUL byte in Mermaid input")
	}
	d := graph.New(file, "mermaid")
	title, bodyOff, bodyLine, err := frontMatter(src, off)
	if err != nil {
		return nil, graph.Errorf(file, graph.Position{Line: firstLine, Column: 1}, "%v", err)
	}
	d.Title = title
	p := newParser(file, lim)
	if err := p.parse(src, bodyOff, firstLine+bodyLine); err != nil {
		return nil, err
	}
	if err := p.build(d); err != nil {
		return nil, err
	}
	return d, nil
}

// frontMatter recognises YAML front matter ("---" lines) at off and
// returns its top-level title, where the body starts and the number of
// lines skipped.
func frontMatter(src []byte, off int) (title string, bodyOff, lines int, err error) {
	first, _, more := cutLine(src[off:])
	if !more || strings.TrimRight(string(first), " \t\r") != "---" {
		return "", off, 0, nil
	}
	pos := off + len(first) + 1
	lines = 1
	for pos <= len(src) {
		line, _, more := cutLine(src[pos:])
		lines++
		s := strings.TrimRight(string(line), " \t\r")
		if s == "---" {
			return title, pos + len(line) + boolInt(more), lines, nil
		}
		if v, ok := strings.CutPrefix(s, "title:"); ok {
			t, _ := unquoteYAML(strings.TrimSpace(v))
			title = t
		}
		if !more {
			break
		}
		pos += len(line) + 1
	}
	return "", off, 0, fmt.Errorf(`unterminated front matter, expected a closing "---" line`)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// loneCRToLF returns data with every CR that is not followed by LF (the
// line ending of old Mac files) turned into LF, so that lines, columns and
// byte offsets stay those of the file. data is returned as it is when it
// has no lone CR, and is never modified.
func loneCRToLF(data []byte) []byte {
	var out []byte
	for i := bytes.IndexByte(data, '\r'); i >= 0; {
		if i+1 >= len(data) || data[i+1] != '\n' {
			if out == nil {
				out = bytes.Clone(data)
			}
			out[i] = '\n'
		}
		j := bytes.IndexByte(data[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if out == nil {
		return data
	}
	return out
}

// cutLine splits b at its first line break; ok reports that there was one.
func cutLine(b []byte) (line, rest []byte, ok bool) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i], b[i+1:], true
	}
	return b, nil, false
}

// Sniff reports whether data looks like a Mermaid flowchart: after blank
// lines, %% comments, %%{init}%% directives and front matter, its first word
// is "flowchart", "flowchart-elk" or "graph".
//
// The rest of that line must be empty or a direction, so that a DOT file
// ("graph G { a -- b }") is not taken for Mermaid.
func Sniff(data []byte) bool {
	kind, rest := diagramType(loneCRToLF(data))
	if kind != "flowchart" && kind != "graph" && kind != "flowchart-elk" {
		return false
	}
	rest, _, _ = strings.Cut(rest, "%%")
	rest = strings.TrimSpace(rest)
	if rest == "" || rest[0] == ';' {
		return true
	}
	word, _, _ := strings.Cut(rest, ";")
	_, ok := directions[strings.TrimSpace(word)]
	return ok
}

// diagramType returns the first word of a Mermaid text (its diagram type)
// and the rest of its line.
func diagramType(data []byte) (kind, rest string) {
	kind, rest, _ = diagramTypeLine(data)
	return kind, rest
}

// diagramTypeLine is diagramType that also returns the 0-based line of the
// type word.
func diagramTypeLine(data []byte) (kind, rest string, lineNo int) {
	b := bytes.TrimPrefix(data, []byte("\uFEFF"))
	line := 0
	if _, off, n, err := frontMatter(b, 0); err == nil && n > 0 {
		b, line = b[off:], n
	}
	inDirective := false
	for len(b) > 0 {
		l, rest, _ := cutLine(b)
		s := strings.TrimSpace(string(l))
		switch {
		case inDirective:
			inDirective = !strings.Contains(s, "}%%")
		case strings.HasPrefix(s, "%%{"):
			inDirective = !strings.Contains(s[3:], "}%%")
		case s == "" || strings.HasPrefix(s, "%%"):
		default:
			end := strings.IndexAny(s, " \t;")
			if end < 0 {
				end = len(s)
			}
			return s[:end], s[end:], line
		}
		b = rest
		line++
	}
	return "", "", line
}
