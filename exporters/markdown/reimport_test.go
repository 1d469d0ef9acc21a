package markdown

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers/mermaid"
	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

var entryPrefix = regexp.MustCompile(`^EP-\d+(: |$)`)

// TestMermaidReimport extracts the Mermaid block from the document and
// imports it with threatmap's own Mermaid importer: the diagram must have
// the report's components (labels and zones), boundaries (labels and
// nesting) and flows (ends and labels, entry-point numbers aside).
func TestMermaidReimport(t *testing.T) {
	for name, r := range map[string]*stride.Report{
		"telehealth": testsupport.ExampleReport(t, "telehealth.dot"),
		"hostile":    reimportableHostile(t),
	} {
		t.Run(name, func(t *testing.T) {
			md := render(t, r, fixtureOpts)
			blocks := mermaidRe.FindAllString(md, -1)
			if len(blocks) != 1 {
				t.Fatalf("%d mermaid blocks, want 1", len(blocks))
			}
			body := strings.TrimSuffix(strings.TrimPrefix(blocks[0], "```mermaid\n"), "```\n")
			ds, err := mermaid.Import("threat-model.md", []byte(body), mermaid.Options{})
			if err != nil {
				t.Fatalf("import: %v\n%s", err, body)
			}
			if len(ds) != 1 {
				t.Fatalf("%d diagrams", len(ds))
			}
			compare(t, r, ds[0])
		})
	}
}

func compare(t *testing.T, r *stride.Report, d *graph.Diagram) {
	t.Helper()
	wantB := map[string]string{} // boundary label -> parent label
	for _, b := range r.Boundaries {
		parent := ""
		for _, p := range r.Boundaries {
			if p.ID == b.Parent {
				parent = p.Label
			}
		}
		wantB[b.Label] = parent
	}
	gotB := map[string]string{}
	for _, b := range d.Boundaries {
		parent := ""
		if p := d.Boundary(b.Parent); p != nil {
			parent = p.Label
		}
		gotB[b.Label] = parent
	}
	if !mapsEqual(gotB, wantB) {
		t.Errorf("boundaries (label: parent)\n got %q\nwant %q", gotB, wantB)
	}
	bLabel := func(rb string) string {
		for _, b := range r.Boundaries {
			if b.ID == rb {
				return b.Label
			}
		}
		return ""
	}
	var wantC, gotC []string
	cLabel := map[string]string{}
	for _, c := range r.Components {
		wantC = append(wantC, c.Label+" @ "+bLabel(c.Boundary))
		cLabel[c.ID] = c.Label
	}
	gLabel := map[string]string{}
	for _, c := range d.Components {
		zone := ""
		if b := d.Boundary(c.Boundary); b != nil {
			zone = b.Label
		}
		gotC = append(gotC, c.Label+" @ "+zone)
		gLabel[c.ID] = c.Label
	}
	slices.Sort(wantC)
	slices.Sort(gotC)
	if !slices.Equal(gotC, wantC) {
		t.Errorf("components\n got %q\nwant %q", gotC, wantC)
	}
	var wantF, gotF []string
	for _, f := range r.Flows {
		wantF = append(wantF, cLabel[f.Source]+" -> "+cLabel[f.Target]+" : "+f.Label)
	}
	for _, f := range d.Flows {
		gotF = append(gotF, gLabel[f.Source]+" -> "+gLabel[f.Target]+" : "+entryPrefix.ReplaceAllString(f.Label, ""))
	}
	slices.Sort(wantF)
	slices.Sort(gotF)
	if !slices.Equal(gotF, wantF) {
		t.Errorf("flows\n got %q\nwant %q", gotF, wantF)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// reimportableHostile is the fixture with labels full of characters that
// Mermaid and HTML treat specially, each distinct so they can be matched.
func reimportableHostile(t testing.TB) *stride.Report {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	specials := []string{`"quoted"`, `a#b;`, `<b>bold</b>`, "back`tick", `x & y`, `[brackets] (parens) {braces}`,
		`pipe | bar`, `end`, `subgraph`, `%%comment`, `a-->b`, "two\nlines", `#quot; literal`, `-->|"x"|`, "fa:fa-car icon"}
	for i := range r.Components {
		r.Components[i].Label = specials[i%len(specials)]
	}
	for i := range r.Boundaries {
		r.Boundaries[i].Label = "zone " + specials[(i+2)%len(specials)]
	}
	for i := range r.Flows {
		r.Flows[i].Label = "flow " + specials[(i+5)%len(specials)]
	}
	return r
}
