package markdown

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/testcorpus"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

// The Mermaid release the render test uses is pinned in
// testdata/mermaid-render/package.json and package-lock.json; `npm ci`
// there installs it (node_modules is not committed). .ci/run does that.
const mermaidRenderDir = "testdata/mermaid-render"

// renderCase is one Mermaid block to render.
type renderCase struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// renderResult is what the page reports for one block.
type renderResult struct {
	Name  string `json:"name"`
	Error string `json:"error"`
	SVG   int    `json:"svg"` // length of the rendered SVG
	MS    int    `json:"ms"`  // time to render, for -v
}

// TestMermaidRenders renders the Markdown's Mermaid block of every example
// and every corpus diagram (each draw.io page, each Markdown block),  and of
// generated systems past Mermaid's size limits (one for each reduced view), with the real mermaid
// package in headless Chromium (one browser for all), and fails on any
// parse or render error. It skips when Chromium or the npm package is
// absent, unless THREATMAP_REQUIRE_MERMAID is set (CI sets it).
func TestMermaidRenders(t *testing.T) {
	if testing.Short() {
		t.Skip("renders in a browser; skipped with -short")
	}
	lib, err := filepath.Abs(filepath.Join(mermaidRenderDir, "node_modules", "mermaid", "dist", "mermaid.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(lib); err != nil {
		skipOrFail(t, "the mermaid npm package is not installed (run `npm ci` in exporters/markdown/"+mermaidRenderDir+")")
	}
	browser := findChromium()
	if browser == "" {
		skipOrFail(t, "no Chromium found (set THREATMAP_CHROMIUM to its path)")
	}
	cases := renderCases(t)
	results := renderInBrowser(t, browser, lib, cases)
	if len(results) != len(cases) {
		t.Fatalf("the page reported %d results for %d diagrams", len(results), len(cases))
	}
	for i, res := range results {
		t.Logf("%6d ms  %s", res.MS, res.Name)
		if res.Error != "" || res.SVG == 0 {
			t.Errorf("%s: Mermaid %s: %s\n%s", res.Name, mermaidVersion(t), res.Error, numbered(cases[i].Text))
		}
	}
	t.Logf("%d Mermaid blocks rendered with Mermaid %s", len(results), mermaidVersion(t))
}

func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("THREATMAP_REQUIRE_MERMAID") != "" {
		t.Fatal(why + "; THREATMAP_REQUIRE_MERMAID is set")
	}
	t.Skip(why + "; Mermaid render test skipped")
}

func findChromium() string {
	if p := os.Getenv("THREATMAP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func mermaidVersion(t *testing.T) string {
	data, err := os.ReadFile(filepath.Join(mermaidRenderDir, "node_modules", "mermaid", "package.json"))
	if err != nil {
		return "(unknown version)"
	}
	var pkg struct{ Version string }
	if json.Unmarshal(data, &pkg) != nil {
		return "(unknown version)"
	}
	return pkg.Version
}

// renderCases collects the Mermaid block of every example, every corpus
// diagram and generated systems around Mermaid's limits.
func renderCases(t *testing.T) []renderCase {
	var cases []renderCase
	add := func(name string, r *stride.Report) {
		body, ok := mermaidBody(MermaidBlock(r))
		if !ok {
			t.Errorf("%s: no Mermaid block in the document", name)
			return
		}
		cases = append(cases, renderCase{Name: name, Text: body})
	}
	for _, name := range []string{"telehealth.dot", "telehealth.drawio", "telehealth.mmd", "telehealth.md"} {
		add("examples/"+name, testsupport.ExampleReport(t, name))
	}
	// One system for each reduced view (MermaidBlock's doc): the
	// largest take Mermaid seconds each, so they are kept small.
	add("busy-zone-crossing-only", testsupport.Analyze(t, busyZone(700, 12)))
	add("mesh-overview", testsupport.Analyze(t, meshDiagram(8, 8)))
	long := longLabels(60)
	add("long-labels-shortened", testsupport.Analyze(t, long))
	for _, sub := range []string{"drawio", "mermaid", "dot"} {
		dir := corpusDir(t, sub)
		if dir == "" {
			continue
		}
		files, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.IsDir() || strings.HasSuffix(f.Name(), ".md") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			ds, err := importers.Import(f.Name(), data, importers.Options{})
			if err != nil {
				t.Errorf("corpus %s/%s: %v", sub, f.Name(), err)
				continue
			}
			for i, d := range ds {
				add(fmt.Sprintf("corpus %s/%s #%d (%s)", sub, f.Name(), i+1, d.Title), testsupport.Analyze(t, d))
			}
		}
	}
	return cases
}

// corpusDir is testcorpus.Dir without the skip: the examples still render
// when the corpus is absent.
func corpusDir(t *testing.T, sub string) string {
	dir := ""
	t.Run("corpus-"+sub, func(t *testing.T) { dir = testcorpus.Dir(t, sub) })
	return dir
}

var fenced = regexp.MustCompile("(?s)```mermaid\n(.*?)```\n")

// mermaidBody returns the text inside the block's fence.
func mermaidBody(doc string) (string, bool) {
	m := fenced.FindStringSubmatch(doc)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// renderInBrowser writes a page that renders every case with mermaid and
// reads the page's verdicts from the DOM Chromium dumps.
func renderInBrowser(t *testing.T, browser, lib string, cases []renderCase) []renderResult {
	t.Helper()
	dir := t.TempDir()
	data, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	// JSON in a script element: "</" must not close it.
	payload := strings.ReplaceAll(string(data), "</", `<\/`)
	page := `<!DOCTYPE html><html><head><meta charset="utf-8">
<script src="` + html.EscapeString("file://"+filepath.ToSlash(lib)) + `"></script></head>
<body><pre id="result">pending</pre><div id="work"></div>
<script>
const cases = ` + payload + `;
(async () => {
  const out = [];
  try {
    // GitHub's settings: the defaults (maxTextSize 50000, maxEdges 500), strict security.
    mermaid.initialize({startOnLoad: false, securityLevel: 'strict', suppressErrorRendering: true});
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i];
      const r = {name: c.name, error: '', svg: 0, ms: 0};
      const t0 = performance.now();
      try {
        await mermaid.parse(c.text);
        const res = await mermaid.render('m' + i, c.text, document.getElementById('work'));
        r.svg = res.svg.length;
        if (res.svg.includes('Maximum text size in diagram exceeded')) {
          r.error = 'Maximum text size in diagram exceeded (' + c.text.length + ' characters)';
        } else if (res.svg.includes('Syntax error in text')) {
          r.error = 'Mermaid drew its syntax-error diagram';
        }
      } catch (e) {
        r.error = String((e && (e.message || e.str)) || e);
      }
      r.ms = Math.round(performance.now() - t0);
      out.push(r);
    }
  } catch (e) {
    out.push({name: 'page', error: String(e), svg: 0});
  }
  document.getElementById('result').textContent = '<<' + 'RESULT>>' + JSON.stringify(out) + '<<' + 'END>>';
})();
</script></body></html>`
	pagePath := filepath.Join(dir, "render.html")
	if err := os.WriteFile(pagePath, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--no-default-browser-check", "--allow-file-access-from-files",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--virtual-time-budget=600000", "--run-all-compositor-stages-before-draw",
		"--dump-dom", "file://"+filepath.ToSlash(pagePath))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, tail(stderr.String(), 2000))
	}
	dom := stdout.String()
	// The markers are split in the script, so only the result spells them.
	i, j := strings.Index(dom, "&lt;&lt;RESULT&gt;&gt;"), strings.LastIndex(dom, "&lt;&lt;END&gt;&gt;")
	if i < 0 || j < i {
		t.Fatalf("the page did not finish rendering; Chromium said:\n%s\npage: %s", tail(stderr.String(), 2000), tail(dom, 2000))
	}
	var results []renderResult
	if err := json.Unmarshal([]byte(html.UnescapeString(dom[i+len("&lt;&lt;RESULT&gt;&gt;"):j])), &results); err != nil {
		t.Fatalf("results: %v", err)
	}
	return results
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// numbered prefixes lines with their numbers, first 60 lines only, for
// error messages that name a line.
func numbered(s string) string {
	lines := strings.Split(s, "\n")
	var b strings.Builder
	for i, l := range lines {
		if i == 60 {
			fmt.Fprintf(&b, "   … %d more lines\n", len(lines)-i)
			break
		}
		fmt.Fprintf(&b, "%4d  %s\n", i+1, l)
	}
	return b.String()
}
