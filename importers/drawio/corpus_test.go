package drawio

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/antchfx/xmlquery"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testcorpus"
)

// corpusCounts pins the components, flows and trust boundaries of every
// page of the shared draw.io corpus.
//
// How they were counted: each page was decompressed with a throwaway
// Python script (base64 -> zlib.decompress(raw, -15) -> urllib unquote),
// pretty-printed, and every cell read by hand with the rules of this
// importer applied on paper:
//   - vertices are components unless they are text/edgeLabel/note styled
//     (notes), edge-label children of an edge, inside a legend group (C4
//     pages: the "Legend" group is one note), rows of a stackLayout
//     swimlane (threat-modelling "Assets"/"Security Controls"/"Threat
//     Actors" tables are notes; the C4 UML classes are one component each
//     because edges connect to them), a wide unconnected rectangle above
//     everything (the GCP "Architecture: ..." titles), or unlabelled with
//     no edges and no children (decorative, e.g. azure_1's white frames and
//     the 8 unlabelled, unconnected computer/lock icons);
//   - a card with one icon child (GCP templates) is folded into one
//     component;
//   - edges count as flows when both ends resolve to components: by
//     source/target id, or by an end point lying on a shape (C4 Context's
//     edge jk53...-9 starts on "Status Dashboard"; in industrial-iot edge
//     -64 ends on hub -53 and -71/-72 reach the gateway and cloud icons,
//     while edge -5 ends on nothing and is dropped); general_content's five
//     edges to "ZONE A"/"ZONE B" end on those containers, which stand as
//     one component each (represents=boundary): +2 components, +5 flows
//     since edges to containers are kept (issue 15 item 8);
//   - boundaries are containers with shapes inside, plus AWS/Azure/GCP
//     group shapes, dashed rectangles and zone-named rectangles ("Azure
//     Group", "On-premises networks", "... Networks", "Enterprise cloud",
//     "Google Cloud Platform", "ZONE A") that fully enclose a shape, checked
//     coordinate by coordinate (aws-simple: all 12 group/dashed boxes enclose
//     an icon or a smaller box; aws-saas: the two unlabelled AZ groups and
//     the two Auto Scaling groups).
//
// Changes with issue 15, each from the XML: C4 Container's "Status
// Dashboard" (c4Type ExecutionEnvironment) encloses the three containers
// drawn over it, so it is a trust boundary, not a component. C4
// Component's "Web Application [Component]" frame, NetworkDiagram's "Citrix
// XenApp Server Farm with firewalls" and azure_1's "Web role instances" are
// plain labelled rectangles drawn behind and fully around labelled shapes:
// inferred boundaries now, whatever their words. Each page: -1 component,
// +1 boundary, no flow lost.
//
// industrial-iot's two tinted, unlabelled areas -3 (y 70-450) and -2 (y
// 450-1060) are titled by the free texts "IT Network" (y 380, inside -3)
// and "OT Network" (y 480, inside -2) drawn over them: two inferred
// boundaries (titleZones), +2 boundaries, components and flows unchanged;
// the texts are no longer taken as arrow -22's label and as the firewall
// -6's caption (the firewall, on the border between the two areas, is in
// neither and is named "Firewall" from its palette).
//
// Cell totals were cross-checked against the number of <mxCell> elements
// per page (e.g. threat-modelling "DFD": 2 root/layer + 5 zones + 13
// components + 3 tables with 28 rows + 13 text labels + 14 edges + 1 edge
// label = 79).
var corpusCounts = []struct {
	file, page                    string
	components, flows, boundaries int
}{
	{"C4.drawio", "C4 Context", 4, 4, 0},
	{"C4.drawio", "C4 Container", 7, 7, 1},
	{"C4.drawio", "C4 Component", 9, 11, 1},
	{"C4.drawio", "C4 Class", 5, 4, 0},
	{"NetworkDiagram.xml", "Page-1", 26, 25, 5},
	{"aws-saas-example.drawio", "Page-1", 18, 23, 4},
	{"aws-simple-architecture.drawio", "Page-1", 11, 0, 12},
	{"azure_1.xml", "Page-1", 29, 15, 5},
	{"data-flow-diagram-habit-tracker-app.drawio", "Page-1", 10, 10, 0},
	{"data-flow.drawio", "detailed DFD", 20, 30, 0},
	{"data-flow.drawio", "context diagram", 4, 6, 0},
	{"flowchart.drawio.svg", "Page-1", 6, 5, 0},
	{"gaming_backend_database.xml", "Page-1", 8, 8, 1},
	{"general_content_management.xml", "Page-1", 11, 8, 3},
	{"industrial-iot-example.drawio", "Page-1", 29, 30, 2},
	{"threat-modelling.drawio", "DFD", 13, 14, 5},
	{"threat-modelling.drawio", "PFD", 6, 11, 0},
	{"threat-modelling.drawio", "Attack Tree", 13, 12, 0},
}

func importCorpus(t *testing.T, dir, name string) []*graph.Diagram {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if !Sniff(data) {
		t.Errorf("%s: Sniff = false", name)
	}
	ds, err := Import(name, data, Options{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ds
}

func TestCorpusCounts(t *testing.T) {
	dir := testcorpus.Dir(t, "drawio")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	pinned := map[string]int{}
	for _, c := range corpusCounts {
		pinned[c.file]++
	}
	// Every corpus file imports, and every one of its pages is pinned.
	for _, e := range entries {
		ds := importCorpus(t, dir, e.Name())
		if len(ds) != pinned[e.Name()] {
			t.Errorf("%s: %d pages imported, %d pinned", e.Name(), len(ds), pinned[e.Name()])
		}
	}
	for _, c := range corpusCounts {
		t.Run(c.file+"/"+c.page, func(t *testing.T) {
			ds := importCorpus(t, dir, c.file)
			var d *graph.Diagram
			for _, x := range ds {
				if x.Name == c.page {
					d = x
				}
			}
			if d == nil {
				t.Fatalf("no page %q", c.page)
			}
			if d.Format != "drawio" || d.File != c.file || !d.HasLayout {
				t.Errorf("Format=%q File=%q HasLayout=%v", d.Format, d.File, d.HasLayout)
			}
			if len(d.Components) != c.components || len(d.Flows) != c.flows || len(d.Boundaries) != c.boundaries {
				t.Errorf("got %d components, %d flows, %d boundaries; want %d, %d, %d",
					len(d.Components), len(d.Flows), len(d.Boundaries), c.components, c.flows, c.boundaries)
			}
			for _, comp := range d.Components {
				if comp.Pos.Page != c.page || comp.Pos.Cell != comp.ID {
					t.Errorf("component %s: position %+v", comp.ID, comp.Pos)
				}
				if comp.Geometry == nil {
					t.Errorf("component %s: no geometry", comp.ID)
				}
			}
			for _, f := range d.Flows {
				if f.Pos.Page != c.page || f.Pos.Cell != f.ID {
					t.Errorf("flow %s: position %+v", f.ID, f.Pos)
				}
			}
			for _, w := range d.Warnings {
				if w.Pos.Page != c.page {
					t.Errorf("warning without page: %v", w)
				}
			}
		})
	}
}

// corpusPage returns a function that imports one page of a corpus file.
func corpusPage(t *testing.T) func(file, name string) *graph.Diagram {
	dir := testcorpus.Dir(t, "drawio")
	return func(file, name string) *graph.Diagram {
		for _, d := range importCorpus(t, dir, file) {
			if d.Name == name {
				return d
			}
		}
		t.Fatalf("%s: no page %q", file, name)
		return nil
	}
}

// TestCorpusDetails checks labels, shapes and nesting on a few pages.
func TestCorpusDetails(t *testing.T) {
	page := corpusPage(t)

	// Placeholders resolved from object properties, HTML reduced to text.
	d := page("C4.drawio", "C4 Container")
	if c := d.Component("AtdmSoMEF_yhiQ30HpCC-4"); c == nil || c.Label != "Database\n[Container: Time Series Database (Influx)]" || c.Shape != "cylinder" {
		t.Errorf("C4 database: %+v", c)
	}
	if c := d.Component("xR-taD2YaKqdD4t_8OCm-0"); c == nil || c.Attributes["c4Type"] != "Person" || c.Shape != "mxgraph.c4.person" {
		t.Errorf("C4 person: %+v", c)
	}
	// A separate edgeLabel cell joins its edge's label.
	if f := flowByID(d, "Lo3G5a3L0KlLAlPScO4L-4"); f == nil || f.Label != "Sends data to\n(JSON)" {
		t.Errorf("edge label: %+v", f)
	}

	// A legend group is one note, with a warning; a UML class (stack
	// layout swimlane) is one component that keeps its rows.
	d = page("C4.drawio", "C4 Context")
	if len(d.Notes) != 2 || !strings.HasPrefix(d.Notes[1].Text, "Legend\n") || !hasWarning(d, "GGAcaCNyiWMHBxoHMokF-1", "legend") {
		t.Errorf("legend: %+v %v", d.Notes, d.Warnings)
	}
	d = page("C4.drawio", "C4 Class")
	if c := d.Component("eIYq_CpWJzX__o5Ln69q-11"); c == nil || c.Label != "DataSourceManagement" || !strings.HasPrefix(c.Attributes["rows"], "+ Sources: DataSources[]\n") {
		t.Errorf("UML class: %+v", c)
	}
	if f := flowByID(d, "TtzTTNUKWyMLVY1T3vZk-36"); f == nil || f.Source != "3qMrUAQamapioXkadR3u-12" || f.Target != "eIYq_CpWJzX__o5Ln69q-11" {
		t.Errorf("edge from a class row (start arrow only, so reversed): %+v", f)
	}

}

// TestCorpusGeometry checks boundaries nested by geometry, titles and edge
// ends attached by position.
func TestCorpusGeometry(t *testing.T) {
	page := corpusPage(t)
	// Dashed rectangles nest by geometry.
	d := page("threat-modelling.drawio", "DFD")
	wantParent := map[string]string{
		"bVHdNsz0KWSQvc3xRIcT-3":  "bVHdNsz0KWSQvc3xRIcT-4",
		"bVHdNsz0KWSQvc3xRIcT-4":  "bVHdNsz0KWSQvc3xRIcT-5",
		"bVHdNsz0KWSQvc3xRIcT-5":  "",
		"bVHdNsz0KWSQvc3xRIcT-6":  "",
		"bVHdNsz0KWSQvc3xRIcT-12": "bVHdNsz0KWSQvc3xRIcT-6",
	}
	for id, parent := range wantParent {
		b := d.Boundary(id)
		if b == nil || b.Parent != parent || !b.Inferred {
			t.Errorf("boundary %s: %+v, want parent %q", id, b, parent)
		}
	}
	if got := d.BoundaryPath("bVHdNsz0KWSQvc3xRIcT-2"); !reflect.DeepEqual(got, []string{"bVHdNsz0KWSQvc3xRIcT-5", "bVHdNsz0KWSQvc3xRIcT-4", "bVHdNsz0KWSQvc3xRIcT-3"}) {
		t.Errorf("User boundary path %v", got)
	}
	if f := flowByID(d, "bVHdNsz0KWSQvc3xRIcT-19"); f == nil || f.Label != "HTTPS" || !f.Bidirectional || f.Undirected {
		t.Errorf("User<->Website flow: %+v", f)
	}

	// AWS resource icons keep resIcon as their shape.
	d = page("aws-simple-architecture.drawio", "Page-1")
	if c := d.Component("5G6M97Ru5O6IGqaMy1Rf-52"); c == nil || c.Shape != "mxgraph.aws4.database" || c.Boundary != "5G6M97Ru5O6IGqaMy1Rf-42" {
		t.Errorf("RDS primary: %+v", c)
	}

	// GCP cards fold into one component; the title becomes a note.
	d = page("gaming_backend_database.xml", "Page-1")
	if c := d.Component("uRQyXAl_rN26RC_t46ij-541"); c == nil || c.Label != "Analytics Backend\nBigQuery" || c.Shape != "image" || c.Boundary != "14" {
		t.Errorf("BigQuery card: %+v", c)
	}
	if d.Title != "Architecture: Gaming > Backend Database" {
		t.Errorf("title %q", d.Title)
	}

	// An edge end given only as a point attaches to the shape under it;
	// one that lies on nothing is reported.
	d = page("industrial-iot-example.drawio", "Page-1")
	if f := flowByID(d, "kKs_Z4YsZ-Q-qFJGQyTJ-64"); f == nil || f.Source != "wiULPba4sbTOzCL7PzTo-2" || f.Target != "kKs_Z4YsZ-Q-qFJGQyTJ-53" || f.TargetPoint == nil {
		t.Errorf("geometric attach: %+v", f)
	}
	if !hasWarning(d, "kKs_Z4YsZ-Q-qFJGQyTJ-5", `lies inside boundary "kKs_Z4YsZ-Q-qFJGQyTJ-3" ("IT Network") but on no shape`) {
		t.Errorf("no warning for dangling edge -5: %v", d.Warnings)
	}
	// Areas titled by a text inside them are zones; the firewall between
	// them is in neither, and its link up to the IT router crosses into IT.
	for id, want := range map[string]struct {
		label   string
		members int
	}{"kKs_Z4YsZ-Q-qFJGQyTJ-3": {"IT Network", 11}, "kKs_Z4YsZ-Q-qFJGQyTJ-2": {"OT Network", 16}} {
		if b := d.Boundary(id); b == nil || b.Label != want.label || !b.Inferred || len(b.Members) != want.members {
			t.Errorf("zone %s: %+v, want %q with %d members", id, b, want.label, want.members)
		}
	}
	if c := d.Component("kKs_Z4YsZ-Q-qFJGQyTJ-6"); c == nil || c.Label != "Firewall" || c.Boundary != "" {
		t.Errorf("firewall %+v", c)
	}
	if f := flowByID(d, "kKs_Z4YsZ-Q-qFJGQyTJ-22"); f == nil || f.Label != "" || !reflect.DeepEqual(d.FlowCrossings(f), []string{"kKs_Z4YsZ-Q-qFJGQyTJ-3"}) {
		t.Errorf("firewall to IT router: %+v", f)
	}
}

func flowByID(d *graph.Diagram, id string) *graph.Flow {
	for _, f := range d.Flows {
		if f.ID == id {
			return f
		}
	}
	return nil
}

func hasWarning(d *graph.Diagram, cell, text string) bool {
	for _, w := range d.Warnings {
		if w.Pos.Cell == cell && strings.Contains(w.Message, text) {
			return true
		}
	}
	return false
}

// compressPage produces draw.io's compressed page text.
func compressPage(t *testing.T, xml string) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, url.PathEscape(xml))
	w.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// rewritePages rebuilds an mxfile with every page converted by conv.
func rewritePages(t *testing.T, data []byte, conv func(name, id string, page *xmlquery.Node) string) []byte {
	t.Helper()
	doc, err := xmlquery.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("<mxfile>")
	for _, n := range xmlquery.Find(doc, "//diagram") {
		name := n.SelectAttr("name")
		id := n.SelectAttr("id")
		fmt.Fprintf(&b, `<diagram name="%s" id="%s">%s</diagram>`, escapeAttr(name), escapeAttr(id), conv(name, id, n))
	}
	b.WriteString("</mxfile>")
	return []byte(b.String())
}

func escapeAttr(s string) string {
	var b bytes.Buffer
	xmlEscape(&b, s)
	return b.String()
}

func xmlEscape(b *bytes.Buffer, s string) {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	b.WriteString(r.Replace(s))
}

// TestCompressedTwins checks that compressed pages and their uncompressed
// twins give identical models, both ways.
func TestCompressedTwins(t *testing.T) {
	dir := testcorpus.Dir(t, "drawio")
	for _, name := range []string{"data-flow.drawio", "threat-modelling.drawio", "C4.drawio", "gaming_backend_database.xml"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			plain := rewritePages(t, data, func(pageName, _ string, n *xmlquery.Node) string {
				if m := childElement(n, "mxGraphModel"); m != nil {
					return m.OutputXML(true)
				}
				r := &reader{file: name, limits: graph.Limits{}.WithDefaults()}
				x, err := r.inflate(n.InnerText(), pageName)
				if err != nil {
					t.Fatal(err)
				}
				return string(x)
			})
			compressed := rewritePages(t, plain, func(_, _ string, n *xmlquery.Node) string {
				return compressPage(t, childElement(n, "mxGraphModel").OutputXML(true))
			})
			if bytes.Contains(compressed, []byte("<mxGraphModel")) || !bytes.Contains(plain, []byte("<mxGraphModel")) {
				t.Fatal("twins not built as intended")
			}
			want, err := Import(name, data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, twin := range [][]byte{plain, compressed} {
				got, err := Import(name, twin, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("twin model differs from the original")
				}
			}
			if len(want) == 0 || len(want[0].Components) == 0 {
				t.Errorf("empty model")
			}
		})
	}
}

func TestDrawioSVG(t *testing.T) {
	dir := testcorpus.Dir(t, "drawio")
	ds := importCorpus(t, dir, "flowchart.drawio.svg")
	if len(ds) != 1 {
		t.Fatalf("%d pages", len(ds))
	}
	d := ds[0]
	var labels []string
	for _, c := range d.Components {
		labels = append(labels, c.Label)
	}
	want := []string{"Lamp doesn't work", "Lamp\nplugged in?", "Plug in lamp", "Bulb\nburned out?", "Repair Lamp", "Replace Bulb"}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("labels %q, want %q", labels, want)
	}
	if f := flowByID(d, "YHGYZb9OwiAt3-i6s5r_-33"); f == nil || f.Label != "Yes" || f.Source != "YHGYZb9OwiAt3-i6s5r_-35" || f.Target != "YHGYZb9OwiAt3-i6s5r_-39" {
		t.Errorf("flow Yes: %+v", f)
	}
}

// TestCorpusIconNames: on every page of the corpus, an icon drawn without
// a label is named by its palette title (or its stencil's name), never by
// its cell id; the palettes of the corpus's Azure and network diagrams
// give their titles. Every stencil or image style drawn anywhere in the
// corpus (TestCorpusIconStyles) has a draw.io palette title.
func TestCorpusIconNames(t *testing.T) {
	dir := testcorpus.Dir(t, "drawio")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	bySource := map[string]int{}
	named := map[string]bool{}
	for _, e := range entries {
		for _, d := range importCorpus(t, dir, e.Name()) {
			for _, c := range d.Components {
				title, src := paletteTitle(parseStyle(c.Style))
				if c.Label == c.ID && title != "" {
					t.Errorf("%s %s: icon %q named by its cell id", e.Name(), d.Name, c.ID)
				}
				from := c.Attributes["label_from"]
				if from == "palette" || from == "stencil" {
					bySource[from]++
					named[e.Name()+": "+c.Label+" ("+from+")"] = true
					if c.Label != title || from != src {
						t.Errorf("%s %s: %q named %q from %s, want %q from %s", e.Name(), d.Name, c.ID, c.Label, from, title, src)
					}
				}
			}
		}
	}
	for _, want := range []string{
		"azure_1.xml: Virtual Machine (palette)",                   // mxgraph.azure.virtual_machine
		"industrial-iot-example.drawio: Hub (palette)",             // mxgraph.networks.hub
		"aws-saas-example.drawio: User (palette)",                  // mxgraph.aws4.user
		"NetworkDiagram.xml: Firewall (palette)",                   // mxgraph.citrix.firewall
		"NetworkDiagram.xml: XenApp Server (palette)",              // mxgraph.citrix.xenapp_server
		"general_content_management.xml: Laptop (palette)",         // mxgraph.gcp2.laptop
		"industrial-iot-example.drawio: Generic Gateway (palette)", // mxgraph.cisco.hubs_and_gateways.generic_gateway
	} {
		if !named[want] {
			t.Errorf("no unlabelled icon named %s", want)
		}
	}
	t.Logf("unlabelled icons named: %v", bySource)
}

// TestCorpusIconStyles: every vertex of the corpus whose style draws a
// stencil or an image (AWS, Azure, GCP, Cisco, Citrix, Microsoft, Office,
// DFD, C4 icons) has a title from draw.io's palettes, not one made from
// its stencil's name. 143 such cells on the corpus's pages (64 had a
// palette title when only the AWS, Azure, Kubernetes and network palettes
// were known).
func TestCorpusIconStyles(t *testing.T) {
	dir := testcorpus.Dir(t, "drawio")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	icons := 0
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		r := &reader{file: e.Name(), limits: graph.Limits{}.WithDefaults()}
		pages, err := r.pages(data)
		if err != nil {
			t.Fatal(err)
		}
		for i := range pages {
			p := &pages[i]
			if err := r.load(p); err != nil {
				t.Fatal(err)
			}
			if p.model == nil {
				continue
			}
			b := &builder{r: r, pg: *p, limits: r.limits}
			if err := b.readCells(); err != nil {
				t.Fatal(err)
			}
			for _, c := range b.cells {
				if !c.vertexFlag {
					continue
				}
				title, src := paletteTitle(c.st)
				if title == "" {
					continue // a plain shape: ellipse, cylinder, an AWS group frame
				}
				icons++
				if src != "palette" {
					t.Errorf("%s %q cell %s: %v has no palette title (named %q from its %s)", e.Name(), p.name, c.id, stencilKeys(c.st), title, src)
				}
			}
		}
	}
	if icons != 143 {
		t.Errorf("%d icon cells in the corpus, want 143", icons)
	}
}

// childElement is the first child element of n named name. (The importer
// reads XML as a stream; tests that rewrite files use xmlquery's tree.)
func childElement(n *xmlquery.Node, name string) *xmlquery.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xmlquery.ElementNode && c.Data == name {
			return c
		}
	}
	return nil
}
