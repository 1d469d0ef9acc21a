package layout

import (
	"math"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// draw.io's own routing. An edge whose style names an orthogonal edge
// style (edgeStyle=orthogonalEdgeStyle, elbowEdgeStyle, entityRelation-
// EdgeStyle, segmentEdgeStyle) is drawn by draw.io as horizontal and
// vertical segments between its exit and entry points, through its
// waypoints. The source layout draws it the same way, so that an edge
// the author routed around a box is not turned into a diagonal through it.

// edgeRouting is what a draw.io edge style says about the route.
type edgeRouting struct {
	orthogonal bool
	// vertical is set for elbow=vertical: the elbow route leaves and
	// enters vertically.
	vertical bool
	// exit and entry are the constrained ends (exitX/exitY and
	// entryX/entryY, fractions of the shape's box); nil when free.
	exit, entry *port
}

// port is a fixed connection point on a shape's box.
type port struct{ fx, fy float64 }

// parseRouting reads the routing keys of a draw.io edge style.
func parseRouting(style string) edgeRouting {
	var r edgeRouting
	if style == "" {
		return r
	}
	kv := map[string]string{}
	for _, part := range strings.Split(style, ";") {
		if k, v, ok := strings.Cut(part, "="); ok {
			kv[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	switch kv["edgeStyle"] {
	case "orthogonalEdgeStyle", "elbowEdgeStyle", "entityRelationEdgeStyle", "segmentEdgeStyle":
		r.orthogonal = kv["noEdgeStyle"] != "1"
	}
	// elbow= steers only the elbow style; the orthogonal style picks its
	// own directions.
	r.vertical = kv["edgeStyle"] == "elbowEdgeStyle" && kv["elbow"] == "vertical"
	r.exit = readPort(kv["exitX"], kv["exitY"])
	r.entry = readPort(kv["entryX"], kv["entryY"])
	// An edge with only a start arrow is imported reversed (the data
	// flows towards the drawn source), so its exit is the flow's entry.
	end, hasEnd := kv["endArrow"]
	if !noArrow(kv["startArrow"]) && hasEnd && noArrow(end) {
		r.exit, r.entry = r.entry, r.exit
	}
	return r
}

func noArrow(v string) bool { return v == "" || v == "none" }

func readPort(xs, ys string) *port {
	if xs == "" || ys == "" {
		return nil
	}
	x, err1 := strconv.ParseFloat(xs, 64)
	y, err2 := strconv.ParseFloat(ys, 64)
	if err1 != nil || err2 != nil || !finite(x, y) || x < -1 || x > 2 || y < -1 || y > 2 {
		return nil
	}
	return &port{x, y}
}

// at is the port's point on r.
func (p port) at(r graph.Rect) graph.Point {
	return graph.Point{X: r.X + p.fx*r.W, Y: r.Y + p.fy*r.H}
}

// horizontal reports whether a route leaves (or enters) r at p along the
// x axis: p lies on the left or right side rather than the top or bottom.
func (p port) horizontal() bool {
	dx := min(math.Abs(p.fx), math.Abs(1-p.fx))
	dy := min(math.Abs(p.fy), math.Abs(1-p.fy))
	return dx <= dy
}

// orthoRoute routes an edge with horizontal and vertical segments from
// src to dst through waypoints, as draw.io's orthogonal edge styles do.
func orthoRoute(src, dst graph.Rect, waypoints []graph.Point, rt edgeRouting) []graph.Point {
	waypoints = finitePoints(waypoints)
	if src == dst && len(waypoints) == 0 && rt.exit == nil && rt.entry == nil {
		return selfLoop(src)
	}
	// The points the route must pass, in order, to aim the free ends at.
	first, last := center(dst), center(src)
	if len(waypoints) > 0 {
		first, last = waypoints[0], waypoints[len(waypoints)-1]
	}
	var s, e graph.Point
	var sh, eh bool // whether the first and last legs are horizontal
	switch {
	case rt.exit != nil:
		s, sh = rt.exit.at(src), rt.exit.horizontal()
	default:
		s, sh = freeEnd(src, dst, first, len(waypoints) > 0, rt.vertical)
	}
	switch {
	case rt.entry != nil:
		e, eh = rt.entry.at(dst), rt.entry.horizontal()
	default:
		e, eh = freeEnd(dst, src, last, len(waypoints) > 0, rt.vertical)
	}
	if rt.exit != nil && rt.entry == nil && len(waypoints) == 0 {
		e, eh = freeEnd(dst, src, s, true, rt.vertical)
	}
	if rt.entry != nil && rt.exit == nil && len(waypoints) == 0 {
		s, sh = freeEnd(src, dst, e, true, rt.vertical)
	}
	pts := []graph.Point{s}
	horiz := sh
	stops := append(append([]graph.Point(nil), waypoints...), e)
	for k, q := range stops {
		p := pts[len(pts)-1]
		lastLeg := k == len(stops)-1
		if p.X == q.X || p.Y == q.Y {
			pts = append(pts, q)
			horiz = p.Y == q.Y
			continue
		}
		switch {
		case lastLeg && horiz == eh && len(stops) == 1:
			// Leave and enter along the same axis: a Z through the middle.
			if horiz {
				mx := (p.X + q.X) / 2
				pts = append(pts, graph.Point{X: mx, Y: p.Y}, graph.Point{X: mx, Y: q.Y})
			} else {
				my := (p.Y + q.Y) / 2
				pts = append(pts, graph.Point{X: p.X, Y: my}, graph.Point{X: q.X, Y: my})
			}
		case lastLeg:
			// Turn so that the last leg enters along the entry's axis.
			if eh {
				pts = append(pts, graph.Point{X: p.X, Y: q.Y})
			} else {
				pts = append(pts, graph.Point{X: q.X, Y: p.Y})
			}
			horiz = eh
		case horiz:
			pts = append(pts, graph.Point{X: q.X, Y: p.Y})
		default:
			pts = append(pts, graph.Point{X: p.X, Y: q.Y})
		}
		pts = append(pts, q)
	}
	return simplify(pts)
}

// freeEnd picks where an unconstrained end leaves box r towards the point
// toward (the next waypoint, or the other box other): straight across
// when the boxes face each other, else from the middle of the side that
// faces it. exact means toward is a waypoint to align with.
func freeEnd(r, other graph.Rect, toward graph.Point, exact, vertical bool) (graph.Point, bool) {
	if exact {
		// A waypoint level with the box: leave straight towards it.
		if toward.Y > r.Y && toward.Y < r.Y+r.H && (toward.X < r.X || toward.X > r.X+r.W) {
			return sidePoint(r, toward.X < r.X, toward.Y), true
		}
		if toward.X > r.X && toward.X < r.X+r.W && (toward.Y < r.Y || toward.Y > r.Y+r.H) {
			return topBottomPoint(r, toward.Y < r.Y, toward.X), false
		}
	} else {
		// Boxes that overlap on one axis are joined by a straight line in
		// the middle of the overlap.
		if lo, hi := max(r.Y, other.Y), min(r.Y+r.H, other.Y+other.H); hi-lo > 1 && !vertical {
			if other.X >= r.X+r.W || other.X+other.W <= r.X {
				return sidePoint(r, other.X+other.W <= r.X, (lo+hi)/2), true
			}
		}
		if lo, hi := max(r.X, other.X), min(r.X+r.W, other.X+other.W); hi-lo > 1 {
			if other.Y >= r.Y+r.H || other.Y+other.H <= r.Y {
				return topBottomPoint(r, other.Y+other.H <= r.Y, (lo+hi)/2), false
			}
		}
	}
	c := center(r)
	dx, dy := toward.X-c.X, toward.Y-c.Y
	if vertical || math.Abs(dy)*r.W > math.Abs(dx)*r.H {
		return topBottomPoint(r, dy < 0, c.X), false
	}
	return sidePoint(r, dx < 0, c.Y), true
}

// sidePoint is the point at height y on r's left (or right) side.
func sidePoint(r graph.Rect, left bool, y float64) graph.Point {
	if left {
		return graph.Point{X: r.X, Y: y}
	}
	return graph.Point{X: r.X + r.W, Y: y}
}

// topBottomPoint is the point at x on r's top (or bottom) side.
func topBottomPoint(r graph.Rect, top bool, x float64) graph.Point {
	if top {
		return graph.Point{X: x, Y: r.Y}
	}
	return graph.Point{X: x, Y: r.Y + r.H}
}

// simplify drops repeated points and the middle of three collinear
// points on an axis.
func simplify(pts []graph.Point) []graph.Point {
	out := pts[:0:0]
	for _, p := range pts {
		if n := len(out); n > 0 && out[n-1] == p {
			continue
		}
		if n := len(out); n >= 2 {
			a, b := out[n-2], out[n-1]
			if (a.X == b.X && b.X == p.X) || (a.Y == b.Y && b.Y == p.Y) {
				if between(a, b, p) {
					out[n-1] = p
					continue
				}
			}
		}
		out = append(out, p)
	}
	if len(out) == 1 {
		out = append(out, out[0])
	}
	return out
}

// between reports whether b lies on the segment from a to c (all three on
// one axis).
func between(a, b, c graph.Point) bool {
	return min(a.X, c.X) <= b.X && b.X <= max(a.X, c.X) && min(a.Y, c.Y) <= b.Y && b.Y <= max(a.Y, c.Y)
}
