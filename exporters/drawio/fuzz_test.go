package drawio

import (
	"bytes"
	"testing"
)

// FuzzAnnotate feeds arbitrary draw.io sources to the layer surgery: it
// must never panic, and what it accepts must keep the source outside the
// page and give the same bytes when run again on its own output.
func FuzzAnnotate(f *testing.F) {
	for _, s := range []string{
		`<mxfile><diagram name="P"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/></root></mxGraphModel></diagram></mxfile>`,
		"<mxGraphModel>\n  <root>\n    <mxCell id=\"0\" />\n    <mxCell id=\"threatmap-layer\" parent=\"0\" />\n    <mxCell id=\"x\" parent=\"threatmap-layer\" />\n  </root>\n</mxGraphModel>\n",
		`<mxfile><diagram name="P">7ZRNb4MwDIZ/Da</diagram></mxfile>`,
		`<svg xmlns="http://www.w3.org/2000/svg" content="&lt;mxfile&gt;&lt;/mxfile&gt;"></svg>`,
	} {
		f.Add([]byte(s))
	}
	layer := func(root string) []string {
		return []string{`<mxCell id="threatmap-layer" value="threatmap" parent="` + root + `" />`,
			`<mxCell id="threatmap-legend" parent="threatmap-layer" vertex="1" />`}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := annotateFile(src, "", 1<<20, layer)
		if err != nil {
			return
		}
		again, err := annotateFile(out, "", 1<<20, layer)
		if err != nil {
			t.Fatalf("own output rejected: %v\n%s", err, out)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("not idempotent:\n%s\n----\n%s", out, again)
		}
	})
}
