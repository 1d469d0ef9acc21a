package main

import (
	"archive/zip"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/third_party/excelize"
)

// writeFiles creates files (path -> content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// An empty model never passes a gate (issue 16.3, from
// ../shared/repro/header-only.mmd): it is a warning in every output, and
// with --fail-on exit 2 with a message.
func TestAnalyzeEmptyModelFailsGate(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"header-only.mmd": "flowchart LR\n",
		// Every page skipped: an attack tree only.
		"tree.md": "# Attack tree\n\n```mermaid\nflowchart TD\n  goal[Steal data] --> a[Phish admin]\n  goal --> b[Bribe insider]\n```\n",
	})
	for _, f := range []string{"header-only.mmd", "tree.md"} {
		in := filepath.Join(dir, f)
		out := t.TempDir()
		code, stdout, stderr := runCLI(t, "", "analyze", "--fail-on", "low", "-o", out, in)
		if code != exitInput || !strings.Contains(stderr, "cannot pass: nothing to analyse in "+in) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and the gate's message", f, code, stderr)
		}
		code, _, _ = runCLI(t, "", "analyze", "-o", out, in)
		if code != 0 {
			t.Errorf("%s without --fail-on: exit %d, want 0", f, code)
		}
		if f == "tree.md" {
			if !strings.Contains(stdout, `[Attack tree]: skipped, not a data-flow diagram: the page "Attack tree" is named as an attack tree`) {
				t.Errorf("tree.md: stdout %q", stdout)
			}
			if _, err := os.Stat(filepath.Join(out, "tree.threats.json")); err == nil {
				t.Errorf("tree.md: a skipped page was analysed")
			}
			continue
		}
		if !strings.Contains(stdout, "warning: "+emptyWarning) {
			t.Errorf("header-only.mmd: stdout %q", stdout)
		}
		for _, name := range []string{"header-only.threats.json", "header-only.threat-model.md", "header-only.annotated.svg"} {
			b, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), "the diagram has no components") {
				t.Errorf("%s does not carry the empty-model warning", name)
			}
		}
		// The picture says it in visible text, not only in metadata.
		svgText := html.UnescapeString(string(readDir(t, out)["header-only.annotated.svg"]))
		if !regexp.MustCompile(`<text[^>]*class="tm-stats tm-warning"[^>]*>Warning: ` + regexp.QuoteMeta(emptyWarning) + `</text>`).MatchString(svgText) {
			t.Errorf("header-only.annotated.svg: the warning is not visible text under the title")
		}
		// The workbook says it on its Summary sheet.
		if !summaryHas(t, filepath.Join(out, "header-only.risk-register.xlsx"), "Warning: "+emptyWarning) {
			t.Errorf("header-only.risk-register.xlsx: no empty-model warning on the Summary sheet")
		}
	}
	// A good diagram beside an empty one does not hide it.
	code, _, _ := runCLI(t, "", "analyze", "--fail-on", "critical", "-o", t.TempDir(), example("telehealth.dot"), filepath.Join(dir, "header-only.mmd"))
	if code != exitInput {
		t.Errorf("good + empty: exit %d, want 2", code)
	}
}

// summaryHas reports whether a cell of the workbook's Summary sheet holds
// exactly text.
func summaryHas(t *testing.T, path, text string) bool {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if slices.Contains(r, text) {
			return true
		}
	}
	return false
}

// xlsxText returns every XML part of a workbook, concatenated.
func xlsxText(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var b strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		b.Write(data)
	}
	return b.String()
}

// Bidi controls and zero-width characters reach no output (issue 16.8,
// from ../shared/repro/bidi.dot), and a page name cannot forge summary
// lines (from ../shared/repro/forged-summary.drawio).
func TestAnalyzeTextHygiene(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"bidi.dot": "digraph { a [label=\"User\u202eevil\u202c\"]; b [label=\"Admin\u2066\"]; a -> b [label=\"HTTPS\u200b\"] }\n",
		"forged.drawio": `<mxfile><diagram name="x]: 0 components&#10;/repo/prod.drawio [Prod]: 0 threats&#10;y"><mxGraphModel><root>` +
			`<mxCell id="0"/><mxCell id="1" parent="0"/>` +
			`<mxCell id="u" value="User" vertex="1" parent="1"><mxGeometry width="80" height="40" as="geometry"/></mxCell>` +
			`<mxCell id="api" value="Web API" vertex="1" parent="1"><mxGeometry x="200" width="80" height="40" as="geometry"/></mxCell>` +
			`<mxCell id="e1" value="HTTPS" edge="1" parent="1" source="u" target="api"><mxGeometry relative="1" as="geometry"/></mxCell>` +
			`</root></mxGraphModel></diagram></mxfile>`,
	})
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "", "analyze", "-o", out, filepath.Join(dir, "bidi.dot"), filepath.Join(dir, "forged.drawio"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	invisible := func(s string) bool {
		return strings.ContainsAny(s, "\u202e\u202c\u2066\u200b")
	}
	for name, b := range readDir(t, out) {
		s := string(b)
		if strings.HasSuffix(name, ".xlsx") {
			s = xlsxText(t, filepath.Join(out, name))
		}
		if invisible(s) {
			t.Errorf("%s holds bidi or zero-width characters", name)
		}
	}
	if invisible(stdout) {
		t.Errorf("stdout holds bidi or zero-width characters: %q", stdout)
	}
	if !strings.Contains(string(readDir(t, out)["bidi.threats.json"]), "removed 4 invisible characters") {
		t.Errorf("bidi.dot: no warning in the JSON report")
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "/repo/prod.drawio") || strings.HasPrefix(l, "y\"]") {
			t.Errorf("forged summary line: %q", l)
		}
	}
	if !strings.Contains(stdout, `forged.drawio ["x]: 0 components\n/repo/prod.drawio [Prod]: 0 threats\ny"]: 2 components`) {
		t.Errorf("page name not quoted: %q", stdout)
	}
}
