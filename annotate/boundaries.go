package annotate

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/picture"
)

// titleWidth is the width of a boundary title: padding, label, trust.
// The label is measured as drawn: on one line, its words one space apart.
func titleWidth(label, trust string) float64 {
	label = strings.Join(strings.Fields(label), " ")
	w := 8 + textfit.Width(label, picture.BoundaryTitleSize, true)
	if trust != "" {
		w += picture.BoundaryTitleGap + textfit.Width(trust, picture.BoundaryTrustSize, false)
	}
	return w
}

var trustNames = map[int]string{0: "untrusted", 1: "dmz", 2: "internal", 3: "restricted", 4: "data"}

func (b *builder) boundaries() {
	for _, c := range b.l.Containers {
		pb := picture.Boundary{ID: c.ID, DOMID: b.ids.id("tm-b-", c.ID), Rect: c.Rect, LabelRect: c.Label, Depth: c.Depth, Level: -1, Line: c.Line}
		if s := b.x.Boundary(c.ID); s != nil {
			pb.Label, pb.Inferred, pb.Level = s.Label, s.Inferred, s.Trust
			name := s.TrustName
			if name == "" {
				name = trustNames[s.Trust]
			}
			pb.Trust = "trust " + strconv.Itoa(s.Trust) + " · " + name
		} else if b.r.Diagram != nil {
			if gb := b.r.Diagram.Boundary(c.ID); gb != nil {
				pb.Label, pb.Inferred = gb.Label, gb.Inferred
			}
		}
		if strings.TrimSpace(pb.Label) == "" {
			pb.Label = c.ID
		}
		head := []string{"Trust boundary: " + pb.Label}
		if pb.Trust != "" {
			head = append(head, "Trust level: "+pb.Trust)
		}
		if s := b.x.Boundary(c.ID); s != nil && s.TrustReason != "" {
			head = append(head, "Why: "+s.TrustReason)
		}
		pb.Tooltip = strings.Join(head, "\n")
		pb.LabelRect.W = min(pb.LabelRect.W, titleWidth(pb.Label, pb.Trust))
		b.p.Boundaries = append(b.p.Boundaries, pb)
	}
	stackBoundaries(b.p.Boundaries)
}

// stackBoundaries orders boundaries for drawing, back to front: by
// nesting depth, then source order. The depth is the deeper of the
// model's nesting and the drawing's (how many other boxes enclose the
// box), so that a box drawn inside another is never hidden by the other's
// fill even when the model does not nest them.
func stackBoundaries(bs []picture.Boundary) {
	depth := make(map[*picture.Boundary]int, len(bs))
	for i := range bs {
		a := &bs[i]
		d := 1
		for k := range bs {
			if o := &bs[k]; k != i && o.Line == nil && a.Line == nil && encloses(o.Rect, a.Rect, k < i) {
				d++
			}
		}
		depth[a] = max(a.Depth, d)
	}
	keys := make([]int, len(bs))
	for i := range bs {
		keys[i] = depth[&bs[i]]
		if bs[i].Line != nil {
			keys[i] = math.MaxInt // lines are drawn over the boxes they cross
		}
	}
	idx := make([]int, len(bs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return keys[idx[i]] < keys[idx[j]] })
	out := make([]picture.Boundary, len(bs))
	for i, k := range idx {
		out[i] = bs[k]
	}
	copy(bs, out)
}

// layerContainers sets the drawing layer (Boundary.Layer,
// Component.Layer) of the boxes drawn as containers: boundaries and the
// components that enclose others. A box's layer is how many of the other
// boxes enclose it, so that whatever holds a box is drawn before it: a
// boundary drawn inside a shape used as a container (an unlabelled frame
// around an availability set) is drawn over that shape's fill, not under
// it. Equal boxes: boundaries count as outside components, earlier as
// outside later. Line boundaries come after every box.
func layerContainers(bs []picture.Boundary, cs []picture.Component) {
	type box struct {
		r     graph.Rect
		layer *int
	}
	var boxes []box
	lines := []int{}
	for i := range bs {
		if bs[i].Line != nil {
			lines = append(lines, i)
			continue
		}
		boxes = append(boxes, box{bs[i].Rect, &bs[i].Layer})
	}
	for i := range cs {
		if cs[i].Encloses {
			boxes = append(boxes, box{cs[i].Rect, &cs[i].Layer})
		}
	}
	top := 0
	for i, a := range boxes {
		n := 0
		for k, o := range boxes {
			if k != i && encloses(o.r, a.r, k < i) {
				n++
			}
		}
		*a.layer = n
		top = max(top, n+1)
	}
	for _, i := range lines {
		bs[i].Layer = top
	}
}

// encloses reports whether box outer holds box inner. Two equal boxes
// count once: the earlier (earlierOuter) encloses the later.
func encloses(outer, inner graph.Rect, earlierOuter bool) bool {
	if !outer.Contains(inner) {
		return false
	}
	if outer == inner {
		return earlierOuter
	}
	return true
}

// placeTitles moves boundary titles that the source layout covers with
// components: above the box, or inside at the bottom, whichever is free.
func (b *builder) placeTitles() {
	obs := newSpatial(96)
	for _, c := range b.p.Components {
		obs.add(c.Rect)
		obs.add(c.MarkerRect)
		obs.add(c.RankRect)
		for _, r := range textBoxes(c) {
			obs.add(r)
		}
	}
	for i := range b.p.Boundaries {
		bd := &b.p.Boundaries[i]
		lr, r := bd.LabelRect, bd.Rect
		if lr.W <= 0 {
			continue
		}
		if obs.blocked(lr) {
			// Full width first; then without the trust caption; then a
			// shortened label (the writer drops the caption and cuts the
			// label to the width it is given).
			widths := []float64{lr.W}
			if bd.Trust != "" {
				widths = append(widths, min(lr.W, titleWidth(bd.Label, "")))
			}
			widths = append(widths, min(lr.W, minTitleWidth))
			bd.LabelRect = freeTitleSpot(obs, lr, r, widths)
		}
		obs.add(bd.LabelRect)
	}
}

// minTitleWidth is the narrowest a boundary title is cut to (a few letters
// and an ellipsis) to find a free spot.
const minTitleWidth = 72.0

// freeTitleSpot looks for a free place for a boundary title, at each of
// widths in turn: along the top strip inside the box, just above the box,
// then along the bottom strip. When none is free it returns the least
// covered one at full width.
func freeTitleSpot(obs *spatial, lr, r graph.Rect, widths []float64) graph.Rect {
	best, bestCost := lr, obs.cost(lr)
	rows := []float64{lr.Y, r.Y - lr.H - 1, r.Y + r.H - lr.H - 2}
	for k, w := range widths {
		for _, y := range rows {
			for x := lr.X; x+w <= r.X+r.W-4; x += 16 {
				c := graph.Rect{X: x, Y: y, W: w, H: lr.H}
				cost := obs.cost(c)
				if cost < 1 {
					return c
				}
				if cost < bestCost && k == 0 {
					best, bestCost = c, cost
				}
			}
		}
	}
	return best
}
