// Package layout places a diagram on a plane: absolute boxes for components
// and trust boundaries, routes for data flows and positions for their
// labels. It owns geometry only; what the picture says is decided by package
// annotate and how it is drawn by exporters/svg.
//
// Source keeps the user's own layout (draw.io geometry). Auto lays the
// diagram out automatically and chooses its engine from the diagram's size
// alone (GraphvizWork, a deterministic cost model; no clock ever decides):
// Graphviz's dot engine (go-graphviz, WebAssembly, through gvlock) up to a
// few hundred components, the native layered engine (Layered, package
// layout/layered) beyond, so that the same input gives the same picture on
// any machine. Grid is a simple nested grid, the fallback of Source for a
// diagram without geometry. Each engine has one entry point taking one
// Options. Every flow whose ends are placed gets a route: where Graphviz
// gives none, a straight one with a warning. Coordinates are in pixels,
// x to the right and y down.
package layout
