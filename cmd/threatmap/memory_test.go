package main

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"testing"
	"weak"

	"github.com/threatmap/threatmap/exporters/svg"
	"github.com/threatmap/threatmap/picture"
)

// forcedCollections is the number of garbage collections run by
// runtime.GC so far.
func forcedCollections() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestWritersMemory checks what render keeps alive while the writers run:
// the writers that draw the picture run first, and the picture is garbage
// before any other writer starts (at 20,000 components it was held, 170 MB
// of it, through the workbook, whose peak was the run's); a large
// diagram's run collects garbage between writers, and a small one's never
// does (its first collection is deferred, see deferFirstGC).
func TestWritersMemory(t *testing.T) {
	small, err := os.ReadFile(filepath.Join("..", "..", "examples", "telehealth.mmd"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		file    string
		data    []byte
		collect bool // collections between the writers
	}{
		{"small", "telehealth.mmd", small, false},
		{"large", "big.mmd", bigMermaid(2200), true}, // 2,200 components and 3,299 flows
	} {
		t.Run(tc.name, func(t *testing.T) {
			var order []string
			var pic weak.Pointer[picture.Picture]
			var released []bool
			var forced []uint64
			probe := func(name string) emitter {
				return emitter{name: name, suffix: "." + name, write: func(w io.Writer, o output) error {
					forced = append(forced, forcedCollections())
					order = append(order, name)
					if o.picture != nil {
						t.Errorf("%s was handed the picture", name)
					}
					runtime.GC()
					released = append(released, pic.Value() == nil)
					_, err := io.WriteString(w, name)
					return err
				}}
			}
			draw := emitter{name: "svg", suffix: ".svg", picture: true, write: func(w io.Writer, o output) error {
				forced = append(forced, forcedCollections())
				order = append(order, "svg")
				pic = weak.Make(o.picture)
				return svg.Write(w, o.picture)
			}}
			env := pipelineEnv(t)
			env.emit = []emitter{probe("first"), draw, probe("last")}
			var res fileResult
			var written []string
			err := env.render(tc.file, tc.data, nil, &res, func(name string, write func(io.Writer) error) error {
				written = append(written, name)
				return write(io.Discard)
			})
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"svg", "first", "last"}; !slices.Equal(order, want) {
				t.Fatalf("writers ran in the order %v, want %v", order, want)
			}
			if !released[0] || !released[1] {
				t.Errorf("picture still reachable after the writers that draw it (first %v, last %v)", released[0], released[1])
			}
			// forced[1] counts the probe's own collection after the first
			// writer; the writers that follow another one start after
			// render's.
			gotCollect := forced[1] > forced[0] && forced[2] > forced[1]+1
			if !tc.collect && (forced[1] != forced[0] || forced[2] != forced[1]+1) {
				t.Errorf("small diagram: render collected between writers (forced collections %v)", forced)
			}
			if tc.collect && !gotCollect {
				t.Errorf("large diagram: no collection between writers (forced collections %v)", forced)
			}
		})
	}
}
