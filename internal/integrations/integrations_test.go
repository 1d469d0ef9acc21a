package integrations_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"
)

const root = "../.."

var (
	buildOnce sync.Once
	builtDir  string
	buildErr  error
)

// binDir builds threatmap once for the whole test binary and returns the
// folder holding it.
func binDir(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the threatmap binary")
	}
	buildOnce.Do(func() {
		builtDir, buildErr = os.MkdirTemp("", "threatmap-bin-")
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(builtDir, "threatmap"), "./cmd/threatmap")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
}

// workspace is a checkout-like folder with the bundled examples and a
// diagram with no threats.
func workspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, p := range []string{"docs/architecture", "docs/clean"} {
		if err := os.MkdirAll(filepath.Join(dir, p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"telehealth.dot", "telehealth.mmd", "telehealth.drawio"} {
		b, err := os.ReadFile(filepath.Join(root, "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "docs/architecture", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	clean := "digraph { subgraph cluster_app { label=\"Application Tier\"; api [label=\"Reporting API\"]; db [label=\"Reports DB\" shape=cylinder]; } api -> db [label=\"SQL over TLS\"]; }\n"
	if err := os.WriteFile(filepath.Join(dir, "docs/clean/reporting.dot"), []byte(clean), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("# not a diagram\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func env(bin string, extra ...string) []string {
	out := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "LANG=C.UTF-8"}
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOFLAGS", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			out = append(out, k+"="+v)
		}
	}
	return append(out, extra...)
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// action is the part of action.yml the test runs.
type action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			Name  string            `yaml:"name"`
			If    string            `yaml:"if"`
			Uses  string            `yaml:"uses"`
			Shell string            `yaml:"shell"`
			Run   string            `yaml:"run"`
			Env   map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

var expr = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

type actionRun struct {
	outputs map[string]map[string]string // step id -> outputs
	summary string
	log     string
	codes   map[string]int // step name -> exit code
}

// runAction runs the bash steps of action.yml in order with the given
// inputs (defaults for the rest), the way the runner does: each step with
// bash -eo pipefail, its env with ${{ }} expressions substituted,
// GITHUB_OUTPUT read back into steps.<id>.outputs. Steps that use other
// actions (setup-go, SARIF and artifact upload) are left out, and so is
// the install step (go install needs the network): the freshly built
// binary is on PATH instead.
func runAction(t *testing.T, bin, work string, in map[string]string) actionRun {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml runs.using = %q", a.Runs.Using)
	}
	inputs := map[string]string{}
	for k, v := range a.Inputs {
		inputs[k] = v.Default
	}
	for k, v := range in {
		if _, ok := a.Inputs[k]; !ok {
			t.Fatalf("action.yml has no input %q", k)
		}
		inputs[k] = v
	}
	res := actionRun{outputs: map[string]map[string]string{}, codes: map[string]int{}}
	summary := filepath.Join(t.TempDir(), "summary.md")
	eval := func(e string) string {
		switch {
		case strings.HasPrefix(e, "inputs."):
			return inputs[strings.TrimPrefix(e, "inputs.")]
		case strings.HasPrefix(e, "steps."):
			parts := strings.SplitN(strings.TrimPrefix(e, "steps."), ".", 3)
			if len(parts) == 3 && parts[1] == "outputs" {
				return res.outputs[parts[0]][parts[2]]
			}
		}
		t.Fatalf("action.yml: expression %q not understood by the test", e)
		return ""
	}
	ran := 0
	for _, st := range a.Runs.Steps {
		if st.Uses != "" || st.ID == "install" {
			continue
		}
		if st.Shell != "bash" {
			t.Fatalf("step %q: shell %q, want bash", st.Name, st.Shell)
		}
		if strings.Contains(st.Run, "${{") {
			t.Errorf("step %q interpolates ${{ }} into its script; pass values through env (script injection)", st.Name)
		}
		out := filepath.Join(t.TempDir(), "output")
		vars := []string{"GITHUB_OUTPUT=" + out, "GITHUB_STEP_SUMMARY=" + summary, "GITHUB_PATH=" + filepath.Join(t.TempDir(), "path")}
		keys := make([]string, 0, len(st.Env))
		for k := range st.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := expr.ReplaceAllStringFunc(st.Env[k], func(m string) string { return eval(expr.FindStringSubmatch(m)[1]) })
			vars = append(vars, k+"="+v)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", st.Run)
		cmd.Dir = work
		cmd.Env = env(bin, vars...)
		o, err := cmd.CombinedOutput()
		res.codes[st.Name] = exitCode(err)
		if st.ID == "run" {
			res.log = string(o)
		}
		if f, err := os.Open(out); err == nil {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if k, v, ok := strings.Cut(sc.Text(), "="); ok && st.ID != "" {
					if res.outputs[st.ID] == nil {
						res.outputs[st.ID] = map[string]string{}
					}
					res.outputs[st.ID][k] = v
				}
			}
			f.Close()
		}
		ran++
	}
	if ran != 3 {
		t.Fatalf("ran %d bash steps, want 3 (analyse, summary, gate)", ran)
	}
	s, _ := os.ReadFile(summary)
	res.summary = string(s)
	return res
}

// supports reports whether the built threatmap has a flag (word starting
// with --) or an --emit output of that name.
func supports(t *testing.T, bin, word string) bool {
	out, _ := exec.Command(filepath.Join(bin, "threatmap"), "analyze", "--help").CombinedOutput()
	if strings.HasPrefix(word, "--") {
		return regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(word) + `\b`).Match(out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "--emit") {
			return regexp.MustCompile(`\b` + regexp.QuoteMeta(word) + `\b`).MatchString(l)
		}
	}
	return false
}

func TestGitHubAction(t *testing.T) {
	bin := binDir(t)
	sarif := supports(t, bin, "sarif")
	t.Run("gate fails on the example", func(t *testing.T) {
		work := workspace(t)
		inputs := map[string]string{"paths": "docs/architecture/telehealth.dot\ndocs/architecture/*.mmd"}
		if supports(t, bin, "--baseline") {
			// A baseline is the previous report of one diagram.
			cmd := exec.Command(filepath.Join(bin, "threatmap"), "analyze", "--emit", "json", "-o", work, filepath.Join(work, "docs/architecture/telehealth.dot"))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("baseline: %v\n%s", err, out)
			}
			inputs = map[string]string{"paths": "docs/architecture/telehealth.dot", "baseline": "telehealth.threats.json"}
		}
		r := runAction(t, bin, work, inputs)
		if r.codes["Analyse diagrams"] != 0 || r.outputs["run"]["exit-code"] != "3" || r.outputs["run"]["output-dir"] != "threatmap-out" {
			t.Fatalf("analyse step: code %d, outputs %v\n%s", r.codes["Analyse diagrams"], r.outputs["run"], r.log)
		}
		if got := r.outputs["run"]["sarif"]; got != map[bool]string{true: "true", false: "false"}[sarif] {
			t.Errorf("sarif output %q, binary supports sarif: %v", got, sarif)
		}
		if r.codes["Gate"] != 3 {
			t.Errorf("gate step exit %d, want 3", r.codes["Gate"])
		}
		files := []string{"telehealth.threats.json", "telehealth.threat-model.md", "threatmap.log"}
		if inputs["baseline"] == "" {
			files = append(files, "telehealth-2.threats.json")
		}
		for _, f := range files {
			if _, err := os.Stat(filepath.Join(work, "threatmap-out", f)); err != nil {
				t.Errorf("missing output: %v", err)
			}
		}
		wants := []string{"## threatmap threat model", "| `docs/architecture/telehealth.dot` | 14 components, 15 flows, 5 boundaries",
			fmt.Sprintf("**Gate `--fail-on high`: failed** with %d threat(s) at or above High.", strings.Count(r.log, "\n  T-")),
			"Critical [API Gateway]", "Outputs (json, md"}
		if inputs["baseline"] == "" {
			wants = append(wants, "| `docs/architecture/telehealth.mmd` | 14 components")
		}
		for _, want := range wants {
			if !strings.Contains(r.summary, want) {
				t.Errorf("summary lacks %q:\n%s", want, r.summary)
			}
		}
		if !supports(t, bin, "--baseline") && !strings.Contains(r.log, "::warning::this threatmap version has no --baseline") {
			t.Errorf("no warning about the missing --baseline:\n%s", r.log)
		}
	})
	t.Run("clean diagram passes", func(t *testing.T) {
		r := runAction(t, bin, workspace(t), map[string]string{"paths": "docs/clean", "emit": "json"})
		if r.outputs["run"]["exit-code"] != "0" || r.codes["Gate"] != 0 || !strings.Contains(r.summary, "**Gate `--fail-on high`: passed.**") {
			t.Errorf("outputs %v, gate %d, summary:\n%s", r.outputs["run"], r.codes["Gate"], r.summary)
		}
	})
	t.Run("no gate", func(t *testing.T) {
		r := runAction(t, bin, workspace(t), map[string]string{"paths": "docs/architecture/telehealth.dot", "fail-on": "", "output-dir": "reports/tm"})
		if r.outputs["run"]["exit-code"] != "0" || r.codes["Gate"] != 0 || !strings.Contains(r.summary, "No gate") || r.outputs["run"]["output-dir"] != "reports/tm" {
			t.Errorf("outputs %v, gate %d, summary:\n%s", r.outputs["run"], r.codes["Gate"], r.summary)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		work := workspace(t)
		if err := os.WriteFile(filepath.Join(work, "docs/architecture/broken.dot"), []byte("digraph { a -> ;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runAction(t, bin, work, map[string]string{"paths": "docs/architecture/broken.dot", "args": "--jobs 1"})
		if r.outputs["run"]["exit-code"] != "2" || r.codes["Gate"] != 2 || !strings.Contains(r.summary, "**threatmap failed (exit code 2):**") ||
			!strings.Contains(r.summary, "broken.dot:1") {
			t.Errorf("outputs %v, gate %d, summary:\n%s", r.outputs["run"], r.codes["Gate"], r.summary)
		}
	})
}

type hook struct {
	ID           string   `yaml:"id"`
	Entry        string   `yaml:"entry"`
	Language     string   `yaml:"language"`
	Files        string   `yaml:"files"`
	Args         []string `yaml:"args"`
	PassFilename *bool    `yaml:"pass_filenames"`
}

// runHook runs a hook the way pre-commit does: entry, then args, then
// the staged files its files pattern matches.
func runHook(t *testing.T, bin, work string, h hook, staged []string) (int, string) {
	t.Helper()
	re, err := regexp.Compile(h.Files)
	if err != nil {
		t.Fatalf("hook %s: files pattern: %v", h.ID, err)
	}
	argv := append(strings.Fields(h.Entry), h.Args...)
	var matched []string
	for _, f := range staged {
		if re.MatchString(f) {
			matched = append(matched, f)
		}
	}
	if h.PassFilename == nil || *h.PassFilename {
		argv = append(argv, matched...)
	}
	cmd := exec.Command(filepath.Join(bin, argv[0]), argv[1:]...)
	cmd.Dir = work
	cmd.Env = env(bin)
	out, err := cmd.CombinedOutput()
	return exitCode(err), string(out)
}

func TestPreCommitHooks(t *testing.T) {
	bin := binDir(t)
	b, err := os.ReadFile(filepath.Join(root, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []hook
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	byID := map[string]hook{}
	for _, h := range hooks {
		if h.Language != "golang" || !strings.HasPrefix(h.Entry, "threatmap ") {
			t.Errorf("hook %s: language %q entry %q", h.ID, h.Language, h.Entry)
		}
		byID[h.ID] = h
	}
	staged := []string{"README.md", "docs/architecture/telehealth.dot", "docs/architecture/telehealth.drawio", "docs/architecture/telehealth.mmd", "docs/clean/reporting.dot"}
	gate := byID["threatmap"]
	work := workspace(t)
	code, out := runHook(t, bin, work, gate, staged)
	if code != 3 || !strings.Contains(out, "4 files: 4 analysed, 0 failed") {
		t.Errorf("threatmap hook on the example: exit %d\n%s", code, out)
	}
	reports, _ := filepath.Glob(filepath.Join(work, ".threatmap", "*.threats.json"))
	if len(reports) != 4 {
		t.Errorf("%d JSON reports in .threatmap, want 4", len(reports))
	}
	if code, out := runHook(t, bin, workspace(t), gate, []string{"README.md", "docs/clean/reporting.dot"}); code != 0 {
		t.Errorf("threatmap hook on a clean diagram: exit %d\n%s", code, out)
	}
	gate.Args = []string{"--fail-on", "critical"}
	if code, _ := runHook(t, bin, workspace(t), gate, []string{"docs/clean/reporting.dot"}); code != 0 {
		t.Errorf("args after the entry: exit %d", code)
	}
	if ann, ok := byID["threatmap-annotate"]; ok && supports(t, bin, "drawio") {
		work := workspace(t)
		code, out := runHook(t, bin, work, ann, staged)
		if code != 0 {
			t.Errorf("threatmap-annotate: exit %d\n%s", code, out)
		}
		if _, err := os.Stat(filepath.Join(work, ".threatmap", "telehealth.threats.drawio")); err != nil {
			t.Errorf("threatmap-annotate: %v\n%s", err, out)
		}
	}
}

func TestGitLabSnippet(t *testing.T) {
	bin := binDir(t)
	b, err := os.ReadFile(filepath.Join(root, "examples", "ci", "gitlab-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var jobs map[string]struct {
		Variables map[string]string `yaml:"variables"`
		Script    []string          `yaml:"script"`
		Artifacts struct {
			When  string   `yaml:"when"`
			Paths []string `yaml:"paths"`
		} `yaml:"artifacts"`
	}
	if err := yaml.Unmarshal(b, &jobs); err != nil {
		t.Fatal(err)
	}
	job, ok := jobs["threatmap"]
	if !ok || job.Artifacts.When != "always" || len(job.Artifacts.Paths) != 1 {
		t.Fatalf("job %+v", job)
	}
	// GitLab runs the script lines in one shell and stops at the first
	// failure; go install needs the network, so the built binary is on
	// PATH instead.
	var lines []string
	for _, l := range job.Script {
		if !strings.HasPrefix(l, "go install ") {
			lines = append(lines, l)
		}
	}
	run := func(paths string) (int, string) {
		work := workspace(t)
		vars := []string{"GOPATH=" + t.TempDir()}
		for k, v := range job.Variables {
			vars = append(vars, k+"="+v)
		}
		vars = append(vars, "THREATMAP_PATHS="+paths)
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", strings.Join(lines, "\n"))
		cmd.Dir = work
		cmd.Env = env(bin, vars...)
		out, err := cmd.CombinedOutput()
		if ents, _ := os.ReadDir(filepath.Join(work, strings.TrimSuffix(job.Artifacts.Paths[0], "/"))); len(ents) == 0 {
			t.Errorf("no artifacts written for %s", paths)
		}
		return exitCode(err), string(out)
	}
	if code, out := run("docs/architecture"); code != 3 {
		t.Errorf("example diagrams: exit %d, want 3\n%s", code, out)
	}
	if code, out := run("docs/clean"); code != 0 {
		t.Errorf("clean diagram: exit %d\n%s", code, out)
	}
}
