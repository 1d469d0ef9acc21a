package drawio

import (
	"github.com/threatmap/threatmap/graph"
)

type cellKind uint8

const (
	kindOther cellKind = iota
	kindRoot
	kindLayer
	kindVertex
	kindEdge
)

// role is what a vertex becomes in the model.
type role uint8

const (
	roleNone       role = iota
	roleComponent       // a component (also folded groups and list units)
	roleBoundary        // a container or a qualified inferred boundary
	roleCandidate       // a leaf rectangle that may enclose shapes by geometry
	roleNote            // text, notes, titles, legends, lists without flows
	roleAbsorbed        // part of a fold, list or legend (see cell.alias)
	roleDecorative      // unlabelled, unconnected shape (warned and dropped)
	roleLabel           // an edge label cell
	roleGroup           // a plain Ctrl+G group: transparent, not a boundary
)

type point struct{ x, y float64 }

type geometry struct {
	x, y, w, h float64
	relative   bool
	offset     *point
	points     []point
	sp, tp     *point
}

// cell is one <mxCell> as the importer reads and classifies it. A page
// can hold MaxElements of them, so the small fields are kept together at
// the end, where they pack without padding.
type cell struct {
	id, parentID   string
	value, rawSty  string
	st             style
	source, target string
	props          map[string]string
	geo            geometry
	order          int

	parent   int
	children []int
	depth    int
	abs      graph.Rect // absolute bounds of a vertex; origin for children

	label    string // plain text
	alias    int    // for roleAbsorbed: the unit it belongs to, -1 for legends, -2 for arrow labels
	fold     []int  // cells folded into this component (shape first)
	boundary int    // enclosing boundary cell, -1 for none

	kind         cellKind
	role         role
	visible      bool
	edgeFlag     bool
	vertexFlag   bool
	placeholders bool
	hasGeo       bool
	hidden       bool
	inferred     bool // boundary derived from geometry or a zone label
	referenced   bool // an edge ends on it
	idRef        bool // an edge names it (or a cell inside it) by id
	legend       bool
	weak         bool // a candidate only because it is a labelled rectangle (isPlainZone)
	dot          bool // a junction dot (isDot)
	badge        bool // a step badge (isBadge)
	titled       bool // labelled by a zone-named text inside it (builder.zoneTitles)
	hasKids      bool // has visible vertex children (before folding)
}

// builder turns one page into a diagram.
type builder struct {
	r      *reader
	pg     page
	limits graph.Limits
	d      *graph.Diagram
	cells  []*cell
	byID   map[string]int
	root   int
	topo   []int // cells in breadth-first order from the root
	// tin/tout number the cells in a depth-first walk, so that ancestry is
	// an O(1) interval test.
	tin, tout []int
	// budget bounds the pairwise geometric comparisons on a page, so that
	// hostile input with many overlapping shapes cannot take quadratic time.
	budget       int
	budgetWarned bool
	// proxies are the containers that stand as a flow's end (containerEnd).
	proxies map[int]bool
	// zoneTitles maps an area titled by a text inside it to that text
	// (titleZones); kept here, not on every cell, as few cells have one.
	zoneTitles map[int]int
}

// geometryBudget is the number of shape-to-shape geometric comparisons
// allowed per page (a few hundred milliseconds of work).
const geometryBudget = 20_000_000

// spend takes n comparisons from the budget. Once it is exhausted it warns
// once and returns false; callers then skip the geometric inference.
func (b *builder) spend(n int) bool {
	if n <= b.budget {
		b.budget -= n
		return true
	}
	if !b.budgetWarned {
		b.budgetWarned = true
		b.warn("", "too many overlapping shapes: geometric inference (boundaries drawn around shapes, edge ends attached by position) stopped after %d comparisons", geometryBudget)
	}
	return false
}

func (b *builder) pos(id string) graph.Position {
	return graph.Position{Page: b.pg.name, Cell: id}
}

func (b *builder) warn(id string, format string, args ...any) {
	b.d.Warn(b.pos(id), format, args...)
}

func (b *builder) errorf(id string, format string, args ...any) error {
	return b.r.errorf(b.pg.name, id, format, args...)
}

// build imports one page.
func (b *builder) build() error {
	b.d = graph.New(b.r.file, "drawio")
	b.d.Name = b.pg.name
	b.d.HasLayout = true
	if b.pg.model == nil {
		return nil // an empty page
	}
	if err := b.readCells(); err != nil {
		return err
	}
	if len(b.cells) == 0 {
		return nil
	}
	if err := b.link(); err != nil {
		return err
	}
	b.walk()
	b.number()
	b.budget = geometryBudget
	b.labels()
	b.classify()
	b.titleZones()
	b.attachCaptions()
	edges := b.resolveEdges()
	b.labelArrows(edges)
	b.dropDecorative()
	b.qualifyCandidates()
	b.findTitles()
	if err := b.assignBoundaries(); err != nil {
		return err
	}
	return b.emit(edges)
}
