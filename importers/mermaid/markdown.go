package mermaid

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/labeltext"
)

// fence is a fenced code block whose info string starts with "mermaid".
type fence struct {
	startLine int    // 1-based line of the first content line
	body      []byte // content lines, as in the file
	heading   string // text of the nearest heading above the fence
	fenceLine int    // 1-based line of the opening fence
}

// ImportMarkdown imports every ```mermaid block of a Markdown file that is
// a flowchart as its own diagram, named after the nearest heading above it.
// Blocks of other Mermaid diagram types are skipped with a warning (on the
// first diagram). Positions are file lines. A file with no flowchart block
// is an *graph.InputError.
func ImportMarkdown(file string, data []byte, opts Options) ([]*graph.Diagram, error) {
	lim := opts.Limits.WithDefaults()
	if int64(len(data)) > lim.MaxInputBytes {
		return nil, graph.Wrap(file, graph.Position{}, fmt.Sprintf("input is %d bytes, more than the %d allowed", len(data), lim.MaxInputBytes), graph.ErrLimit)
	}
	var out []*graph.Diagram
	var skipped []graph.Warning
	var skippedNames []string
	names := map[string]int{}
	for _, f := range mermaidFences(data) {
		kind, _, rel := diagramTypeLine(f.body)
		switch kind {
		case "flowchart", "graph", "flowchart-elk":
		case "":
			skipped = append(skipped, graph.Warning{Pos: graph.Position{Line: f.fenceLine}, Message: "empty Mermaid block skipped"})
			continue
		default:
			skipped = append(skipped, graph.Warning{Pos: graph.Position{Line: f.startLine + rel}, Message: fmt.Sprintf("Mermaid %s block at line %d skipped: only flowcharts are imported", kind, f.startLine+rel)})
			skippedNames = append(skippedNames, fmt.Sprintf("%s at line %d", kind, f.startLine+rel))
			continue
		}
		d, err := importBlock(file, f.body, f.startLine, lim)
		if err != nil {
			return nil, err
		}
		name := f.heading
		if name == "" {
			name = "diagram " + strconv.Itoa(len(out)+1)
		}
		names[name]++
		if k := names[name]; k > 1 {
			name += " (" + strconv.Itoa(k) + ")"
		}
		d.Name = name
		out = append(out, d)
	}
	if len(out) == 0 {
		msg := "no Mermaid flowchart block (```mermaid fence starting with flowchart or graph) found"
		if len(skippedNames) > 0 {
			msg += "; skipped " + strings.Join(skippedNames, ", ")
		}
		return nil, graph.Errorf(file, graph.Position{}, "%s", msg)
	}
	out[0].Warnings = append(skipped, out[0].Warnings...)
	return out, nil
}

// SniffMarkdown reports whether data contains a ```mermaid (or ~~~mermaid)
// fence.
func SniffMarkdown(data []byte) bool {
	for len(data) > 0 {
		line, rest, _ := cutLine(data)
		if ch, n, info := fenceOpen(line); n > 0 && ch != 0 && isMermaidInfo(info) {
			return true
		}
		data = rest
	}
	return false
}

// fenceOpen recognises a CommonMark fence opening: up to three spaces, then
// three or more backticks or tildes, then the info string.
func fenceOpen(line []byte) (ch byte, n int, info string) {
	s := strings.TrimRight(string(line), "\r")
	i := 0
	for i < len(s) && i < 3 && s[i] == ' ' {
		i++
	}
	if i >= len(s) || (s[i] != '`' && s[i] != '~') {
		return 0, 0, ""
	}
	ch = s[i]
	j := i
	for j < len(s) && s[j] == ch {
		j++
	}
	if j-i < 3 {
		return 0, 0, ""
	}
	info = strings.TrimSpace(s[j:])
	if ch == '`' && strings.Contains(info, "`") {
		return 0, 0, ""
	}
	return ch, j - i, info
}

func isMermaidInfo(info string) bool {
	word := info
	if i := strings.IndexAny(info, " \t{"); i >= 0 {
		word = info[:i]
	}
	return strings.EqualFold(word, "mermaid")
}

// isFenceClose reports whether line closes a fence of n ch characters.
func isFenceClose(line []byte, ch byte, n int) bool {
	s := strings.TrimRight(string(line), " \t\r")
	i := 0
	for i < len(s) && i < 3 && s[i] == ' ' {
		i++
	}
	j := i
	for j < len(s) && s[j] == ch {
		j++
	}
	return j-i >= n && j == len(s)
}

// mermaidFences finds the ```mermaid blocks of a Markdown document and the
// ATX heading above each. A fence left open runs to the end of the file.
func mermaidFences(data []byte) []fence {
	var out []fence
	heading := ""
	lineNo := 0
	off := 0
	for off < len(data) {
		line, _, more := cutLine(data[off:])
		lineNo++
		next := off + len(line) + boolInt(more)
		ch, n, info := fenceOpen(line)
		if n == 0 {
			if h, ok := atxHeading(line); ok {
				heading = h
			}
			off = next
			continue
		}
		// Find the closing fence.
		start, startLine := next, lineNo+1
		end, pos := len(data), next
		for pos < len(data) {
			l, _, m := cutLine(data[pos:])
			lineNo++
			if isFenceClose(l, ch, n) {
				end = pos
				pos += len(l) + boolInt(m)
				break
			}
			pos += len(l) + boolInt(m)
		}
		if isMermaidInfo(info) {
			out = append(out, fence{startLine: startLine, body: data[start:end], heading: heading, fenceLine: startLine - 1})
		}
		off = pos
	}
	return out
}

// atxHeading returns the text of a "# Heading" line.
func atxHeading(line []byte) (string, bool) {
	s := strings.TrimRight(string(line), " \t\r")
	i := 0
	for i < len(s) && i < 3 && s[i] == ' ' {
		i++
	}
	j := i
	for j < len(s) && s[j] == '#' {
		j++
	}
	if j == i || j-i > 6 || (j < len(s) && s[j] != ' ' && s[j] != '\t') {
		return "", false
	}
	text := strings.TrimSpace(s[j:])
	// A closing sequence of #s is not part of the heading.
	if k := strings.TrimRight(text, "#"); k != text && (k == "" || strings.HasSuffix(k, " ") || strings.HasSuffix(k, "\t")) {
		text = strings.TrimSpace(k)
	}
	text = strings.NewReplacer("**", "", "__", "", "`", "").Replace(text)
	return labeltext.OneLine(labeltext.FromHTML(text)), true
}
