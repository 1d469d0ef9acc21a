package importers

import (
	"errors"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	dot := []byte("digraph { a -> b }")
	tests := []struct {
		file   string
		data   []byte
		forced string
		want   string
	}{
		{"arch.dot", dot, "", "dot"},
		{"ARCH.GV", dot, "", "dot"},
		{"-", dot, "", "dot"},
		{"noext", dot, "", "dot"},
		{"weird.txt", dot, "", "dot"},
		{"arch.dot", []byte("whatever"), "dot", "dot"},
		{"arch.mmd", []byte("flowchart LR\n a --> b"), "", "mermaid"},
		{"arch.drawio", []byte("<mxfile><diagram name=\"p\"><mxGraphModel><root><mxCell id=\"0\"/></root></mxGraphModel></diagram></mxfile>"), "", "drawio"},
		{"arch.xml", []byte("<mxGraphModel><root><mxCell id=\"0\"/></root></mxGraphModel>"), "", "drawio"},
		{"-", []byte("<mxfile><diagram>x</diagram></mxfile>"), "", "drawio"},
		{"arch.mermaid", []byte("graph TD\n a --> b"), "", "mermaid"},
		{"-", []byte("%% c\nflowchart LR\n a --> b"), "", "mermaid"},
		{"README.md", []byte("# x\n```mermaid\nflowchart LR\n a-->b\n```\n"), "", "markdown"},
		{"-", []byte("# x\n```mermaid\nflowchart LR\n a-->b\n```\n"), "", "markdown"},
	}
	for _, tt := range tests {
		f, err := Detect(tt.file, tt.data, tt.forced)
		if err != nil {
			t.Errorf("Detect(%s): %v", tt.file, err)
			continue
		}
		if f.Name != tt.want {
			t.Errorf("Detect(%s) = %s, want %s", tt.file, f.Name, tt.want)
		}
	}
}

func TestDetectUnknown(t *testing.T) {
	for _, c := range []struct{ file, data string }{
		{"notes.txt", "just some text"},
		{"pom.xml", "<project><modelVersion>4.0.0</modelVersion></project>"},
		{"logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"},
	} {
		if f, err := Detect(c.file, []byte(c.data), ""); err == nil {
			t.Errorf("Detect(%s) = %s, want an error", c.file, f.Name)
		}
	}
	_, err := Detect("notes.txt", []byte("just some text"), "")
	var ue *UnknownFormatError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want UnknownFormatError", err)
	}
	for _, want := range []string{"notes.txt", "supported formats", "dot (.dot, .gv)", "--format"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	_, err = Detect("a.dot", nil, "visio")
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), `unknown format "visio"`) {
		t.Errorf("forced unknown: %v", err)
	}
}

func TestImportLimit(t *testing.T) {
	o := Options{}
	o.Limits.MaxInputBytes = 10
	_, err := Import("big.dot", []byte("digraph { a -> b -> c }"), o)
	if err == nil || !strings.Contains(err.Error(), "over the limit of 10") {
		t.Errorf("err = %v", err)
	}
}
