package visualtest

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/threatmap/threatmap/annotate"
	"github.com/threatmap/threatmap/exporters/svg"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/testcorpus"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/picture"
)

// diagram is one page or block to draw.
type diagram struct {
	name string
	d    *graph.Diagram
	// auto draws a diagram that has its own layout with the automatic
	// one (analyze --layout auto).
	auto bool
}

// inputs lists the example files and, when the shared corpus is present,
// every corpus diagram file.
func inputs(t *testing.T) []string {
	root := testsupport.Root(t)
	var files []string
	ex, err := filepath.Glob(filepath.Join(root, "examples", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ex {
		if fi, err := os.Stat(f); err == nil && !fi.IsDir() {
			files = append(files, f)
		}
	}
	if os.Getenv("THREATMAP_CORPUS") != "" || corpusPresent(root) {
		for _, sub := range []string{"drawio", "dot", "mermaid"} {
			dir := testcorpus.Dir(t, sub)
			fs, _ := filepath.Glob(filepath.Join(dir, "*"))
			files = append(files, fs...)
		}
	} else {
		t.Log("shared corpus absent: checking the examples only")
	}
	sort.Strings(files)
	return files
}

func corpusPresent(root string) bool {
	fi, err := os.Stat(filepath.Join(root, "..", "shared", "corpus"))
	return err == nil && fi.IsDir()
}

// load imports every diagram of the inputs; files that hold none are
// skipped.
func load(t *testing.T) []diagram {
	var out []diagram
	for _, f := range inputs(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := importers.Import(filepath.Base(f), data, importers.Options{})
		if err != nil {
			t.Logf("%s: not a diagram (%v)", filepath.Base(f), err)
			continue
		}
		for _, d := range ds {
			if len(d.Components) == 0 {
				continue
			}
			name := filepath.Base(f)
			if d.Name != "" {
				name += " [" + d.Name + "]"
			}
			out = append(out, diagram{name: name, d: d})
			if d.HasLayout {
				out = append(out, diagram{name: name + " (auto layout)", d: d, auto: true})
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no diagram to draw")
	}
	return out
}

// TestPictureGeometry draws every example and corpus diagram to SVG and
// checks the written SVG's geometry; with Chromium it renders PNGs too
// (kept in THREATMAP_PNG_DIR when set, else a temporary folder).
func TestPictureGeometry(t *testing.T) {
	if testing.Short() {
		t.Skip("draws every example and corpus diagram")
	}
	ds := load(t)
	pngDir := os.Getenv("THREATMAP_PNG_DIR")
	if pngDir == "" {
		pngDir = t.TempDir()
	}
	chromium := findChromium()
	if chromium == "" {
		t.Log("headless Chromium not found (chromium, chromium-browser, google-chrome): PNG rendering skipped; the SVG geometry is still checked")
	}
	var jobs []renderJob
	for i, dg := range ds {
		t.Run(dg.name, func(t *testing.T) {
			r := testsupport.Analyze(t, dg.d)
			p, _ := testsupport.Draw(r, testsupport.DrawOptions{Auto: dg.auto})
			if bad := annotate.BadgeConflicts(p); len(bad) > 0 {
				t.Errorf("badge invariant: %s", strings.Join(bad, "; "))
			}
			if bad := annotate.DerivedLabelConflicts(r, p); len(bad) > 0 {
				t.Errorf("derived label invariant: %s", strings.Join(bad, "; "))
			}
			for _, e := range splitWords(p) {
				t.Error(e)
			}
			var buf bytes.Buffer
			if err := svg.Write(&buf, p); err != nil {
				t.Fatal(err)
			}
			doc, err := parseSVG(buf.Bytes())
			if err != nil {
				t.Fatalf("written SVG does not parse: %v", err)
			}
			if len(doc.components) != len(p.Components) {
				t.Errorf("SVG has %d component boxes, the picture %d", len(doc.components), len(p.Components))
			}
			for _, e := range doc.check() {
				t.Error(e)
			}
			if chromium == "" {
				return
			}
			file := filepath.Join(pngDir, fmt.Sprintf("%02d-%s", i, safeName(dg.name)))
			if err := os.WriteFile(file+".svg", buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			jobs = append(jobs, renderJob{dg.name, file, doc.width, doc.height})
		})
	}
	if chromium == "" || len(jobs) == 0 {
		return
	}
	if os.Getenv("THREATMAP_PNG_DIR") == "" {
		// Chromium takes tens of seconds to start on a busy machine: by
		// default one launch renders every SVG on one contact sheet; set
		// THREATMAP_PNG_DIR to get one PNG per diagram there.
		if err := contactSheet(chromium, pngDir, jobs); err != nil {
			t.Error(err)
		}
		t.Logf("contact sheet of %d diagrams rendered; set THREATMAP_PNG_DIR for one PNG each", len(jobs))
		return
	}
	for _, j := range jobs {
		if err := renderPNG(chromium, j.file+".svg", j.file+".png", int(j.width+0.5), int(j.height+0.5)); err != nil {
			t.Errorf("%s: %v", j.name, err)
		}
	}
	t.Logf("%d PNGs in %s", len(jobs), pngDir)
}

// splitWords returns one line per word of a label, caption or flow label
// that the picture breaks across two lines without a hyphen ("Clie" /
// "nt"): two lines that end and begin with a letter or digit must end
// and begin with whole words of the text.
func splitWords(p *picture.Picture) []string {
	var out []string
	check := func(what, text string, lines []string) {
		norm := strings.Join(strings.Fields(text), " ")
		for i := 1; i < len(lines); i++ {
			a, b := strings.Fields(lines[i-1]), strings.Fields(lines[i])
			if len(a) == 0 || len(b) == 0 {
				continue
			}
			last, first := a[len(a)-1], b[0]
			if !wordEnd(last, true) || !wordEnd(first, false) {
				continue
			}
			if !strings.Contains(norm, last+" "+first) {
				out = append(out, fmt.Sprintf("%s %q is drawn as %q: a word is broken without a hyphen", what, text, lines))
				break
			}
		}
	}
	for _, c := range p.Components {
		check("the label of "+c.ID, c.Label, picture.LabelText(c).Lines)
		if t, ok := picture.CaptionText(c); ok {
			check("the caption of "+c.ID, c.Caption, t.Lines)
		}
	}
	for _, f := range p.Flows {
		check("the label of flow "+f.ID, f.Label, f.LabelLines)
	}
	return out
}

// wordEnd reports whether s ends (last) or begins (!last) with a letter
// or digit.
func wordEnd(s string, last bool) bool {
	var r rune
	if last {
		r, _ = utf8.DecodeLastRuneInString(s)
	} else {
		r, _ = utf8.DecodeRuneInString(s)
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// contactSheet renders every SVG, scaled to a column width, on one page
// in one Chromium launch, and checks the PNG.
func contactSheet(chromium, dir string, jobs []renderJob) error {
	const colW, cols = 480.0, 4
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><body style="margin:0;background:#fff">`)
	rowH, y, x, rowMax := 0.0, 0.0, 0, 0.0
	for k, j := range jobs {
		h := j.height * colW / max(j.width, 1)
		if k%cols == 0 && k > 0 {
			y += rowMax
			rowMax = 0
		}
		x = k % cols
		rowMax = max(rowMax, h)
		fmt.Fprintf(&b, `<img src="%s" style="position:absolute;left:%dpx;top:%dpx;width:%dpx">`,
			filepath.Base(j.file)+".svg", x*int(colW), int(y), int(colW))
	}
	rowH = y + rowMax
	b.WriteString("</body></html>")
	page := filepath.Join(dir, "contact-sheet.html")
	if err := os.WriteFile(page, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return renderPNG(chromium, page, filepath.Join(dir, "contact-sheet.png"), int(colW)*cols, int(rowH+0.5))
}

// renderJob is an SVG written for Chromium to render.
type renderJob struct {
	name, file    string
	width, height float64
}

// box is an axis-aligned rectangle read from the SVG, with its place in
// drawing order.
type box struct {
	id         string
	x, y, w, h float64
	order      int
}

func (b box) overlap(o box) float64 {
	w := min(b.x+b.w, o.x+o.w) - max(b.x, o.x)
	h := min(b.y+b.h, o.y+o.h) - max(b.y, o.y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// holds reports whether o lies inside b, its border included.
func (b box) holds(o box) bool {
	return o.x >= b.x && o.y >= b.y && o.x+o.w <= b.x+b.w && o.y+o.h <= b.y+b.h
}

func (b box) contains(px, py float64) bool {
	return px > b.x+0.5 && px < b.x+b.w-0.5 && py > b.y+0.5 && py < b.y+b.h-0.5
}

// svgDoc is the geometry the checks read from a written SVG.
type svgDoc struct {
	width, height float64
	// fills are the filled container shapes: boundary boxes and
	// components that enclose others.
	fills      []box
	components []box
	badges     []box
	flows      []flowPath
	// texts are what badges must leave readable: component labels, icon
	// captions, boundary titles (boxes estimated from the text's font
	// and measured width), flow label boxes and risk chips.
	texts []box
	// frames are the boundary boxes, whose border a flow may end on.
	frames []box
}

type flowPath struct {
	id    string
	pts   [][2]float64
	order int
}

// check returns one line per violation: a component box or a flow drawn
// under a container fill that overlaps it, a boundary box drawn under a
// fill that encloses it, and overlapping badges.
func (d *svgDoc) check() []string {
	var out []string
	for _, c := range d.components {
		for _, f := range d.fills {
			// A fill inside a component used as a container (a boundary
			// drawn in an unlabelled frame) is what it holds, drawn over
			// its inside as a nested boundary is: it hides no part of it.
			if f.id != c.id && f.order > c.order && f.overlap(c) > 1 && !c.holds(f) {
				out = append(out, fmt.Sprintf("component %s is covered by the fill of %s drawn above it", c.id, f.id))
			}
		}
	}
	for _, b := range d.frames {
		for _, f := range d.fills {
			if f.id != b.id && f.order > b.order && f.contains(b.x+1, b.y+1) && f.contains(b.x+b.w-1, b.y+b.h-1) {
				out = append(out, fmt.Sprintf("boundary %s is covered by the fill of %s drawn above it", b.id, f.id))
			}
		}
	}
	for _, fl := range d.flows {
		for _, f := range d.fills {
			if f.order < fl.order {
				continue
			}
			for _, p := range fl.pts {
				if f.contains(p[0], p[1]) {
					out = append(out, fmt.Sprintf("flow %s is covered by the fill of %s drawn above it", fl.id, f.id))
					break
				}
			}
		}
	}
	for _, fl := range d.flows {
		if len(fl.pts) < 2 {
			continue
		}
		for _, p := range [][2]float64{fl.pts[0], fl.pts[len(fl.pts)-1]} {
			if !d.onShape(p) {
				out = append(out, fmt.Sprintf("flow %s ends at (%.0f, %.0f), on no component and no boundary border", fl.id, p[0], p[1]))
			}
		}
	}
	const title = "the title of boundary "
	for i, a := range d.texts {
		if !strings.HasPrefix(a.id, title) {
			continue
		}
		for k, b := range d.texts {
			if k == i || strings.HasPrefix(b.id, title) && k < i {
				continue
			}
			if a.overlap(b) > 1 {
				out = append(out, fmt.Sprintf("%s overlaps %s", a.id, b.id))
			}
		}
	}
	for i, a := range d.badges {
		for _, b := range d.badges[i+1:] {
			if a.overlap(b) > 0 {
				out = append(out, fmt.Sprintf("badges %s and %s overlap", a.id, b.id))
			}
		}
		for _, t := range d.texts {
			if a.overlap(t) > 1 {
				out = append(out, fmt.Sprintf("badge %s covers %s", a.id, t.id))
			}
		}
	}
	return out
}

// endSlack is how far from a box a flow's end may lie: draw.io's own end
// points may stop short of a shape (layout.endSlack, and a little more).
const endSlack = 13.0

// onShape reports whether a flow ending at p ends on something drawn: in
// or next to a component's box, or on a boundary's border.
func (d *svgDoc) onShape(p [2]float64) bool {
	for _, c := range d.components {
		dx := max(c.x-p[0], p[0]-(c.x+c.w), 0)
		dy := max(c.y-p[1], p[1]-(c.y+c.h), 0)
		if dx <= endSlack && dy <= endSlack {
			return true
		}
	}
	for _, f := range d.frames {
		dx := max(f.x-p[0], p[0]-(f.x+f.w), 0)
		dy := max(f.y-p[1], p[1]-(f.y+f.h), 0)
		in := min(p[0]-f.x, f.x+f.w-p[0], p[1]-f.y, f.y+f.h-p[1])
		if (dx > 0 || dy > 0) && dx <= endSlack && dy <= endSlack || dx == 0 && dy == 0 && in <= endSlack {
			return true
		}
	}
	return false
}

// parseSVG reads the boxes the checks need from the writer's markup: the
// groups with classes tm-boundary, tm-component, tm-flow and
// tm-entry-point, and the first shape in each.
func parseSVG(data []byte) (*svgDoc, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	doc := &svgDoc{}
	var stack []frame
	var txt *textBox
	order := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			order++
			a := attrs(el)
			if txt != nil {
				txt.start(el.Name.Local, a)
				continue
			}
			if el.Name.Local == "text" {
				if what := textKind(a["class"], stack); what != "" {
					txt = newTextBox(what, a)
					continue
				}
			}
			if el.Name.Local == "polygon" && a["class"] == "tm-arrow" {
				doc.texts = append(doc.texts, polygonBox("an arrowhead of "+owner(stack), a["points"], order))
			}
			if el.Name.Local == "rect" && len(stack) > 0 {
				switch top := stack[len(stack)-1]; {
				case top.id == "" && inClass(stack, "tm-severity-chip"):
					doc.texts = append(doc.texts, rectBox("the risk chip of "+owner(stack), a, order))
				case top.id == "" && inClass(stack, "tm-sensitivity"):
					doc.texts = append(doc.texts, rectBox("the data tag of "+owner(stack), a, order))
				case strings.HasSuffix(top.id, "-label") && inClass(stack, "tm-flow-label") && !top.done:
					doc.texts = append(doc.texts, rectBox("the label of flow "+top.id, a, order))
					stack[len(stack)-1].done = true
				}
			}
			if el.Name.Local == "svg" {
				doc.width, doc.height = atof(a["width"]), atof(a["height"])
			}
			if el.Name.Local == "g" {
				stack = append(stack, frame{kind: groupKind(a["class"]), id: a["id"], class: a["class"]})
				continue
			}
			if len(stack) == 0 {
				continue
			}
			top := &stack[len(stack)-1]
			if top.done || top.kind == "" {
				continue
			}
			switch top.kind {
			case "boundary":
				if el.Name.Local == "rect" && a["fill"] != "none" {
					doc.fills = append(doc.fills, rectBox(top.id, a, order))
					doc.frames = append(doc.frames, rectBox(top.id, a, order))
					top.done = true
				} else if el.Name.Local == "path" {
					top.done = true // a line boundary: no fill
				}
			case "component":
				b, ok := shapeBox(top.id, el.Name.Local, a, order)
				if !ok {
					continue
				}
				top.done = true
				doc.components = append(doc.components, b)
				if inContainerGroup(stack) && a["fill"] != "none" {
					doc.fills = append(doc.fills, b)
				}
			case "flow":
				if el.Name.Local == "path" {
					doc.flows = append(doc.flows, flowPath{id: top.id, pts: pathPoints(a["d"]), order: order})
					top.done = true
				}
			case "badge":
				if el.Name.Local == "rect" {
					doc.badges = append(doc.badges, rectBox(top.id, a, order))
					top.done = true
				}
			}
		case xml.CharData:
			if txt != nil {
				txt.chars(string(el))
			}
		case xml.EndElement:
			if txt != nil {
				if el.Name.Local == "text" {
					doc.texts = append(doc.texts, txt.box(owner(stack), order))
					txt = nil
				}
				continue
			}
			if el.Name.Local == "g" && len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	return doc, nil
}

// frame is an open <g>: the kind of element it draws ("" for other
// groups), its id, and whether its first shape was read.
type frame struct {
	kind, id, class string
	done            bool
}

// inClass reports whether an open group has this class.
func inClass(stack []frame, class string) bool {
	for _, f := range stack {
		for _, c := range strings.Fields(f.class) {
			if c == class {
				return true
			}
		}
	}
	return false
}

// owner is the id of the innermost open group that has one.
func owner(stack []frame) string {
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].id != "" {
			return stack[i].id
		}
	}
	return ""
}

// textKind names the text elements badges must not cover, by class:
// component labels, icon captions and boundary titles; "" for others.
func textKind(class string, stack []frame) string {
	for _, c := range strings.Fields(class) {
		switch c {
		case "tm-label":
			return "the label of component "
		case "tm-icon-kind":
			return "the icon caption of "
		case "tm-boundary-label":
			return "the title of boundary "
		}
	}
	return ""
}

// textBox estimates the box a <text> element covers from its anchor, font
// size and the measured width of its lines (tspans with dy start a new
// line; tspans with dx continue the line at another size).
type textBox struct {
	what       string
	x, y, size float64
	anchor     string
	bold       bool
	lines      []float64 // width of each line
	cur        struct {
		size float64
		bold bool
	}
}

func newTextBox(what string, a map[string]string) *textBox {
	t := &textBox{what: what, x: atof(a["x"]), y: atof(a["y"]), size: atof(a["font-size"]), anchor: a["text-anchor"], bold: a["font-weight"] == "bold"}
	t.cur.size, t.cur.bold = t.size, t.bold
	t.lines = []float64{0}
	return t
}

func (t *textBox) start(name string, a map[string]string) {
	if name != "tspan" {
		return
	}
	if dy, ok := a["dy"]; ok && dy != "0" {
		t.lines = append(t.lines, 0)
	}
	t.lines[len(t.lines)-1] += atof(a["dx"])
	t.cur.size, t.cur.bold = t.size, t.bold
	if v := a["font-size"]; v != "" {
		t.cur.size = atof(v)
	}
	if v := a["font-weight"]; v != "" {
		t.cur.bold = v == "bold"
	}
}

func (t *textBox) chars(s string) {
	t.lines[len(t.lines)-1] += textfit.Width(s, t.cur.size, t.cur.bold)
}

func (t *textBox) box(id string, order int) box {
	w := 0.0
	for _, l := range t.lines {
		w = max(w, l)
	}
	x := t.x
	switch t.anchor {
	case "middle":
		x -= w / 2
	case "end":
		x -= w
	}
	top := t.y - t.size*0.92
	return box{id: t.what + id, x: x, y: top, w: w, h: float64(len(t.lines)) * t.size * textfit.LineHeight, order: order}
}

// inGroup reports whether a group with this id is open.
// inContainerGroup reports whether an open group is one of the writer's
// groups of components used as containers ("tm-container-components",
// then "-2", "-3"... when boundaries are drawn between them).
func inContainerGroup(stack []frame) bool {
	for _, f := range stack {
		if f.id == "tm-container-components" || strings.HasPrefix(f.id, "tm-container-components-") {
			return true
		}
	}
	return false
}

func groupKind(class string) string {
	for _, c := range strings.Fields(class) {
		switch c {
		case "tm-boundary":
			return "boundary"
		case "tm-component":
			return "component"
		case "tm-flow":
			return "flow"
		case "tm-entry-point":
			return "badge"
		}
	}
	return ""
}

func attrs(el xml.StartElement) map[string]string {
	m := make(map[string]string, len(el.Attr))
	for _, a := range el.Attr {
		m[a.Name.Local] = a.Value
	}
	return m
}

func atof(s string) float64 {
	v, _ := strconv.ParseFloat(strings.TrimSuffix(s, "px"), 64)
	return v
}

func rectBox(id string, a map[string]string, order int) box {
	return box{id: id, x: atof(a["x"]), y: atof(a["y"]), w: atof(a["width"]), h: atof(a["height"]), order: order}
}

// polygonBox is the bounding box of a polygon's points ("x,y x,y ...").
func polygonBox(id, points string, order int) box {
	var xs, ys []float64
	for _, p := range strings.Fields(points) {
		a, b, _ := strings.Cut(p, ",")
		xs, ys = append(xs, atof(a)), append(ys, atof(b))
	}
	if len(xs) == 0 {
		return box{id: id, order: order}
	}
	x0, y0, x1, y1 := xs[0], ys[0], xs[0], ys[0]
	for i := range xs {
		x0, y0, x1, y1 = min(x0, xs[i]), min(y0, ys[i]), max(x1, xs[i]), max(y1, ys[i])
	}
	return box{id: id, x: x0, y: y0, w: x1 - x0, h: y1 - y0, order: order}
}

// shapeBox is the box of a component's first shape: a rect, or the
// bounding box of the end points of a path's commands (a data store's
// cylinder, slightly inside its drawn outline).
func shapeBox(id, name string, a map[string]string, order int) (box, bool) {
	switch name {
	case "rect":
		return rectBox(id, a, order), true
	case "path":
		pts := pathPoints(a["d"])
		if len(pts) == 0 {
			return box{}, false
		}
		x0, y0, x1, y1 := pts[0][0], pts[0][1], pts[0][0], pts[0][1]
		for _, p := range pts {
			x0, y0, x1, y1 = min(x0, p[0]), min(y0, p[1]), max(x1, p[0]), max(y1, p[1])
		}
		return box{id: id, x: x0, y: y0, w: x1 - x0, h: y1 - y0, order: order}, true
	}
	return box{}, false
}

var pathToken = regexp.MustCompile(`[MLCAVHZmlcavhz]|-?[0-9]*\.?[0-9]+(?:e-?[0-9]+)?`)

// pathPoints reads the end points of the absolute commands the writer
// uses (M, L, C, A, V, H, Z).
func pathPoints(d string) [][2]float64 {
	toks := pathToken.FindAllString(d, -1)
	var pts [][2]float64
	var cur [2]float64
	cmd := ""
	var nums []float64
	flush := func() {
		switch cmd {
		case "M", "L", "C":
			for i := 0; i+1 < len(nums); i += 2 {
				cur = [2]float64{nums[i], nums[i+1]}
				pts = append(pts, cur)
			}
		case "A":
			for i := 0; i+6 < len(nums); i += 7 {
				cur = [2]float64{nums[i+5], nums[i+6]}
				pts = append(pts, cur)
			}
		case "V":
			for _, v := range nums {
				cur = [2]float64{cur[0], v}
				pts = append(pts, cur)
			}
		case "H":
			for _, v := range nums {
				cur = [2]float64{v, cur[1]}
				pts = append(pts, cur)
			}
		}
		nums = nums[:0]
	}
	for _, tk := range toks {
		if strings.ContainsAny(tk, "MLCAVHZmlcavhz") {
			flush()
			cmd = tk
			continue
		}
		nums = append(nums, atof(tk))
	}
	flush()
	return pts
}

func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// findChromium returns the path of a headless-capable Chromium, or "".
func findChromium() string {
	if p := os.Getenv("THREATMAP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// renderPNG screenshots src (an SVG or a page) at w×h and checks that a
// PNG of that size came out.
func renderPNG(chromium, src, dst string, w, h int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	profile, err := os.MkdirTemp("", "threatmap-chromium-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--no-first-run", "--allow-file-access-from-files", "--user-data-dir="+profile, "--screenshot="+dst,
		fmt.Sprintf("--window-size=%d,%d", w, h), "file://"+src)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("chromium: %w\n%s", err, out)
	}
	f, err := os.Open(dst)
	if err != nil {
		return fmt.Errorf("no PNG written: %w", err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		return fmt.Errorf("PNG does not decode: %w", err)
	}
	if cfg.Width != w || cfg.Height != h {
		return fmt.Errorf("PNG is %dx%d, want %dx%d", cfg.Width, cfg.Height, w, h)
	}
	return nil
}

// The checks find what they are for, in markup shaped like the writer's.
func TestChecksCatchCovering(t *testing.T) {
	const doc = `<svg xmlns="http://www.w3.org/2000/svg" width="500" height="300">
<g id="tm-boundaries"><g id="b1" class="tm-boundary"><rect x="0" y="0" width="400" height="200" fill="#eee"/></g>
<g id="b2" class="tm-boundary"><rect x="200" y="120" width="80" height="50" fill="#eee"/></g></g>
<g id="tm-flows"><g id="f1" class="tm-flow"><path d="M10 10 L390 190" fill="none"/></g></g>
<g id="tm-components"><g id="c1" class="tm-component"><rect x="20" y="20" width="50" height="30" fill="#fff"/><text x="45" y="40" font-size="13" text-anchor="middle" font-weight="bold" class="tm-label">Web</text></g>
<g id="c2" class="tm-component"><path d="M100 110 A40 10 0 0 1 180 110 V150 A40 10 0 0 1 100 150 Z" fill="#fff"/></g></g>
<g id="tm-container-components"><g id="big" class="tm-component"><rect x="0" y="0" width="300" height="180" fill="#ddd"/></g></g>
<g id="tm-container-components-2"><g id="pad" class="tm-component"><rect x="420" y="220" width="60" height="60" fill="#ddd"/></g></g>
<g id="tm-boundaries-2"><g id="b3" class="tm-boundary"><rect x="430" y="230" width="40" height="40" fill="#eee"/></g></g>
<g id="tm-entry-points"><g id="e1" class="tm-entry-point"><rect x="200" y="10" width="40" height="16"/></g>
<g id="e2" class="tm-entry-point"><rect x="230" y="20" width="40" height="16"/></g>
<g id="e3" class="tm-entry-point"><rect x="40" y="34" width="40" height="16"/></g></g>
</svg>`
	d, err := parseSVG([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.components) != 4 || len(d.fills) != 5 || len(d.flows) != 1 || len(d.badges) != 3 || len(d.texts) != 1 {
		t.Fatalf("read %d components, %d fills, %d flows, %d badges, %d texts", len(d.components), len(d.fills), len(d.flows), len(d.badges), len(d.texts))
	}
	if c := d.components[1]; c.x != 100 || c.y != 110 || c.w != 80 || c.h != 40 {
		t.Errorf("cylinder box %+v", c)
	}
	got := strings.Join(d.check(), "\n")
	want := "component c1 is covered by the fill of big drawn above it\n" +
		"component c2 is covered by the fill of big drawn above it\n" +
		"boundary b2 is covered by the fill of big drawn above it\n" +
		"flow f1 is covered by the fill of big drawn above it\n" +
		"badges e1 and e2 overlap\n" +
		"badge e3 covers the label of component c1"
	if got != want {
		t.Errorf("check:\n%s\nwant:\n%s", got, want)
	}
}
