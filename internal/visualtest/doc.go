// Package visualtest holds the picture's acceptance test: every example
// and corpus diagram is drawn to SVG as threatmap analyze draws it (a
// diagram with its own layout also with the automatic one), the written
// SVG is parsed back, and its geometry is checked: no component box or
// flow under a container's fill drawn above it, every flow ending on a
// component or a boundary's border, no two entry-point badges
// overlapping and no badge over a label, caption, title, flow label,
// data tag, risk chip or arrowhead; and no word of a label broken across
// lines without a hyphen. Where headless Chromium is installed the SVGs
// are also rendered to PNG. The package has no code outside its tests.
package visualtest
