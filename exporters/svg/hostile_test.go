package svg_test

import (
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/testsupport"
)

var hostile = []string{
	`<script>alert(1)</script>`,
	`javascript:alert(document.cookie)`,
	`]]><svg onload=alert(1)>`,
	`" onmouseover="alert(1)`,
	`' onload='alert(2)' x='`,
	`<foreignObject><body onload=alert(3)></foreignObject>`,
	`<a href="javascript:alert(4)">click</a>`,
	`url(http://evil.example/x.png) @import 'http://evil.example/x.css';`,
	"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;",
}

func hostileDiagram() *graph.Diagram {
	d := graph.New(`evil"<file>.dot`, "dot")
	d.Title = hostile[0]
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(d.AddBoundary(&graph.Boundary{ID: `b" onload="x`, Label: hostile[2]}))
	for i, h := range hostile {
		c := &graph.Component{ID: "c" + h, Label: h}
		if i%2 == 0 {
			c.Boundary = `b" onload="x`
		}
		must(d.AddComponent(c))
	}
	// Control characters and invalid UTF-8 must not break the XML.
	must(d.AddComponent(&graph.Component{ID: "ctl", Label: "bell\x07 nul\x00 esc\x1b bad\xff end\ufffe"}))
	for i := 1; i < len(d.Components); i++ {
		d.AddFlow(&graph.Flow{ID: hostile[i%len(hostile)], Source: d.Components[i-1].ID, Target: d.Components[i].ID, Label: hostile[(i+3)%len(hostile)]})
	}
	must(d.Finalize())
	return d
}

func TestHostileLabels(t *testing.T) {
	d := hostileDiagram()
	r := testsupport.Analyze(t, d)
	for _, auto := range []bool{false, true} {
		layoutName := map[bool]string{false: "source", true: "auto"}[auto]
		out := render(t, r, testsupport.DrawOptions{Title: hostile[3], Date: hostile[1], Auto: auto})
		doc := parse(t, out)
		assertSafe(t, doc, out)
		// Labels survive literally as text: in the tooltips (whole) and
		// in the drawn text (possibly wrapped).
		var titles []string
		doc.walk(func(n *node) {
			if n.name == "title" {
				titles = append(titles, n.text)
			}
		})
		joined := strings.Join(titles, "\n")
		for _, h := range hostile {
			if !strings.Contains(joined, h) {
				t.Errorf("%s: tooltip text lost %q", layoutName, h)
			}
		}
		if !strings.Contains(doc.allText(), hostile[0]) {
			t.Errorf("%s: label %q not drawn literally", layoutName, hostile[0])
		}
		// Ids are valid and unique.
		seen := map[string]bool{}
		doc.walk(func(n *node) {
			id, ok := n.attrs["id"]
			if !ok {
				return
			}
			if seen[id] {
				t.Errorf("duplicate id %q", id)
			}
			seen[id] = true
			for i, c := range id {
				ok := c == '-' || c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9' && i > 0)
				if !ok {
					t.Errorf("invalid id %q", id)
					break
				}
			}
		})
		if got := len(doc.byClass("tm-component")); got != len(d.Components) {
			t.Errorf("%s: %d components drawn, want %d", layoutName, got, len(d.Components))
		}
	}
}
