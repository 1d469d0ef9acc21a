package drawio

import (
	"fmt"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// bigModel builds a page of about n cells: dashed zone containers holding
// nested tier containers holding shapes (plain, cylinders, objects with
// properties and HTML labels), and edges between shapes across containers,
// some with waypoints and separate label cells.
func bigModel(n int) (src string, cells int) {
	var b strings.Builder
	b.WriteString(`<mxfile><diagram name="Big" id="big"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>`)
	const zones, tiers, perTier = 10, 4, 60
	var shapes []string
	for z := 0; z < zones; z++ {
		zid := fmt.Sprintf("z%d", z)
		b.WriteString(vertex(zid, "1", fmt.Sprintf("Zone %d", z), "rounded=1;container=1;dashed=1;verticalAlign=top;", float64(z*2000), 0, 1900, 4000))
		cells++
		for t := 0; t < tiers; t++ {
			tid := fmt.Sprintf("%s-t%d", zid, t)
			b.WriteString(vertex(tid, zid, fmt.Sprintf("Tier %d", t), "swimlane;startSize=30;", 50, float64(50+t*980), 1800, 950))
			cells++
			for s := 0; s < perTier; s++ {
				sid := fmt.Sprintf("%s-s%d", tid, s)
				x, y := float64(20+(s%10)*175), float64(40+(s/10)*150)
				switch s % 3 {
				case 0:
					b.WriteString(vertex(sid, tid, fmt.Sprintf("Service &lt;b&gt;%d&lt;/b&gt;&lt;br&gt;(Go)", s), "rounded=1;whiteSpace=wrap;html=1;", x, y, 150, 60))
				case 1:
					b.WriteString(vertex(sid, tid, fmt.Sprintf("Store %d", s), "shape=cylinder3;whiteSpace=wrap;html=1;", x, y, 120, 80))
				default:
					fmt.Fprintf(&b, `<object id="%s" label="%%name%% %d" placeholders="1" name="Worker" sensitivity="high" type="process"><mxCell style="rounded=0;html=1;" vertex="1" parent="%s"><mxGeometry x="%g" y="%g" width="150" height="60" as="geometry"/></mxCell></object>`, sid, s, tid, x, y)
				}
				shapes = append(shapes, sid)
				cells++
			}
		}
	}
	for i := 0; cells < n; i++ {
		src, dst := shapes[(i*7)%len(shapes)], shapes[(i*13+5)%len(shapes)]
		eid := fmt.Sprintf("e%d", i)
		if i%4 == 0 {
			fmt.Fprintf(&b, `<mxCell id="%s" parent="1" source="%s" target="%s" value="" style="edgeStyle=orthogonalEdgeStyle;html=1;endArrow=classic;" edge="1"><mxGeometry relative="1" as="geometry"><Array as="points"><mxPoint x="%d" y="10"/><mxPoint x="%d" y="20"/></Array></mxGeometry></mxCell>`, eid, src, dst, i, i)
			b.WriteString(vertex(eid+"-l", eid, "HTTPS", "edgeLabel;html=1;", 0, 0, 0, 0))
			cells += 2
		} else {
			b.WriteString(edgeCell(eid, "1", src, dst, "gRPC", "html=1;endArrow=classic;startArrow=none;"))
			cells++
		}
	}
	b.WriteString(`</root></mxGraphModel></diagram></mxfile>`)
	return b.String(), cells
}

func BenchmarkImport5000(b *testing.B) {
	src, cells := bigModel(5000)
	data := []byte(src)
	ds, err := Import("big.drawio", data, Options{})
	if err != nil {
		b.Fatal(err)
	}
	d := ds[0]
	if len(d.Components) != 2400 || len(d.Boundaries) != 50 || len(d.Flows) == 0 {
		b.Fatalf("%d cells: %d components, %d boundaries, %d flows", cells, len(d.Components), len(d.Boundaries), len(d.Flows))
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Import("big.drawio", data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportOverlapping is the worst case for geometric inference:
// thousands of dashed rectangles that all enclose each other and shapes,
// and edges attached only by their end points. The geometry budget keeps it
// bounded.
func BenchmarkImportOverlapping(b *testing.B) {
	var s strings.Builder
	for i := 0; i < 4000; i++ {
		d := float64(i)
		s.WriteString(vertex(fmt.Sprintf("r%d", i), "1", "", "dashed=1;", d, d, 100000-2*d, 100000-2*d))
		s.WriteString(vertex(fmt.Sprintf("v%d", i), "1", "V", "", 50000+d, 50000, 1, 1))
	}
	for i := 0; i < 4000; i++ {
		fmt.Fprintf(&s, `<mxCell id="e%d" parent="1" edge="1"><mxGeometry relative="1" as="geometry"><mxPoint x="50000" y="50000" as="sourcePoint"/><mxPoint x="50001" y="50000" as="targetPoint"/></mxGeometry></mxCell>`, i)
	}
	data := []byte(model(s.String()))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Import("overlap.drawio", data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// maxCellsFile is TestPeakMemory's "cells-60mb": as many cells as
// MaxElements allows, with 200-character labels, 61 MB of XML.
func maxCellsFile() []byte {
	var b strings.Builder
	label := strings.Repeat("x", 200)
	for i := 0; i < graph.DefaultMaxElements-10; i++ {
		fmt.Fprintf(&b, `<mxCell id="c%d" value="%s" vertex="1" parent="1"><mxGeometry x="%d" width="8" height="4" as="geometry"/></mxCell>`, i, label, i*10)
	}
	return []byte(model(b.String()))
}

// BenchmarkImportMaxCells imports maxCellsFile, for profiling what an
// import of the largest file the limits allow allocates and keeps:
//
//	go test ./importers/drawio -run '^$' -bench MaxCells -benchtime 1x -memprofile mem.out
func BenchmarkImportMaxCells(b *testing.B) {
	if testing.Short() {
		b.Skip("a 61 MB input")
	}
	data := maxCellsFile()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		ds, err := Import("cells.drawio", data, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if n := len(ds[0].Components); n != graph.DefaultMaxElements-10 {
			b.Fatalf("%d components", n)
		}
	}
}
