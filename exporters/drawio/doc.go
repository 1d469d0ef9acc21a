// Package drawio writes the threat model back into draw.io: the user's own
// diagram, unchanged, plus a layer named "threatmap" that holds the
// entry-point badges, risk highlights, sensitivity tags and a legend. Every
// annotation is a UserObject whose attributes (threatmap_type, severity,
// threats, ...) show in draw.io's Edit Data dialog and whose tooltip lists
// its threats on hover.
//
// Given the source file (Options.Source: .drawio/.xml, .drawio.svg or
// .drawio.png), the analysed page is copied as it is, inflated if it was
// compressed, and the layer is appended to it; every other page and every
// byte outside the page's cell list stay as they were. A layer left by an
// earlier run (the cell with id LayerID and every cell inside it, all with
// ids starting with IDPrefix) is replaced, so that re-running on the
// output gives the same bytes. Without a source (Mermaid, DOT) a new
// diagram is drawn from the computed layout, trust boundaries as
// containers, with the same layer on top.
//
// The exporter reads the picture from a scene.Scene and the threats from a
// stride.Report; it knows nothing of layout or annotation.
package drawio
