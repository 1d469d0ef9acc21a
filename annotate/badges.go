package annotate

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/textfit"
	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
)

// Badge metrics.
const (
	badgeHeight = 16.0
	badgePadX   = 6.0
	badgeGap    = 2.0 // kept free around a badge
	nudgeStep   = 4.0
)

// obstacles are the things badges should not cover: components, labels,
// tags, arrowheads, boundary titles and badges already placed.
func (b *builder) obstacles() *spatial {
	s := newSpatial(96)
	for _, c := range b.p.Components {
		s.add(c.Rect)
	}
	b.addHard(s)
	return s
}

// textBoxes are the boxes the text of a component covers: its label and
// its icon caption, as the picture draws them.
func textBoxes(c picture.Component) []graph.Rect {
	var out []graph.Rect
	if c.LabelRect.W > 0 && c.LabelRect.H > 0 && strings.TrimSpace(c.Label) != "" {
		out = append(out, picture.LabelText(c).Ink)
	}
	if t, ok := picture.CaptionText(c); ok {
		out = append(out, t.Ink)
	}
	return out
}

// hardObstacles are the things a badge must never cover, whatever it
// takes: risk chips, rank discs, flow labels, data tags, arrowheads, the
// text of component labels and icon captions, and boundary titles (and
// the badges placed so far, added as they are placed).
func (b *builder) hardObstacles() *spatial {
	s := newSpatial(96)
	b.addHard(s)
	return s
}

func (b *builder) addHard(s *spatial) {
	for _, c := range b.p.Components {
		s.add(c.MarkerRect)
		s.add(c.RankRect)
		for _, r := range textBoxes(c) {
			s.add(r)
		}
	}
	for _, bd := range b.p.Boundaries {
		s.add(bd.LabelRect)
	}
	for i := range b.p.Flows {
		f := &b.p.Flows[i]
		s.add(f.LabelRect)
		s.add(f.SensitivityRect)
		for _, r := range arrowheads(f) {
			s.add(r)
		}
	}
}

// textObstacles are the text a badge's leader must not strike through:
// flow labels and data tags, component labels and icon captions, and
// boundary titles.
func (b *builder) textObstacles() *spatial {
	s := newSpatial(96)
	for _, c := range b.p.Components {
		for _, r := range textBoxes(c) {
			s.add(r)
		}
	}
	for _, bd := range b.p.Boundaries {
		s.add(bd.LabelRect)
	}
	for i := range b.p.Flows {
		s.add(b.p.Flows[i].LabelRect)
		s.add(b.p.Flows[i].SensitivityRect)
	}
	return s
}

// arrowSize is the side of the box kept around an arrowhead: the SVG
// writer's 10 px head and its width, with a margin.
const arrowSize = 14.0

// arrowheads are the boxes of the arrowheads drawn on flow f: at its end,
// and at its start when it is bidirectional; none when undirected.
func arrowheads(f *picture.Flow) []graph.Rect {
	if f.Undirected || len(f.Points) < 2 {
		return nil
	}
	poly := polyline(f)
	head := func(tip, from graph.Point) graph.Rect {
		dx, dy := tip.X-from.X, tip.Y-from.Y
		if l := math.Hypot(dx, dy); l > 0 {
			dx, dy = dx/l, dy/l
		}
		c := graph.Point{X: tip.X - dx*arrowSize/2.5, Y: tip.Y - dy*arrowSize/2.5}
		return graph.Rect{X: c.X - arrowSize/2, Y: c.Y - arrowSize/2, W: arrowSize, H: arrowSize}
	}
	n := len(poly)
	out := []graph.Rect{head(poly[n-1], behind(poly[n-1], poly[:n-1], true))}
	if f.Bidirectional {
		out = append(out, head(poly[0], behind(poly[0], poly[1:], false)))
	}
	return out
}

// behind is the point an arrowhead at tip points from, as the SVG writer
// draws it: the nearest route point at least 4 px from the tip (from the
// end of pts when fromEnd, else from its start), else the farthest one.
func behind(tip graph.Point, pts []graph.Point, fromEnd bool) graph.Point {
	for k := range pts {
		i := k
		if fromEnd {
			i = len(pts) - 1 - k
		}
		if math.Hypot(tip.X-pts[i].X, tip.Y-pts[i].Y) >= 4 {
			return pts[i]
		}
	}
	if fromEnd {
		return pts[0]
	}
	return pts[len(pts)-1]
}

func (b *builder) badges() {
	if len(b.r.EntryPoints) == 0 {
		return
	}
	flows, bounds := b.flowsByID(), b.boundariesByID()
	obs, hard, text := b.obstacles(), b.hardObstacles(), b.textObstacles()
	missed := 0
	for _, ep := range b.r.EntryPoints {
		f := flows[ep.Flow]
		if f == nil {
			b.warn("entry point %s: flow %q is not drawn; no badge", ep.ID, ep.Flow)
			continue
		}
		bg := picture.Badge{ID: ep.ID, DOMID: b.ids.id("tm-ep-", ep.ID), Number: epNumber(ep.ID), Text: ep.ID,
			Flow: ep.Flow, Direction: ep.Direction, Threats: b.refs(ep.Threats)}
		w := badgeWidth(bg.Text)
		poly := polyline(f)
		cands := crossingCandidates(ep, poly, bounds)
		if len(cands) == 0 {
			cands = append(cands, candidate{s: polyLength(poly) / 2})
		}
		c, rect, cost := place(obs, text, poly, cands, w)
		if cost > 0 {
			missed++
		}
		anchor, _ := pointAlong(poly, c.s)
		if hard.blocked(rect) {
			// The least bad spot on or beside the flow still covers a
			// badge, a chip, a label or an arrowhead: move out from the
			// crossing to the nearest spot that covers none of them, led
			// from the nearest point of the flow that is not under a
			// label (the crossing dot and the leader must not strike
			// through the flow's own label on a short flow).
			if c.boundary == "" {
				// Not on a drawn crossing (the flow's middle, where its
				// label sits): any point of the flow off the text will do.
				anchor = freeAnchor(text, poly, c.s)
			}
			rect = escape(hard, obs, text, anchor, w)
			c.offFlow = true
		}
		bg.Boundary = c.boundary
		bg.Rect = rect
		bg.Center = graph.Point{X: rect.X + rect.W/2, Y: rect.Y + rect.H/2}
		if c.offFlow {
			bg.Leader = anchor
			bg.HasLeader = true
		}
		obs.add(grow(rect, badgeGap))
		hard.add(grow(rect, badgeGap))
		head := []string{"Entry point " + ep.ID + ": " + b.name(ep.From) + " → " + b.name(ep.To)}
		if ep.Direction != "" {
			head = append(head, "Direction: "+ep.Direction)
		}
		if len(ep.Boundaries) > 0 {
			names := make([]string, 0, len(ep.Boundaries))
			for _, id := range ep.Boundaries {
				if bd := bounds[id]; bd != nil {
					names = append(names, bd.Label)
				} else {
					names = append(names, id)
				}
			}
			head = append(head, "Crosses: "+strings.Join(names, ", "))
		}
		bg.TooltipHead = head
		b.p.Badges = append(b.p.Badges, bg)
		if f.EntryPoint == "" {
			f.EntryPoint = ep.ID
		}
	}
	if missed > 0 {
		b.warn("%d entry-point badge(s) could not avoid every label", missed)
	}
	if bad := BadgeConflicts(b.p); len(bad) > 0 {
		b.warn("entry-point badges still overlap: %s", strings.Join(bad, "; "))
	}
}

// leaderDot is the half side of the box kept free around a leader's dot
// on the flow (the SVG writer draws a 3 px disc).
const leaderDot = 4.0

// freeAnchor returns the point of poly nearest (along it) to distance s
// whose leader dot covers nothing in text; the point at s when there is
// none.
func freeAnchor(text *spatial, poly []graph.Point, s float64) graph.Point {
	total := polyLength(poly)
	for off := 0.0; off <= total; off += 2 {
		for _, at := range []float64{s - off, s + off} {
			if at < 0 || at > total {
				continue
			}
			p, _ := pointAlong(poly, at)
			if !text.blocked(graph.Rect{X: p.X - leaderDot, Y: p.Y - leaderDot, W: 2 * leaderDot, H: 2 * leaderDot}) {
				return p
			}
		}
	}
	p, _ := pointAlong(poly, s)
	return p
}

// segmentBlocked reports whether the segment pq passes over anything in
// s, sampled every 2 px.
func segmentBlocked(s *spatial, p, q graph.Point) bool {
	n := int(math.Ceil(math.Hypot(q.X-p.X, q.Y-p.Y) / 2))
	for i := 0; i <= n; i++ {
		t := float64(i) / float64(max(n, 1))
		x, y := p.X+t*(q.X-p.X), p.Y+t*(q.Y-p.Y)
		if s.blocked(graph.Rect{X: x - 1, Y: y - 1, W: 2, H: 2}) {
			return true
		}
	}
	return false
}

// escape returns the badge box of width w nearest to anchor that covers
// nothing in hard, searching rings of growing radius around anchor; on
// the first ring with a free spot it takes the one covering least of obs.
// It first looks, within leaderReach, for a spot whose leader from anchor
// crosses nothing in text (no label struck through); then for any spot.
func escape(hard, obs, text *spatial, anchor graph.Point, w float64) graph.Rect {
	const steps = 24
	const leaderReach = 200.0
	search := func(limit float64, clearLeader bool) (graph.Rect, bool) {
		for radius := badgeHeight; radius <= limit; radius += 6 {
			best, bestCost := graph.Rect{}, math.Inf(1)
			for k := 0; k < steps; k++ {
				a := 2 * math.Pi * float64(k) / steps
				p := graph.Point{X: anchor.X + radius*math.Cos(a), Y: anchor.Y + radius*math.Sin(a)}
				r := graph.Rect{X: p.X - w/2, Y: p.Y - badgeHeight/2, W: w, H: badgeHeight}
				if hard.blocked(grow(r, badgeGap)) {
					continue
				}
				// The leader is checked last, and only for a better spot.
				if c := obs.cost(grow(r, badgeGap)); c < bestCost && !(clearLeader && segmentBlocked(text, anchor, p)) {
					best, bestCost = r, c
				}
			}
			if bestCost < math.Inf(1) {
				return best, true
			}
		}
		return graph.Rect{}, false
	}
	if r, ok := search(leaderReach, true); ok {
		return r
	}
	if r, ok := search(4000, false); ok {
		return r
	}
	return graph.Rect{X: anchor.X - w/2, Y: anchor.Y - badgeHeight/2, W: w, H: badgeHeight}
}

// BadgeConflicts checks the badge invariant on a finished picture: no
// entry-point badge overlaps another badge, a risk chip, a rank disc, a
// component's label or icon caption (the text as drawn), a boundary
// title, a flow label, a data tag or an arrowhead. It returns one line
// per overlap (none when the invariant holds).
func BadgeConflicts(p *picture.Picture) []string {
	type named struct {
		what, id string // "the label of flow", "e1": named only on a conflict
		r        graph.Rect
	}
	var things []named
	for _, c := range p.Components {
		if c.MarkerRect.W > 0 {
			things = append(things, named{"the risk chip of ", c.ID, c.MarkerRect})
		}
		if c.RankRect.W > 0 {
			things = append(things, named{"the rank disc of ", c.ID, c.RankRect})
		}
		for k, r := range textBoxes(c) {
			what := "the label of component "
			if k > 0 || strings.TrimSpace(c.Label) == "" || c.LabelRect.W <= 0 {
				what = "the icon caption of "
			}
			things = append(things, named{what, c.ID, r})
		}
	}
	for _, bd := range p.Boundaries {
		if bd.LabelRect.W > 0 {
			things = append(things, named{"the title of boundary ", bd.ID, bd.LabelRect})
		}
	}
	for i := range p.Flows {
		f := &p.Flows[i]
		if f.LabelRect.W > 0 {
			things = append(things, named{"the label of flow ", f.ID, f.LabelRect})
		}
		if f.SensitivityRect.W > 0 {
			things = append(things, named{"the data tag of flow ", f.ID, f.SensitivityRect})
		}
		for _, r := range arrowheads(f) {
			// The visible head, not the margin kept around it.
			things = append(things, named{"an arrowhead of flow ", f.ID, grow(r, -2)})
		}
	}
	// Each badge is checked against the later badges and the things that
	// share a grid cell with it, in the order of the lists, so that the
	// lines come out as a check of every pair would give them, without
	// its badges x (badges + things) cost on a large picture.
	badges, stuff := newRectGrid(conflictCell), newRectGrid(conflictCell)
	for i, bg := range p.Badges {
		badges.add(i, bg.Rect)
	}
	for i, t := range things {
		stuff.add(i, t.r)
	}
	var out []string
	for i, bg := range p.Badges {
		for _, k := range badges.near(bg.Rect) {
			if k > i && overlapArea(bg.Rect, p.Badges[k].Rect) > 0 {
				out = append(out, bg.ID+" overlaps "+p.Badges[k].ID)
			}
		}
		for _, k := range stuff.near(bg.Rect) {
			if t := things[k]; overlapArea(bg.Rect, t.r) > 0.5 {
				out = append(out, bg.ID+" overlaps "+t.what+t.id)
			}
		}
	}
	return out
}

// conflictCell is the grid cell of BadgeConflicts: a few badges wide.
const conflictCell = 128

// rectGrid finds the numbered rectangles near a query rectangle: those
// that share a grid cell with it, in increasing number. Rectangles too
// large or not finite to grid are returned by every query.
type rectGrid struct {
	cell  float64
	cells map[[2]int][]int
	big   []int
}

func newRectGrid(cell float64) *rectGrid {
	return &rectGrid{cell: cell, cells: map[[2]int][]int{}}
}

// span is the cells r covers; ok is false when r is too large (or not
// finite) to grid.
func (g *rectGrid) span(r graph.Rect) (x0, y0, x1, y1 int, ok bool) {
	if !(r.W >= 0 && r.H >= 0 && r.W <= 1e5 && r.H <= 1e5 && math.Abs(r.X) <= 1e8 && math.Abs(r.Y) <= 1e8) {
		return 0, 0, 0, 0, false
	}
	return int(math.Floor(r.X / g.cell)), int(math.Floor(r.Y / g.cell)),
		int(math.Floor((r.X + r.W) / g.cell)), int(math.Floor((r.Y + r.H) / g.cell)), true
}

func (g *rectGrid) add(i int, r graph.Rect) {
	x0, y0, x1, y1, ok := g.span(r)
	if !ok {
		g.big = append(g.big, i)
		return
	}
	for x := x0; x <= x1; x++ {
		for y := y0; y <= y1; y++ {
			g.cells[[2]int{x, y}] = append(g.cells[[2]int{x, y}], i)
		}
	}
}

// near returns the numbers of the rectangles sharing a cell with r (or
// every rectangle, for an r too large to grid), sorted, each once.
func (g *rectGrid) near(r graph.Rect) []int {
	x0, y0, x1, y1, ok := g.span(r)
	if !ok {
		all := slices.Clone(g.big)
		for _, ids := range g.cells {
			all = append(all, ids...)
		}
		slices.Sort(all)
		return slices.Compact(all)
	}
	out := slices.Clone(g.big)
	for x := x0; x <= x1; x++ {
		for y := y0; y <= y1; y++ {
			out = append(out, g.cells[[2]int{x, y}]...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

type candidate struct {
	s        float64 // arc length along the flow
	boundary string
	rect     graph.Rect // the boundary's box
	offFlow  bool       // slid along the boundary line, off the flow
	line     bool       // the boundary is drawn as a line, not as rect
}

// flowsByID indexes the picture's flows (the first of duplicate IDs).
func (b *builder) flowsByID() map[string]*picture.Flow {
	m := make(map[string]*picture.Flow, len(b.p.Flows))
	for i := len(b.p.Flows) - 1; i >= 0; i-- {
		m[b.p.Flows[i].ID] = &b.p.Flows[i]
	}
	return m
}

// boundariesByID indexes the picture's boundaries.
func (b *builder) boundariesByID() map[string]*picture.Boundary {
	m := make(map[string]*picture.Boundary, len(b.p.Boundaries))
	for i := range b.p.Boundaries {
		m[b.p.Boundaries[i].ID] = &b.p.Boundaries[i]
	}
	return m
}

// crossingCandidates lists where the flow crosses the entry point's
// boundaries, preferring the crossing nearest the target: the innermost
// boundary entered, then outwards.
func crossingCandidates(ep stride.EntryPoint, poly []graph.Point, bounds map[string]*picture.Boundary) []candidate {
	var cands []candidate
	for i := len(ep.Boundaries) - 1; i >= 0; i-- {
		bd := bounds[ep.Boundaries[i]]
		if bd == nil {
			continue
		}
		xs := boundaryCrossings(poly, bd)
		for k := len(xs) - 1; k >= 0; k-- {
			cands = append(cands, candidate{s: xs[k], boundary: bd.ID, rect: bd.Rect, line: len(bd.Line) >= 2})
		}
	}
	return cands
}

// badgeWidth is the width of a badge showing text.
func badgeWidth(text string) float64 {
	return textfit.Width(text, picture.BadgeFontSize, true) + 2*badgePadX
}

// place tries each candidate position, sliding it along the flow by growing
// steps until the badge covers nothing; then along the boundary line on
// either side of the crossing, where its leader back to the crossing
// crosses no text; then further along the flow. It returns the
// first free spot or the least bad one.
func place(obs, text *spatial, poly []graph.Point, cands []candidate, w float64) (candidate, graph.Rect, float64) {
	total := polyLength(poly)
	best, bestRect, bestCost := cands[0], graph.Rect{}, math.Inf(1)
	at := func(c candidate, p graph.Point, penalty float64) bool {
		r := graph.Rect{X: p.X - w/2, Y: p.Y - badgeHeight/2, W: w, H: badgeHeight}
		cost := obs.cost(grow(r, badgeGap)) + penalty*1e-3
		if cost < bestCost {
			best, bestRect, bestCost = c, r, cost
		}
		return cost < 1
	}
	along := func(c candidate, off float64) bool {
		s := c.s + off
		if s < 0 || s > total {
			return false
		}
		p, _ := pointAlong(poly, s)
		return at(c, p, math.Abs(off))
	}
	slideFlow := func(limit float64) bool {
		for _, c := range cands {
			for off := 0.0; off <= limit; off += nudgeStep {
				if along(c, off) || (off > 0 && along(c, -off)) {
					return true
				}
			}
		}
		return false
	}
	slideBorder := func(limit float64) bool {
		for _, c := range cands {
			if c.boundary == "" || c.line {
				continue
			}
			p, _ := pointAlong(poly, c.s)
			for off := nudgeStep; off <= limit; off += nudgeStep {
				for _, q := range borderPoints(c.rect, p, off) {
					if segmentBlocked(text, p, q) {
						continue // its leader would strike through a label
					}
					c.offFlow = true
					if at(c, q, 50+off) {
						return true
					}
				}
			}
		}
		return false
	}
	if slideFlow(40) || slideBorder(100) || slideFlow(400) {
		return best, bestRect, 0
	}
	if bestCost == math.Inf(1) {
		p, _ := pointAlong(poly, cands[0].s)
		bestRect = graph.Rect{X: p.X - w/2, Y: p.Y - badgeHeight/2, W: w, H: badgeHeight}
	}
	return best, bestRect, bestCost
}

// borderPoints returns the two points at distance off from p along the
// side of r that p lies on.
func borderPoints(r graph.Rect, p graph.Point, off float64) []graph.Point {
	dl, dr := math.Abs(p.X-r.X), math.Abs(p.X-(r.X+r.W))
	dt, db := math.Abs(p.Y-r.Y), math.Abs(p.Y-(r.Y+r.H))
	var out []graph.Point
	if min(dl, dr) <= min(dt, db) { // vertical side
		x := r.X
		if dr < dl {
			x = r.X + r.W
		}
		for _, y := range []float64{p.Y - off, p.Y + off} {
			if y >= r.Y && y <= r.Y+r.H {
				out = append(out, graph.Point{X: x, Y: y})
			}
		}
		return out
	}
	y := r.Y
	if db < dt {
		y = r.Y + r.H
	}
	for _, x := range []float64{p.X - off, p.X + off} {
		if x >= r.X && x <= r.X+r.W {
			out = append(out, graph.Point{X: x, Y: y})
		}
	}
	return out
}

func polyline(f *picture.Flow) []graph.Point { return graph.Polyline(f.Points, f.Curved) }

func grow(r graph.Rect, d float64) graph.Rect {
	return graph.Rect{X: r.X - d, Y: r.Y - d, W: r.W + 2*d, H: r.H + 2*d}
}

// epNumber is n of "EP-n" (0 when the ID has no number).
func epNumber(id string) int {
	i := len(id)
	for i > 0 && id[i-1] >= '0' && id[i-1] <= '9' {
		i--
	}
	n, _ := strconv.Atoi(id[i:])
	return n
}
