package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// changedExample writes the DOT example with one component added and
// API Gateway → Web App moved to TLS, the acceptance change.
func changedExample(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(example("telehealth.dot"))
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(data), `apigw     -> webapp [label="HTTP"];`, `apigw     -> webapp [label="HTTPS"];`, 1)
	i := strings.LastIndex(src, "}")
	src = src[:i] + "  audit [label=\"Audit Log DB\", shape=cylinder];\n  appt -> audit [label=\"SQL (PII)\"];\n" + src[i:]
	p := filepath.Join(t.TempDir(), "telehealth.dot")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDiffCommand(t *testing.T) {
	newFile := changedExample(t)
	code, stdout, stderr := runCLI(t, "", "diff", example("telehealth.dot"), newFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"New threats (", "Removed threats (", "Audit Log DB", `label "HTTP" → "HTTPS"`, "New entry points (1)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text output lacks %q:\n%s", want, stdout)
		}
	}
	// No absolute path in the output: the temporary file is named by its
	// base name.
	if strings.Contains(stdout, os.TempDir()) {
		t.Errorf("output names a local absolute path:\n%s", stdout)
	}
	code, stdout, _ = runCLI(t, "", "diff", "--output", "md", example("telehealth.dot"), newFile)
	if code != 0 || !strings.HasPrefix(stdout, "### Threat model changes") || !strings.Contains(stdout, "| ID | Residual risk |") {
		t.Errorf("markdown (exit %d):\n%s", code, stdout)
	}
	code, stdout, _ = runCLI(t, "", "diff", "--output", "json", example("telehealth.dot"), newFile)
	var res struct {
		NewThreats []struct {
			ID string `json:"id"`
		} `json:"new_threats"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || code != 0 || len(res.NewThreats) == 0 {
		t.Errorf("json (exit %d, %v):\n%s", code, err, stdout)
	}
	// Gate on new or worse threats.
	code, _, stderr = runCLI(t, "", "diff", "--fail-on", "high", example("telehealth.dot"), newFile)
	if code != 3 || !strings.Contains(stderr, "policy gate") {
		t.Errorf("--fail-on high: exit %d, stderr %s", code, stderr)
	}
	code, _, _ = runCLI(t, "", "diff", "--fail-on", "high", example("telehealth.dot"), example("telehealth.dot"))
	if code != 0 {
		t.Errorf("identical models gated: exit %d", code)
	}
}

func TestDiffReportAgainstDiagram(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "", "analyze", "--emit", "json", "-o", out, example("telehealth.mmd")); code != 0 {
		t.Fatalf("analyze: %s", stderr)
	}
	// A report of the Mermaid example against the DOT example: same
	// system, another format, nothing changed.
	code, stdout, stderr := runCLI(t, "", "diff", filepath.Join(out, "telehealth.threats.json"), example("telehealth.dot"))
	if code != 0 || !strings.Contains(stdout, "threats: 0 new, 0 removed, 0 changed") {
		t.Errorf("exit %d, stderr %s:\n%s", code, stderr, stdout)
	}
}

func TestDiffUsage(t *testing.T) {
	for _, args := range [][]string{{"diff", "a.json"}, {"diff", "--output", "xml", "a", "b"}, {"diff", "--fail-on", "severe", "a", "b"}} {
		if code, _, _ := runCLI(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	code, _, stderr := runCLI(t, "", "diff", "missing.threats.json", example("telehealth.dot"))
	if code != 2 || !strings.Contains(stderr, "missing.threats.json") {
		t.Errorf("missing file: exit %d, %s", code, stderr)
	}
}
