package drawio

import (
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// An edge label keeps draw.io's place for it along the edge: the edge's
// own label geometry (x along, y across, the offset point) or, for an
// edge whose text is in a label cell, that cell's; a flow drawn against
// its arrow describes the place from its own source end.
func TestEdgeLabelPlace(t *testing.T) {
	src := model(vertex("a", "1", "Web", "rounded=1;", 0, 0, 80, 40) +
		vertex("b", "1", "API", "rounded=1;", 300, 0, 80, 40) +
		`<mxCell id="e1" parent="1" source="a" target="b" value="HTTPS" style="endArrow=classic;" edge="1">` +
		`<mxGeometry x="-0.5" y="12" relative="1" as="geometry"><mxPoint x="5" y="-3" as="offset"/></mxGeometry></mxCell>` +
		`<mxCell id="e2" parent="1" source="a" target="b" value="" style="endArrow=classic;" edge="1"><mxGeometry relative="1" as="geometry"/></mxCell>` +
		`<mxCell id="l2" parent="e2" value="gRPC" style="edgeLabel;html=1;" vertex="1" connectable="0">` +
		`<mxGeometry x="0.6" y="-1" relative="1" as="geometry"><mxPoint x="2" y="4" as="offset"/></mxGeometry></mxCell>` +
		`<mxCell id="e3" parent="1" source="b" target="a" value="Reply" style="startArrow=classic;endArrow=none;" edge="1">` +
		`<mxGeometry x="0.5" y="10" relative="1" as="geometry"/></mxCell>` +
		edgeCell("e4", "1", "a", "b", "Plain", "endArrow=classic;"))
	d := one(t, src)
	want := map[string]*graph.EdgeLabel{
		"e1": {Along: -0.5, Across: 12, Offset: graph.Point{X: 5, Y: -3}},
		"e2": {Along: 0.6, Across: -1, Offset: graph.Point{X: 2, Y: 4}},
		"e3": {Along: -0.5, Across: -10},
		"e4": nil,
	}
	if len(d.Flows) != len(want) {
		t.Fatalf("%d flows, want %d", len(d.Flows), len(want))
	}
	for _, f := range d.Flows {
		w := want[f.ID]
		switch {
		case w == nil && f.LabelAt != nil:
			t.Errorf("%s: LabelAt %+v, want none (the middle)", f.ID, *f.LabelAt)
		case w != nil && (f.LabelAt == nil || *f.LabelAt != *w):
			t.Errorf("%s: LabelAt %+v, want %+v", f.ID, f.LabelAt, *w)
		}
	}
	if f := d.Flows[2]; f.Source != "a" || f.Target != "b" {
		t.Errorf("e3 flows %s → %s, want a → b (against its drawn direction)", f.Source, f.Target)
	}
}
