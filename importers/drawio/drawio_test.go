package drawio

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// model wraps cells in a one-page mxfile.
func model(cells string) string {
	return `<mxfile><diagram name="P1" id="p1"><mxGraphModel><root>` +
		`<mxCell id="0"/><mxCell id="1" parent="0"/>` + cells +
		`</root></mxGraphModel></diagram></mxfile>`
}

func vertex(id, parent, value, style string, x, y, w, h float64) string {
	return fmt.Sprintf(`<mxCell id="%s" parent="%s" value="%s" style="%s" vertex="1"><mxGeometry x="%g" y="%g" width="%g" height="%g" as="geometry"/></mxCell>`,
		id, parent, value, style, x, y, w, h)
}

func edgeCell(id, parent, src, dst, value, style string) string {
	return fmt.Sprintf(`<mxCell id="%s" parent="%s" source="%s" target="%s" value="%s" style="%s" edge="1"><mxGeometry relative="1" as="geometry"/></mxCell>`,
		id, parent, src, dst, value, style)
}

func mustImport(t *testing.T, src string, opts Options) []*graph.Diagram {
	t.Helper()
	ds, err := Import("test.drawio", []byte(src), opts)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func one(t *testing.T, src string) *graph.Diagram {
	t.Helper()
	ds := mustImport(t, src, Options{})
	if len(ds) != 1 {
		t.Fatalf("%d diagrams", len(ds))
	}
	return ds[0]
}

func TestCellsAndLabels(t *testing.T) {
	src := model(
		`<object id="api" label="&lt;b&gt;%name%&lt;/b&gt;&lt;br&gt;%tech%" placeholders="1" name="Orders API" tech="Go &amp; gRPC" sensitivity="high" type="process">` +
			`<mxCell style="rounded=1;html=1;" vertex="1" parent="1"><mxGeometry x="100" y="100" width="120" height="60" as="geometry"/></mxCell></object>` +
			vertex("db", "1", "Orders", "shape=cylinder3;whiteSpace=wrap;html=1;", 400, 100, 80, 80) +
			vertex("user", "1", "Customer", "shape=umlActor;verticalLabelPosition=bottom;", 0, 100, 30, 60) +
			vertex("rds", "1", "RDS", "shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.rds;", 600, 100, 78, 78) +
			vertex("note", "1", "Remember TLS", "shape=note;whiteSpace=wrap;", 0, 300, 100, 60) +
			vertex("txt", "1", "Free text", "text;html=1;", 200, 300, 100, 20) +
			vertex("deco", "1", "", "rounded=0;", 700, 300, 10, 10) +
			edgeCell("e1", "1", "user", "api", "HTTPS", "endArrow=classic;html=1;") +
			edgeCell("e2", "1", "api", "db", "", "endArrow=none;startArrow=none;") +
			vertex("e2l", "e2", "SQL", "edgeLabel;html=1;", -0.5, 0, 0, 0) +
			edgeCell("e3", "1", "api", "rds", "", "endArrow=classic;startArrow=classic;") +
			edgeCell("e4", "1", "api", "user", "reply", "endArrow=none;startArrow=block;"))
	d := one(t, src)
	if d.Name != "P1" || d.Format != "drawio" || d.File != "test.drawio" || !d.HasLayout {
		t.Errorf("diagram header %+v", d)
	}
	api := d.Component("api")
	if api == nil || api.Label != "Orders API\nGo & gRPC" || api.Kind != graph.KindProcess ||
		api.Attributes["sensitivity"] != "high" || api.Attributes["name"] != "Orders API" || api.Style != "rounded=1;html=1;" {
		t.Errorf("api: %+v", api)
	}
	if _, ok := api.Attributes["placeholders"]; ok {
		t.Errorf("placeholders flag kept as an attribute")
	}
	for id, shape := range map[string]string{"db": "cylinder3", "user": "umlActor", "rds": "mxgraph.aws4.rds", "api": ""} {
		if c := d.Component(id); c == nil || c.Shape != shape {
			t.Errorf("%s: shape %+v, want %q", id, c, shape)
		}
	}
	if len(d.Components) != 4 {
		t.Errorf("%d components, want 4", len(d.Components))
	}
	if len(d.Notes) != 2 || d.Notes[0].Text != "Remember TLS" || d.Notes[1].Text != "Free text" {
		t.Errorf("notes %+v", d.Notes)
	}
	if !hasWarning(d, "deco", "unlabelled shape ignored") {
		t.Errorf("no warning for the decorative shape: %v", d.Warnings)
	}
	type fl struct {
		src, dst, label string
		bi, un          bool
	}
	want := map[string]fl{
		"e1": {"user", "api", "HTTPS", false, false},
		"e2": {"api", "db", "SQL", true, true},
		"e3": {"api", "rds", "", true, false},
		"e4": {"user", "api", "reply", false, false}, // only a start arrow: reversed
	}
	for id, w := range want {
		f := flowByID(d, id)
		if f == nil {
			t.Errorf("no flow %s", id)
			continue
		}
		got := fl{f.Source, f.Target, f.Label, f.Bidirectional, f.Undirected}
		if got != w {
			t.Errorf("flow %s = %+v, want %+v", id, got, w)
		}
	}
}

func TestContainersAndGeometry(t *testing.T) {
	src := model(
		vertex("vpc", "1", "VPC", "swimlane;startSize=30;", 100, 100, 600, 400) +
			vertex("priv", "vpc", "Private subnet", "rounded=1;container=1;dashed=1;", 300, 50, 250, 300) +
			vertex("db", "priv", "DB", "shape=cylinder;", 50, 100, 80, 80) +
			vertex("web", "vpc", "Web", "rounded=1;", 50, 100, 100, 60) +
			`<mxCell id="port" parent="web" value="p" style="ellipse;" vertex="1"><mxGeometry x="1" y="0.5" width="10" height="10" relative="1" as="geometry"><mxPoint x="-5" y="-5" as="offset"/></mxGeometry></mxCell>` +
			vertex("port2", "web", "q", "ellipse;", 0, 0, 10, 10) +
			`<mxCell id="inner" parent="vpc" source="web" target="db" style="" edge="1"><mxGeometry relative="1" as="geometry"><Array as="points"><mxPoint x="200" y="130"/></Array></mxGeometry></mxCell>` +
			// a group bundling an icon with its caption folds into one component
			vertex("g", "1", "", "group", 800, 100, 100, 100) +
			vertex("gicon", "g", "", "shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda;", 20, 0, 60, 60) +
			vertex("gtext", "g", "Resize images", "text;html=1;", 0, 70, 100, 30) +
			edgeCell("toGroupIcon", "1", "web", "gicon", "invoke", "") +
			// an edge to a container that is a boundary is reported, not a flow
			edgeCell("toVPC", "1", "g", "vpc", "", "") +
			// a dashed rectangle drawn around shapes is an inferred boundary
			vertex("dmz", "1", "", "rounded=0;dashed=1;fillColor=none;", 1000, 50, 300, 300) +
			vertex("waf", "1", "WAF", "rounded=1;", 1050, 100, 100, 60) +
			vertex("zone", "1", "Internet", "rounded=0;", 1400, 50, 300, 300) +
			vertex("client", "1", "Browser", "rounded=1;", 1450, 100, 100, 60) +
			// end points instead of source/target
			`<mxCell id="geo" parent="1" value="req" edge="1"><mxGeometry relative="1" as="geometry"><mxPoint x="1460" y="130" as="sourcePoint"/><mxPoint x="1100" y="160" as="targetPoint"/></mxGeometry></mxCell>` +
			`<mxCell id="dangling" parent="1" source="waf" edge="1"><mxGeometry relative="1" as="geometry"><mxPoint x="5000" y="5000" as="targetPoint"/></mxGeometry></mxCell>`)
	d := one(t, src)
	checkAbsoluteGeometry(t, d)
	checkContainersAndEdges(t, d)
}

// checkAbsoluteGeometry checks positions made absolute through parents
// and relative port geometry.
func checkAbsoluteGeometry(t *testing.T, d *graph.Diagram) {
	t.Helper()
	abs := map[string]graph.Rect{
		"web":   {X: 150, Y: 200, W: 100, H: 60},
		"db":    {X: 450, Y: 250, W: 80, H: 80},
		"port":  {X: 245, Y: 225, W: 10, H: 10},
		"port2": {X: 150, Y: 200, W: 10, H: 10},
		"g":     {X: 800, Y: 100, W: 100, H: 100},
	}
	for id, r := range abs {
		c := d.Component(id)
		if c == nil || c.Geometry == nil || *c.Geometry != r {
			t.Errorf("%s geometry %+v, want %+v", id, c, r)
		}
	}
	if b := d.Boundary("priv"); b == nil || *b.Geometry != (graph.Rect{X: 400, Y: 150, W: 250, H: 300}) || b.Parent != "vpc" || b.Inferred {
		t.Errorf("priv boundary %+v", b)
	}
	if got := d.BoundaryPath("db"); !reflect.DeepEqual(got, []string{"vpc", "priv"}) {
		t.Errorf("db path %v", got)
	}
	if c := d.Component("web"); c.Boundary != "vpc" || !hasWarning(d, "web", "not a container") {
		t.Errorf("web boundary %q, warnings %v", c.Boundary, d.Warnings)
	}
}

// checkContainersAndEdges checks folds, edges to containers, inferred
// boundaries and edge ends given as points.
func checkContainersAndEdges(t *testing.T, d *graph.Diagram) {
	t.Helper()
	f := flowByID(d, "inner")
	if f == nil || !reflect.DeepEqual(f.Waypoints, []graph.Point{{X: 300, Y: 230}}) {
		t.Errorf("inner flow waypoints %+v", f)
	}
	g := d.Component("g")
	if g == nil || g.Label != "Resize images" || g.Shape != "mxgraph.aws4.lambda" || d.Component("gicon") != nil || d.Boundary("g") != nil {
		t.Errorf("folded group %+v", g)
	}
	if f := flowByID(d, "toGroupIcon"); f == nil || f.Target != "g" || f.Label != "invoke" {
		t.Errorf("edge to a folded icon %+v", f)
	}
	// An edge to a container ends on the component that stands for it.
	if f := flowByID(d, "toVPC"); f == nil || f.Target != "vpc" || !hasWarning(d, "vpc", `edge attached to the container "VPC" as a whole`) {
		t.Errorf("edge to a boundary: %+v %v", f, d.Warnings)
	}
	if p := d.Component("vpc"); p == nil || p.Label != "VPC" || p.Boundary != "vpc" || p.Attributes["represents"] != "boundary" || d.Boundary("vpc") == nil {
		t.Errorf("container end %+v", p)
	}
	if got := d.Crossings(flowByID(d, "toVPC").Source, "vpc"); len(got) == 0 || got[len(got)-1] != "vpc" {
		t.Errorf("a flow into the container does not cross it: %v", got)
	}
	for _, id := range []string{"dmz", "zone"} {
		b := d.Boundary(id)
		if b == nil || !b.Inferred || !hasWarning(d, id, "inferred") {
			t.Errorf("inferred boundary %s: %+v", id, b)
		}
	}
	if d.Component("waf").Boundary != "dmz" || d.Component("client").Boundary != "zone" {
		t.Errorf("inferred membership wrong")
	}
	if f := flowByID(d, "geo"); f == nil || f.Source != "client" || f.Target != "waf" || f.SourcePoint == nil || *f.TargetPoint != (graph.Point{X: 1100, Y: 160}) {
		t.Errorf("geometric edge %+v", f)
	}
	if flowByID(d, "dangling") != nil || !hasWarning(d, "dangling", "not connected") {
		t.Errorf("dangling edge not reported: %v", d.Warnings)
	}
}

func TestEdgesToContainersAndText(t *testing.T) {
	src := model(
		// A swimlane holding only text is itself a component.
		vertex("lane", "1", "Billing", "swimlane;", 0, 0, 200, 100) +
			vertex("lanetext", "lane", "handles invoices", "text;", 10, 40, 150, 20) +
			// A free text cell that an edge connects to is a component.
			vertex("ext", "1", "Partner", "text;html=1;", 400, 0, 80, 20) +
			vertex("svc", "1", "Service", "", 400, 200, 100, 60) +
			edgeCell("a", "1", "svc", "lane", "", "") +
			edgeCell("b", "1", "lanetext", "ext", "", "") +
			edgeCell("c", "1", "svc", "missing", "", ""))
	d := one(t, src)
	if c := d.Component("lane"); c == nil || d.Boundary("lane") != nil {
		t.Errorf("lane: %+v", c)
	}
	if c := d.Component("ext"); c == nil || c.Label != "Partner" {
		t.Errorf("ext: %+v", c)
	}
	if f := flowByID(d, "a"); f == nil || f.Target != "lane" {
		t.Errorf("flow a %+v", f)
	}
	if f := flowByID(d, "b"); f == nil || f.Source != "lane" || f.Target != "ext" {
		t.Errorf("flow b %+v", f)
	}
	if flowByID(d, "c") != nil || !hasWarning(d, "c", `"missing" does not exist`) {
		t.Errorf("edge to a missing cell: %v", d.Warnings)
	}
	if len(d.Notes) != 1 || d.Notes[0].ID != "lanetext" {
		t.Errorf("notes %+v", d.Notes)
	}
}

// TestGeometryBudget checks that heavily overlapping input stops geometric
// inference with a warning instead of taking quadratic time.
func TestGeometryBudget(t *testing.T) {
	var s strings.Builder
	for i := 0; i < 4000; i++ {
		d := float64(i)
		s.WriteString(vertex(fmt.Sprintf("r%d", i), "1", "", "dashed=1;", d, d, 100000-2*d, 100000-2*d))
		s.WriteString(vertex(fmt.Sprintf("v%d", i), "1", "V", "", 50000+d, 50000, 1, 1))
	}
	d := one(t, model(s.String()))
	if !hasWarning(d, "", "geometric inference") {
		t.Errorf("no budget warning")
	}
	if len(d.Components) != 4000 {
		t.Errorf("%d components", len(d.Components))
	}
}

func TestHiddenAndLayers(t *testing.T) {
	src := `<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>` +
		`<mxCell id="2" value="Secrets" parent="0" visible="0"/>` +
		vertex("a", "1", "A", "", 0, 0, 50, 50) +
		vertex("b", "2", "B", "", 100, 0, 50, 50) +
		vertex("c", "1", "C", "", 200, 0, 50, 50) +
		strings.Replace(vertex("h", "1", "H", "", 300, 0, 50, 50), `vertex="1"`, `vertex="1" visible="0"`, 1) +
		edgeCell("ab", "1", "a", "b", "", "") +
		edgeCell("ac", "1", "a", "c", "", "") +
		`</root></mxGraphModel>`
	d := one(t, src)
	if d.Name != "" || len(d.Components) != 2 || d.Component("b") != nil || d.Component("h") != nil {
		t.Errorf("components %+v", d.Components)
	}
	if !hasWarning(d, "2", `layer "Secrets" is hidden`) || !hasWarning(d, "h", "hidden cell") || !hasWarning(d, "ab", "hidden") {
		t.Errorf("warnings %v", d.Warnings)
	}
	if len(d.Flows) != 1 || d.Flows[0].ID != "ac" {
		t.Errorf("flows %+v", d.Flows)
	}
}

func TestPages(t *testing.T) {
	src := `<mxfile><diagram name="Context" id="a"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>` +
		vertex("x", "1", "X", "", 0, 0, 10, 10) + `</root></mxGraphModel></diagram>` +
		`<diagram name="Detail" id="b">` + compressPage(t, `<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>`+
		vertex("y", "1", "Y", "", 0, 0, 10, 10)+vertex("z", "1", "Z", "", 50, 0, 10, 10)+`</root></mxGraphModel>`) + `</diagram>` +
		`<diagram id="c"></diagram></mxfile>`
	ds := mustImport(t, src, Options{})
	if len(ds) != 3 || ds[0].Name != "Context" || ds[1].Name != "Detail" || ds[2].Name != "Page-3" ||
		len(ds[0].Components) != 1 || len(ds[1].Components) != 2 || len(ds[2].Components) != 0 {
		t.Fatalf("pages %+v", ds)
	}
	for _, sel := range []string{"Detail", "1"} {
		ds := mustImport(t, src, Options{Page: sel})
		if len(ds) != 1 || ds[0].Name != "Detail" {
			t.Errorf("page %q selected %+v", sel, ds)
		}
	}
	_, err := Import("f.drawio", []byte(src), Options{Page: "Nope"})
	if !graph.IsInputError(err) || !strings.Contains(err.Error(), `"Context"`) {
		t.Errorf("bad page: %v", err)
	}
}

// pngChunk encodes one PNG chunk.
func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	binary.Write(&b, binary.BigEndian, crc.Sum32())
	return b.Bytes()
}

// drawioPNG writes a real PNG and inserts chunk right after IHDR, as
// draw.io does.
func drawioPNG(t testing.TB, chunk []byte) []byte {
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	b := img.Bytes()
	ihdrEnd := 8 + 4 + 4 + 13 + 4
	out := append([]byte{}, b[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, b[ihdrEnd:]...)
}

func zlibBytes(s string) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

func TestDrawioPNG(t *testing.T) {
	xml := model(vertex("a", "1", "Alpha", "", 0, 0, 50, 50) + vertex("b", "1", "Beta", "", 100, 0, 50, 50) + edgeCell("e", "1", "a", "b", "x", ""))
	enc := url.PathEscape(xml)
	cases := map[string][]byte{
		"tEXt":            pngChunk("tEXt", []byte("mxfile\x00"+enc)),
		"zTXt":            pngChunk("zTXt", append([]byte("mxfile\x00\x00"), zlibBytes(enc)...)),
		"iTXt":            pngChunk("iTXt", []byte("mxfile\x00\x00\x00\x00\x00"+enc)),
		"iTXt compressed": pngChunk("iTXt", append([]byte("mxfile\x00\x01\x00en\x00\x00"), zlibBytes(enc)...)),
	}
	for name, chunk := range cases {
		t.Run(name, func(t *testing.T) {
			data := drawioPNG(t, chunk)
			if _, err := png.Decode(bytes.NewReader(data)); err != nil {
				t.Fatalf("not a valid PNG: %v", err)
			}
			if !Sniff(data) {
				t.Error("Sniff = false")
			}
			ds, err := Import("arch.drawio.png", data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			d := ds[0]
			if len(d.Components) != 2 || len(d.Flows) != 1 || d.Component("a").Label != "Alpha" {
				t.Errorf("model %+v", d)
			}
		})
	}
	plain := drawioPNG(t, pngChunk("tEXt", []byte("Software\x00paint")))
	if Sniff(plain) {
		t.Error("Sniff = true for a PNG without a diagram")
	}
	if _, err := Import("x.png", plain, Options{}); !graph.IsInputError(err) || !strings.Contains(err.Error(), "x.png") {
		t.Errorf("PNG without diagram: %v", err)
	}
}

func TestSniff(t *testing.T) {
	for src, want := range map[string]bool{
		model(""): true,
		"\ufeff<?xml version=\"1.0\"?>\n<mxGraphModel/>":      true,
		`<svg content="&lt;mxfile&gt;&lt;/mxfile&gt;"></svg>`: true,
		`<svg><rect/></svg>`:           false,
		`digraph { a -> b }`:           false,
		"graph TD\n A-->B":             false,
		`# notes about <mxfile> files`: false,
		``:                             false,
	} {
		if got := Sniff([]byte(src)); got != want {
			t.Errorf("Sniff(%.40q) = %v, want %v", src, got, want)
		}
	}
}

// deflateB64 compresses raw bytes as draw.io would (without URL-encoding).
func deflateB64(b []byte) string {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(b)
	w.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func TestBadInput(t *testing.T) {
	deep := strings.Repeat("<a>", 50) + strings.Repeat("</a>", 50)
	var nested strings.Builder
	parent := "1"
	for i := 0; i < 30; i++ {
		id := fmt.Sprintf("n%d", i)
		nested.WriteString(vertex(id, parent, id, "container=1;", 1, 1, 100, 100))
		parent = id
	}
	bomb := `<mxfile><diagram name="Bomb" id="b">` + deflateB64(bytes.Repeat([]byte("A"), 4<<20)) + `</diagram></mxfile>`
	pngBomb := drawioPNG(t, pngChunk("zTXt", append([]byte("mxfile\x00\x00"), zlibBytes(strings.Repeat("A", 4<<20))...)))
	small := graph.Limits{MaxDecompressedBytes: 1 << 20, MaxDepth: 20, MaxInputBytes: 1 << 20}
	cases := []struct {
		name   string
		src    string
		limits graph.Limits
		want   []string // substrings of the error message
		limit  bool     // wraps graph.ErrLimit
	}{
		{"not XML", "this is { not xml", graph.Limits{}, []string{"bad.drawio", "not valid XML"}, false},
		{"truncated XML", `<mxfile><diagram name="x">`, graph.Limits{}, []string{"bad.drawio", "not valid XML"}, false},
		{"other XML", `<html><body/></html>`, graph.Limits{}, []string{"bad.drawio", "not a draw.io file", "<html>"}, false},
		{"svg without model", `<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>`, graph.Limits{}, []string{"bad.drawio", "no embedded draw.io diagram"}, false},
		{"bad base64", `<mxfile><diagram name="Broken">%%%not base64%%%</diagram></mxfile>`, graph.Limits{}, []string{"bad.drawio", `page "Broken"`, "base64"}, false},
		{"does not inflate", `<mxfile><diagram name="Broken">` + base64.StdEncoding.EncodeToString([]byte("\xff\xfe garbage bytes, not deflate")) + `</diagram></mxfile>`, graph.Limits{}, []string{"bad.drawio", `page "Broken"`, "does not inflate"}, false},
		{"inflates to non-model", `<mxfile><diagram name="Odd">` + deflateB64([]byte(url.PathEscape("<foo/>"))) + `</diagram></mxfile>`, graph.Limits{}, []string{`page "Odd"`, "<foo>"}, false},
		{"missing parent", model(vertex("v", "nowhere", "V", "", 0, 0, 1, 1)), graph.Limits{}, []string{"bad.drawio", `page "P1"`, `cell "v"`, "parent \"nowhere\" does not exist"}, false},
		{"parent cycle", model(vertex("a", "b", "A", "", 0, 0, 1, 1) + vertex("b", "a", "B", "", 0, 0, 1, 1)), graph.Limits{}, []string{`page "P1"`, `cell "`, "cycle"}, false},
		{"self parent", model(vertex("a", "a", "A", "", 0, 0, 1, 1)), graph.Limits{}, []string{`page "P1"`, `cell "a"`, "cycle"}, false},
		{"duplicate id", model(vertex("a", "1", "A", "", 0, 0, 1, 1) + vertex("a", "1", "B", "", 0, 0, 1, 1)), graph.Limits{}, []string{`page "P1"`, `cell "a"`, "duplicate"}, false},
		{"cell without id", model(`<mxCell parent="1" vertex="1"/>`), graph.Limits{}, []string{`page "P1"`, "no id"}, false},
		{"two roots", model(`<mxCell id="x"/>`), graph.Limits{}, []string{`page "P1"`, `cell "x"`, "no parent"}, false},
		{"decompression bomb", bomb, small, []string{"bad.drawio", `page "Bomb"`, "MaxDecompressedBytes"}, true},
		{"PNG zTXt bomb", string(pngBomb), small, []string{"bad.drawio", "MaxDecompressedBytes"}, true},
		{"cells nested too deep", model(nested.String()), small, []string{`page "P1"`, `cell "n`, "MaxDepth"}, true},
		{"XML nested too deep", `<mxfile>` + deep + `</mxfile>`, small, []string{"bad.drawio", "MaxDepth"}, true},
		{"input too large", model(strings.Repeat(" ", 2<<20)), small, []string{"bad.drawio", "MaxInputBytes"}, true},
		{"entity declaration", `<?xml version="1.0"?><!DOCTYPE mxfile [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><mxfile><diagram name="x">&lol2;</diagram></mxfile>`, graph.Limits{}, []string{"bad.drawio", "ENTITY"}, false},
		{"internal subset", `<!DOCTYPE mxfile [ <!ATTLIST mxfile a CDATA "x"> ]><mxfile/>`, graph.Limits{}, []string{"bad.drawio", "internal subset"}, false},
		{"entity in compressed page", `<mxfile><diagram name="Sneaky">` + deflateB64([]byte(url.PathEscape(`<!DOCTYPE m [<!ENTITY x "y">]><mxGraphModel/>`))) + `</diagram></mxfile>`, graph.Limits{}, []string{`page "Sneaky"`, "ENTITY"}, false},
		{"no pages", `<mxfile></mxfile>`, graph.Limits{}, []string{"bad.drawio", "no <diagram> pages"}, false},
		{"truncated PNG", string(pngSignature) + "\x00\x00\x10\x00tEXt", graph.Limits{}, []string{"bad.drawio", "truncated PNG"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds, err := Import("bad.drawio", []byte(c.src), Options{Limits: c.limits})
			if err == nil {
				t.Fatalf("no error; got %d diagrams", len(ds))
			}
			var ie *graph.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an *graph.InputError: %v", err, err)
			}
			if ie.File != "bad.drawio" {
				t.Errorf("InputError.File = %q", ie.File)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if got := errors.Is(err, graph.ErrLimit); got != c.limit {
				t.Errorf("errors.Is(err, ErrLimit) = %v, want %v", got, c.limit)
			}
		})
	}
}

func TestEdgeCases(t *testing.T) {
	// A plain DOCTYPE (as in draw.io's SVG export) is accepted.
	svg := `<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">` +
		`<svg xmlns="http://www.w3.org/2000/svg" content="` + escapeAttr(model(vertex("a", "1", "A", "", 0, 0, 10, 10))) + `"/>`
	if d := one(t, svg); len(d.Components) != 1 {
		t.Errorf("svg components %+v", d.Components)
	}
	// A byte order mark and an XML declaration with another encoding.
	bom := "\ufeff<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + model(vertex("a", "1", "Caf\xe9", "", 0, 0, 10, 10))
	if d := one(t, bom); len(d.Components) != 1 || d.Components[0].Label != "Café" {
		t.Errorf("BOM/Latin-1: %+v", d.Components)
	}
	// Non-numeric geometry, empty model, object without a cell.
	src := model(`<mxCell id="n" parent="1" value="N" vertex="1"><mxGeometry x="NaN" y="1e999" width="-5" height="abc" as="geometry"/></mxCell>` +
		`<object id="o" label="orphan"/>` + `<mxPoint x="1"/>`)
	d := one(t, src)
	if c := d.Component("n"); c == nil || *c.Geometry != (graph.Rect{}) {
		t.Errorf("sanitised geometry %+v", c)
	}
	if !hasWarning(d, "o", "without an <mxCell>") {
		t.Errorf("warnings %v", d.Warnings)
	}
	// Long labels are truncated with a warning.
	long := strings.Repeat("x", 100)
	d = mustImport(t, model(vertex("l", "1", long, "", 0, 0, 1, 1)), Options{Limits: graph.Limits{MaxLabelBytes: 10}})[0]
	if c := d.Component("l"); c == nil || c.Label != "xxxxxxxxxx…" || !hasWarning(d, "l", "truncated") {
		t.Errorf("truncation %+v %v", c, d.Warnings)
	}
	// Too many elements.
	var many strings.Builder
	for i := 0; i < 20; i++ {
		many.WriteString(vertex(fmt.Sprintf("v%d", i), "1", "V", "", float64(i*20), 0, 10, 10))
	}
	_, err := Import("m.drawio", []byte(model(many.String())), Options{Limits: graph.Limits{MaxElements: 10}})
	if !errors.Is(err, graph.ErrLimit) || !strings.Contains(err.Error(), "MaxElements") {
		t.Errorf("MaxElements: %v", err)
	}
}

func TestStaleEndPointsDropped(t *testing.T) {
	src := `<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>
<mxCell id="a" value="A" vertex="1" parent="1"><mxGeometry x="0" y="0" width="50" height="50" as="geometry"/></mxCell>
<mxCell id="b" value="B" vertex="1" parent="1"><mxGeometry x="200" y="0" width="50" height="50" as="geometry"/></mxCell>
<mxCell id="e" edge="1" parent="1" source="a"><mxGeometry relative="1" as="geometry">
  <mxPoint x="900" y="900" as="sourcePoint"/><mxPoint x="210" y="20" as="targetPoint"/></mxGeometry></mxCell>
</root></mxGraphModel>`
	ds, err := Import("stale.drawio", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := ds[0].Flows[0]
	if f.Source != "a" || f.Target != "b" {
		t.Fatalf("flow %s -> %s", f.Source, f.Target)
	}
	if f.SourcePoint != nil {
		t.Errorf("stale source point kept: %+v", *f.SourcePoint)
	}
	if f.TargetPoint == nil || f.TargetPoint.X != 210 {
		t.Errorf("free target point = %+v", f.TargetPoint)
	}
}
