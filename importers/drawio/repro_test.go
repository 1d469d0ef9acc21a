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
