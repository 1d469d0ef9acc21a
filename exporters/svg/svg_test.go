package svg_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/exporters/svg"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
)

// node is a parsed XML element.
type node struct {
	name  string
	attrs map[string]string
	kids  []*node
	text  string // character data directly inside
}

func (n *node) class() string { return n.attrs["class"] }

func (n *node) hasClass(c string) bool {
	for _, f := range strings.Fields(n.class()) {
		if f == c {
			return true
		}
	}
	return false
}

// walk calls f for n and every descendant.
func (n *node) walk(f func(*node)) {
	f(n)
	for _, k := range n.kids {
		k.walk(f)
	}
}

// allText is the character data of n and its descendants.
func (n *node) allText() string {
	var b strings.Builder
	n.walk(func(m *node) { b.WriteString(m.text) })
	return b.String()
}

func (n *node) find(name string) *node {
	var out *node
	n.walk(func(m *node) {
		if out == nil && m.name == name {
			out = m
		}
	})
	return out
}

func (n *node) byClass(c string) []*node {
	var out []*node
	n.walk(func(m *node) {
		if m.hasClass(c) {
			out = append(out, m)
		}
	})
	return out
}

// parse parses an SVG document strictly.
func parse(t testing.TB, data []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("invalid XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &node{name: tk.Name.Local, attrs: map[string]string{}}
			for _, a := range tk.Attr {
				name := a.Name.Local
				if a.Name.Space != "" && a.Name.Space != "xmlns" {
					name = a.Name.Space + ":" + name
				}
				n.attrs[name] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tk)
			}
		case xml.Directive:
			t.Fatalf("unexpected directive %q", tk)
		case xml.ProcInst:
			if tk.Target != "xml" {
				t.Fatalf("unexpected processing instruction %q", tk.Target)
			}
		}
	}
	if root == nil || root.name != "svg" {
		t.Fatal("no svg root")
	}
	return root
}

// assertSafe checks the document has nothing active or external.
func assertSafe(t testing.TB, doc *node, raw []byte) {
	t.Helper()
	allowed := map[string]bool{"svg": true, "g": true, "title": true, "rect": true, "path": true, "polygon": true,
		"circle": true, "line": true, "text": true, "tspan": true}
	doc.walk(func(n *node) {
		if !allowed[n.name] {
			t.Errorf("element <%s> in output", n.name)
		}
		for k, v := range n.attrs {
			lk, lv := strings.ToLower(k), strings.ToLower(v)
			if strings.HasPrefix(lk, "on") || strings.Contains(lk, "href") || lk == "style" || lk == "src" {
				t.Errorf("attribute %s=%q on <%s>", k, v, n.name)
			}
			if strings.Contains(lv, "url(") || strings.Contains(lv, "javascript:") || strings.Contains(lv, "@import") {
				t.Errorf("active value %s=%q on <%s>", k, v, n.name)
			}
		}
	})
	low := strings.ToLower(string(raw))
	for _, bad := range []string{"<script", "<foreignobject", "<![cdata[", "<!doctype", "<!entity", "href=", "url(", "@import", "<style"} {
		if strings.Contains(low, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
}

func TestTelehealthStructure(t *testing.T) {
	r := telehealthReport(t)
	out := render(t, r, testsupport.DrawOptions{Date: "2026-11-23"})
	doc := parse(t, out)
	assertSafe(t, doc, out)

	// One badge per entry point, with its number.
	badges := doc.byClass("tm-entry-point")
	if len(badges) != len(r.EntryPoints) || len(badges) != 11 {
		t.Fatalf("%d badges for %d entry points", len(badges), len(r.EntryPoints))
	}
	for i, b := range badges {
		want := r.EntryPoints[i].ID
		if got := strings.TrimSpace(b.find("text").allText()); got != want {
			t.Errorf("badge %d says %q, want %q", i, got, want)
		}
		if b.attrs["id"] != "tm-ep-"+want {
			t.Errorf("badge id %q", b.attrs["id"])
		}
		if tt := b.find("title"); tt == nil || !strings.Contains(tt.text, want) {
			t.Errorf("badge %s has no tooltip", want)
		}
		// Stable ids: a number, not the badge's position.
		if n, _ := strconv.Atoi(strings.TrimPrefix(want, "EP-")); n < 1 {
			t.Errorf("badge %d numbered %s", i, want)
		}
	}

	// Every component, with the highlight its severity calls for.
	comps := doc.byClass("tm-component")
	if len(comps) != len(r.Components) {
		t.Fatalf("%d components drawn, want %d", len(comps), len(r.Components))
	}
	bySev := map[string]int{}
	for i, c := range comps {
		rc := r.Components[i]
		if c.attrs["id"] != "tm-c-"+rc.ID {
			t.Errorf("component %d id %q, want tm-c-%s", i, c.attrs["id"], rc.ID)
		}
		want := "tm-sev-" + strings.ToLower(string(rc.MaxSeverity))
		if rc.MaxSeverity == "" {
			want = "tm-sev-none"
		}
		if !c.hasClass(want) {
			t.Errorf("component %s class %q, want %s", rc.ID, c.class(), want)
		}
		bySev[want]++
		tt := c.find("title")
		if tt == nil {
			t.Errorf("component %s has no tooltip", rc.ID)
			continue
		}
		for _, id := range rc.Threats {
			if !strings.Contains(tt.text, id) {
				t.Errorf("tooltip of %s misses %s", rc.ID, id)
			}
		}
	}
	if bySev["tm-sev-critical"] == 0 || len(bySev) < 3 {
		t.Errorf("highlights %v: the example should show several bands, critical among them", bySev)
	}
	if got := doc.byClass("tm-kind-datastore"); len(got) != 4 {
		t.Errorf("%d data stores drawn, want 4", len(got))
	}

	// Every boundary, dashed, with its label and trust level.
	bounds := doc.byClass("tm-boundary")
	if len(bounds) != len(r.Boundaries) {
		t.Fatalf("%d boundaries drawn, want %d", len(bounds), len(r.Boundaries))
	}
	for _, b := range bounds {
		rect := b.find("rect")
		if rect == nil || rect.attrs["stroke-dasharray"] == "" {
			t.Errorf("boundary %s not dashed", b.attrs["id"])
		}
		if !strings.Contains(b.allText(), "trust ") {
			t.Errorf("boundary %s has no trust level: %q", b.attrs["id"], b.allText())
		}
	}
	if !doc.byClass("tm-boundary")[0].hasClass("tm-trust-0") {
		t.Errorf("internet boundary lacks tm-trust-0")
	}

	// Flows, with sensitivity tags on the sensitive ones.
	if got := doc.byClass("tm-flow"); len(got) != len(r.Flows) {
		t.Errorf("%d flows drawn, want %d", len(got), len(r.Flows))
	}
	tags := map[string]bool{}
	for _, s := range doc.byClass("tm-sensitivity") {
		tags[strings.TrimSpace(s.allText())] = true
	}
	for _, want := range []string{"PHI", "PCI", "credentials"} {
		if !tags[want] {
			t.Errorf("no %s tag; tags %v", want, tags)
		}
	}

	// Title block and legend.
	all := doc.allText()
	critical := fmt.Sprintf("Critical: %d component", bySev["tm-sev-critical"])
	for _, want := range []string{"Threat model: Telehealth Platform", "examples/telehealth.dot", "Date: 2026-11-23", "Legend", critical} {
		if !strings.Contains(all, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if doc.attrs["viewBox"] == "" {
		t.Error("no viewBox")
	}
}

func TestDeterministicAndGolden(t *testing.T) {
	a := render(t, telehealthReport(t), testsupport.DrawOptions{Date: "2026-11-23"})
	b := render(t, telehealthReport(t), testsupport.DrawOptions{Date: "2026-11-23"})
	if !bytes.Equal(a, b) {
		t.Fatal("output differs between runs")
	}
	testsupport.Golden(t, "telehealth.golden.svg", a)
}

func TestDrawioKeepsLayout(t *testing.T) {
	r := shopReport(t)
	doc := parse(t, render(t, r, testsupport.DrawOptions{}))
	// The Shop API keeps its 140x70 box at (600,130).
	var api *node
	for _, c := range doc.byClass("tm-component") {
		if c.attrs["id"] == "tm-c-5" {
			api = c
		}
	}
	if api == nil {
		t.Fatal("no Shop API")
	}
	rect := api.find("rect")
	if rect.attrs["width"] != "140" || rect.attrs["height"] != "70" {
		t.Errorf("Shop API box %v", rect.attrs)
	}
	if got := len(doc.byClass("tm-entry-point")); got != len(r.EntryPoints) || got != 4 {
		t.Errorf("%d badges, want 4", got)
	}
	if got := len(doc.byClass("tm-actor")); got != 2 {
		t.Errorf("%d actor glyphs, want 2", got)
	}
	// The cloud icon shows its palette name and its category glyph.
	if !strings.Contains(doc.allText(), "Application Load Balancer") {
		t.Error("cloud icon name not shown")
	}
	if got := len(doc.byClass("tm-glyph-network")); got != 2 { // the component's class and its glyph path
		t.Errorf("%d network glyph elements, want 2", got)
	}
	// The auto layout moves it.
	auto := parse(t, render(t, r, testsupport.DrawOptions{Auto: true}))
	if len(auto.byClass("tm-component")) != 6 {
		t.Error("auto layout lost components")
	}
}

func TestNilPicture(t *testing.T) {
	var buf bytes.Buffer
	if err := svg.Write(&buf, nil); err == nil || buf.Len() != 0 {
		t.Errorf("err %v, %d bytes written", err, buf.Len())
	}
}

func TestEmptyAndTitle(t *testing.T) {
	d := graph.New("empty.mmd", "mermaid")
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	r := testsupport.Analyze(t, d)
	for _, auto := range []bool{false, true} {
		l := map[bool]string{false: "source", true: "auto"}[auto]
		out := render(t, r, testsupport.DrawOptions{Auto: auto, Title: "Payments & <Co>"})
		doc := parse(t, out)
		assertSafe(t, doc, out)
		if !strings.Contains(doc.allText(), "Threat model: Payments & <Co>") {
			t.Errorf("%s: title not shown: %q", l, doc.allText())
		}
		if len(doc.byClass("tm-component")) != 0 {
			t.Errorf("%s: components in an empty diagram", l)
		}
	}
}

func TestArrowsAndLongTitle(t *testing.T) {
	d := graph.New("a.dot", "dot")
	for _, id := range []string{"a", "b", "c", "d"} {
		if err := d.AddComponent(&graph.Component{ID: id, Label: strings.ToUpper(id)}); err != nil {
			t.Fatal(err)
		}
	}
	d.AddFlow(&graph.Flow{ID: "1", Source: "a", Target: "b"})
	d.AddFlow(&graph.Flow{ID: "2", Source: "b", Target: "c", Bidirectional: true})
	d.AddFlow(&graph.Flow{ID: "3", Source: "c", Target: "d", Bidirectional: true, Undirected: true})
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	r := testsupport.Analyze(t, d)
	r.System = strings.Repeat("Very long system name ", 300)
	doc := parse(t, render(t, r, testsupport.DrawOptions{}))
	if got := len(doc.byClass("tm-arrow")); got != 3 {
		t.Errorf("%d arrowheads, want 3 (1 + 2 + 0)", got)
	}
	var w float64
	if _, err := fmt.Sscan(doc.attrs["width"], &w); err != nil || w > 2000 {
		t.Errorf("canvas width %v (%v): a long title must not stretch it", w, err)
	}
	if sys := doc.byClass("tm-system"); len(sys) != 1 || !strings.HasSuffix(sys[0].text, "…") {
		t.Error("long title not shortened")
	}
}

// insideViewBox checks that every rect of the drawing lies inside the
// viewBox, margins included.
func insideViewBox(t *testing.T, name string, doc *node) {
	t.Helper()
	var vx, vy, vw, vh float64
	if _, err := fmt.Sscan(doc.attrs["viewBox"], &vx, &vy, &vw, &vh); err != nil {
		t.Fatal(err)
	}
	var dx, dy float64
	doc.walk(func(n *node) {
		if n.attrs["id"] == "tm-diagram" {
			fmt.Sscanf(n.attrs["transform"], "translate(%g %g)", &dx, &dy)
		}
	})
	if dx == 0 && dy == 0 {
		t.Fatalf("%s: no diagram translation", name)
	}
	inDiagram := false
	var check func(n *node)
	check = func(n *node) {
		if n.attrs["id"] == "tm-diagram" {
			inDiagram = true
			defer func() { inDiagram = false }()
		}
		if n.name == "rect" {
			var x, y, w, h float64
			fmt.Sscan(n.attrs["x"], &x)
			fmt.Sscan(n.attrs["y"], &y)
			fmt.Sscan(n.attrs["width"], &w)
			fmt.Sscan(n.attrs["height"], &h)
			if inDiagram {
				x, y = x+dx, y+dy
			}
			if x < vx || y < vy || x+w > vx+vw+0.01 || y+h > vy+vh+0.01 {
				t.Errorf("%s: rect %v outside viewBox %s", name, n.attrs, doc.attrs["viewBox"])
			}
		}
		for _, k := range n.kids {
			check(k)
		}
	}
	check(doc)
}

func TestTooltipsListThreats(t *testing.T) {
	r := telehealthReport(t)
	doc := parse(t, render(t, r, testsupport.DrawOptions{}))
	tip := func(id string) string {
		var s string
		doc.walk(func(n *node) {
			if n.attrs["id"] == id {
				if tt := n.find("title"); tt != nil {
					s = tt.text
				}
			}
		})
		return s
	}
	x := r.Index()
	line := func(id string) string {
		th := x.Threat(id)
		return th.ID + " [" + string(th.ResidualRisk) + "] " + th.Title
	}
	for _, f := range r.Flows {
		if f.Source != "appt" || f.Target != "stripe" {
			continue
		}
		s := tip("tm-f-appt-_3estripe")
		if len(f.Threats) == 0 {
			t.Error("the card-data flow to Stripe has no threats")
		}
		for _, id := range f.Threats {
			if !strings.Contains(s, line(id)) {
				t.Errorf("flow tooltip %q lacks %q", s, line(id))
			}
		}
	}
	ep := r.EntryPoints[0]
	s := tip("tm-ep-" + ep.ID)
	if !strings.Contains(s, x.ComponentName(ep.From)+" → "+x.ComponentName(ep.To)) {
		t.Errorf("badge tooltip %q does not name the flow's ends", s)
	}
	for _, id := range ep.Threats {
		if !strings.Contains(s, line(id)) {
			t.Errorf("badge tooltip %q lacks %q", s, line(id))
		}
	}
	if s := tip("tm-b-cluster_internet"); !strings.Contains(s, "trust 0 · untrusted") {
		t.Errorf("boundary tooltip %q", s)
	}
}
