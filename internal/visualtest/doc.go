// Package visualtest holds the picture's acceptance test: every example
// and corpus diagram is drawn to SVG as threatmap analyze draws it, the
// written SVG is parsed back, and its geometry is checked (no component
// box or flow under a container's fill drawn above it, no two entry-point
// badges overlapping); where headless Chromium is installed the SVGs are
// also rendered to PNG. The package has no code outside its tests.
package visualtest
