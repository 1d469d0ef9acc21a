package drawio_test

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/exporters/drawio"
	"github.com/threatmap/threatmap/exporters/scene"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

// analyse imports file (data), analyses its first diagram and writes the
// annotated draw.io, handing the source bytes only for draw.io input.
func analyse(t *testing.T, file string, data []byte) (*graph.Diagram, *stride.Report, []byte) {
	t.Helper()
	ds, err := importers.Import(file, data, importers.Options{})
	if err != nil {
		t.Fatalf("import %s: %v", file, err)
	}
	d := ds[0]
	r, err := stride.Analyze(d, stride.Options{})
	if err != nil {
		t.Fatalf("analyse %s: %v", file, err)
	}
	r.Diagram = d
	s, _, err := testsupport.BuildScene(r)
	if err != nil {
		t.Fatal(err)
	}
	opts := drawio.Options{Page: d.Name}
	if d.Format == "drawio" {
		opts.Source = data
	}
	var buf bytes.Buffer
	if err := drawio.Write(&buf, r, s, opts); err != nil {
		t.Fatalf("write %s: %v", file, err)
	}
	return d, r, buf.Bytes()
}

func example(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameModel checks that got has the components, flows and boundaries of
// want: same ids, labels, boundary membership, flow ends and labels.
func sameModel(t *testing.T, want, got *graph.Diagram) {
	t.Helper()
	if len(got.Components) != len(want.Components) || len(got.Flows) != len(want.Flows) || len(got.Boundaries) != len(want.Boundaries) {
		t.Fatalf("re-import has %d components, %d flows, %d boundaries; want %d, %d, %d",
			len(got.Components), len(got.Flows), len(got.Boundaries), len(want.Components), len(want.Flows), len(want.Boundaries))
	}
	for _, c := range want.Components {
		g := got.Component(c.ID)
		if g == nil {
			t.Errorf("component %q missing", c.ID)
			continue
		}
		if g.Label != c.Label || g.Boundary != c.Boundary {
			t.Errorf("component %q: got label %q in %q, want %q in %q", c.ID, g.Label, g.Boundary, c.Label, c.Boundary)
		}
	}
	for _, b := range want.Boundaries {
		g := got.Boundary(b.ID)
		if g == nil {
			t.Errorf("boundary %q missing", b.ID)
			continue
		}
		if g.Label != b.Label || g.Parent != b.Parent {
			t.Errorf("boundary %q: got %q under %q, want %q under %q", b.ID, g.Label, g.Parent, b.Label, b.Parent)
		}
	}
	key := func(f *graph.Flow) string { return f.Source + "→" + f.Target + ":" + f.Label }
	wantFlows := map[string]int{}
	for _, f := range want.Flows {
		wantFlows[key(f)]++
	}
	for _, f := range got.Flows {
		wantFlows[key(f)]--
	}
	for k, n := range wantFlows {
		if n != 0 {
			t.Errorf("flow %s: count differs by %d", k, n)
		}
	}
}

var layerCell = regexp.MustCompile(`id="threatmap-[^"]*"`)

func TestAnnotatedExampleReimportsAndIsIdempotent(t *testing.T) {
	src := example(t, "telehealth.drawio")
	d, r, out := analyse(t, "telehealth.drawio", src)

	// The user's diagram is unchanged: the output is the source with one
	// block of cells inserted.
	p := 0
	for p < len(src) && src[p] == out[p] {
		p++
	}
	tail := src[p:]
	if !bytes.HasSuffix(out, tail) {
		t.Fatalf("output is not the source plus one inserted block (first difference at byte %d)", p)
	}
	block := string(out[p : len(out)-len(tail)])
	if n := strings.Count(block, "\n"); n != len(layerCell.FindAllString(block, -1)) {
		t.Errorf("inserted block has %d lines but %d threatmap cells", n, len(layerCell.FindAllString(block, -1)))
	}
	for _, want := range []string{`id="threatmap-layer" value="threatmap"`, `threatmap_type="entry-point"`, `threatmap_type="risk"`,
		`threatmap_type="sensitivity"`, `threatmap_type="legend"`, `tooltip="`} {
		if !strings.Contains(block, want) {
			t.Errorf("layer lacks %s", want)
		}
	}
	if got, want := strings.Count(block, `threatmap_type="entry-point"`), len(r.EntryPoints); got != want {
		t.Errorf("%d entry-point badges, want %d", got, want)
	}
	risky := 0
	for _, c := range r.Components {
		if c.MaxSeverity != "" {
			risky++
		}
	}
	if got := strings.Count(block, `threatmap_type="risk"`); got != risky {
		t.Errorf("%d risk highlights, want %d", got, risky)
	}

	// Re-imported, the annotated file is the same model.
	back, err := importers.Import("telehealth.threats.drawio", out, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sameModel(t, d, back[0])
	if len(back[0].Warnings) != len(d.Warnings) {
		t.Errorf("re-import has %d warnings, the original %d: %v", len(back[0].Warnings), len(d.Warnings), back[0].Warnings)
	}

	// Re-running on the annotated file replaces the layer: same bytes.
	_, r2, again := analyse(t, "telehealth.threats.drawio", out)
	if len(r2.Threats) != len(r.Threats) {
		t.Fatalf("re-analysis found %d threats, first run %d", len(r2.Threats), len(r.Threats))
	}
	if !bytes.Equal(again, out) {
		t.Errorf("second run differs from the first (%d vs %d bytes)", len(again), len(out))
	}
}

// compress encodes a page the way draw.io does when compression is on.
func compress(t *testing.T, model string) string {
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	fw.Write([]byte(url.PathEscape(model)))
	fw.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func TestCompressedPageAndSecondPage(t *testing.T) {
	src := string(example(t, "telehealth.drawio"))
	i, j := strings.Index(src, "<mxGraphModel"), strings.Index(src, "</mxGraphModel>")+len("</mxGraphModel>")
	model := src[i:j]
	// A first page the analysis does not touch, then the example
	// compressed on a second page.
	file := `<mxfile host="test" compressed="true"><diagram id="p1" name="Overview"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/></root></mxGraphModel></diagram>` +
		`<diagram id="p2" name="Telehealth Platform">` + compress(t, model) + `</diagram></mxfile>`
	ds, err := importers.Import("c.drawio", []byte(file), importers.Options{Page: "Telehealth Platform"})
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	r, err := stride.Analyze(d, stride.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.Diagram = d
	s, _, err := testsupport.BuildScene(r)
	if err != nil {
		t.Fatal(err)
	}
	write := func(src []byte) []byte {
		var buf bytes.Buffer
		if err := drawio.Write(&buf, r, s, drawio.Options{Source: src, Page: d.Name}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	out := write([]byte(file))
	if !strings.HasPrefix(string(out), file[:strings.Index(file, `<diagram id="p2"`)]) {
		t.Error("the first page changed")
	}
	back, err := importers.Import("c.threats.drawio", out, importers.Options{Page: "Telehealth Platform"})
	if err != nil {
		t.Fatal(err)
	}
	sameModel(t, d, back[0])
	if again := write(out); !bytes.Equal(again, out) {
		t.Error("re-running on the output changed it")
	}
	first, err := importers.Import("c.threats.drawio", out, importers.Options{Page: "Overview"})
	if err != nil || len(first[0].Components) != 0 {
		t.Errorf("first page: %v, %d components", err, len(first[0].Components))
	}
}

func TestNewDiagramFromMermaidAndDOT(t *testing.T) {
	for _, name := range []string{"telehealth.mmd", "telehealth.dot"} {
		t.Run(name, func(t *testing.T) {
			d, r, out := analyse(t, name, example(t, name))
			back, err := importers.Import("x.drawio", out, importers.Options{})
			if err != nil {
				t.Fatalf("draw.io import of the new diagram: %v", err)
			}
			sameModel(t, d, back[0])
			r2, err := stride.Analyze(back[0], stride.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(r2.Threats) != len(r.Threats) || len(r2.EntryPoints) != len(r.EntryPoints) {
				t.Errorf("new diagram analyses to %d threats, %d entry points; the %s to %d, %d",
					len(r2.Threats), len(r2.EntryPoints), name, len(r.Threats), len(r.EntryPoints))
			}
			_, _, again := analyse(t, name, example(t, name))
			if !bytes.Equal(again, out) {
				t.Error("not deterministic")
			}
		})
	}
}

func TestBadSource(t *testing.T) {
	for name, src := range map[string]string{
		"not xml":      "hello",
		"no page":      `<mxfile></mxfile>`,
		"wrong root":   `<svg xmlns="http://www.w3.org/2000/svg"></svg>`,
		"missing page": `<mxfile><diagram name="A"><mxGraphModel><root><mxCell id="0"/></root></mxGraphModel></diagram></mxfile>`,
		"bad base64":   `<mxfile><diagram name="Telehealth Platform">!!!</diagram></mxfile>`,
		"no root":      `<mxfile><diagram name="Telehealth Platform"><mxGraphModel></mxGraphModel></diagram></mxfile>`,
	} {
		r := &stride.Report{System: "x"}
		var buf bytes.Buffer
		err := drawio.Write(&buf, r, &scenebuildEmpty, drawio.Options{Source: []byte(src), Page: "Telehealth Platform"})
		if err == nil || buf.Len() != 0 {
			t.Errorf("%s: err %v, %d bytes written", name, err, buf.Len())
		}
	}
}

var scenebuildEmpty = scene.Scene{}
