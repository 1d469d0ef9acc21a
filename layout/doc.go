// Package layout places a diagram on a plane: absolute boxes for components
// and trust boundaries, routes for data flows and positions for their
// labels. It owns geometry only; what the picture says is decided by package
// annotate and how it is drawn by exporters/svg.
//
// Source keeps the user's own layout (draw.io geometry). Auto lays the
// diagram out with Graphviz's dot engine (go-graphviz, WebAssembly, through
// gvlock) and reads the coordinates back, so that every input format is drawn
// by the same writer. Both fall back to a simple nested grid when the
// diagram has no usable geometry or is too large for Graphviz within the
// budget; Grid is that fallback, also usable on its own. Each engine has
// one entry point taking one Options. Coordinates are in pixels, x to the right and y down.
package layout
