package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/stride"

	"github.com/threatmap/threatmap/third_party/excelize"
)

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func names(m map[string][]byte) []string {
	var n []string
	for k := range m {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

func TestAnalyzeExample(t *testing.T) {
	out := t.TempDir()
	// Flags after the file, as people type them.
	code, stdout, stderr := runCLI(t, "", "analyze", example("telehealth.dot"), "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	files := readDir(t, out)
	want := []string{"telehealth.risk-register.xlsx", "telehealth.threat-model.md", "telehealth.threats.json"}
	for _, w := range want {
		if _, ok := files[w]; !ok {
			t.Errorf("missing %s; got %v", w, names(files))
		}
	}
	if !strings.Contains(stdout, "14 components, 15 flows, 5 boundaries, 11 entry points") {
		t.Errorf("summary line: %q", stdout)
	}
	var rep struct {
		SchemaVersion string `json:"schema_version"`
		Threats       []struct{ ID string }
		EntryPoints   []struct{ ID string } `json:"entry_points"`
	}
	if err := json.Unmarshal(files["telehealth.threats.json"], &rep); err != nil {
		t.Fatal(err)
	}
	if rep.SchemaVersion == "" || len(rep.Threats) == 0 || len(rep.EntryPoints) != 11 {
		t.Errorf("report: schema %q, %d threats, %d entry points", rep.SchemaVersion, len(rep.Threats), len(rep.EntryPoints))
	}

	// Same input, byte-identical outputs.
	out2 := t.TempDir()
	if code, _, stderr := runCLI(t, "", "analyze", "-o", out2, example("telehealth.dot")); code != 0 {
		t.Fatalf("second run exit %d: %s", code, stderr)
	}
	files2 := readDir(t, out2)
	for name, b := range files {
		if !bytes.Equal(b, files2[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

func TestAnalyzeSameThreatsInEveryFormat(t *testing.T) {
	type threat struct {
		Rule, Title string
		Score       int
		EntryPoints []string `json:"entry_points"`
	}
	load := func(name string) []threat {
		out := t.TempDir()
		if code, _, stderr := runCLI(t, "", "analyze", "--emit", "json", "-o", out, example(name)); code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		stemName := strings.TrimSuffix(name, filepath.Ext(name))
		b, err := os.ReadFile(filepath.Join(out, stemName+".threats.json"))
		if err != nil {
			t.Fatal(err)
		}
		var rep struct{ Threats []threat }
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		return rep.Threats
	}
	ref := load("telehealth.dot")
	for _, name := range []string{"telehealth.drawio", "telehealth.mmd", "telehealth.md"} {
		got := load(name)
		if len(got) != len(ref) {
			t.Errorf("%s: %d threats, DOT gives %d", name, len(got), len(ref))
			continue
		}
		for i := range ref {
			a, b := ref[i], got[i]
			if a.Rule != b.Rule || a.Title != b.Title || a.Score != b.Score || strings.Join(a.EntryPoints, ",") != strings.Join(b.EntryPoints, ",") {
				t.Errorf("%s threat %d differs:\n got %+v\nwant %+v", name, i, b, a)
				break
			}
		}
	}
}

func TestAnalyzeFailOn(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "", "analyze", "--emit", "json", "--fail-on", "critical", "-o", out, example("telehealth.dot"))
	if code != 3 {
		t.Fatalf("exit %d, want 3 (stderr %s)", code, stderr)
	}
	if !regexp.MustCompile(`\n  T-[0-9]{4} Critical \[API Gateway\] Forged Stripe Payments callback`).MatchString(stdout) || !strings.Contains(stderr, "policy gate") {
		t.Errorf("gate output: stdout %q stderr %q", stdout, stderr)
	}
	// Outputs are still written when the gate trips.
	if _, err := os.Stat(filepath.Join(out, "telehealth.threats.json")); err != nil {
		t.Error(err)
	}
	code, _, _ = runCLI(t, "", "analyze", "--emit", "json", "--fail-on", "severe", "-o", out, example("telehealth.dot"))
	if code != 2 {
		t.Errorf("bad --fail-on: exit %d, want 2", code)
	}
}

func TestAnalyzeManyFilesOneBad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.dot")
	bad := filepath.Join(dir, "bad.dot")
	os.WriteFile(good, []byte("digraph { user -> api [label=HTTPS] }"), 0o644)
	os.WriteFile(bad, []byte("digraph {\n a -> \n"), 0o644)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := runCLI(t, "", "analyze", "--emit", "json,md", "-o", out, dir)
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr, bad+":3") || !strings.Contains(stdout, "FAIL "+bad) || !strings.Contains(stdout, "2 files: 1 analysed, 1 failed") {
		t.Errorf("stdout %q stderr %q", stdout, stderr)
	}
	files := readDir(t, out)
	if got := strings.Join(names(files), " "); got != "good.threat-model.md good.threats.json" {
		t.Errorf("outputs = %s", got)
	}
}

func TestAnalyzeNeverOverwritesInput(t *testing.T) {
	dir := t.TempDir()
	// An input whose name is exactly an output name of another input.
	in := filepath.Join(dir, "x.threats.json")
	src := []byte("digraph { a -> b }")
	os.WriteFile(in, src, 0o644)
	os.WriteFile(filepath.Join(dir, "x.dot"), src, 0o644)
	code, _, stderr := runCLI(t, "", "analyze", "--emit", "json", "--format", "dot", "-o", dir, filepath.Join(dir, "x.dot"), in)
	if code == 0 {
		t.Errorf("exit 0, want a failure for the clobbering output")
	}
	if !strings.Contains(stderr, "refusing to overwrite the input") {
		t.Errorf("stderr %q", stderr)
	}
	if b, _ := os.ReadFile(in); !bytes.Equal(b, src) {
		t.Error("input was overwritten")
	}
}

func TestAnalyzeUsage(t *testing.T) {
	for _, args := range [][]string{
		{"analyze"},
		{"analyze", "--emit", "pdf", example("telehealth.dot")},
		{"analyze", "--layout", "radial", example("telehealth.dot")},
		{"analyze", "--date", "yesterday", example("telehealth.dot")},
		{"frobnicate"},
	} {
		if code, _, _ := runCLI(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestRulesCommand(t *testing.T) {
	code, out, _ := runCLI(t, "", "rules")
	if code != 0 || !strings.Contains(out, "S-EXT-01") {
		t.Fatalf("exit %d: %s", code, out)
	}
	// The listing ends with the rule count and each family with its count.
	fams := stride.Families(stride.DefaultRules())
	want := fmt.Sprintf("%d rules in %d families\n", len(stride.DefaultRules()), len(fams))
	if !strings.Contains(out, want) || !regexp.MustCompile(`(?m)^  secrets +2 +Secrets: `).MatchString(out) {
		t.Errorf("no %q or secrets family line in:\n%s", want, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "  webclient ") {
		t.Errorf("last line %q, want the last family", last)
	}
	// Every rule's title reads as on its example's element: no template
	// left, and each rule shows its severity factors and references.
	if strings.Contains(out, "{{") || strings.Contains(out, "<no value>") {
		t.Errorf("template text in the listing:\n%s", out)
	}
	for _, want := range []string{
		"secrets (2 rules): Secrets: credentials in configuration, no secrets store\n",
		"  I-SEC-01  I Information disclosure, applies to process\n" +
			"      title:    Long-lived credentials in Orders API's configuration or environment leak through debug, health or error output (on Orders API)\n" +
			"      summary:  Orders API must authenticate to Orders DB, and the diagram shows no secrets store, so the passwords and API keys sit in configuration files, environment variables or the image.\n" +
			"      severity: likelihood -1, impact +0, skill 4 (needs modest skill); likelihood -1 when the design has a secrets store to fetch them from\n" +
			"      refs:     CWE-526; CWE-798; CWE-215; CAPEC-37; ASVS V2.10.1; ASVS V2.10.4; ASVS V6.4.1; ASVS V14.3.2; Threagile accidental-secret-leak; Threagile missing-vault; pytm AC22; pytm AC24\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("listing lacks %q", want)
		}
	}
	if n := strings.Count(out, "      title:    "); n != len(stride.DefaultRules()) {
		t.Errorf("%d titles, want %d", n, len(stride.DefaultRules()))
	}
	if n := strings.Count(out, " (on "); n != len(stride.DefaultRules()) {
		t.Errorf("%d titles rendered on an example element, want every rule's %d", n, len(stride.DefaultRules()))
	}
}

// TestAnalyzeLayoutBudget: --layout-max picks the native layered engine
// (a choice by size, no warning); --layout-timeout is a safety net that
// fails the run loudly, naming the flag, and never changes the picture.
func TestAnalyzeLayoutBudget(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runCLI(t, "", "analyze", "--emit", "svg", "-o", out, "--layout-max", "10", example("telehealth.mmd"))
	if code != 0 {
		t.Fatalf("--layout-max: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "telehealth.annotated.svg"))
	if err != nil || !bytes.Contains(b, []byte("tm-entry-point")) {
		t.Errorf("layered SVG missing or without badges (%v)", err)
	}
	out = t.TempDir()
	code, _, stderr = runCLI(t, "", "analyze", "--emit", "svg", "-o", out, "--layout-timeout", "1ns", example("telehealth.mmd"))
	if code != 1 || !strings.Contains(stderr, "telehealth.mmd") || !strings.Contains(stderr, "--layout-timeout") {
		t.Errorf("--layout-timeout 1ns: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "telehealth.annotated.svg")); err == nil {
		t.Error("an SVG was written despite the failed layout")
	}
}

func TestAnalyzeConfigNextToDiagram(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "shop.dot"), []byte(`digraph { user [shape=oval]; user -> api [label="HTTP"]; api -> db [label="SQL"] }`), 0o644)
	os.WriteFile(filepath.Join(dir, "threatmap.yaml"), []byte("system: Web Shop\ncomponents:\n  db: {kind: datastore, sensitivity: [PCI]}\n"), 0o644)
	out := filepath.Join(dir, "out")
	if code, _, stderr := runCLI(t, "", "analyze", "--emit", "json", "-o", out, filepath.Join(dir, "shop.dot")); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(out, "shop.threats.json"))
	var rep struct {
		System     string
		Components []struct {
			ID, Kind    string
			Sensitivity []string
		}
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.System != "Web Shop" {
		t.Errorf("system = %q, want the configured name", rep.System)
	}
	for _, c := range rep.Components {
		if c.ID == "db" && (c.Kind != "datastore" || strings.Join(c.Sensitivity, ",") != "PCI") {
			t.Errorf("db = %+v, want a PCI data store", c)
		}
	}
	// An unknown key is an error with its line number.
	os.WriteFile(filepath.Join(dir, "threatmap.yaml"), []byte("system: x\ncomponent:\n  db: {kind: datastore}\n"), 0o644)
	code, _, stderr := runCLI(t, "", "analyze", "--emit", "json", "-o", out, filepath.Join(dir, "shop.dot"))
	if code != 2 || !strings.Contains(stderr, "threatmap.yaml:2") {
		t.Errorf("bad config: exit %d, stderr %q", code, stderr)
	}
}

func TestAnalyzeExtraRules(t *testing.T) {
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules.yaml")
	os.WriteFile(rules, []byte(`rules:
  - id: X-CUSTOM-01
    category: Information disclosure
    applies_to: [flow]
    when: Protocol == "HTTP"
    title: "Custom: {{.Name}} uses plain HTTP"
    description: "Our policy forbids plain HTTP on {{.Name}}."
    likelihood: 5
    impact: 5
    mitigations:
      - {control: "Use TLS 1.2+", type: Preventive, effort: S}
`), 0o644)
	code, out, stderr := runCLI(t, "", "rules", "--rules", rules)
	if code != 0 || !strings.Contains(out, "X-CUSTOM-01") {
		t.Fatalf("rules --rules: exit %d %s %s", code, out, stderr)
	}
	// Without an example, placeholders stand for the names.
	if !strings.Contains(out, "      title:    Custom: <source> → <target> uses plain HTTP\n") ||
		!strings.Contains(out, "      summary:  Our policy forbids plain HTTP on <source> → <target>.\n") {
		t.Errorf("custom rule's texts not rendered with placeholders:\n%s", out)
	}
	o := t.TempDir()
	code, _, stderr = runCLI(t, "", "analyze", "--emit", "json", "--rules", rules, "-o", o, example("telehealth.dot"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(o, "telehealth.threats.json"))
	if !bytes.Contains(b, []byte(`"rule": "X-CUSTOM-01"`)) || !bytes.Contains(b, []byte("Custom: API Gateway → Web App uses plain HTTP")) {
		t.Error("custom rule did not produce its threat")
	}
}

func TestAnalyzeWriteFailureIsInternal(t *testing.T) {
	// -o names a regular file: the folder cannot be created. That is an
	// environment failure, not bad input.
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	code, _, stderr := runCLI(t, "", "analyze", "--emit", "json", "-o", filepath.Join(blocker, "out"), example("telehealth.dot"))
	if code != 1 || !strings.Contains(stderr, "cannot create output folder") {
		t.Errorf("exit %d, stderr %q; want 1", code, stderr)
	}
}

func TestAnalyzeWriterFailureIsInternal(t *testing.T) {
	saved := emitters
	defer func() { emitters = saved }()
	emitters = append(append([]emitter{}, saved...), emitter{name: "boom", suffix: ".boom", write: func(io.Writer, output) error {
		return errors.New("disk on fire")
	}})
	out := t.TempDir()
	code, _, stderr := runCLI(t, "", "analyze", "--emit", "json,boom", "-o", out, example("telehealth.dot"))
	if code != 1 || !strings.Contains(stderr, "writing boom: disk on fire") {
		t.Errorf("exit %d, stderr %q; want 1", code, stderr)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a failed run left %v", entries)
	}
}

// TestAnalyzeSourceDateEpoch checks that SOURCE_DATE_EPOCH, read only by
// cmd, dates every document: the Markdown, the SVG title block and the
// workbook's properties; --date wins over it.
func TestAnalyzeSourceDateEpoch(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "2023-11-14"},
		{[]string{"--date", "2024-02-29"}, "2024-02-29"},
	} {
		t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
		out := t.TempDir()
		args := append(append([]string{"analyze", "-o", out}, tc.args...), example("telehealth.dot"))
		if code, _, stderr := runCLI(t, "", args...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, name := range []string{"telehealth.threat-model.md", "telehealth.annotated.svg"} {
			data, err := os.ReadFile(filepath.Join(out, name))
			if err != nil || !bytes.Contains(data, []byte(tc.want)) {
				t.Errorf("%v: %s does not show %s (%v)", tc.args, name, tc.want, err)
			}
		}
		f, err := excelize.OpenFile(filepath.Join(out, "telehealth.risk-register.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.GetDocProps()
		f.Close()
		if err != nil || p.Created != tc.want+"T00:00:00Z" {
			t.Errorf("%v: workbook created %q (%v), want %s", tc.args, p.Created, err, tc.want)
		}
	}
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if code, _, stderr := runCLI(t, "", "analyze", "-o", t.TempDir(), example("telehealth.dot")); code != 2 || !strings.Contains(stderr, "SOURCE_DATE_EPOCH") {
		t.Errorf("invalid SOURCE_DATE_EPOCH: exit %d, %q", code, stderr)
	}
}
