package threatdragon_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	td "github.com/threatmap/threatmap/importers/threatdragon"
)

// TestFreeFlowEnds: a flow end the file places but does not connect
// attaches to the component it lies on or within the shared tolerance of
// (graph.NearestRect, widened by half a step of the editor's 10-pixel
// grid), with a warning saying where; a flow that still lacks an end is
// skipped with a warning that says why and names every threat the file
// records on it.
func TestFreeFlowEnds(t *testing.T) {
	// "web" x 0-100, y 0-60; "cache" x 0-40, y 72-132 (12 px below web);
	// "db" x 300-400, y 0-60; "box" (a trust boundary) x 500-700.
	const shapes = `{"shape":"actor","id":"web","position":{"x":0,"y":0},"size":{"width":100,"height":60},"data":{"name":"Web\nbrowser"}},` +
		`{"shape":"store","id":"cache","position":{"x":0,"y":72},"size":{"width":40,"height":60},"data":{"name":"Cache"}},` +
		`{"shape":"store","id":"db","position":{"x":300,"y":0},"size":{"width":100,"height":60},"data":{"name":"Orders DB"}},` +
		`{"shape":"trust-boundary-box","id":"box","position":{"x":500,"y":0},"size":{"width":200,"height":200},"data":{"name":"Zone"}},` +
		`{"shape":"process","id":"hid","visible":false,"position":{"x":0,"y":400},"size":{"width":50,"height":50},"data":{"name":"Hidden"}},` +
		`{"shape":"td-text-block","id":"txt","position":{"x":0,"y":300},"size":{"width":50,"height":50},"data":{"name":"a note"}}`
	const threat = `{"title":"Session stolen on the wire","type":"Spoofing","severity":"High"},{"title":"Orders read in transit","type":"Information disclosure"}`
	for _, tc := range []struct {
		name     string
		src, dst string // the flow's source and target JSON
		threats  string
		flow     string // "src->dst" of the flow kept, "" when skipped
		at       string // "source x,y" or "target x,y" of the point kept
		warning  string // the warning on the flow's cell ("" for none)
	}{
		{name: "both connected", src: `{"cell":"web"}`, dst: `{"cell":"db"}`, flow: "web->db"},
		{name: "source ten pixels right of the actor", src: `{"x":110,"y":30}`, dst: `{"cell":"db"}`, flow: "web->db", at: "source 110,30",
			warning: `flow "f": its source end (110, 30) is not connected in the file but lies 10 px outside actor "Web browser": attached to it`},
		{name: "target inside the store", src: `{"cell":"web"}`, dst: `{"x":350,"y":30}`, flow: "web->db", at: "target 350,30",
			warning: `flow "f": its target end (350, 30) is not connected in the file but lies on store "Orders DB": attached to it`},
		{name: "target on the nearer of two", src: `{"cell":"db"}`, dst: `{"x":20,"y":63}`, flow: "db->web", at: "target 20,63",
			warning: `lies 3 px outside actor "Web browser"`},
		{name: "equally near two: the smaller", src: `{"cell":"db"}`, dst: `{"x":20,"y":66}`, flow: "db->cache", at: "target 20,66",
			warning: `lies 6 px outside store "Cache"`},
		{name: "source 9.9 px off the corner", src: `{"x":107,"y":67}`, dst: `{"cell":"db"}`, flow: "web->db", at: "source 107,67",
			warning: `lies 9.9 px outside actor "Web browser"`},
		{name: "source 11.3 px off the corner: beyond the tolerance (11)", src: `{"x":108,"y":68}`, dst: `{"cell":"db"}`,
			warning: `flow "f" skipped: its source end (108, 68) is not connected to a component (the nearest, actor "Web browser", is 11 px away)`},
		{name: "target too far, threats named", src: `{"cell":"web"}`, dst: `{"x":200,"y":30}`, threats: threat,
			warning: `flow "f" skipped: its target end (200, 30) is not connected to a component (the nearest, actor "Web browser", is 100 px away); ` +
				`the 2 threats it records are dropped with it: "Session stolen on the wire" (Spoofing), "Orders read in transit" (Information disclosure)`},
		{name: "one threat", src: `{"x":-50,"y":-50}`, dst: `{"cell":"db"}`, threats: `{"title":"Replay","type":"Tampering"}`,
			warning: `not connected to a component (the nearest, actor "Web browser", is 71 px away); the threat it records is dropped with it: "Replay" (Tampering)`},
		{name: "end on a trust boundary", src: `{"cell":"web"}`, dst: `{"cell":"box"}`,
			warning: `flow "f" skipped: its target "box" is a trust boundary, not a component`},
		{name: "end on a hidden cell and a text block", src: `{"cell":"hid"}`, dst: `{"cell":"txt"}`,
			warning: `flow "f" skipped: its source "hid" is hidden, and its target "txt" is a text block, not a component`},
		{name: "end on nothing", src: `{"cell":"nope"}`, dst: `{}`,
			warning: `flow "f" skipped: its source "nope" does not exist, and its target end is not connected to any component`},
		{name: "end missing", src: `{"cell":"web"}`,
			warning: `flow "f" skipped: its target end is missing`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			flow := `{"shape":"flow","id":"f","source":` + tc.src
			if tc.dst != "" {
				flow += `,"target":` + tc.dst
			}
			flow += `,"data":{"name":"f","threats":[` + tc.threats + `]}}`
			src := `{"version":"2.2.0","summary":{"title":"T"},"detail":{"diagrams":[{"title":"D","cells":[` + shapes + `,` + flow + `]}]}}`
			ds, err := td.Import("m.json", []byte(src), td.Options{})
			if err != nil {
				t.Fatal(err)
			}
			d := ds[0]
			var got string
			var f *graph.Flow
			if len(d.Flows) == 1 {
				f = d.Flows[0]
				got = f.Source + "->" + f.Target
			}
			if got != tc.flow {
				t.Fatalf("flow %q, want %q; warnings %v", got, tc.flow, d.Warnings)
			}
			var onFlow []graph.Warning
			for _, w := range d.Warnings {
				if w.Pos.Cell == "f" {
					onFlow = append(onFlow, w)
				}
			}
			switch {
			case tc.warning == "" && len(onFlow) != 0:
				t.Errorf("unexpected warnings %v", onFlow)
			case tc.warning != "" && (len(onFlow) != 1 || !strings.Contains(onFlow[0].Message, tc.warning)):
				t.Errorf("warnings %v, want one containing %q", onFlow, tc.warning)
			}
			if f == nil {
				return
			}
			var at string
			if p := f.SourcePoint; p != nil {
				at = "source " + pt(*p)
			}
			if p := f.TargetPoint; p != nil {
				at += "target " + pt(*p)
			}
			if at != tc.at {
				t.Errorf("end point %q, want %q", at, tc.at)
			}
			if f.Threats != nil && tc.threats == "" {
				t.Errorf("threats %v", f.Threats)
			}
		})
	}
}

func pt(p graph.Point) string {
	return strconv.FormatFloat(p.X, 'g', -1, 64) + "," + strconv.FormatFloat(p.Y, 'g', -1, 64)
}

// TestFreeFlowEndsBudget: 5,000 components and 5,000 flows with a free
// end would take 25 million distance tests; past the budget (20 million)
// the ends are not checked, with a warning, instead of taking quadratic
// time.
func TestFreeFlowEndsBudget(t *testing.T) {
	var cells []string
	for i := 0; i < 5000; i++ {
		x := strconv.Itoa(i * 200)
		cells = append(cells, `{"shape":"process","id":"p`+strconv.Itoa(i)+`","position":{"x":`+x+`,"y":0},"size":{"width":100,"height":60}}`)
	}
	for i := 0; i < 5000; i++ {
		x := strconv.Itoa(i*200 + 105) // 5 px right of p<i>
		cells = append(cells, `{"shape":"flow","id":"f`+strconv.Itoa(i)+`","source":{"x":`+x+`,"y":30},"target":{"cell":"p0"}}`)
	}
	src := `{"version":"2.2.0","summary":{"title":"T"},"detail":{"diagrams":[{"title":"D","cells":[` + strings.Join(cells, ",") + `]}]}}`
	ds, err := td.Import("big.json", []byte(src), td.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	unchecked := 0
	for _, w := range d.Warnings {
		if strings.Contains(w.Message, "position not checked") {
			unchecked++
		}
	}
	// 20,000,000 / 5,000 = 4,000 ends checked and attached; the rest warned.
	if len(d.Flows) != 4000 || unchecked != 1000 || d.Flows[3999].Source != "p3999" {
		t.Errorf("%d flows, %d unchecked ends", len(d.Flows), unchecked)
	}
}
