package svg_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/threatmap/threatmap/annotate/annotatetest"
	"github.com/threatmap/threatmap/exporters/svg"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/layout/layouttest"
	"github.com/threatmap/threatmap/stride"
)

// telehealthReport is the telehealth example with a small threat set.
func telehealthReport() *stride.Report {
	return annotatetest.Report(layouttest.Telehealth(), annotatetest.TelehealthTrust, annotatetest.TelehealthThreats)
}

// drawioReport is the draw.io-like fixture with source geometry.
func drawioReport() *stride.Report {
	return annotatetest.Report(layouttest.Drawio(), map[string]int{"zone-internet": 0, "zone-aws": 1, "zone-private": 3},
		[]annotatetest.ThreatSpec{
			{Element: "6", Stride: "I", Title: "Orders DB readable by every service", Severity: "Critical"},
			{Element: "5", Stride: "E", Title: "Admin API reachable from the internet", Severity: "High"},
			{Element: "4", Stride: "D", Title: "No rate limiting on the load balancer", Severity: "Medium"},
			{Element: "e5", Flow: true, Stride: "I", Title: "Card data sent to the provider", Severity: "Low"},
		})
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

// TestWriteExamples writes the example SVGs to $THREATMAP_SVG_OUT for a
// visual check (skipped when unset).
func TestWriteExamples(t *testing.T) {
	dir := os.Getenv("THREATMAP_SVG_OUT")
	if dir == "" {
		t.Skip("THREATMAP_SVG_OUT not set")
	}
	opts := testsupport.DrawOptions{Date: "2026-11-23"}
	for name, r := range map[string]*stride.Report{"telehealth-dot": telehealthReport(), "shop-drawio": drawioReport()} {
		if err := os.WriteFile(filepath.Join(dir, name+".svg"), render(t, r, opts), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	auto := opts
	auto.Auto = true
	if err := os.WriteFile(filepath.Join(dir, "shop-auto.svg"), render(t, drawioReport(), auto), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWriteHostile writes the hostile-label example to $THREATMAP_SVG_OUT.
func TestWriteHostile(t *testing.T) {
	dir := os.Getenv("THREATMAP_SVG_OUT")
	if dir == "" {
		t.Skip("THREATMAP_SVG_OUT not set")
	}
	r := annotatetest.Report(hostileDiagram(), nil, nil)
	if err := os.WriteFile(filepath.Join(dir, "hostile.svg"), render(t, r, testsupport.DrawOptions{Auto: true}), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWriteMore writes a top-to-bottom telehealth, a generated 200-component
// diagram and the grid fallback to $THREATMAP_SVG_OUT.
func TestWriteMore(t *testing.T) {
	dir := os.Getenv("THREATMAP_SVG_OUT")
	if dir == "" {
		t.Skip("THREATMAP_SVG_OUT not set")
	}
	tb := telehealthReport()
	tb.Diagram.Direction = "TB"
	grid := telehealthReport()
	for name, out := range map[string][]byte{
		"telehealth-tb":   render(t, tb, testsupport.DrawOptions{}),
		"generated-200":   render(t, generatedReport(200, false), testsupport.DrawOptions{}),
		"telehealth-grid": render(t, grid, testsupport.DrawOptions{Layout: layout.Options{MaxComponents: 1}}),
	} {
		if err := os.WriteFile(filepath.Join(dir, name+".svg"), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
