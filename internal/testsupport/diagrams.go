package testsupport

import (
	"fmt"

	"github.com/threatmap/threatmap/graph"
)

// Diagram generators, for what the examples cannot show: exact geometry
// and sizes far beyond a hand-drawn system.

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// Shop is a small draw.io-like diagram with source geometry, for tests of
// what the examples do not have: an internet zone, a cloud with a nested
// private subnet, edge waypoints at known places, actor shapes and an AWS
// icon.
func Shop() *graph.Diagram {
	d := graph.New("testdata/shop.drawio", "drawio")
	d.Title, d.HasLayout = "Web Shop", true
	r := func(x, y, w, h float64) *graph.Rect { return &graph.Rect{X: x, Y: y, W: w, H: h} }
	must(d.AddBoundary(&graph.Boundary{ID: "zone-internet", Label: "Internet", Geometry: r(20, 40, 200, 360)}))
	must(d.AddBoundary(&graph.Boundary{ID: "zone-aws", Label: "AWS eu-west-1", Geometry: r(300, 20, 620, 420)}))
	must(d.AddBoundary(&graph.Boundary{ID: "zone-private", Label: "Private subnet", Parent: "zone-aws", Geometry: r(560, 80, 330, 330)}))
	comps := []*graph.Component{
		{ID: "2", Label: "Customer", Shape: "umlActor", Kind: graph.KindExternal, Boundary: "zone-internet", Geometry: r(80, 110, 60, 90)},
		{ID: "3", Label: "Admin", Shape: "umlActor", Kind: graph.KindExternal, Boundary: "zone-internet", Geometry: r(80, 270, 60, 90)},
		{ID: "4", Label: "Load Balancer", Shape: "mxgraph.aws4.application_load_balancer", Boundary: "zone-aws", Geometry: r(360, 150, 140, 70)},
		{ID: "5", Label: "Shop API", Shape: "rounded", Kind: graph.KindProcess, Boundary: "zone-private", Geometry: r(600, 130, 140, 70)},
		{ID: "6", Label: "Orders DB", Shape: "cylinder", Kind: graph.KindDataStore, Boundary: "zone-private", Geometry: r(610, 300, 120, 80)},
		{ID: "7", Label: "Payment Provider", Shape: "rectangle", Kind: graph.KindExternal, Geometry: r(980, 150, 140, 70)},
	}
	for _, c := range comps {
		must(d.AddComponent(c))
	}
	d.AddFlow(&graph.Flow{ID: "e1", Source: "2", Target: "4", Label: "HTTPS"})
	d.AddFlow(&graph.Flow{ID: "e2", Source: "3", Target: "4", Label: "HTTPS, admin session", Waypoints: []graph.Point{{X: 260, Y: 315}, {X: 430, Y: 315}}})
	d.AddFlow(&graph.Flow{ID: "e3", Source: "4", Target: "5", Label: "HTTP"})
	d.AddFlow(&graph.Flow{ID: "e4", Source: "5", Target: "6", Label: "SQL (PII)"})
	d.AddFlow(&graph.Flow{ID: "e5", Source: "5", Target: "7", Label: "card data (PCI)", Waypoints: []graph.Point{{X: 800, Y: 165}, {X: 950, Y: 185}}})
	must(d.Finalize())
	return d
}

// Generated returns a diagram of n components spread over nested
// boundaries (about one per 10 components, two levels deep) with about
// 1.3 flows per component. With geometry it has a source layout on a grid.
func Generated(n int, geometry bool) *graph.Diagram {
	d := graph.New(fmt.Sprintf("gen%d.dot", n), "dot")
	d.Title, d.HasLayout = fmt.Sprintf("Generated %d", n), geometry
	nb := max(n/10, 1)
	const cols = 5 // components per boundary row
	for b := 0; b < nb; b++ {
		parent := ""
		if b%4 != 0 {
			parent = fmt.Sprintf("b%d", b-b%4)
		}
		bd := &graph.Boundary{ID: fmt.Sprintf("b%d", b), Label: fmt.Sprintf("Zone %d", b), Parent: parent}
		if geometry {
			bx, by := float64(b%8)*1100, float64(b/8)*420
			bd.Geometry = &graph.Rect{X: bx, Y: by, W: 1060, H: 380}
		}
		must(d.AddBoundary(bd))
	}
	for i := 0; i < n; i++ {
		b := i % nb
		c := &graph.Component{ID: fmt.Sprintf("c%d", i), Label: fmt.Sprintf("Service %d", i), Boundary: fmt.Sprintf("b%d", b)}
		if i%7 == 3 {
			c.Shape = "cylinder"
		}
		if geometry {
			k := i / nb
			c.Geometry = &graph.Rect{X: float64(b%8)*1100 + 20 + float64(k%cols)*205, Y: float64(b/8)*420 + 40 + float64(k/cols%3)*110, W: 160, H: 70}
		}
		must(d.AddComponent(c))
	}
	for i := 1; i < n; i++ {
		d.AddFlow(&graph.Flow{ID: fmt.Sprintf("f%d", i), Source: fmt.Sprintf("c%d", (i-1)/2), Target: fmt.Sprintf("c%d", i), Label: "HTTPS"})
		if i%3 == 0 {
			d.AddFlow(&graph.Flow{ID: fmt.Sprintf("g%d", i), Source: fmt.Sprintf("c%d", i), Target: fmt.Sprintf("c%d", (i*7)%n), Label: "gRPC (PII)"})
		}
	}
	must(d.Finalize())
	return d
}
