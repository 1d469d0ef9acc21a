package mermaid

import (
	"bytes"
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
	data = loneCRToLF(data)
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
		return nil, &graph.InputError{File: file, Msg: msg, Err: graph.ErrNotDiagram}
	}
	out[0].Warnings = append(skipped, out[0].Warnings...)
	// Fold repeated warnings and cap each list, as the draw.io importer
	// does (a file of a thousand empty blocks warns once, with a count).
	for _, d := range out {
		d.AggregateWarnings()
	}
	return out, nil
}

// SniffMarkdown reports whether data contains a ```mermaid (or ~~~mermaid)
// fence.
func SniffMarkdown(data []byte) bool {
	return len(mermaidFences(loneCRToLF(data))) > 0
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
// ATX heading above each. Fences inside block quotes ("> ```mermaid") and
// list items (indented to the item's content) count too; a fence left open
// runs to the end of its container, or of the file.
func mermaidFences(data []byte) []fence {
	var out []fence
	var ctx mdContext
	lineNo, off := 0, 0
	for off < len(data) {
		line, _, more := cutLine(data[off:])
		lineNo++
		next := off + len(line) + boolInt(more)
		op, ok := ctx.line(line)
		if !ok {
			if h, isH := atxHeading(line[ctx.contentOff(line):]); isH {
				ctx.heading = h
			}
			off = next
			continue
		}
		body, end, lines := fenceBody(data, next, op)
		if isMermaidInfo(op.info) {
			out = append(out, fence{startLine: lineNo + 1, body: body, heading: ctx.heading, fenceLine: lineNo})
		}
		lineNo += lines
		off = end
	}
	return out
}

// mdContext tracks the Markdown containers a line is in, as far as fences
// need: block quotes and list items.
type mdContext struct {
	quotes     int  // block-quote depth of the previous line
	listIndent int  // content column of the open list item, 0 if none
	prevBlank  bool // the previous line was blank
	heading    string
}

// openFence is a fence opening found by mdContext.line.
type openFence struct {
	ch     byte
	n      int
	info   string
	quotes int // block quotes the fence is in
	indent int // bytes of the line, after the quote markers, that precede the content
}

// contentOff returns the offset of line's content after its block-quote
// markers.
func (c *mdContext) contentOff(line []byte) int {
	_, off := quotePrefix(line)
	return off
}

// line reads one line outside a fence; ok reports that it opens one.
func (c *mdContext) line(line []byte) (op openFence, ok bool) {
	q, qoff := quotePrefix(line)
	rest := line[qoff:]
	w := indentOf(rest)
	blank := w == len(bytes.TrimRight(rest, "\r"))
	if q != c.quotes {
		c.quotes, c.listIndent = q, 0
	}
	if !blank && w < c.listIndent && c.prevBlank {
		c.listIndent = 0 // a paragraph after a blank line ends the item
	}
	c.prevBlank = blank
	base := 0
	if w >= c.listIndent {
		base = c.listIndent
	}
	if w-base >= 4 {
		return op, false // indented code
	}
	if m := listMarker(rest[w:]); m > 0 {
		c.listIndent = w + m
		base = c.listIndent
		if base > len(rest) {
			return op, false
		}
	}
	ch, n, info := fenceOpen(rest[base:])
	if n == 0 {
		return op, false
	}
	return openFence{ch: ch, n: n, info: info, quotes: q, indent: base}, true
}

// fenceBody reads the content of a fence opened by op, from offset start
// to its closing fence or the end of its container. It returns the
// content, with block-quote markers blanked so that columns stay those of
// the file, the offset after the fence and the number of lines read.
func fenceBody(data []byte, start int, op openFence) (body []byte, end, lines int) {
	pos, stop := start, len(data)
	for pos < len(data) {
		l, _, m := cutLine(data[pos:])
		q, qoff := quotePrefix(l)
		rest := l[qoff:]
		if op.quotes > 0 && q < op.quotes {
			stop = pos // the block quote ended
			break
		}
		w := indentOf(rest)
		if op.indent > 0 && w < op.indent && w < len(bytes.TrimRight(rest, "\r")) {
			stop = pos // the list item ended
			break
		}
		lines++
		if isFenceClose(rest[min(w, op.indent):], op.ch, op.n) {
			stop = pos
			pos += len(l) + boolInt(m)
			return blankQuotes(data[start:stop], op.quotes), pos, lines
		}
		pos += len(l) + boolInt(m)
	}
	return blankQuotes(data[start:stop], op.quotes), stop, lines
}

// blankQuotes returns body with the first quotes block-quote markers of
// every line replaced by spaces (a copy; body itself when quotes is 0).
func blankQuotes(body []byte, quotes int) []byte {
	if quotes == 0 {
		return body
	}
	out := bytes.Clone(body)
	for off := 0; off < len(out); {
		l, _, more := cutLine(out[off:])
		k, end := 0, 0
		for k < quotes {
			_, e := quotePrefixN(l, 1, end)
			if e == end {
				break
			}
			end, k = e, k+1
		}
		for i := 0; i < end; i++ {
			if l[i] != '\t' {
				l[i] = ' '
			}
		}
		off += len(l) + boolInt(more)
	}
	return out
}

// quotePrefix counts the block-quote markers ("> ") that start line and
// returns the offset just past them.
func quotePrefix(line []byte) (depth, off int) {
	return quotePrefixN(line, -1, 0)
}

// quotePrefixN reads at most max markers (all when max < 0) from offset
// from.
func quotePrefixN(line []byte, max, from int) (depth, off int) {
	off = from
	for max < 0 || depth < max {
		j := off
		for j < len(line) && j-off < 3 && line[j] == ' ' {
			j++
		}
		if j >= len(line) || line[j] != '>' {
			break
		}
		j++
		if j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		depth, off = depth+1, j
	}
	return depth, off
}

// indentOf counts the spaces and tabs that start s.
func indentOf(s []byte) int {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// listMarker returns the width of a list-item marker at the start of s
// ("- ", "* ", "+ ", "1. ", "2) ") with the spaces after it, or 0.
func listMarker(s []byte) int {
	i := 0
	switch {
	case len(s) > 0 && (s[0] == '-' || s[0] == '*' || s[0] == '+'):
		i = 1
	default:
		for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i >= len(s) || (s[i] != '.' && s[i] != ')') {
			return 0
		}
		i++
	}
	if i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' {
		return 0
	}
	sp := indentOf(s[i:])
	if sp == 0 || sp > 4 {
		sp = 1 // content indented 5+ is indented code: the item starts after one space
	}
	return i + sp
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
