package stride

import (
	"io/fs"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"
)

// nodeRuleLines is the reference: the lines yaml.v3's node tree gives the
// items of the top-level rules sequence.
func nodeRuleLines(t *testing.T, data []byte) []int {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	var lines []int
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "rules" {
			for _, item := range m.Content[i+1].Content {
				lines = append(lines, item.Line)
			}
		}
	}
	return lines
}

// TestRuleLines: the line of every rule, found by scanning the text (or,
// for layouts the scan does not know, from the node tree), is the line
// yaml.v3 gives its node, for every built-in file and for unusual layouts.
func TestRuleLines(t *testing.T) {
	files := map[string]string{}
	names, err := fs.Glob(rulesFS, "rules/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatal(names, err)
	}
	for _, n := range names {
		b, err := rulesFS.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		files[n] = string(b)
		// The scan alone finds every built-in rule.
		if got, want := scanRuleLines(b), nodeRuleLines(t, b); !slices.Equal(got, want) {
			t.Errorf("%s: scanned %v, nodes %v", n, got, want)
		}
	}
	files["column 0 items"] = "rules:\n- id: A\n  title: a\n# c\n- id: B\n  description: |\n    - not an item\n    - nor this\nother: 1\n"
	files["document marker and comments"] = "# rules\n---\nrules: # list\n\n  - id: A\n    when: 'X'\n  # between\n  -   id: B\n...\n"
	files["flow style"] = "rules: [{id: A}, {id: B},\n  {id: C}]\n"
	files["crlf"] = "rules:\r\n  - id: A\r\n  - id: B\r\n"
	files["nested item lists"] = "rules:\n  - id: A\n    applies_to:\n      - process\n      - datastore\n  - id: B\n    applies_to: [flow]\n"
	files["rules not first"] = "version: 1\nrules:\n    - id: A\n    - id: B\nlater:\n  - x\n"
	for name, src := range files {
		want := nodeRuleLines(t, []byte(src))
		if got := ruleLines([]byte(src), len(want)); !slices.Equal(got, want) {
			t.Errorf("%s: lines %v, want %v", name, got, want)
		}
	}
}
