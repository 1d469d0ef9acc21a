package drawio

import (
	"sort"
	"strings"
	"testing"
)

// TestScope: what the author takes out of scope on a draw.io page: a
// legend entry that names a fill (a text beside a swatch, or a swatch with
// its meaning inside), a tooltip, a property, a container's words; a fill
// no legend names marks nothing. A connected unlabelled shape's name is
// derived.
func TestScope(t *testing.T) {
	for _, tc := range []struct {
		name   string
		legend string
		want   []string
	}{
		{
			name: "swatch and text",
			legend: vertex("lg", "1", "Legend", "rounded=0;whiteSpace=wrap;", 600, 0, 220, 120) +
				vertex("sw", "lg", "", "rounded=0;fillColor=#E0E0E0;", 10, 40, 30, 20) +
				vertex("tx", "lg", "Out of scope", "text;html=1;", 50, 40, 120, 20) +
				vertex("sw2", "lg", "", "rounded=0;fillColor=#dae8fc;", 10, 80, 30, 20) +
				vertex("tx2", "lg", "Our services", "text;html=1;", 50, 80, 120, 20),
			want: []string{
				`cache: inside "CI runner (out of scope)": label says "out of scope"`,
				`gv: tooltip says "already threat modelled"`,
				`rules: the legend says "Out of scope" for fillColor #E0E0E0`,
				`vendor: Supplier's own model (property outOfScope="true")`,
			},
		},
		{
			name: "swatch with its meaning inside",
			legend: vertex("lg", "1", "Key", "rounded=0;whiteSpace=wrap;", 600, 0, 220, 120) +
				vertex("sw", "lg", "Existing (out of scope)", "rounded=0;fillColor=#e0e0e0;", 10, 40, 150, 20),
			want: []string{
				`cache: inside "CI runner (out of scope)": label says "out of scope"`,
				`gv: tooltip says "already threat modelled"`,
				`rules: the legend says "Existing (out of scope)" for fillColor #e0e0e0`,
				`vendor: Supplier's own model (property outOfScope="true")`,
			},
		},
		{
			name: "no legend: colour alone",
			want: []string{
				`cache: inside "CI runner (out of scope)": label says "out of scope"`,
				`gv: tooltip says "already threat modelled"`,
				`vendor: Supplier's own model (property outOfScope="true")`,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := model(tc.legend +
				vertex("cli", "1", "threatmap CLI", "rounded=1;fillColor=#dae8fc;", 0, 0, 120, 60) +
				vertex("rules", "1", "Rule library", "shape=cylinder3;fillColor=#e0e0e0;", 200, 0, 80, 60) +
				`<object id="gv" label="Graphviz runtime" tooltip="Already threat modelled upstream"><mxCell style="rounded=1;" vertex="1" parent="1"><mxGeometry x="0" y="200" width="120" height="60" as="geometry"/></mxCell></object>` +
				`<object id="vendor" label="Vendor feed" outOfScope="true" reasonOutOfScope="Supplier's own model"><mxCell style="rounded=0;" vertex="1" parent="1"><mxGeometry x="200" y="200" width="120" height="60" as="geometry"/></mxCell></object>` +
				vertex("ci", "1", "CI runner (out of scope)", "swimlane;", 0, 400, 400, 150) +
				vertex("cache", "ci", "Build cache", "shape=cylinder3;", 20, 40, 80, 60) +
				vertex("blank", "1", "", "rounded=0;", 500, 400, 80, 60) +
				edgeCell("e1", "1", "rules", "cli", "rules", "") +
				edgeCell("e2", "1", "cli", "gv", "layout", "") +
				edgeCell("e3", "1", "vendor", "cli", "feed", "") +
				edgeCell("e4", "1", "cache", "cli", "cache", "") +
				edgeCell("e5", "1", "cli", "blank", "x", ""))
			d := one(t, src)
			var got []string
			for _, c := range d.Components {
				if c.OutOfScope {
					got = append(got, c.ID+": "+c.OutOfScopeReason)
				}
			}
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("out of scope:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if c := d.Component("blank"); c == nil || !c.LabelDerived || d.Component("cli").LabelDerived {
				t.Errorf("unlabelled shape %+v", c)
			}
		})
	}
}
