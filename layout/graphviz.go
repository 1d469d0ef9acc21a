package layout

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/threatmap/threatmap/third_party/go-graphviz"
	"github.com/threatmap/threatmap/third_party/go-graphviz/cgraph"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/gvlock"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/picture"
)

// bigGraph is the size (components plus flows) above which Graphviz's
// effort is bounded.
const bigGraph = 400

// maxTitleReserve bounds the width reserved for a boundary label.
const maxTitleReserve = 360.0

// Graphviz works in points; the layout keeps them as pixels (1pt = 1px).
const pointsPerInch = 72.0

// runGraphviz builds a Graphviz graph for d with generated names (n0, e0,
// cluster_0), lays it out with dot and reads the positions back from the
// layout records (the numbers Graphviz's json0 format would print).
func runGraphviz(d *graph.Diagram, rankdir string, notes map[int]string) (*Layout, error) {
	cacheOnce.Do(func() { graphviz.SetCompilationCacheDir(CacheDir()) })
	var gl *gvGraph
	err := gvlock.Do(func() error {
		// A small layout without a compiled module in the cache runs
		// in wazero's interpreter (see graphviz.SetWork).
		graphviz.SetWork(GraphvizWork(d))
		out, err := layoutTrimmed(d, rankdir, notes)
		if graphviz.StubHit() {
			// The trimmed module lacked a function this diagram needs:
			// its result is discarded and the full module does the work.
			graphviz.UseFull()
			if rerr := graphviz.Release(); rerr != nil {
				return fmt.Errorf("graphviz: releasing the instance: %w", rerr)
			}
			out, err = layoutGraph(d, rankdir, notes)
		}
		gl = out
		// Close the WebAssembly instance: its linear memory grows to the
		// largest layout it ran and never shrinks, so in a process that
		// lays out many diagrams (a folder) it would stay allocated
		// between them. The compiled module stays; the next layout makes
		// a fresh instance, which costs a few milliseconds.
		if rerr := graphviz.Release(); err == nil && rerr != nil {
			err = fmt.Errorf("graphviz: releasing the instance: %w", rerr)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return fromGraphviz(d, gl, notes)
}

// layoutTrimmed is layoutGraph, except that a panic of the binding after
// the trimmed module reached a stub (its values are then meaningless) is
// an error: the caller checks graphviz.StubHit and redoes the work.
func layoutTrimmed(d *graph.Diagram, rankdir string, notes map[int]string) (out *gvGraph, err error) {
	defer func() {
		if r := recover(); r != nil {
			if !graphviz.StubHit() {
				panic(r)
			}
			err = fmt.Errorf("graphviz: the trimmed module reached a stub: %v", r)
		}
	}()
	return layoutGraph(d, rankdir, notes)
}

// layoutGraph lays d out with Graphviz in the live instance, which the
// caller must release (graphviz.Release) afterwards, and reads back what the layout
// uses: the bounding boxes of the graph and its clusters, the nodes'
// positions, the edges' splines and label positions, straight from
// Graphviz's layout records (see gvBuilt.read), so the result is the one
// its json0 format would give without running a renderer (rendering json0
// cost as much as the layout itself, most of a run on a cold cache).
func layoutGraph(d *graph.Diagram, rankdir string, notes map[int]string) (*gvGraph, error) {
	// Nothing is closed or freed here: the caller releases the whole
	// instance (graphviz.Release) right after, which drops the context,
	// the graph and the layout at once. Freeing them one by one first
	// only cost time (interpreted, on a cold cache).
	ctx := context.Background()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, err
	}
	b, err := buildGraph(gv, d, rankdir, notes)
	if err != nil {
		return nil, err
	}
	if err := gv.Layout(ctx, b.g); err != nil {
		return nil, fmt.Errorf("graphviz: %w", err)
	}
	return b.read()
}

// gvBuilt is the Graphviz graph made from a diagram, with the objects
// whose geometry is read back after the layout.
type gvBuilt struct {
	g        *cgraph.Graph
	nodes    []*cgraph.Node  // by component index
	edges    []*cgraph.Edge  // by flow index; nil: not given to Graphviz
	clusters []*cgraph.Graph // by boundary index
}

// read returns the geometry of the layout, read from Graphviz's layout
// records, each number rounded as Graphviz's json0 (and dot) formats
// print it (%.5g): the layout is the one parsed from json0 up to session
// 8, without attach_attrs printing every number into an attribute first
// (a tenth of a cold-cache run).
func (b *gvBuilt) read() (*gvGraph, error) {
	bb, err := b.g.BoundingBox()
	if err != nil {
		return nil, err
	}
	out := &gvGraph{BB: gvNumbers(bb[:]...)}
	for i, s := range b.clusters {
		if s == nil {
			continue
		}
		bb, err := s.BoundingBox()
		if err != nil {
			return nil, err
		}
		out.Objects = append(out.Objects, gvObject{Name: "cluster_" + strconv.Itoa(i), BB: gvNumbers(bb[:]...)})
	}
	for i, n := range b.nodes {
		x, y, err := n.Coord()
		if err != nil {
			return nil, err
		}
		out.Objects = append(out.Objects, gvObject{Name: "n" + strconv.Itoa(i), Pos: gvNumbers(x, y)})
	}
	for i, e := range b.edges {
		if e == nil {
			continue
		}
		pts, err := e.Spline()
		if err != nil {
			return nil, err
		}
		var pos []string
		for j := 0; j+1 < len(pts); j += 2 {
			pos = append(pos, gvNumbers(pts[j], pts[j+1]))
		}
		ge := gvEdge{Pos: strings.Join(pos, " "), TMIndex: strconv.Itoa(i)}
		if x, y, ok, err := e.LabelPos(); err != nil {
			return nil, err
		} else if ok {
			ge.LP = gvNumbers(x, y)
		}
		out.Edges = append(out.Edges, ge)
	}
	return out, nil
}

// gvNumbers prints numbers as Graphviz's attributes hold them: "%.5g",
// comma-separated. Go's shortest-digits formatting with five significant
// digits rounds the exact binary value half to even, as the C library's
// printf does.
func gvNumbers(v ...float64) string {
	var b []byte
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, x, 'g', 5, 64)
	}
	return string(b)
}

// CacheEnv names the environment variable that sets where the compiled
// Graphviz module is cached; "off" disables the cache.
const CacheEnv = "THREATMAP_CACHE_DIR"

var cacheOnce sync.Once

// CacheDir is where wazero caches the compiled Graphviz module, so that
// the compilation (about half a second) is paid once per machine, and
// where the work interpreted before it is counted (small layouts on a
// cold cache run in wazero's interpreter, see graphviz.SetWork):
// $THREATMAP_CACHE_DIR, else
// os.UserCacheDir()/threatmap; "" (no cache) when that is "off" or there
// is no user cache directory. A directory that cannot be written is not
// used, and processes starting at once share it safely (each entry is
// written to a temporary file and renamed).
func CacheDir() string {
	if dir, ok := os.LookupEnv(CacheEnv); ok && dir != "" {
		if dir == "off" {
			return ""
		}
		return dir
	}
	base, err := os.UserCacheDir()
	if err != nil || base == "" {
		return ""
	}
	return filepath.Join(base, "threatmap")
}

// escapeLabel protects Graphviz's label escapes (\N, \G, \l ...) and turns
// line breaks into \n.
func escapeLabel(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return strings.ReplaceAll(s, "\n", `\n`)
}

// buildGraph makes d's Graphviz graph in gv.
func buildGraph(gv *graphviz.Graphviz, d *graph.Diagram, rankdir string, notes map[int]string) (*gvBuilt, error) {
	g, err := gv.Graph()
	if err != nil {
		return nil, err
	}
	b := &gvBuilt{g: g, nodes: make([]*cgraph.Node, len(d.Components)), edges: make([]*cgraph.Edge, len(d.Flows)), clusters: make([]*cgraph.Graph, len(d.Boundaries))}
	g.SetRankDir(cgraph.RankDir(rankdir))
	g.SetFontName("Helvetica")
	g.SetNodeSeparator(0.45)
	g.SetRankSeparator(0.8)
	if big := len(d.Components) + len(d.Flows); big <= bigGraph {
		// Global ranking across clusters: more compact, but its cost
		// grows steeply with clusters (minutes at 1,000 components).
		g.SetNewRank(true)
	} else {
		// Bound Graphviz's effort on large diagrams: fewer crossing
		// minimisation passes and network-simplex iterations.
		scale := float64(bigGraph) / float64(big)
		g.SetMCLimit(max(0.05, scale))
		g.SetNsLimit(max(2, 50*scale))
		g.SetNsLimit1(max(2, 50*scale))
		g.SetSearchSize(10)
	}
	g.SetPad(0)

	subs := map[string]*cgraph.Graph{}
	var sub func(id string, depth int) (*cgraph.Graph, error)
	sub = func(id string, depth int) (*cgraph.Graph, error) {
		if id == "" || depth > 100 {
			return g, nil
		}
		if s, ok := subs[id]; ok {
			return s, nil
		}
		bd := d.Boundary(id)
		if bd == nil {
			return g, nil
		}
		parent, err := sub(bd.Parent, depth+1)
		if err != nil {
			return nil, err
		}
		bi := boundaryIndex(d, id)
		s, err := parent.CreateSubGraphByName("cluster_" + strconv.Itoa(bi))
		if err != nil {
			return nil, err
		}
		b.clusters[bi] = s
		// The title strip: room for the label and the trust level.
		// (A very long label is cut when drawn; reserve a bounded width.)
		title := textfit.Truncate(strings.Join(strings.Fields(bd.Label), " "), picture.BoundaryTitleSize, maxTitleReserve, true)
		s.SetLabel(escapeLabel(title + "  ·  trust 0 · untrusted"))
		s.SetFontSize(picture.BoundaryTitleSize * 1.1)
		s.SetLabelJust(cgraph.LeftJust)
		s.SetLabelLocation(cgraph.TopLocation)
		s.SetMargin(26)
		subs[id] = s
		return s, nil
	}
	for _, bd := range d.Boundaries {
		s, err := sub(bd.ID, 0)
		if err != nil {
			return b, err
		}
		if len(bd.Members) == 0 && !hasChild(d, bd.ID) {
			// Keep empty boundaries visible with a placeholder.
			n, err := s.CreateNodeByName("empty_" + strconv.Itoa(boundaryIndex(d, bd.ID)))
			if err != nil {
				return b, err
			}
			n.SetShape(cgraph.BoxShape).SetFixedSize(true).SetWidth(1.5).SetHeight(0.6).SetLabel("")
		}
	}
	nodes := make(map[string]*cgraph.Node, len(d.Components))
	for i, c := range d.Components {
		s, err := sub(c.Boundary, 0)
		if err != nil {
			return b, err
		}
		n, err := s.CreateNodeByName("n" + strconv.Itoa(i))
		if err != nil {
			return b, err
		}
		w, h := NodeSize(c)
		n.SetShape(cgraph.BoxShape).SetFixedSize(true).SetWidth(w / pointsPerInch).SetHeight(h / pointsPerInch).SetLabel("")
		nodes[c.ID] = n
		b.nodes[i] = n
	}
	for i, f := range d.Flows {
		s, t := nodes[f.Source], nodes[f.Target]
		if s == nil || t == nil {
			continue
		}
		e, err := g.CreateEdgeByName("e"+strconv.Itoa(i), s, t)
		if err != nil {
			return b, err
		}
		b.edges[i] = e
		e.SetDir(cgraph.NoneDir)
		if err := e.SafeSet("tmindex", strconv.Itoa(i), ""); err != nil {
			return b, err
		}
		lines, _, _ := EdgeLabel(f.Label)
		if notes[i] != "" {
			lines = append(lines, notes[i])
		}
		if lines != nil {
			// Slightly larger than drawn: Graphviz's font table is
			// narrower than ours.
			e.SetLabel(escapeLabel(strings.Join(lines, "\n")))
			e.SetFontName("Helvetica")
			e.SetFontSize(picture.EdgeFontSize * 1.12)
		}
	}
	return b, nil
}

func boundaryIndex(d *graph.Diagram, id string) int {
	for i, b := range d.Boundaries {
		if b.ID == id {
			return i
		}
	}
	return -1
}

func hasChild(d *graph.Diagram, id string) bool {
	for _, b := range d.Boundaries {
		if b.Parent == id {
			return true
		}
	}
	return false
}
