package svg_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/threatmap/threatmap/exporters/svg"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/stride"
)

// telehealthReport is the real analysis of the bundled example.
func telehealthReport(t testing.TB) *stride.Report {
	return testsupport.ExampleReport(t, "telehealth.dot")
}

// shopReport is the real analysis of the draw.io-like fixture with source
// geometry.
func shopReport(t testing.TB) *stride.Report {
	return testsupport.Analyze(t, testsupport.Shop())
}

// render draws r as threatmap analyze would.
func render(t testing.TB, r *stride.Report, opts testsupport.DrawOptions) []byte {
	t.Helper()
	p, _ := testsupport.Draw(r, opts)
	var buf bytes.Buffer
	if err := svg.Write(&buf, p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRenderings draws every kind of input the writer meets (each example
// format, source and automatic layouts, a top-to-bottom diagram, the grid
// fallback, a generated 200-component system, hostile labels) and checks
// each: safe markup, every component, flow and entry point drawn once,
// everything inside the viewBox. With THREATMAP_SVG_OUT set to a folder,
// it also writes them there for a visual check.
func TestRenderings(t *testing.T) {
	tb := telehealthReport(t)
	tb.Diagram.Direction = "TB"
	cases := []struct {
		name string
		r    *stride.Report
		o    testsupport.DrawOptions
	}{
		{"telehealth-dot", telehealthReport(t), testsupport.DrawOptions{Date: "2026-11-23"}},
		{"telehealth-drawio", testsupport.ExampleReport(t, "telehealth.drawio"), testsupport.DrawOptions{}},
		{"telehealth-drawio-auto", testsupport.ExampleReport(t, "telehealth.drawio"), testsupport.DrawOptions{Auto: true}},
		{"telehealth-mermaid", testsupport.ExampleReport(t, "telehealth.mmd"), testsupport.DrawOptions{}},
		{"telehealth-tb", tb, testsupport.DrawOptions{}},
		{"telehealth-grid", telehealthReport(t), testsupport.DrawOptions{Layout: layout.Options{MaxComponents: 1}}},
		{"shop-drawio", shopReport(t), testsupport.DrawOptions{}},
		{"shop-auto", shopReport(t), testsupport.DrawOptions{Auto: true}},
		{"generated-200", testsupport.Analyze(t, testsupport.Generated(200, false)), testsupport.DrawOptions{}},
		{"hostile", testsupport.Analyze(t, hostileDiagram()), testsupport.DrawOptions{Auto: true}},
	}
	dir := os.Getenv("THREATMAP_SVG_OUT")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, tc.r, tc.o)
			doc := parse(t, out)
			assertSafe(t, doc, out)
			for class, want := range map[string]int{
				"tm-component":   len(tc.r.Components),
				"tm-flow":        len(tc.r.Flows),
				"tm-entry-point": len(tc.r.EntryPoints),
			} {
				if got := len(doc.byClass(class)); got != want {
					t.Errorf("%d %s elements, want %d", got, class, want)
				}
			}
			insideViewBox(t, tc.name, doc)
			if dir != "" {
				if err := os.WriteFile(filepath.Join(dir, tc.name+".svg"), out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
