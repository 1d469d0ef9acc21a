package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

type threatIDs struct {
	Threats []struct {
		ID          string `json:"id"`
		Fingerprint string `json:"fingerprint"`
		Change      string `json:"change"`
	} `json:"threats"`
	Closed []struct {
		ID string `json:"id"`
	} `json:"closed_threats"`
	Changes *struct {
		New   []string `json:"new"`
		Worse []string `json:"worse"`
	} `json:"changes"`
}

func readReport(t *testing.T, path string) threatIDs {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r threatIDs
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// The acceptance run: the example, then the example with a component
// added and a flow moved to TLS against the first report as baseline.
// Every threat still present keeps its id; --new-only gates only on the
// new ones and those the change made worse.
func TestAnalyzeBaselineNewOnly(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	if code, _, stderr := runCLI(t, "", "analyze", "--emit", "json", "-o", first, example("telehealth.dot")); code != 0 {
		t.Fatal(stderr)
	}
	base := filepath.Join(first, "telehealth.threats.json")
	changed := changedExample(t)
	code, stdout, stderr := runCLI(t, "", "analyze", "--emit", "json,md,xlsx,sarif", "--baseline", base,
		"--fail-on", "high", "--new-only", "-o", second, changed)
	if code != 3 {
		t.Fatalf("exit %d, want 3 (new high threats)\n%s\n%s", code, stdout, stderr)
	}
	before, after := readReport(t, base), readReport(t, filepath.Join(second, "telehealth.threats.json"))
	ids := map[string]string{}
	for _, th := range before.Threats {
		ids[th.Fingerprint] = th.ID
	}
	kept := 0
	for _, th := range after.Threats {
		if id, ok := ids[th.Fingerprint]; ok {
			kept++
			if id != th.ID {
				t.Errorf("threat %s became %s", id, th.ID)
			}
		}
	}
	if kept+len(after.Closed) != len(before.Threats) || after.Changes == nil || len(after.Changes.New) == 0 {
		t.Fatalf("%d kept + %d closed of %d; changes %+v", kept, len(after.Closed), len(before.Threats), after.Changes)
	}
	// The gate lists exactly the new High threats, each marked new.
	gated := regexp.MustCompile(`(?m)^  (T-[0-9]+) (High|Critical) \((new|worse|reopened)\)`).FindAllStringSubmatch(stdout, -1)
	if len(gated) == 0 {
		t.Fatalf("no gated threats listed:\n%s", stdout)
	}
	// New, or worse: a folded threat whose unmitigated concern now
	// reaches the added store too.
	newIDs := map[string]bool{}
	for _, id := range append(append([]string{}, after.Changes.New...), after.Changes.Worse...) {
		newIDs[id] = true
	}
	for _, g := range gated {
		if !newIDs[g[1]] {
			t.Errorf("gated %s, which is neither new nor worse", g[1])
		}
	}
	if !strings.Contains(stdout, "since "+filepath.Base(base)) && !strings.Contains(stdout, "since "+base) {
		t.Errorf("summary line does not mention the baseline:\n%s", stdout)
	}
	for _, f := range []string{"telehealth.sarif", "telehealth.risk-register.xlsx", "telehealth.threat-model.md"} {
		if _, err := os.Stat(filepath.Join(second, f)); err != nil {
			t.Error(err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(second, "telehealth.threat-model.md"))
	if !strings.Contains(string(md), "## Changes since the baseline") {
		t.Error("threat model has no changes section")
	}
	// Against the changed model's own report nothing is new: the gate
	// passes even at high, though critical and high threats remain.
	if code, stdout, _ := runCLI(t, "", "analyze", "--emit", "json", "--baseline", filepath.Join(second, "telehealth.threats.json"),
		"--fail-on", "high", "--new-only", "-o", t.TempDir(), changed); code != 0 {
		t.Errorf("--fail-on high --new-only, nothing new: exit %d\n%s", code, stdout)
	}
	// Without --new-only the existing critical threats trip it.
	if code, _, _ := runCLI(t, "", "analyze", "--emit", "json", "--baseline", base, "--fail-on", "critical",
		"-o", t.TempDir(), changed); code != 3 {
		t.Errorf("--fail-on critical: exit %d, want 3", code)
	}
}

func TestBaselineUsage(t *testing.T) {
	for _, args := range [][]string{
		{"analyze", "--new-only", "--fail-on", "high", example("telehealth.dot")},
		{"analyze", "--new-only", "--baseline", "x.json", example("telehealth.dot")},
		{"analyze", "--baseline", "x.json", example("telehealth.dot"), example("telehealth.mmd")},
	} {
		if code, _, _ := runCLI(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	code, _, stderr := runCLI(t, "", "analyze", "--baseline", "missing.threats.json", "-o", t.TempDir(), example("telehealth.dot"))
	if code != 2 || !strings.Contains(stderr, "missing.threats.json") {
		t.Errorf("missing baseline: exit %d %s", code, stderr)
	}
}

// SARIF fingerprints are the same on every run; no output names a local
// absolute path, even for an absolute input.
func TestSARIFStableAndNoAbsolutePaths(t *testing.T) {
	abs, err := filepath.Abs(example("telehealth.drawio"))
	if err != nil {
		t.Fatal(err)
	}
	var prints [2]string
	for i := range prints {
		out := t.TempDir()
		if code, _, stderr := runCLI(t, "", "analyze", "--emit", "json,md,xlsx,sarif,svg", "-o", out, abs); code != 0 {
			t.Fatal(stderr)
		}
		data, err := os.ReadFile(filepath.Join(out, "telehealth.sarif"))
		if err != nil {
			t.Fatal(err)
		}
		fps := regexp.MustCompile(`"threatmap/v1": "([0-9a-f]{16})"`).FindAllString(string(data), -1)
		if len(fps) == 0 {
			t.Fatal("no fingerprints in the SARIF log")
		}
		prints[i] = strings.Join(fps, ",")
		dir := filepath.Dir(abs)
		for _, f := range []string{"telehealth.sarif", "telehealth.threats.json", "telehealth.threat-model.md", "telehealth.annotated.svg"} {
			b, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), dir) {
				t.Errorf("%s contains the local path %s", f, dir)
			}
		}
	}
	if prints[0] != prints[1] {
		t.Error("SARIF fingerprints differ between runs")
	}
}
