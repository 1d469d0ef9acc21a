package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/internal/testcorpus"
	"github.com/threatmap/threatmap/stride"
)

// pipelineEnv is an analyze run with every writer and default options,
// without a command line.
func pipelineEnv(t testing.TB) *analyzeEnv {
	t.Helper()
	rules := stride.DefaultRules()
	return &analyzeEnv{
		importOpts: importers.Options{Limits: graph.Limits{}.WithDefaults()},
		ruleSet:    rules,
		emit:       emitters,
		layoutMode: "source",
	}
}

// renderedFile is one rendered file kept in memory.
type renderedFile struct {
	name string
	data []byte
}

func renderOnce(t testing.TB, file string, data []byte) ([]renderedFile, error) {
	var res fileResult
	var outs []renderedFile
	err := pipelineEnv(t).render(file, data, nil, &res, func(name string, write func(io.Writer) error) error {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return err
		}
		outs = append(outs, renderedFile{name, buf.Bytes()})
		return nil
	})
	return outs, err
}

// TestDeterministicOutputs runs the whole pipeline twice on every bundled
// example and every corpus diagram and compares every output byte for byte.
func TestDeterministicOutputs(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*"))
	for _, sub := range []string{"dot", "drawio", "mermaid"} {
		dir := testcorpus.Dir(t, sub)
		more, _ := filepath.Glob(filepath.Join(dir, "*"))
		files = append(files, more...)
	}
	if len(files) < 20 {
		t.Fatalf("only %d inputs found", len(files))
	}
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.IsDir() {
			continue // examples/ci holds CI configuration, not diagrams
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			a, err := renderOnce(t, f, data)
			if err != nil {
				t.Fatalf("pipeline: %v", err)
			}
			b, err := renderOnce(t, f, data)
			if err != nil {
				t.Fatal(err)
			}
			if len(a) != len(b) || len(a) < len(emitters) {
				t.Fatalf("%d outputs, then %d", len(a), len(b))
			}
			for i := range a {
				if a[i].name != b[i].name || !bytes.Equal(a[i].data, b[i].data) {
					t.Errorf("%s differs between two runs", a[i].name)
				}
			}
		})
	}
}

// FuzzPipeline feeds arbitrary bytes through detection, import, the
// STRIDE pass and every writer: no panic, and an error is always an input
// error naming the file.
func FuzzPipeline(f *testing.F) {
	for _, name := range []string{"telehealth.dot", "telehealth.mmd", "telehealth.drawio", "telehealth.md"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(name, data)
	}
	f.Add("x.dot", []byte("digraph { a -> b }"))
	f.Add("x.mmd", []byte("flowchart LR\n  a[\"<script>\"] -->|HTTP| b[(DB)]\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		name = filepath.Base(name)
		if name == "." || name == "/" || name == "" {
			name = "fuzz"
		}
		type result struct {
			outs []renderedFile
			err  error
		}
		done := make(chan result, 1)
		go func() {
			outs, err := renderOnce(t, name, data)
			done <- result{outs, err}
		}()
		var outs []renderedFile
		var err error
		select {
		case r := <-done:
			outs, err = r.outs, r.err
		case <-time.After(10 * time.Second):
			t.Fatalf("pipeline did not finish in 10 s on %q (%d bytes)", name, len(data))
		}
		if err != nil {
			var ufe *importers.UnknownFormatError
			if !graph.IsInputError(err) && !asUnknown(err, &ufe) {
				t.Fatalf("%T: %v", err, err)
			}
			return
		}
		for _, o := range outs {
			if len(o.data) == 0 {
				t.Errorf("%s is empty", o.name)
			}
		}
	})
}

func asUnknown(err error, target **importers.UnknownFormatError) bool {
	e, ok := err.(*importers.UnknownFormatError)
	if ok {
		*target = e
	}
	return ok
}
