package layout

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/gvlock"
	"github.com/threatmap/threatmap/third_party/go-graphviz"
)

// LayoutViaJSON0 lays d out the way runGraphviz did up to session 7:
// Graphviz renders its json0 format and the layout is parsed from that.
// TestRecordsMatchJSON0 checks that reading Graphviz's layout records
// instead gives the same layout.
func LayoutViaJSON0(d *graph.Diagram, rankdir string, notes map[int]string) (*Layout, error) {
	cacheOnce.Do(func() { graphviz.SetCompilationCacheDir(CacheDir()) })
	var data []byte
	err := gvlock.Do(func() error {
		defer graphviz.Release()
		ctx := context.Background()
		gv, err := graphviz.New(ctx)
		if err != nil {
			return err
		}
		defer gv.Close()
		b, err := buildGraph(gv, d, rankdir, notes)
		if b != nil {
			defer b.g.Close()
		}
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := gv.Render(ctx, b.g, "json0", &buf); err != nil {
			return err
		}
		data = buf.Bytes()
		return nil
	})
	if err != nil {
		return nil, err
	}
	var gj gvGraph
	if err := json.Unmarshal(data, &gj); err != nil {
		return nil, fmt.Errorf("reading graphviz output: %w", err)
	}
	return fromGraphviz(d, &gj, notes)
}
