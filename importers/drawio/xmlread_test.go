package drawio

import (
	"errors"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// The streaming reader checks the whole document as a tree parser did:
// what follows the root element, prefixes and depth inside cells; and it
// reads a page's model from wherever the <diagram> holds it.
func TestStreamedDocument(t *testing.T) {
	one := vertex("a", "1", "A", "", 0, 0, 10, 10)
	deep := `<mxCell id="d" vertex="1" parent="1"><mxGeometry as="geometry">` + strings.Repeat("<Array>", 30) + strings.Repeat("</Array>", 30) + `</mxGeometry></mxCell>`
	cases := []struct {
		name  string
		src   string
		comps int      // components of the first page, when it imports
		err   []string // substrings of the error, when it does not
		limit bool
	}{
		{"comment and instruction after the root", model(one) + `<!-- saved --><?x y?>`, 1, nil, false},
		{"text around the model in its diagram", strings.Replace(model(one), `<mxGraphModel>`, `ignored <mxGraphModel>`, 1), 1, nil, false},
		{"second model in a diagram ignored", strings.Replace(model(one), `</mxGraphModel>`, `</mxGraphModel><mxGraphModel><root><mxCell id="x"/></root></mxGraphModel>`, 1), 1, nil, false},
		{"second root ignored", strings.Replace(model(one), `</root>`, `</root><root><mxCell id="x"/></root>`, 1), 1, nil, false},
		{"broken XML after the root", model(one) + `<oops`, 0, []string{"not valid XML"}, false},
		{"second unclosed element after the root", model(one) + `<more>`, 0, []string{"not valid XML"}, false},
		{"undeclared element prefix", strings.Replace(model(one), `<mxCell id="a"`, `<q:mxCell id="a"`, 1), 0, []string{"not valid XML", "namespace q"}, false},
		{"declared prefix", strings.Replace(strings.Replace(model(one), `<mxCell id="a"`, `<q:mxCell xmlns:q="urn:q" id="a"`, 1), `</mxCell></root>`, `</q:mxCell></root>`, 1), 1, nil, false},
		{"nesting too deep inside a cell", model(deep), 0, []string{"MaxDepth"}, true},
		{"only text", "just text", 0, []string{"not valid XML", "no root element"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds, err := Import("s.drawio", []byte(c.src), Options{Limits: graph.Limits{MaxDepth: 20}})
			if c.err == nil {
				if err != nil {
					t.Fatal(err)
				}
				if len(ds[0].Components) != c.comps {
					t.Errorf("%d components, want %d", len(ds[0].Components), c.comps)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error")
			}
			for _, w := range c.err {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if errors.Is(err, graph.ErrLimit) != c.limit || !graph.IsInputError(err) {
				t.Errorf("error %v: limit %v, input error %v", err, errors.Is(err, graph.ErrLimit), graph.IsInputError(err))
			}
		})
	}
}
