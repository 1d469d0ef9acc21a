package main

import (
	"bytes"
	"encoding/json"
	"github.com/threatmap/threatmap/stride"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The interchange outputs are opt-in, written by name, and each reads back
// as an input with the same threats (the recorded ones all matched).
func TestAnalyzeInterchangeOutputs(t *testing.T) {
	out := t.TempDir()
	code, stdout, errs := runCLI(t, "", "analyze", "-o", out, "--emit", "json,drawio,threatdragon,otm", example("telehealth.drawio"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got := names(readDir(t, out))
	want := []string{"telehealth.otm.json", "telehealth.threatdragon.json", "telehealth.threats.drawio", "telehealth.threats.json"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("outputs %v, want %v", got, want)
	}
	summary, _, _ := strings.Cut(strings.SplitN(stdout, "\n", 2)[0], " -> ") // counts, without the output names
	m := regexp.MustCompile(`(\d+) threats`).FindStringSubmatch(summary)
	if m == nil {
		t.Fatalf("summary %q", summary)
	}
	// Threats on the system as a whole have no element in Threat Dragon
	// or OTM to be recorded on; every other threat comes back matched.
	var rep stride.Report
	if b, err := os.ReadFile(filepath.Join(out, "telehealth.threats.json")); err != nil || json.Unmarshal(b, &rep) != nil {
		t.Fatalf("reading the JSON report: %v", err)
	}
	recorded, _ := strconv.Atoi(m[1])
	for _, th := range rep.Threats {
		if th.Element.Type == stride.AppliesSystem {
			recorded--
		}
	}
	allMatched := "recorded threats: " + strconv.Itoa(recorded) + " matched threatmap's, 0 added"
	for _, f := range []string{"telehealth.threats.drawio", "telehealth.threatdragon.json", "telehealth.otm.json"} {
		back := t.TempDir()
		code, stdout, errs := runCLI(t, "", "analyze", "-o", back, "--emit", "json", filepath.Join(out, f))
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, errs)
		}
		line, _, _ := strings.Cut(strings.SplitN(stdout, "\n", 2)[0], " -> ")
		if _, counts, _ := strings.Cut(line, ": "); !strings.HasSuffix(summary, counts) {
			t.Errorf("%s analyses to %q, the original to %q", f, line, summary)
		}
		if !strings.HasSuffix(f, ".drawio") && !strings.Contains(stdout, allMatched) {
			t.Errorf("%s: %s", f, stdout)
		}
	}
	// Re-running on the annotated copy writes the same bytes.
	again := t.TempDir()
	if code, _, errs := runCLI(t, "", "analyze", "-o", again, "--emit", "drawio", filepath.Join(out, "telehealth.threats.drawio")); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	a, _ := os.ReadFile(filepath.Join(out, "telehealth.threats.drawio"))
	b, _ := os.ReadFile(filepath.Join(again, "telehealth.threats.threats.drawio"))
	if !bytes.Equal(a, b) {
		t.Error("annotating the annotated copy changed it")
	}
	// Not written unless asked for.
	plain := t.TempDir()
	if code, _, errs := runCLI(t, "", "analyze", "-o", plain, example("telehealth.dot")); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, n := range names(readDir(t, plain)) {
		if strings.Contains(n, "drawio") || strings.Contains(n, "otm") || strings.Contains(n, "threatdragon") {
			t.Errorf("default outputs include %s", n)
		}
	}
}

func TestAnalyzeOTMYAML(t *testing.T) {
	for _, args := range [][]string{{"--emit", "otm", "--otm-yaml"}, {"--emit", "otm.yaml"}} {
		out := t.TempDir()
		code, _, errs := runCLI(t, "", append(append([]string{"analyze", "-o", out}, args...), example("telehealth.dot"))...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		got := names(readDir(t, out))
		if len(got) != 1 || got[0] != "telehealth.otm.yaml" {
			t.Errorf("%v: outputs %v", args, got)
		}
	}
	if code, _, errs := runCLI(t, "", "analyze", "--emit", "json", "--otm-yaml", example("telehealth.dot")); code != 2 || !strings.Contains(errs, "--otm-yaml needs --emit otm") {
		t.Errorf("--otm-yaml without otm: exit %d, %s", code, errs)
	}
}

// A Threat Dragon version 1 model is analysed like its version 2 twin
// (both written for the importer's tests): same summary, same report (but for the
// source's file name and hash).
func TestAnalyzeThreatDragonV1(t *testing.T) {
	dir := filepath.Join("..", "..", "importers", "threatdragon", "testdata")
	run := func(name string) (string, []byte) {
		out := t.TempDir()
		code, stdout, errs := runCLI(t, "", "analyze", "-o", out, "--emit", "json", filepath.Join(dir, name))
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errs)
		}
		line, _, _ := strings.Cut(stdout, "\n")
		_, line, _ = strings.Cut(line, ": ")
		line, _, _ = strings.Cut(line, " -> ")
		base := strings.TrimSuffix(name, ".json")
		report, err := os.ReadFile(filepath.Join(out, base+".threats.json"))
		if err != nil {
			t.Fatal(err)
		}
		// The source block names the file and its hash; the rest must match.
		report = regexp.MustCompile(`"sha256": "[0-9a-f]+"`).ReplaceAll(report, nil)
		return line, bytes.ReplaceAll(report, []byte(name), []byte("MODEL"))
	}
	s1, r1 := run("v1-shop.json")
	s2, r2 := run("v1-shop.v2.json")
	if !strings.HasPrefix(s1, "4 components, 3 flows, 1 boundaries,") || s1 != s2 {
		t.Errorf("summaries %q and %q", s1, s2)
	}
	if !bytes.Equal(r1, r2) {
		t.Errorf("v1 and v2 reports differ")
	}
}
