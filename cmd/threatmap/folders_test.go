package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// onePixelPNG is a plain 1x1 PNG with no embedded diagram.
var onePixelPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==")

// docsFolder writes a docs folder like a real repository's (after
// ../shared/repro/docs-folder): a diagram, and files with no diagram in
// them that a folder scan must skip.
func docsFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	arch, err := os.ReadFile(example("telehealth.dot"))
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		"README.md":            "# Readme\n\nJust text.\n\n```bash\nmake\n```\n",
		"sequence.md":          "# Login\n\n```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n",
		"logo.svg":             `<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>`,
		"photo.png":            string(onePixelPNG),
		"pom.xml":              "<?xml version=\"1.0\"?>\n<project><modelVersion>4.0.0</modelVersion></project>\n",
		"arch/telehealth.dot":  string(arch),
		"arch/draft.dot":       "digraph { this is not DOT",
		"build/generated.dot":  "digraph { this is not DOT either",
		"vendor/lib/x.mmd":     "flowchart LR\n  broken[[\n",
		".gitignore":           "# build output\nbuild/\n*.tmp.dot\n",
		"arch/.gitignore":      "draft.dot\n",
		"arch/scratch.tmp.dot": "digraph { nor this",
	})
	if err := os.Symlink(filepath.Join(dir, "gone.drawio"), filepath.Join(dir, "dangling.drawio")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A folder scan skips what holds no diagram with one line each, honours
// .gitignore and --exclude, and exits with the gate's result (issue 16.1).
func TestAnalyzeDocsFolder(t *testing.T) {
	dir := docsFolder(t)
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "", "analyze", "--fail-on", "high", "--exclude", "vendor/**", "-o", out, dir)
	if code != exitGate {
		t.Fatalf("exit %d, want 3 (the gate); stdout %s\nstderr %s", code, stdout, stderr)
	}
	var skips []string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(l, "SKIP ") {
			skips = append(skips, strings.TrimPrefix(strings.SplitN(l, ": ", 2)[0], "SKIP "+dir+"/"))
		}
		if strings.HasPrefix(l, "FAIL ") {
			t.Errorf("failed: %s", l)
		}
	}
	want := []string{"README.md", "dangling.drawio", "logo.svg", "photo.png", "pom.xml", "sequence.md"}
	if !reflect.DeepEqual(skips, want) {
		t.Errorf("skipped %v, want %v\n%s", skips, want, stdout)
	}
	if !strings.Contains(stdout, "7 files: 1 analysed, 6 skipped, 0 failed") {
		t.Errorf("totals: %s", stdout)
	}
	if !strings.Contains(stdout, "SKIP "+dir+"/dangling.drawio: dangling symlink") ||
		!strings.Contains(stdout, "SKIP "+dir+"/photo.png: ") {
		t.Errorf("skip reasons: %s", stdout)
	}
	// Without --exclude the broken vendored file fails the run; without
	// .gitignore the ignored broken files do too.
	if code, stdout, _ := runCLI(t, "", "analyze", "--emit", "json", "-o", t.TempDir(), dir); code != exitInput || !strings.Contains(stdout, "FAIL "+dir+"/vendor/lib/x.mmd") {
		t.Errorf("without --exclude: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = runCLI(t, "", "analyze", "--emit", "json", "--no-gitignore", "--exclude", "vendor", "-o", t.TempDir(), dir)
	for _, f := range []string{"arch/draft.dot", "arch/scratch.tmp.dot", "build/generated.dot"} {
		if !strings.Contains(stdout, "FAIL "+dir+"/"+f) {
			t.Errorf("--no-gitignore: %s not analysed\n%s", f, stdout)
		}
	}
	if code != exitInput {
		t.Errorf("--no-gitignore: exit %d, want 2", code)
	}
	// --include picks files by glob.
	code, stdout, _ = runCLI(t, "", "analyze", "--emit", "json", "--include", "*.dot", "-o", t.TempDir(), dir)
	if code != 0 || strings.Count(stdout, " components, ") != 1 || strings.Contains(stdout, "SKIP") {
		t.Errorf("--include '*.dot': exit %d\n%s", code, stdout)
	}
	// Named on the command line, a file with no diagram still fails.
	for _, f := range []string{"README.md", "logo.svg", "photo.png", "pom.xml", "dangling.drawio"} {
		if code, _, _ := runCLI(t, "", "analyze", "-o", t.TempDir(), filepath.Join(dir, f)); code != exitInput {
			t.Errorf("explicit %s: exit %d, want 2", f, code)
		}
	}
	if code, _, _ := runCLI(t, "", "analyze", "--exclude", "[", "-o", t.TempDir(), dir); code != exitInput {
		t.Errorf("bad glob: exit %d, want 2", code)
	}
}

// A .gitignore above the scanned folder, inside the same git work tree,
// applies too.
func TestAnalyzeGitignoreAboveFolder(t *testing.T) {
	repo := t.TempDir()
	writeFiles(t, repo, map[string]string{
		".git/HEAD":          "ref: refs/heads/main\n",
		".gitignore":         "docs/old/\n",
		"docs/a.mmd":         "flowchart LR\n  A --> B\n",
		"docs/old/stale.mmd": "flowchart LR\n  broken[[\n",
	})
	code, stdout, _ := runCLI(t, "", "analyze", "--emit", "json", "-o", t.TempDir(), filepath.Join(repo, "docs"))
	if code != 0 || strings.Contains(stdout, "stale") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
}

// Same-named inputs in different folders get the same output names on
// every run, decided from the input list (issue 16.2, after
// ../shared/repro/collide), and each summary line names its outputs.
func TestAnalyzeCollidingNamesReproducible(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a/arch.dot": "digraph { x -> y }\n",
		"a/arch.mmd": "flowchart LR\n  U[User] -->|HTTPS| W[Web API]\n",
		"b/arch.md":  "# T\n```mermaid\nflowchart LR\n Q-->R\n```\n",
		"b/arch.mmd": "flowchart LR\n  U[User] -->|HTTPS| W[Web API] --> D[(Customer DB)]\n",
		"c/arch.drawio": `<mxfile><diagram name="One"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>` +
			`<mxCell id="a" value="A" vertex="1" parent="1"><mxGeometry width="80" height="40" as="geometry"/></mxCell></root></mxGraphModel></diagram>` +
			`<diagram name="Two"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>` +
			`<mxCell id="b" value="B" vertex="1" parent="1"><mxGeometry width="80" height="40" as="geometry"/></mxCell></root></mxGraphModel></diagram></mxfile>`,
	})
	var first map[string][]byte
	var firstOut string
	for run := range 10 {
		out := filepath.Join(t.TempDir(), "out")
		code, stdout, stderr := runCLI(t, "", "analyze", "--emit", "json,md", "-j", "4", "-o", out, dir)
		if code != 0 {
			t.Fatalf("run %d: exit %d: %s", run, code, stderr)
		}
		stdout = strings.ReplaceAll(stdout, out, "OUT")
		got := readDir(t, out)
		if run == 0 {
			first, firstOut = got, stdout
			for _, l := range []string{
				dir + "/a/arch.dot: 2 components", "-> OUT/arch.*",
				dir + "/a/arch.mmd: ", "-> OUT/arch-2.*",
				dir + "/b/arch.md [T]: ", "-> OUT/arch-3.*",
				dir + "/b/arch.mmd: ", "-> OUT/arch-4.*",
				dir + "/c/arch.drawio [One]: ", "-> OUT/arch-5-One.*",
			} {
				if !strings.Contains(stdout, l) {
					t.Errorf("summary lacks %q:\n%s", l, stdout)
				}
			}
			if len(got) != 12 {
				t.Errorf("outputs %v, want 12", names(got))
			}
			continue
		}
		if !reflect.DeepEqual(names(got), names(first)) || stdout != firstOut {
			t.Fatalf("run %d differs: %v vs %v\n%s\n%s", run, names(got), names(first), stdout, firstOut)
		}
		for n, b := range got {
			if string(b) != string(first[n]) {
				t.Errorf("run %d: %s differs", run, n)
			}
		}
	}
}

func TestAssignStems(t *testing.T) {
	got := assignStems([]input{{path: "x/svc.drawio"}, {path: "y/svc.dot"}, {path: "svc-2.mmd"}, {path: "-"}, {path: "z/svc.md"}})
	want := map[string]string{"x/svc.drawio": "svc", "y/svc.dot": "svc-2", "svc-2.mmd": "svc-2-2", "-": "stdin", "z/svc.md": "svc-3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("assignStems = %v, want %v", got, want)
	}
}

// drawioPages returns a draw.io file with one page per name, each holding
// n shapes named after the page.
func drawioPages(n int, names ...string) string {
	var b strings.Builder
	b.WriteString("<mxfile>")
	for _, name := range names {
		fmt.Fprintf(&b, `<diagram name="%s"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>`, name)
		for i := range n {
			fmt.Fprintf(&b, `<mxCell id="c%d" value="%s %d" vertex="1" parent="1"><mxGeometry x="%d" width="80" height="40" as="geometry"/></mxCell>`, i, name, i, 100*i)
			if i > 0 {
				fmt.Fprintf(&b, `<mxCell id="e%d" value="HTTPS" edge="1" parent="1" source="c%d" target="c%d"><mxGeometry relative="1" as="geometry"/></mxCell>`, i, i-1, i)
			}
		}
		b.WriteString("</root></mxGraphModel></diagram>")
	}
	b.WriteString("</mxfile>")
	return b.String()
}

// Page stems of two multi-page files never collide and never depend on
// which file finishes first (issue 16.2): "x.drawio" page "b-c" and
// "x-b.drawio" page "c" both make x-b-c. Names are decided from the sorted
// inputs and their pages before any output is written, so x-b.drawio
// (first in order) keeps x-b-c even though its big page takes longest.
func TestAnalyzePageStemsReproducible(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"x-b.drawio":   drawioPages(400, "c", "e"),
		"x.drawio":     drawioPages(1, "b-c", "d", "Same", "Same"),
		"a/m.drawio":   drawioPages(1, "P", "Q"),
		"b/m.drawio":   drawioPages(1, "P", "Q"),
		"m-P-2.drawio": drawioPages(1, "only"),
	})
	want := map[string]string{ // output stem -> the page it holds
		"x-b-c":    "c",
		"x-b-e":    "e",
		"x-b-c-2":  "b-c",
		"x-d":      "d",
		"x-Same":   "Same",
		"x-Same-2": "Same",
		"m-P":      "P",
		"m-Q":      "Q",
		"m-2-P":    "P",
		"m-2-Q":    "Q",
		"m-P-2":    "only",
	}
	var first map[string][]byte
	for run := range 10 {
		out := filepath.Join(t.TempDir(), "out")
		code, stdout, stderr := runCLI(t, "", "analyze", "--emit", "json", "-j", "4", "-o", out, dir)
		if code != 0 {
			t.Fatalf("run %d: exit %d: %s\n%s", run, code, stderr, stdout)
		}
		got := readDir(t, out)
		if run == 0 {
			first = got
			if len(got) != len(want) {
				t.Errorf("outputs %v, want %d", names(got), len(want))
			}
			for st, page := range want {
				var rep struct {
					Source struct{ Diagram string }
				}
				if err := json.Unmarshal(got[st+".threats.json"], &rep); err != nil {
					t.Errorf("%s.threats.json: %v", st, err)
					continue
				}
				if rep.Source.Diagram != page {
					t.Errorf("%s.threats.json holds page %q, want %q", st, rep.Source.Diagram, page)
				}
			}
			continue
		}
		if !reflect.DeepEqual(names(got), names(first)) {
			t.Fatalf("run %d: outputs %v, first run %v", run, names(got), names(first))
		}
		for n, b := range got {
			if string(b) != string(first[n]) {
				t.Errorf("run %d: %s differs", run, n)
			}
		}
	}
}

func TestRelatedStems(t *testing.T) {
	for _, tc := range []struct {
		stems map[string]string
		want  []string
	}{
		{map[string]string{"a.drawio": "a", "b.drawio": "b"}, nil},
		{map[string]string{"a.drawio": "a", "a.b.drawio": "a.b", "ab.dot": "ab"}, nil},
		{map[string]string{"a.drawio": "a", "a-b.drawio": "a-b", "c.dot": "c"}, []string{"a-b.drawio", "a.drawio"}},
		{map[string]string{"x/s.md": "s", "y/s.md": "s-2", "s-2.mmd": "s-2-2"}, []string{"s-2.mmd", "x/s.md", "y/s.md"}},
	} {
		var got []string
		for p := range relatedStems(tc.stems) {
			got = append(got, p)
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("relatedStems(%v) = %v, want %v", tc.stems, got, tc.want)
		}
	}
}

func TestPageStems(t *testing.T) {
	for _, tc := range []struct {
		stem  string
		names []string
		used  []string
		want  []string
	}{
		{"f", []string{"Only"}, nil, []string{"f"}},
		{"f", []string{"A", "B"}, nil, []string{"f-A", "f-B"}},
		{"f", []string{"A/B", "A B", "A-B"}, nil, []string{"f-A-B", "f-A-B-2", "f-A-B-3"}},
		{"f", []string{"A", "A-2", "A"}, nil, []string{"f-A", "f-A-2", "f-A-3"}},
		{"f", []string{"A", "B"}, []string{"f-A", "f-B-2"}, []string{"f-A-2", "f-B"}},
	} {
		used := map[string]bool{}
		for _, u := range tc.used {
			used[u] = true
		}
		if got := pageStems(tc.stem, tc.names, used); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("pageStems(%q, %q, %v) = %q, want %q", tc.stem, tc.names, tc.used, got, tc.want)
		}
	}
}
