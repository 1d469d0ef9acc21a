package drawio

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"sync"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/labeltext"
)

// Noise: what people draw around the architecture that is not part of it.
// Step badges (small numbered circles) are notes; junction dots (a few
// pixels, unlabelled) are bends in the flows through them; a text cell
// drawn just under or over an unlabelled icon is the icon's caption; a
// free text drawn over an arrow is that arrow's label.

const (
	// maxDot is the largest size of a junction dot, in pixels.
	maxDot = 12
	// maxBadge is the largest size of a step badge, in pixels.
	maxBadge = 40
	// captionGap is how far a caption may sit from its icon, in pixels.
	captionGap = 24
)

var badgeRe = lazyRegexp(`^\s*(\d{1,2}|[A-Za-z])\s*[.):]?\s*$`)

// isBadge reports a step badge: a small circle labelled with a number or
// a letter that no edge names.
func isBadge(c *cell) bool {
	h := c.st.shapeHint()
	return (h == "ellipse" || h == "doubleEllipse") && c.hasGeo && c.abs.W <= maxBadge && c.abs.H <= maxBadge &&
		badgeRe().MatchString(c.label) && !c.idRef
}

// isDot reports a junction dot: a tiny unlabelled shape.
func isDot(c *cell) bool {
	return c.hasGeo && c.label == "" && c.abs.W > 0 && c.abs.H > 0 && c.abs.W <= maxDot && c.abs.H <= maxDot
}

// attachCaptions gives every unlabelled icon the text drawn just under or
// over it (centred on it, within captionGap), the nearest one when several
// are. The text then belongs to the icon: edges to it reach the icon.
func (b *builder) attachCaptions() {
	var icons, texts []int
	for _, i := range b.topo {
		c := b.cells[i]
		switch {
		case !c.hasGeo || c.hidden:
		case c.role == roleComponent && c.label == "" && !c.dot && !c.st.isRectLike() && c.fold == nil:
			icons = append(icons, i)
		case c.role == roleNote && c.st.isText() && c.label != "" && !c.legend && !c.badge:
			texts = append(texts, i)
		}
	}
	if len(icons) == 0 || len(texts) == 0 || !b.spend(len(icons)*len(texts)) {
		return
	}
	taken := map[int]bool{}
	for _, i := range icons {
		icon := b.cells[i]
		best, bestGap := -1, math.Inf(1)
		for _, k := range texts {
			if gap, ok := captionOf(icon.abs, b.cells[k].abs); ok && !taken[k] && gap < bestGap {
				best, bestGap = k, gap
			}
		}
		if best < 0 {
			continue
		}
		taken[best] = true
		t := b.cells[best]
		icon.label = t.label
		t.role = roleAbsorbed
		t.alias = i
	}
}

// captionOf reports whether text box t sits under or over icon box r,
// horizontally centred on it, and how far from it.
func captionOf(r, t graph.Rect) (float64, bool) {
	cx := r.X + r.W/2
	if cx < t.X || cx > t.X+t.W {
		return 0, false
	}
	below := t.Y - (r.Y + r.H)
	above := r.Y - (t.Y + t.H)
	switch {
	case below >= -4 && below <= captionGap:
		return math.Abs(below), true
	case above >= -4 && above <= captionGap:
		return math.Abs(above), true
	}
	return 0, false
}

// labelArrows makes a free text drawn over exactly one unlabelled arrow
// that arrow's label.
func (b *builder) labelArrows(edges []edge) {
	var texts []int
	for _, i := range b.topo {
		c := b.cells[i]
		if c.role == roleNote && c.st.isText() && c.hasGeo && c.label != "" && !c.legend && !c.badge &&
			len(c.label) <= 80 && b.cells[c.parent].kind == kindLayer {
			texts = append(texts, i)
		}
	}
	if len(texts) == 0 || !b.spend(len(texts)*len(edges)) {
		return
	}
	for _, k := range texts {
		t := b.cells[k]
		hit := -1
		for x := range edges {
			e := &edges[x]
			if e.skip || e.src < 0 || e.dst < 0 || !polylineHits(b.drawnPath(e), t.abs) {
				continue
			}
			if hit >= 0 {
				hit = -2 // over two arrows: whose is it?
				break
			}
			hit = x
		}
		if hit < 0 || b.hasLabel(edges[hit]) {
			continue
		}
		edges[hit].freeLabel = t.label
		t.role = roleAbsorbed
		t.alias = -2
		b.warn(t.id, "free text %q drawn over the arrow %q taken as its label", labeltext.OneLine(t.label), b.cells[edges[hit].cell].id)
	}
}

func (b *builder) hasLabel(e edge) bool {
	c := b.cells[e.cell]
	if c.label != "" || e.freeLabel != "" {
		return true
	}
	for _, k := range c.children {
		if b.cells[k].role == roleLabel && b.cells[k].label != "" {
			return true
		}
	}
	return false
}

// polyline is an edge's path: from its source (free end point or shape
// centre) through its waypoints to its target.
func (b *builder) polyline(e *edge) []graph.Point {
	c := b.cells[e.cell]
	var ox, oy float64
	if c.parent >= 0 {
		ox, oy = b.cells[c.parent].abs.X, b.cells[c.parent].abs.Y
	}
	end := func(u int, p *point, named bool) graph.Point {
		if p != nil && !named {
			return graph.Point{X: ox + p.x, Y: oy + p.y}
		}
		r := b.cells[u].abs
		return graph.Point{X: r.X + r.W/2, Y: r.Y + r.H/2}
	}
	pts := []graph.Point{end(e.src, c.geo.sp, c.source != "")}
	for _, p := range c.geo.points {
		pts = append(pts, graph.Point{X: ox + p.x, Y: oy + p.y})
	}
	return append(pts, end(e.dst, c.geo.tp, c.target != ""))
}

// drawnPath is the part of an edge's path that draw.io draws: the
// polyline with each end attached to a shape cut where it leaves that
// shape, as draw.io clips an edge at its ends' perimeters. A text drawn
// inside the shape an arrow starts from (gaming_backend_database's "or"
// between two alternatives inside the "Game Database" box) is not over
// the arrow. An end whose shape holds the other end (an edge from a
// container to something inside it) is not cut.
func (b *builder) drawnPath(e *edge) []graph.Point {
	c := b.cells[e.cell]
	pts := b.polyline(e)
	src, dst := b.cells[e.src].abs, b.cells[e.dst].abs
	if (c.geo.sp == nil || c.source != "") && !overlaps(src, dst) {
		pts = clipStart(pts, src)
	}
	if (c.geo.tp == nil || c.target != "") && !overlaps(src, dst) && len(pts) > 0 {
		slices.Reverse(pts)
		pts = clipStart(pts, dst)
		slices.Reverse(pts)
	}
	return pts
}

// overlaps reports whether two boxes share more than a border.
func overlaps(a, b graph.Rect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

// clipStart drops the start of pts that lies inside r: the path then
// begins where it leaves r. It returns nil when the whole path lies in r.
func clipStart(pts []graph.Point, r graph.Rect) []graph.Point {
	inside := func(p graph.Point) bool { return p.X > r.X && p.X < r.X+r.W && p.Y > r.Y && p.Y < r.Y+r.H }
	k := 0
	for k < len(pts) && inside(pts[k]) {
		k++
	}
	switch {
	case k == len(pts):
		return nil
	case k == 0:
		return pts
	}
	p, q := pts[k-1], pts[k]
	// The largest t in [0, 1] with p + t(q-p) still in r: where the
	// segment leaves it.
	t := 1.0
	dx, dy := q.X-p.X, q.Y-p.Y
	if dx > 0 {
		t = min(t, (r.X+r.W-p.X)/dx)
	} else if dx < 0 {
		t = min(t, (r.X-p.X)/dx)
	}
	if dy > 0 {
		t = min(t, (r.Y+r.H-p.Y)/dy)
	} else if dy < 0 {
		t = min(t, (r.Y-p.Y)/dy)
	}
	out := make([]graph.Point, 0, len(pts)-k+1)
	out = append(out, graph.Point{X: p.X + t*dx, Y: p.Y + t*dy})
	return append(out, pts[k:]...)
}

// polylineHits reports whether a segment of pts passes through r.
func polylineHits(pts []graph.Point, r graph.Rect) bool {
	for i := 0; i+1 < len(pts); i++ {
		if segmentHitsRect(pts[i], pts[i+1], r) {
			return true
		}
	}
	return false
}

// segmentHitsRect clips segment pq against r (Liang-Barsky).
func segmentHitsRect(p, q graph.Point, r graph.Rect) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := q.X-p.X, q.Y-p.Y
	for _, c := range [4][2]float64{{-dx, p.X - r.X}, {dx, r.X + r.W - p.X}, {-dy, p.Y - r.Y}, {dy, r.Y + r.H - p.Y}} {
		pp, qq := c[0], c[1]
		if pp == 0 {
			if qq < 0 {
				return false
			}
			continue
		}
		t := qq / pp
		if pp < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// joinThroughDots turns the flows through each junction dot into flows
// between what the dot joins: one in and one out (or two undirected)
// become one flow; several in and out become one flow per pair. The dot
// is then no component. A dot that leads nowhere drops its flows, with a
// warning. Flows are indexed by their ends, so the work is linear in the
// flows touching dots; a joined flow takes the place of its first part.
func (b *builder) joinThroughDots() {
	d := b.d
	dots := map[string]bool{}
	for _, i := range b.topo {
		if c := b.cells[i]; c.dot && c.role == roleComponent && d.Component(c.id) != nil {
			dots[c.id] = true
		}
	}
	if len(dots) == 0 {
		return
	}
	// rank orders flows: a joined flow ranks with its first part.
	rank := map[*graph.Flow]int{}
	at := map[string][]*graph.Flow{}
	for k, f := range d.Flows {
		rank[f] = k
		at[f.Source] = append(at[f.Source], f)
		if f.Target != f.Source {
			at[f.Target] = append(at[f.Target], f)
		}
	}
	dead := map[*graph.Flow]bool{}
	for _, i := range b.topo {
		c := b.cells[i]
		if !dots[c.id] {
			continue
		}
		var live []*graph.Flow
		for _, f := range at[c.id] {
			if !dead[f] {
				live = append(live, f)
			}
		}
		joined := b.joinAt(c, live)
		first := len(d.Flows)
		for _, f := range live {
			dead[f] = true
			first = min(first, rank[f])
		}
		for _, f := range joined {
			rank[f] = first
			at[f.Source] = append(at[f.Source], f)
			if f.Target != f.Source {
				at[f.Target] = append(at[f.Target], f)
			}
		}
	}
	b.rebuildFlows(rank, dead, dots)
}

// joinAt joins the flows live at dot c (see joinThroughDots) and warns.
func (b *builder) joinAt(c *cell, live []*graph.Flow) []*graph.Flow {
	var in, out, undirected []*graph.Flow
	for _, f := range live {
		switch {
		case f.Source == c.id && f.Target == c.id:
		case f.Bidirectional:
			undirected = append(undirected, f)
		case f.Target == c.id:
			in = append(in, f)
		default:
			out = append(out, f)
		}
	}
	center := graph.Point{X: c.abs.X + c.abs.W/2, Y: c.abs.Y + c.abs.H/2}
	var joined []*graph.Flow
	switch {
	case len(in) == 0 && len(out) == 0 && len(undirected) == 2:
		a, z := undirected[0], undirected[1]
		if a.Source == c.id {
			reverseFlow(a)
		}
		if z.Target == c.id {
			reverseFlow(z)
		}
		joined = append(joined, joinFlows(a, z, center, a.ID))
	case len(undirected) == 0 && len(in) > 0 && len(out) > 0:
		for _, a := range in {
			for _, z := range out {
				id := a.ID
				if len(in) > 1 || len(out) > 1 {
					id = a.ID + "+" + z.ID
				}
				joined = append(joined, joinFlows(a, z, center, id))
			}
		}
	}
	if joined == nil {
		b.warn(c.id, "junction dot with %d edge(s) that do not pass through it (in %d, out %d, undirected %d): its edges are dropped", len(live), len(in), len(out), len(undirected))
	} else {
		b.warn(c.id, "junction dot: its %d edges joined into %d flow(s) through it", len(live), len(joined))
	}
	return joined
}

// rebuildFlows keeps the live flows in rank order and drops the dots from
// the components.
func (b *builder) rebuildFlows(rank map[*graph.Flow]int, dead map[*graph.Flow]bool, dots map[string]bool) {
	d := b.d
	var flows []*graph.Flow
	for f := range rank {
		if !dead[f] {
			flows = append(flows, f)
		}
	}
	sort.SliceStable(flows, func(x, y int) bool {
		if rank[flows[x]] != rank[flows[y]] {
			return rank[flows[x]] < rank[flows[y]]
		}
		return flows[x].ID < flows[y].ID
	})
	d.Flows = flows
	var comps []*graph.Component
	for _, c := range d.Components {
		if !dots[c.ID] {
			comps = append(comps, c)
		}
	}
	d.Components = comps
}

func reverseFlow(f *graph.Flow) {
	f.Source, f.Target = f.Target, f.Source
	f.SourcePoint, f.TargetPoint = f.TargetPoint, f.SourcePoint
	for l, r := 0, len(f.Waypoints)-1; l < r; l, r = l+1, r-1 {
		f.Waypoints[l], f.Waypoints[r] = f.Waypoints[r], f.Waypoints[l]
	}
}

// joinFlows is the flow a, then through the dot at via, then z.
func joinFlows(a, z *graph.Flow, via graph.Point, id string) *graph.Flow {
	f := &graph.Flow{
		ID:            id,
		Source:        a.Source,
		Target:        z.Target,
		Label:         joinNonEmpty([]string{a.Label, z.Label}),
		Bidirectional: a.Bidirectional && z.Bidirectional,
		Undirected:    a.Undirected && z.Undirected,
		Attributes:    map[string]string{},
		Pos:           a.Pos,
		SourcePoint:   a.SourcePoint,
		TargetPoint:   z.TargetPoint,
		Style:         z.Style,
	}
	copyProps(f.Attributes, a.Attributes)
	for k, v := range z.Attributes {
		if _, ok := f.Attributes[k]; !ok {
			f.Attributes[k] = v
		}
	}
	f.Attributes["via"] = fmt.Sprintf("%s,%s", a.ID, z.ID)
	f.Waypoints = append(append(append([]graph.Point(nil), a.Waypoints...), via), z.Waypoints...)
	return f
}

// lazyRegexp returns a function that compiles expr on first use, so that
// a process that reads no draw.io file does not pay for it at start-up.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
