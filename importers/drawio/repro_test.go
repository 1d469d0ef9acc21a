package drawio

import (
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

func importRepro(t *testing.T, name string) *graph.Diagram {
	t.Helper()
	ds, err := Import(name, readRepro(t, name), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 {
		t.Fatalf("%d diagrams", len(ds))
	}
	return ds[0]
}

// flowSummary lists flows as "src->dst:label", in order.
func flowSummary(d *graph.Diagram) string {
	var parts []string
	for _, f := range d.Flows {
		parts = append(parts, f.Source+"->"+f.Target+":"+f.Label)
	}
	return strings.Join(parts, " ")
}

func TestNearMissEdgeEnds(t *testing.T) {
	// One end on the border (off by 1e-13), one 3 px short of it.
	d := importRepro(t, "near-miss-edge.drawio")
	if got := flowSummary(d); got != "a->b:SQL a->b:cache read" {
		t.Errorf("flows %q, warnings %v", got, d.Warnings)
	}
	// Relative points: free ends inside a container are relative to it.
	d = importRepro(t, "relpts.drawio")
	if got := flowSummary(d); got != "a->b:SQL a->b:TOP" {
		t.Errorf("relpts flows %q", got)
	}
	if f := d.Flows[0]; *f.SourcePoint != (graph.Point{X: 160, Y: 160}) || *f.TargetPoint != (graph.Point{X: 390, Y: 160}) {
		t.Errorf("relpts end points %v %v", f.SourcePoint, f.TargetPoint)
	}
	// Ends farther away, and what the warning says about where they lie.
	src := model(
		vertex("z", "1", "Zone", "rounded=0;dashed=1;", 0, 0, 400, 300) +
			vertex("a", "1", "API", "", 20, 20, 80, 40) +
			vertex("deco", "1", "", "rounded=1;", 300, 200, 40, 40) +
			vertex("txt", "1", "a note", "text;", 20, 200, 100, 20) +
			vertex("far", "1", "Far", "", 600, 0, 80, 40) +
			freeEdge("e1", "a", 108, 40) + // 8 px off: not attached, inside the zone
			freeEdge("e2", "a", 320, 220) + // on an unlabelled rectangle
			freeEdge("e3", "a", 50, 210) + // on text
			freeEdge("e4", "a", 900, 900) + // nowhere
			freeEdge("e5", "far", 402, 150) + // on the zone's border: the zone
			freeEdge("e6", "far", 683, 20)) // 3 px right of Far: Far itself (a loop)
	d = one(t, src)
	for id, want := range map[string]string{
		"e1": `its target end (108, 40) is not connected to a shape: it lies inside boundary "z" ("Zone") but on no shape`,
		"e2": `it lies on decoration "deco" (an unlabelled rectangle)`,
		"e3": `it lies on the text or note "txt" ("a note")`,
		"e4": `it lies in empty space`,
	} {
		if !hasWarning(d, id, want) {
			t.Errorf("%s: no warning %q in %v", id, want, d.Warnings)
		}
	}
	if got := flowSummary(d); got != "far->z: far->far:" {
		t.Errorf("flows %q", got)
	}
}

func freeEdge(id, src string, x, y float64) string {
	return `<mxCell id="` + id + `" parent="1" source="` + src + `" edge="1"><mxGeometry relative="1" as="geometry">` +
		`<mxPoint x="` + ftoa(x) + `" y="` + ftoa(y) + `" as="targetPoint"/></mxGeometry></mxCell>`
}

func ftoa(f float64) string { return strings.TrimRight(strings.TrimRight(strconvF(f), "0"), ".") }

func strconvF(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }

func TestGroupsAndZones(t *testing.T) {
	// A Ctrl+G group is not a boundary: nothing crosses anything.
	d := importRepro(t, "group-as-boundary.drawio")
	if len(d.Boundaries) != 0 || len(d.Components) != 3 || len(d.Flows) != 2 || d.Component("api").Boundary != "" {
		t.Errorf("group: %d boundaries, %d components, %d flows", len(d.Boundaries), len(d.Components), len(d.Flows))
	}
	// A labelled rectangle drawn behind cards is a zone, whatever its words.
	d = importRepro(t, "namespace-rect.drawio")
	if b := d.Boundary("ns"); b == nil || !b.Inferred || b.Label != "Payments namespace" || d.Component("ns") != nil ||
		d.Component("api").Boundary != "ns" || d.Component("db").Boundary != "ns" || d.Component("u").Boundary != "" {
		t.Errorf("namespace: %+v %+v", d.Boundaries, d.Components)
	}
	tests := []struct {
		name, cells string
		boundaries  []string // boundary ids; the rest are components
	}{
		{"drawn behind, words anything", vertex("z", "1", "Developers", "fillColor=#eee;", 0, 0, 300, 200) +
			vertex("a", "1", "Alice", "", 20, 40, 60, 40), []string{"z"}},
		{"drawn over: not behind", vertex("a", "1", "Alice", "", 20, 40, 60, 40) +
			vertex("z", "1", "Developers", "fillColor=#eee;", 0, 0, 300, 200), nil},
		{"card with an unlabelled badge", vertex("z", "1", "Orders API", "", 0, 0, 300, 200) +
			vertex("lock", "1", "", "shape=mxgraph.aws4.padlock;", 270, 10, 20, 20) + edgeCell("e", "1", "lock", "z", "", ""), nil},
		{"two unlabelled shapes", vertex("z", "1", "Production", "", 0, 0, 300, 200) +
			vertex("p", "1", "", "shape=mxgraph.aws4.ec2;", 10, 40, 40, 40) + vertex("q", "1", "", "shape=mxgraph.aws4.ec2;", 100, 40, 40, 40) +
			edgeCell("e", "1", "p", "q", "", ""), []string{"z"}},
		{"styled group is drawn", `<mxCell id="g" value="Payments" style="group;fillColor=#eee;" vertex="1" connectable="0" parent="1"><mxGeometry width="300" height="200" as="geometry"/></mxCell>` +
			vertex("a", "g", "A", "", 10, 10, 40, 40) + vertex("b", "g", "B", "", 100, 10, 40, 40), []string{"g"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := one(t, model(tt.cells))
			var got []string
			for _, b := range d.Boundaries {
				got = append(got, b.ID)
			}
			if strings.Join(got, ",") != strings.Join(tt.boundaries, ",") {
				t.Errorf("boundaries %v, want %v; components %d", got, tt.boundaries, len(d.Components))
			}
		})
	}
	for _, word := range []string{"Payments namespace", "prod cluster", "AWS account 1234", "GCP project", "Staging environment", "Web tier", "Data layer", "Segment A", "Subnet 10.0.1.0/24"} {
		if !isZoneLabel(word) {
			t.Errorf("%q is not a zone label", word)
		}
	}
}

func TestLegends(t *testing.T) {
	// A "Legend" text inside a frame around the diagram is a note; the
	// frame stays a boundary and its shapes stay components.
	frame := vertex("f", "1", "Shop", "swimlane;container=1;", 0, 0, 600, 400) +
		vertex("a", "f", "API", "", 20, 40, 80, 40) + vertex("b", "f", "DB", "shape=cylinder3;", 200, 40, 80, 40) +
		vertex("lt", "f", "Legend", "text;", 400, 300, 60, 20) + edgeCell("e", "f", "a", "b", "SQL", "")
	d := one(t, model(frame))
	if len(d.Components) != 2 || len(d.Flows) != 1 || d.Boundary("f") == nil || len(d.Notes) != 1 {
		t.Errorf("frame with a legend text: %d components, %d flows, %d notes, boundaries %+v", len(d.Components), len(d.Flows), len(d.Notes), d.Boundaries)
	}
	// Only the shapes grouped with the legend text are the legend.
	grouped := frame + `<mxCell id="lg" value="" style="group" vertex="1" connectable="0" parent="f"><mxGeometry x="380" y="200" width="200" height="180" as="geometry"/></mxCell>` +
		vertex("lt2", "lg", "Key", "text;", 0, 0, 60, 20) + vertex("sample", "lg", "Service", "", 0, 40, 60, 30)
	d = one(t, model(strings.Replace(grouped, vertex("lt", "f", "Legend", "text;", 400, 300, 60, 20), "", 1)))
	if len(d.Components) != 2 || d.Component("sample") != nil || !hasWarning(d, "lg", "legend imported as a note") {
		t.Errorf("grouped legend: %d components %v", len(d.Components), d.Warnings)
	}
}

func TestC4(t *testing.T) {
	c4 := func(id, parent, typ, tech, style string, x, y, w, h float64) string {
		return `<object placeholders="1" c4Name="` + id + `" c4Type="` + typ + `" c4Technology="` + tech + `" label="%c4Name%&lt;br&gt;[%c4Type%: %c4Technology%]" id="` + id + `">` +
			`<mxCell style="html=1;` + style + `" vertex="1" parent="` + parent + `"><mxGeometry x="` + ftoa(x) + `" y="` + ftoa(y) + `" width="` + ftoa(w) + `" height="` + ftoa(h) + `" as="geometry"/></mxCell></object>`
	}
	src := model(
		c4("Shop", "1", "SystemScopeBoundary", "", "rounded=1;dashed=1;fillColor=none;", 0, 0, 600, 300) +
			c4("Customer", "1", "Person", "", "shape=mxgraph.c4.person2;fillColor=#083F75;", -200, 50, 100, 100) +
			c4("Web", "1", "Container", "React", "rounded=1;fillColor=#23A2D9;", 20, 50, 120, 60) +
			c4("Orders", "1", "Container", "PostgreSQL", "rounded=1;fillColor=#23A2D9;", 300, 50, 120, 60) +
			c4("Mail", "1", "Software System", "", "rounded=1;fillColor=#8C8496;", 800, 50, 120, 60) +
			vertex("hand", "1", "Ledger&lt;br&gt;[Container: MySQL]", "html=1;", 300, 200, 120, 60) +
			`<object placeholders="1" c4Type="Relationship" c4Technology="HTTPS" c4Description="Uses" label="%c4Description%" id="r1">` +
			`<mxCell style="endArrow=blockThin;html=1;" edge="1" parent="1" source="Customer" target="Web"><mxGeometry relative="1" as="geometry"/></mxCell></object>`)
	d := one(t, src)
	if b := d.Boundary("Shop"); b == nil || len(b.Members) != 3 {
		t.Fatalf("C4 boundary %+v", b)
	}
	want := map[string]struct {
		kind graph.Kind
		tech string
	}{
		"Customer": {graph.KindExternal, ""}, "Web": {graph.KindProcess, "React"}, "Orders": {graph.KindDataStore, "PostgreSQL"},
		"Mail": {graph.KindExternal, ""}, "hand": {graph.KindDataStore, "MySQL"},
	}
	for id, w := range want {
		c := d.Component(id)
		if c == nil || c.Kind != w.kind || c.Attributes["technology"] != w.tech {
			t.Errorf("%s: %+v, want %v %q", id, c, w.kind, w.tech)
		}
	}
	if f := flowByID(d, "r1"); f == nil || f.Label != "Uses" || f.Attributes["technology"] != "HTTPS" {
		t.Errorf("relationship %+v", f)
	}
	if got := d.Crossings("Customer", "Web"); len(got) != 1 || got[0] != "Shop" {
		t.Errorf("crossings %v", got)
	}
}

func TestNoise(t *testing.T) {
	// The caption under an icon is its label; the 8 px dot between two
	// edges is a bend in one flow.
	d := importRepro(t, "caption-and-dot.drawio")
	if c := d.Component("i1"); c == nil || c.Label != "Checkout Lambda" || len(d.Notes) != 0 {
		t.Errorf("caption: %+v notes %+v", c, d.Notes)
	}
	if d.Component("dot") != nil || len(d.Components) != 2 || flowSummary(d) != "i1->db:SQL" {
		t.Errorf("dot: %d components, flows %q", len(d.Components), flowSummary(d))
	}
	if f := d.Flows[0]; f.ID != "e1" || len(f.Waypoints) != 1 || f.Waypoints[0] != (graph.Point{X: 204, Y: 30}) || f.Attributes["via"] != "e1,e2" {
		t.Errorf("joined flow %+v", f)
	}
	src := model(
		vertex("a", "1", "Web", "", 0, 0, 80, 40) +
			vertex("b", "1", "API", "", 300, 0, 80, 40) +
			vertex("c", "1", "Audit", "", 300, 200, 80, 40) +
			vertex("s1", "1", "1", "ellipse;fillColor=#000;", 100, -30, 24, 24) + // step badge
			vertex("s2", "1", "B.", "ellipse;", 200, -30, 24, 24) +
			vertex("free", "1", "HTTPS", "text;", 170, 10, 50, 20) + // over a->b
			vertex("far", "1", "just a note", "text;", 170, 300, 80, 20) +
			vertex("plain", "1", "Borderless words", "rounded=0;fillColor=none;strokeColor=none;", 500, 300, 120, 20) +
			vertex("j", "1", "", "ellipse;", 336, 100, 7, 7) + // fan-out junction
			edgeCell("ab", "1", "a", "b", "", "") +
			edgeCell("aj", "1", "a", "j", "", "") +
			edgeCell("jb", "1", "j", "b", "x", "") +
			edgeCell("jc", "1", "j", "c", "y", ""))
	d = one(t, src)
	if len(d.Components) != 3 || len(d.Notes) != 4 {
		t.Errorf("components %d, notes %d: %+v", len(d.Components), len(d.Notes), d.Notes)
	}
	if !hasWarning(d, "s1", "step badge") || !hasWarning(d, "s2", "step badge") {
		t.Errorf("badges %v", d.Warnings)
	}
	if got := flowSummary(d); got != "a->b:HTTPS a->b:x a->c:y" {
		t.Errorf("flows %q", got)
	}
	if flowByID(d, "aj+jb") == nil || flowByID(d, "aj+jc") == nil {
		t.Errorf("fan-out ids %v", d.Flows)
	}
	// A text inside the shape an arrow leaves is not over the arrow:
	// draw.io draws the arrow from the shape's border, not its centre
	// (gaming_backend_database's "or" between "Cloud SQL" and "Cloud
	// Bigtable" inside "Game Database" became the label of the arrow from
	// that box). Over the drawn part, a text still labels the arrow.
	d = one(t, model(vertex("store", "1", "Game Database", "", 400, 0, 140, 190)+
		vertex("or", "1", "or", "text;", 450, 90, 20, 10)+
		vertex("srv", "1", "Game Server", "", 0, 120, 150, 44)+
		edgeCell("e", "1", "store", "srv", "", "")))
	if got := flowSummary(d); got != "store->srv:" || len(d.Notes) != 1 || d.Notes[0].Text != "or" {
		t.Errorf("text inside the source shape: flows %q, notes %+v", got, d.Notes)
	}
	d = one(t, model(vertex("store", "1", "Game Database", "", 400, 0, 140, 190)+
		vertex("lbl", "1", "gRPC", "text;", 250, 110, 40, 20)+
		vertex("srv", "1", "Game Server", "", 0, 120, 150, 44)+
		edgeCell("e", "1", "store", "srv", "", "")))
	if got := flowSummary(d); got != "store->srv:gRPC" {
		t.Errorf("text over the drawn arrow: flows %q", got)
	}
	// An arrow from a container to a shape inside it is not cut at the
	// container's border.
	d = one(t, model(vertex("box", "1", "Cluster", "swimlane;container=1;", 0, 0, 400, 300)+
		vertex("in", "box", "Worker", "", 300, 200, 80, 40)+
		vertex("lbl", "1", "jobs", "text;", 250, 180, 40, 20)+
		edgeCell("e", "1", "box", "in", "", "")))
	if got := flowSummary(d); got != "box->in:jobs" {
		t.Errorf("container to child: flows %q", got)
	}
	// A dot that leads nowhere drops its edges, with a warning.
	d = one(t, model(vertex("a", "1", "Web", "", 0, 0, 80, 40)+vertex("j", "1", "", "ellipse;", 200, 10, 6, 6)+edgeCell("aj", "1", "a", "j", "", "")))
	if len(d.Flows) != 0 || len(d.Components) != 1 || !hasWarning(d, "j", "do not pass through it") {
		t.Errorf("dead-end dot: %v %v", d.Flows, d.Warnings)
	}
}

func TestLineBoundaries(t *testing.T) {
	line := func(id, style string, x1, y1, x2, y2 float64, via ...graph.Point) string {
		pts := ""
		if len(via) > 0 {
			pts = `<Array as="points">`
			for _, p := range via {
				pts += `<mxPoint x="` + ftoa(p.X) + `" y="` + ftoa(p.Y) + `"/>`
			}
			pts += `</Array>`
		}
		return `<mxCell id="` + id + `" value="" style="` + style + `" edge="1" parent="1"><mxGeometry relative="1" as="geometry">` +
			`<mxPoint x="` + ftoa(x1) + `" y="` + ftoa(y1) + `" as="sourcePoint"/><mxPoint x="` + ftoa(x2) + `" y="` + ftoa(y2) + `" as="targetPoint"/>` + pts + `</mxGeometry></mxCell>`
	}
	src := model(
		vertex("browser", "1", "Browser", "", 0, 100, 80, 40) +
			vertex("api", "1", "API", "", 300, 100, 80, 40) +
			vertex("db", "1", "DB", "shape=cylinder3;", 300, 300, 80, 80) +
			edgeCell("e1", "1", "browser", "api", "HTTPS", "") +
			edgeCell("e2", "1", "api", "db", "SQL", "") +
			// the classic DFD curve, red and dashed, between browser and API
			line("tb", "curved=1;dashed=1;strokeColor=#FF0000;endArrow=none;", 180, 0, 190, 400, graph.Point{X: 150, Y: 200}) +
			// a dashed line that crosses nothing
			line("deco", "dashed=1;endArrow=none;", 600, 0, 600, 400))
	d := one(t, src)
	b := d.Boundary("tb")
	if b == nil || !b.Inferred || b.Attributes["shape"] != "line" || b.Attributes["points"] != "180,0 150,200 190,400" || b.Label != "Trust boundary" || !b.LabelDerived {
		t.Fatalf("line boundary %+v", b)
	}
	if *b.Geometry != (graph.Rect{X: 150, Y: 0, W: 40, H: 400}) || len(b.Members) != 1 || b.Members[0] != "browser" {
		t.Errorf("geometry %+v members %v", b.Geometry, b.Members)
	}
	if got := d.FlowCrossings(flowByID(d, "e1")); len(got) != 1 || got[0] != "tb" {
		t.Errorf("e1 crossings %v", got)
	}
	if got := d.FlowCrossings(flowByID(d, "e2")); len(got) != 0 {
		t.Errorf("e2 crossings %v", got)
	}
	if flowByID(d, "e1").Attributes["crosses"] != "tb" || flowByID(d, "e2").Attributes["crosses"] != "" {
		t.Errorf("crosses attributes")
	}
	if d.Boundary("deco") != nil || !hasWarning(d, "deco", "crosses no flow") || !hasWarning(d, "tb", "inferred from a dashed or red line") {
		t.Errorf("warnings %v", d.Warnings)
	}
	for _, c := range []string{"#b85450", "red", "#F00"} {
		if !isRed(c) {
			t.Errorf("%s not red", c)
		}
	}
	for _, c := range []string{"#000000", "#6c8ebf", "#ffb570", "none", "#zzz"} {
		if isRed(c) {
			t.Errorf("%s red", c)
		}
	}
}

func TestPaletteTitles(t *testing.T) {
	tests := []struct{ style, title, source string }{
		{"shape=mxgraph.aws4.productIcon;prIcon=mxgraph.aws4.rds;", "Amazon RDS", "palette"},
		{"shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.route_53;", "Amazon Route 53", "palette"},
		{"shape=mxgraph.aws4.lambda_function;", "Lambda Function", "palette"},
		{"shape=mxgraph.kubernetes.icon;prIcon=pod", "Pod", "palette"},
		{"image;html=1;image=img/lib/azure2/compute/Virtual_Machine.svg;", "Virtual Machine", "stencil"},
		{"image;image=img/lib/azure2/networking/10061-icon-service-Virtual-Networks.svg;", "Virtual Networks", "stencil"},
		{"shape=mxgraph.cisco.routers.router;", "Router", "palette"},
		{"shape=mxgraph.cisco.routers.atm_router;", "ATM Router", "palette"},
		{"shape=mxgraph.cisco19.rect;prIcon=l2_switch;", "L2 Switch", "palette"},
		{"shape=mxgraph.gcp2.cloud_sql;", "Cloud SQL", "palette"},
		{"image;image=img/lib/ibm/analytics/data_integration.svg;", "Data Integration", "palette"},
		{"shape=mxgraph.citrix.hq_enterprise;", "HQ / Enterprise", "palette"},
		{"shape=mxgraph.dfd.dataStoreID;", "Data Store with ID", "palette"}, // case as drawn
		{"shape=mxgraph.c4.person;", "Person", "palette"},                   // older C4 palette
		{"shape=mxgraph.cisco.routers.no_such_router;", "No Such Router", "stencil"},
		{"image;image=img/lib/clip_art/computers/Netbook_128x128.png;", "Netbook", "stencil"}, // clip art has no palette titles
		{"shape=mxgraph.aws3d.dynamoDb;", "DynamoDB", "palette"},
		{"shape=mxgraph.networks.pc;", "PC", "palette"},
		{"shape=mxgraph.networks.phone_1;", "Phone", "palette"},
		{"shape=mxgraph.azure.autoscale;", "AutoScale", "palette"},
		{"shape=mxgraph.azure.sql_database;", "SQL Database", "palette"},
		{"shape=mxgraph.gcp2.dedicated_game_server;", "Dedicated Game Server", "palette"},
		{"ellipse;", "", ""},
		{"rounded=1;", "", ""},
		{"shape=mxgraph.kubernetes.icon;", "", ""},
	}
	for _, tt := range tests {
		if title, src := paletteTitle(parseStyle(tt.style)); title != tt.title || src != tt.source {
			t.Errorf("%s: %q %q, want %q %q", tt.style, title, src, tt.title, tt.source)
		}
	}
	// An unlabelled, connected icon is named after its stencil, never its id.
	d := one(t, model(vertex("kKs_Z4YsZ", "1", "", "shape=mxgraph.aws4.productIcon;prIcon=mxgraph.aws4.rds;", 0, 0, 60, 60)+
		vertex("a", "1", "API", "", 200, 0, 80, 40)+edgeCell("e", "1", "a", "kKs_Z4YsZ", "SQL", "")))
	// The palette's title names the glyph the author chose: read, not derived.
	if c := d.Component("kKs_Z4YsZ"); c == nil || c.Label != "Amazon RDS" || c.Attributes["label_from"] != "palette" || c.LabelDerived {
		t.Errorf("named icon %+v", c)
	}
	// A plain shape with no palette title is named after its shape, with a
	// warning (azure_1's unlabelled frame "23046e2b9bb16c14-2", which an
	// arrow points at, was drawn and reported under its cell id).
	d = one(t, model(vertex("23046e2b9bb16c14-2", "1", "", "rounded=1;fillColor=none;strokeColor=#FFFFFF;", 0, 0, 160, 240)+
		vertex("c", "1", "", "ellipse;", 0, 300, 60, 60)+
		vertex("a", "1", "API", "", 300, 0, 80, 40)+edgeCell("e", "1", "a", "23046e2b9bb16c14-2", "", "")+edgeCell("e2", "1", "a", "c", "", "")))
	for id, want := range map[string]string{"23046e2b9bb16c14-2": "Unlabelled rectangle", "c": "Unlabelled ellipse"} {
		if c := d.Component(id); c == nil || c.Label != want || c.Attributes["label_from"] != "shape" || !c.LabelDerived ||
			!hasWarning(d, id, "unlabelled shape connected by edges: named \""+want+"\" after its shape") {
			t.Errorf("%s: %+v %v", id, c, d.Warnings)
		}
	}
}

func TestDotChain(t *testing.T) {
	var cells strings.Builder
	cells.WriteString(vertex("a", "1", "A", "", 0, 0, 40, 40))
	prev := "a"
	for i := 0; i < 500; i++ {
		id := "d" + strconv.Itoa(i)
		cells.WriteString(vertex(id, "1", "", "ellipse;", float64(100+i*10), 20, 6, 6))
		cells.WriteString(edgeCell("e"+strconv.Itoa(i), "1", prev, id, "", ""))
		prev = id
	}
	cells.WriteString(vertex("b", "1", "B", "", 6000, 0, 40, 40))
	cells.WriteString(edgeCell("last", "1", prev, "b", "TLS", ""))
	d := one(t, model(cells.String()))
	if got := flowSummary(d); got != "a->b:TLS" || len(d.Components) != 2 || len(d.Flows[0].Waypoints) != 500 {
		t.Errorf("chain: %q, %d components", got, len(d.Components))
	}
}

// TestTitledZones: an unlabelled tinted area whose name is a free text
// drawn inside it (industrial-iot-example's "IT Network" and "OT Network")
// is a zone named by that text; the text is neither a note, nor the
// caption of the icon beside it, nor the label of the arrow under it.
func TestTitledZones(t *testing.T) {
	area := vertex("z", "1", "", "rounded=0;fillOpacity=10;fillColor=#ffe6cc;strokeColor=#d79b00;", 0, 0, 400, 300)
	src := model(area +
		vertex("fw", "1", "", "shape=mxgraph.networks.firewall;", 170, 280, 60, 40) + // on the area's border
		vertex("api", "1", "API", "", 40, 40, 80, 40) +
		vertex("db", "1", "DB", "shape=cylinder3;", 260, 40, 80, 60) +
		vertex("t", "1", "IT Network", "text;", 120, 250, 160, 20) + // over fw->api, above fw
		edgeCell("e1", "1", "api", "db", "SQL", "") +
		edgeCell("e2", "1", "fw", "api", "", "") +
		freeEdge("e3", "db", 300, 200)) // ends inside the area, on nothing
	d := one(t, src)
	b := d.Boundary("z")
	if b == nil || b.Label != "IT Network" || !b.Inferred || strings.Join(b.Members, ",") != "api,db" {
		t.Fatalf("zone %+v", b)
	}
	if len(d.Notes) != 0 || d.Component("fw").Label != "Firewall" || flowByID(d, "e2").Label != "" {
		t.Errorf("text taken elsewhere: notes %v, firewall %+v, e2 %+v", d.Notes, d.Component("fw"), flowByID(d, "e2"))
	}
	if !hasWarning(d, "z", "titled by the text inside it") || !hasWarning(d, "e3", `lies inside boundary "z" ("IT Network") but on no shape`) {
		t.Errorf("warnings %v", d.Warnings)
	}
	tests := []struct {
		name, cells string
		boundaries  int
		notes       int
	}{
		// Around nothing: the text is a note again, the area decoration.
		{"empty area", area + vertex("t", "1", "DMZ", "text;", 10, 10, 60, 20), 0, 1},
		// Words that name no zone are not a title.
		{"not a zone word", area + vertex("t", "1", "Orders", "text;", 10, 10, 60, 20) +
			vertex("a", "1", "A", "", 40, 40, 80, 40) + vertex("b", "1", "B", "", 200, 40, 80, 40), 0, 1},
		// A text drawn before the area lies under it, not on it.
		{"text under the area", vertex("t", "1", "DMZ", "text;", 10, 10, 60, 20) + area +
			vertex("a", "1", "A", "", 40, 40, 80, 40) + vertex("b", "1", "B", "", 200, 40, 80, 40), 0, 1},
		// The smallest area holding the text takes it; the outer one has
		// no title and stays decoration.
		{"nested areas", area + vertex("in", "1", "", "fillColor=#eee;", 20, 20, 300, 200) +
			vertex("t", "1", "Web tier", "text;", 30, 30, 80, 20) +
			vertex("a", "1", "A", "", 40, 80, 80, 40) + vertex("b", "1", "B", "", 200, 80, 80, 40), 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := one(t, model(tt.cells))
			if len(d.Boundaries) != tt.boundaries || len(d.Notes) != tt.notes {
				t.Errorf("%d boundaries, %d notes; want %d, %d: %+v %v", len(d.Boundaries), len(d.Notes), tt.boundaries, tt.notes, d.Boundaries, d.Warnings)
			}
		})
	}
}
