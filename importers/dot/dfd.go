package dot

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// Data-flow-diagram notation. The classic notations (Yourdon/DeMarco,
// Gane-Sarson) draw an external entity as a square or rectangle, a process
// as a circle (Gane-Sarson: a rounded box) and a data store open-ended:
// two parallel lines, or a box open on one side. pytm, the commonest
// source of DFDs in DOT, writes them so: Actor, ExternalEntity and plain
// Elements as shape=square, Process and Server as shape=circle,
// SetOfProcesses as shape=doublecircle, Lambda as a rounded rectangle (an
// image lambda.png before 2021), and Datastore as a shapeless node whose
// HTML-table label has sides="TB" (before 2021) or as the image
// datastore*.png with its name as xlabel (since). Its node ids read
// "<class>_<name>_<10 hex digits>" since 2020.
//
// Box, circle and square are also Graphviz's everyday shapes, so they are
// read as DFD kinds only when the file shows that it uses the notation: it
// draws a data store the DFD way (an open-ended table, pytm's store image)
// or its node ids are pytm's. A cylinder says "store" in any notation and
// is left to the shape reading downstream.

// glyph is what a node's drawing says in DFD notation.
type glyph struct {
	c    *graph.Component
	kind graph.Kind
	// what is the evidence ("shape \"square\"").
	what string
	// box: a plain rectangle, an external entity in the notation but also
	// Graphviz's everyday box (warned about as ambiguous).
	box bool
}

// pytmClass maps the class prefix of pytm's node ids to a kind.
var pytmClass = map[string]graph.Kind{
	"actor": graph.KindExternal, "externalentity": graph.KindExternal,
	"process": graph.KindProcess, "server": graph.KindProcess, "lambda": graph.KindProcess,
	"setofprocesses": graph.KindProcess, "agent": graph.KindProcess, "llm": graph.KindProcess,
	"datastore": graph.KindDataStore,
}

// pytmID returns the pytm class named by a node id of pytm's form
// ("datastore_SQLDatabase_0291419f72": "datastore"), or "".
func pytmID(id string) string {
	i := strings.IndexByte(id, '_')
	j := strings.LastIndexByte(id, '_')
	if i <= 0 || j <= i || len(id)-j-1 != 10 {
		return ""
	}
	for _, r := range id[j+1:] {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return ""
		}
	}
	for _, r := range id[i+1 : j] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return ""
		}
	}
	class := id[:i]
	if _, ok := pytmClass[class]; ok || class == "asset" || class == "element" {
		return class
	}
	return ""
}

// openSides returns the sides attribute of an HTML label's outermost
// table when it draws an open-ended box: top and bottom, and not both
// left and right ("TB", "LTB"); "" otherwise.
func openSides(html string) string {
	low := strings.ToLower(html)
	i := strings.Index(low, "<table")
	if i < 0 {
		return ""
	}
	end := strings.IndexByte(low[i:], '>')
	if end < 0 {
		return ""
	}
	tag := low[i : i+end]
	k := strings.Index(tag, "sides")
	if k < 0 {
		return ""
	}
	rest := strings.TrimLeft(tag[k+len("sides"):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	j := strings.IndexByte(rest[1:], q)
	if j < 0 {
		return ""
	}
	v := strings.ToUpper(rest[1 : 1+j])
	if strings.Trim(v, "LRTB") != "" || !strings.Contains(v, "T") || !strings.Contains(v, "B") ||
		strings.Contains(v, "L") && strings.Contains(v, "R") {
		return ""
	}
	return v
}

// glyph reads what node n's drawing means in DFD notation, and whether it
// shows by itself that the file uses the notation (a store drawn the DFD
// way, a pytm node id).
func (b *builder) glyph(n *nodeRec, c *graph.Component) (g glyph, shows string) {
	g.c = c
	if raw, ok := n.get("label"); ok && raw.html {
		if s := openSides(b.text(raw)); s != "" {
			g.kind, g.what = graph.KindDataStore, "an open-ended box (HTML table with sides=\""+s+"\")"
			return g, "the file draws " + strconv.Quote(oneLine(c.Label)) + " as " + g.what
		}
	}
	if img := strings.ToLower(path.Base(strings.ReplaceAll(c.Attributes["image"], `\`, "/"))); strings.HasSuffix(img, ".png") {
		switch {
		case strings.HasPrefix(img, "datastore"):
			g.kind, g.what = graph.KindDataStore, "pytm's data-store image "+strconv.Quote(img)
			return g, "the file draws " + strconv.Quote(oneLine(c.Label)) + " as " + g.what
		case strings.HasPrefix(img, "lambda"):
			g.kind, g.what = graph.KindProcess, "pytm's lambda image "+strconv.Quote(img)
			return g, "the file draws " + strconv.Quote(oneLine(c.Label)) + " as " + g.what
		}
	}
	if class := pytmID(c.ID); class != "" {
		shows = "the file's node ids are pytm's (" + strconv.Quote(c.ID) + ")"
	}
	shape := strings.ToLower(strings.TrimSpace(c.Shape))
	rounded := false
	for _, st := range strings.Split(strings.ToLower(c.Attributes["style"]), ",") {
		rounded = rounded || strings.TrimSpace(st) == "rounded"
	}
	switch {
	case shape == "circle" || shape == "doublecircle" || shape == "mcircle":
		g.kind, g.what = graph.KindProcess, "shape "+strconv.Quote(c.Shape)
	case (shape == "box" || shape == "rect" || shape == "rectangle" || shape == "square") && rounded:
		g.kind, g.what = graph.KindProcess, "shape "+strconv.Quote(c.Shape)+" with rounded corners"
	case shape == "square" || shape == "msquare":
		g.kind, g.what = graph.KindExternal, "shape "+strconv.Quote(c.Shape)
	case shape == "box" || shape == "rect" || shape == "rectangle":
		g.kind, g.what, g.box = graph.KindExternal, "shape "+strconv.Quote(c.Shape), true
	default:
		if class := pytmID(c.ID); class != "" && pytmClass[class] != "" {
			g.kind, g.what = pytmClass[class], "pytm element class "+strconv.Quote(class)+" (its node id)"
		}
	}
	return g, shows
}

// readNotation gives the components their DFD kinds when the file uses
// the notation (b.dfdWhy), with the evidence; a component whose kind an
// attribute states keeps it. Plain rectangles, external entities in the
// notation but Graphviz's everyday box, are read so with one warning.
func (b *builder) readNotation() {
	if b.dfdWhy == "" {
		return
	}
	var boxes []string
	var at graph.Position
	for _, g := range b.glyphs {
		if g.kind == graph.KindUnknown || g.c.Kind != graph.KindUnknown {
			continue
		}
		g.c.Kind = g.kind
		g.c.KindEvidence = g.what + " in data-flow-diagram notation (" + kindName(g.kind) + "): " + b.dfdWhy
		if g.box {
			if len(boxes) == 0 {
				at = g.c.Pos
			}
			boxes = append(boxes, strconv.Quote(oneLine(g.c.Label)))
		}
	}
	if len(boxes) > 0 {
		more := ""
		if len(boxes) > 3 {
			more = fmt.Sprintf(" and %d more", len(boxes)-3)
			boxes = boxes[:3]
		}
		b.d.Warn(at, "%s%s drawn as plain boxes in a data-flow diagram (%s) read as external entities, as the notation draws them; set kind=process on a node that is the system's own", strings.Join(boxes, ", "), more, b.dfdWhy)
	}
}

func kindName(k graph.Kind) string {
	switch k {
	case graph.KindExternal:
		return "external entity"
	case graph.KindDataStore:
		return "data store"
	}
	return string(k)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
