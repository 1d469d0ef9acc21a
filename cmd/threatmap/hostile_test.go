package main

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/third_party/excelize"
)

// The hostile-input suite: every file in testdata/hostile, plus inputs too
// big to keep in the repository that the test builds, each with the outcome
// threatmap must give: exit 2 with a precise message, or exit 0 with
// correct, inert output.

type hostileCase struct {
	file string // name in testdata/hostile, or of a generated file
	gen  func() []byte
	code int
	// msg must appear on stderr (failures) or in the JSON report (warnings).
	msg string
	// check inspects the output folder of a successful run.
	check func(t *testing.T, out string)
}

func hostileCases() []hostileCase {
	return []hostileCase{
		{file: "billion-laughs.drawio", code: 2, msg: "billion-laughs.drawio: XML contains an ENTITY declaration"},
		{file: "xxe.drawio", code: 2, msg: "xxe.drawio: XML contains an ENTITY declaration"},
		{file: "parent-cycle.drawio", code: 2, msg: `parent-cycle.drawio: page "Page-1", cell "a": parent cycle`},
		{file: "missing-parent.drawio", code: 2, msg: `missing-parent.drawio: page "Page-1", cell "web": parent "ghost" does not exist`},
		{file: "bad-compressed.drawio", code: 2, msg: `bad-compressed.drawio: page "Page-1": compressed page is not valid base64`},
		{file: "not-xml.drawio", code: 2, msg: "not-xml.drawio: not valid XML"},
		{file: "not-drawio.drawio", code: 2, msg: "not-drawio.drawio: not a draw.io file"},
		{file: "nul.dot", code: 2, msg: "nul.dot:3:13: NUL byte in DOT input"},
		{file: "nul.mmd", code: 2, msg: "nul.mmd:2:16: NUL byte in Mermaid input"},
		{file: "bom-crlf.dot", code: 0, check: labelsAre("Web App", "db")},
		{file: "bom-crlf.mmd", code: 0, check: labelsAre("Web App", "DB")},
		{file: "invalid-utf8.dot", code: 0, check: labelsAre("Caf\uFFFD \uFFFD API", "db")},
		{file: "invalid-utf8.mmd", code: 0, check: labelsAre("Caf\uFFFD \uFFFD API", "DB")},
		{file: "hostile-labels.dot", code: 0, check: inertOutputs},
		{file: "hostile-labels.mmd", code: 0, check: inertOutputs},
		{file: "hostile-page-names.drawio", code: 0, check: func(t *testing.T, out string) {
			// Page names "../../x" and "CON" only ever name files inside
			// the output folder, never a device name.
			var got []string
			entries, _ := os.ReadDir(out)
			for _, e := range entries {
				got = append(got, e.Name())
			}
			want := "hostile-page-names-_CON.annotated.svg hostile-page-names-_CON.risk-register.xlsx hostile-page-names-_CON.threat-model.md hostile-page-names-_CON.threats.json " +
				"hostile-page-names-x.annotated.svg hostile-page-names-x.risk-register.xlsx hostile-page-names-x.threat-model.md hostile-page-names-x.threats.json"
			if strings.Join(got, " ") != want {
				t.Errorf("outputs = %v", got)
			}
		}},

		// Generated inputs.
		{file: "deflate-bomb.drawio", gen: deflateBombPage, code: 2, msg: "deflate-bomb.drawio: page \"Page-1\": compressed data inflates to more than 67108864 bytes"},
		{file: "png-bomb.drawio.png", gen: pngBomb, code: 2, msg: "png-bomb.drawio.png: compressed data inflates to more than 67108864 bytes"},
		{file: "deep.drawio", gen: deepXML, code: 2, msg: "deep.drawio: XML elements nested deeper than 200"},
		{file: "deep.mmd", gen: deepMermaid, code: 2, msg: "deep.mmd:202:1: subgraphs nested deeper than 200"},
		{file: "deep.dot", gen: deepDOT, code: 2, msg: "deep.dot:2:4489: braces nested 201 deep, over the limit of 200"},
		{file: "huge-label.dot", gen: func() []byte {
			return []byte("digraph {\n api [label=\"" + strings.Repeat("A", 10<<20) + "\"]\n user -> api\n}\n")
		}, code: 0, msg: "attribute value of 10485760 bytes truncated to 4096"},
		{file: "huge-label.mmd", gen: func() []byte {
			return []byte("flowchart LR\n  user --> api[\"" + strings.Repeat("A", 10<<20) + "\"]\n")
		}, code: 0, msg: "truncated"},
		{file: "huge-label.drawio", gen: func() []byte {
			return []byte(`<mxfile><diagram name="P"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>` +
				`<mxCell id="api" value="` + strings.Repeat("A", 10<<20) + `" vertex="1" parent="1"><mxGeometry width="80" height="40" as="geometry"/></mxCell>` +
				`</root></mxGraphModel></diagram></mxfile>`)
		}, code: 0, msg: "truncated"},
	}
}

func TestHostileInputs(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "hostile")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	gendir := t.TempDir()
	for _, hc := range hostileCases() {
		covered[hc.file] = true
		hc := hc
		t.Run(hc.file, func(t *testing.T) {
			path := filepath.Join(dir, hc.file)
			if hc.gen != nil {
				path = filepath.Join(gendir, hc.file)
				if err := os.WriteFile(path, hc.gen(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out := t.TempDir()
			code, stdout, stderr := runCLI(t, "", "analyze", "-o", out, path)
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
				t.Fatalf("crash: %s", stderr)
			}
			if code != hc.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", code, hc.code, stdout, stderr)
			}
			if code != 0 {
				if !strings.Contains(stderr, hc.msg) {
					t.Errorf("stderr %q does not contain %q", stderr, hc.msg)
				}
				if entries, _ := os.ReadDir(out); len(entries) != 0 {
					t.Errorf("a failed run left output: %v", entries)
				}
				return
			}
			if hc.msg != "" {
				var report []byte
				files, _ := filepath.Glob(filepath.Join(out, "*.threats.json"))
				for _, f := range files {
					b, _ := os.ReadFile(f)
					report = append(report, b...)
				}
				if !bytes.Contains(report, []byte(hc.msg)) {
					t.Errorf("report has no warning %q", hc.msg)
				}
			}
			if hc.check != nil {
				hc.check(t, out)
			}
		})
	}
	for _, e := range entries {
		if !covered[e.Name()] {
			t.Errorf("testdata/hostile/%s has no case in hostileCases", e.Name())
		}
	}
}

// labelsAre checks the component labels of the only JSON report in out.
func labelsAre(want ...string) func(t *testing.T, out string) {
	return func(t *testing.T, out string) {
		files, _ := filepath.Glob(filepath.Join(out, "*.threats.json"))
		if len(files) != 1 {
			t.Fatalf("reports: %v", files)
		}
		b, _ := os.ReadFile(files[0])
		for _, w := range want {
			if !bytes.Contains(b, []byte(`"label": "`+w+`"`)) {
				t.Errorf("no component labelled %q in %s", w, files[0])
			}
		}
	}
}

// inertOutputs checks that hostile labels came through as text: the
// Markdown has no live HTML, the workbook no formula from diagram text, any
// SVG no script, event handler or external reference.
func inertOutputs(t *testing.T, out string) {
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	if len(files) == 0 {
		t.Fatal("no outputs")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasSuffix(f, ".md"):
			if bytes.Contains(b, []byte("<script")) || bytes.Contains(b, []byte("<img")) {
				t.Errorf("%s carries live HTML", f)
			}
		case strings.HasSuffix(f, ".json"):
			if !bytes.Contains(b, []byte("javascript:alert(")) {
				t.Errorf("%s lost the hostile label text", f)
			}
		case strings.HasSuffix(f, ".svg"):
			checkInertSVG(t, f, b)
		case strings.HasSuffix(f, ".xlsx"):
			checkNoDiagramFormulas(t, f, b)
		}
	}
}

func checkInertSVG(t *testing.T, name string, b []byte) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if n := strings.ToLower(se.Name.Local); n == "script" || n == "foreignobject" || n == "iframe" || n == "image" {
			t.Errorf("%s has a <%s> element", name, se.Name.Local)
		}
		for _, a := range se.Attr {
			k := strings.ToLower(a.Name.Local)
			if strings.HasPrefix(k, "on") {
				t.Errorf("%s: event attribute %s on <%s>", name, a.Name.Local, se.Name.Local)
			}
			if k == "href" && !strings.HasPrefix(a.Value, "#") {
				t.Errorf("%s: external reference %q", name, a.Value)
			}
		}
	}
}

func checkNoDiagramFormulas(t *testing.T, name string, b []byte) {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s does not open: %v", name, err)
	}
	defer f.Close()
	found := false
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if !strings.Contains(v, "=HYPERLINK(") && !strings.Contains(v, "@SUM(") {
					continue
				}
				found = true
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fx, _ := f.GetCellFormula(sheet, cell); fx != "" {
					t.Errorf("%s %s!%s holds formula %q from a diagram label", name, sheet, cell, fx)
				}
			}
		}
	}
	if !found {
		t.Errorf("%s does not show the formula-like label as text", name)
	}
}

const bombSize = 80 << 20 // over the 64 MiB default decompression limit

func deflateBombPage() []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < bombSize>>20; i++ {
		w.Write(chunk)
	}
	w.Close()
	return []byte(`<mxfile><diagram name="Page-1">` + base64.StdEncoding.EncodeToString(buf.Bytes()) + `</diagram></mxfile>`)
}

func pngBomb() []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < bombSize>>20; i++ {
		w.Write(chunk)
	}
	w.Close()
	data := append([]byte("mxfile\x00\x00"), z.Bytes()...)
	var c bytes.Buffer
	binary.Write(&c, binary.BigEndian, uint32(len(data)))
	c.WriteString("zTXt")
	c.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte("zTXt"))
	crc.Write(data)
	binary.Write(&c, binary.BigEndian, crc.Sum32())
	var img bytes.Buffer
	png.Encode(&img, image.NewGray(image.Rect(0, 0, 2, 2)))
	b := img.Bytes()
	ihdrEnd := 8 + 4 + 4 + 13 + 4
	out := append([]byte{}, b[:ihdrEnd]...)
	out = append(out, c.Bytes()...)
	return append(out, b[ihdrEnd:]...)
}

// nested builds head, then open 100,000 times (with %d replaced by the
// level), mid, close 100,000 times, and tail: nesting far past any limit.
func nested(head, open, mid, close, tail string) []byte {
	const depth = 100000
	var b strings.Builder
	b.WriteString(head)
	for i := 0; i < depth; i++ {
		b.WriteString(strings.ReplaceAll(open, "%d", itoa(i)))
	}
	b.WriteString(mid)
	for i := 0; i < depth; i++ {
		b.WriteString(close)
	}
	b.WriteString(tail)
	return []byte(b.String())
}

func deepXML() []byte {
	return nested(`<mxfile><diagram name="P"><mxGraphModel><root><mxCell id="0"/>`, "<a>", "", "</a>", `</root></mxGraphModel></diagram></mxfile>`)
}

func deepMermaid() []byte {
	return nested("flowchart LR\n", "subgraph s%d\n", "a --> b\n", "end\n", "")
}

func deepDOT() []byte {
	return nested("digraph {\n", "subgraph cluster_%d { ", "a -> b", " }", "\n}\n")
}

func itoa(i int) string { return strconv.Itoa(i) }
