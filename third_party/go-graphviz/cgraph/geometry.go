package cgraph

// Added in threatmap's patched copy (see NOTES.md): a laid-out graph's
// geometry read straight from Graphviz's layout records in the instance's
// memory, instead of having attach_attrs print it into attributes (which
// formats every number through the C library's long-double printf) and
// reading those back.

import (
	"context"
	"errors"

	"github.com/threatmap/threatmap/third_party/go-graphviz/internal/wasm"
)

// Offsets in the embedded module's wasm32 build of Graphviz's layout
// records (common/types.h). threatmap's layout test TestRecordsMatchJSON0
// checks every value read through them against the json0 format's on
// its whole training set; a new module must be checked the same way.
const (
	nodeCoord  = 16 // Agnodeinfo_t.coord (pointf)
	graphBB    = 16 // Agraphinfo_t.bb (boxf)
	edgeSpl    = 8  // Agedgeinfo_t.spl (splines *)
	edgeLabel  = 96 // Agedgeinfo_t.label (textlabel_t *)
	labelPos   = 56 // textlabel_t.pos (pointf)
	bezierSize = 4  // bezier.size after bezier.list; splines likewise
)

func record(obj any, name string) (uint64, error) {
	r, err := wasm.GetRecord(context.Background(), obj, name, 0)
	if err != nil {
		return 0, err
	}
	if r == nil {
		return 0, errors.New("cgraph: no " + name + " record (not laid out?)")
	}
	return wasm.WasmPtr(r), nil
}

// Coord returns a laid-out node's centre (ND_coord).
func (n *Node) Coord() (x, y float64, err error) {
	p, err := record(n.wasm, "Agnodeinfo_t")
	if err != nil {
		return 0, 0, err
	}
	v, err := wasm.ReadF64s(p+nodeCoord, 2)
	if err != nil {
		return 0, 0, err
	}
	return v[0], v[1], nil
}

// BoundingBox returns a laid-out graph's or cluster's bounding box
// (GD_bb): lower left x, y, upper right x, y.
func (g *Graph) BoundingBox() ([4]float64, error) {
	p, err := record(g.wasm, "Agraphinfo_t")
	if err != nil {
		return [4]float64{}, err
	}
	v, err := wasm.ReadF64s(p+graphBB, 4)
	if err != nil {
		return [4]float64{}, err
	}
	return [4]float64(v), nil
}

// Spline returns the control points (x0, y0, x1, y1, ...) of a laid-out
// edge's first Bézier spline, nil when the layout gave it none.
func (e *Edge) Spline() ([]float64, error) {
	p, err := record(e.wasm, "Agedgeinfo_t")
	if err != nil {
		return nil, err
	}
	spl, err := wasm.ReadU32(p + edgeSpl)
	if err != nil || spl == 0 {
		return nil, err
	}
	n, err := wasm.ReadU32(uint64(spl) + bezierSize)
	if err != nil || n == 0 {
		return nil, err
	}
	list, err := wasm.ReadU32(uint64(spl))
	if err != nil {
		return nil, err
	}
	pts, err := wasm.ReadU32(uint64(list))
	if err != nil {
		return nil, err
	}
	size, err := wasm.ReadU32(uint64(list) + bezierSize)
	if err != nil || size == 0 {
		return nil, err
	}
	return wasm.ReadF64s(uint64(pts), 2*int(size))
}

// LabelPos returns the centre of a laid-out edge's label; ok is false
// when the edge has none.
func (e *Edge) LabelPos() (x, y float64, ok bool, err error) {
	p, err := record(e.wasm, "Agedgeinfo_t")
	if err != nil {
		return 0, 0, false, err
	}
	l, err := wasm.ReadU32(p + edgeLabel)
	if err != nil || l == 0 {
		return 0, 0, false, err
	}
	v, err := wasm.ReadF64s(uint64(l)+labelPos, 2)
	if err != nil {
		return 0, 0, false, err
	}
	return v[0], v[1], true, nil
}
