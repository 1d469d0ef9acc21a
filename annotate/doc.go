// Package annotate decides what the threat-model picture says: which trust
// boundaries, components and flows are drawn with which labels, which
// severity highlight each component gets, where the numbered entry-point
// badges go (on the boundary line their flow crosses, clear of labels and of
// each other), which flows carry sensitive-data tags, the tooltips, the
// legend and the title block.
//
// The result, a picture.Picture, is plain data with absolute geometry taken
// from a layout.Layout. It knows nothing about SVG; exporters/svg renders it.
package annotate
