// Package drawio imports draw.io (diagrams.net) files into the graph model,
// reading them the way draw.io itself does. It reads the XML as a stream of
// encoding/xml tokens and keeps only the cells it builds, never a tree of
// the whole document, and imports package graph only.
//
// Containers: an <mxfile> with one or more <diagram> pages, each holding an
// <mxGraphModel> or draw.io's compressed text (base64 of raw-deflated,
// URL-encoded XML); a bare <mxGraphModel>; a .drawio.svg (the model in the
// SVG root's content attribute); a .drawio.png (the model in a tEXt, zTXt or
// iTXt chunk with keyword "mxfile"). Every page becomes one graph.Diagram
// named after the page, unless Options.Page picks one.
//
// Cells, in the order the importer decides them:
//   - Cells on a hidden layer and hidden cells are skipped with a warning.
//   - The layer threatmap writes its annotations into (id
//     "threatmap-layer", see exporters/drawio) is skipped.
//   - Text cells ("text", "edgeLabel" styles, sticky notes, and plain
//     rectangles drawn with neither fill nor outline) are notes; a label
//     cell whose parent is an edge is joined to the edge's label. A small
//     circle labelled with a number or letter is a step badge: a note.
//   - A shape labelled "Legend" (or "Key") with shapes inside, or a plain
//     group holding such a text, is one note with all its text, and a
//     warning. A "Legend" text in any other container is just a note.
//   - A stack- or table-layout container (a UML class, a table) is one unit:
//     a component when an edge connects to it or its rows (the rows are
//     kept in the "rows" attribute), else a note.
//   - A plain group (Ctrl+G: "group" style, no label, fill or outline) is
//     transparent: its shapes belong to whatever encloses the group.
//   - A container (container=1, swimlane, a drawn or labelled group,
//     AWS/Azure/GCP group shape) with shapes inside is a trust boundary;
//     nesting is kept. A group (or a plain shape used as a card) holding
//     exactly one shape plus text cells is folded into one component
//     labelled with all their text.
//   - Inferred trust boundaries (Boundary.Inferred, with a warning): a
//     rectangle with a dashed stroke or a zone name as its label ("DMZ",
//     "VPC", "namespace", "cluster", "account", "tier", ...), a swimlane, a
//     cloud group shape or a C4 boundary or deployment shape that fully
//     encloses other shapes by geometry; and any labelled rectangle drawn
//     behind a labelled shape (or two shapes) and fully around it
//     ("Payments namespace", "Production", "Developers"), or an unlabelled
//     one titled by a zone-named free text drawn inside it ("IT Network"
//     written along the edge of a tinted area). Enclosed shapes and
//     boundaries nest inside the smallest boundary around them.
//   - A dashed or red line with two free ends that flows cross is a trust
//     boundary too (see lines.go for how the model holds it: a boundary
//     with shape=line and its points; the components on its smaller side
//     are inside it; crossing flows list it in their "crosses" attribute).
//   - C4 shapes classify by c4Type: persons and external (grey) systems
//     are external entities, containers with a database technology (or
//     drawn as cylinders) data stores, other systems, containers and
//     components processes; c4Technology, or the technology of a
//     "[Container: PostgreSQL]" label line, is the "technology" attribute.
//   - A wide, unconnected rectangle above every other shape is the title: a
//     note, and Diagram.Title.
//   - A text cell just under or over an unlabelled icon is its caption (its
//     label). A free text over exactly one unlabelled arrow is its label.
//   - A junction dot (12 px or less, unlabelled) joins the flows through
//     it: one in and one out become one flow with a waypoint at the dot.
//   - Every other vertex is a component. An unlabelled shape that no edge
//     touches is decoration: dropped with a warning.

// Labels are plain text: %name% placeholders are resolved from the cell's
// properties (then its ancestors', then the page variables) when the
// object has placeholders="1", and HTML labels (html=1) are reduced with
// internal/labeltext. Custom properties of <object>/<UserObject> become
// attributes; a "kind" or "type" property naming a DFD role sets the kind.
//
// Edges resolve their ends by source/target, walking up from text cells to
// the shape they sit in, or else by the shape under their sourcePoint or
// targetPoint or within 6 px of it, or a container whose border it touches.
// An edge to a container ends on a component standing for the container
// (same id and label, Boundary the container itself, attribute
// represents=boundary, one warning per container). Ends on nothing or on
// notes drop the edge with a warning naming its cell and saying where the
// end lies. Arrow heads give the direction: none at
// either end is undirected (and bidirectional), both ends bidirectional,
// only a start arrow reverses the flow.
//
// Geometry is absolute: vertex positions (relative to their parent in the
// file, including relative port geometry), container bounds, edge
// waypoints and end points.
//
// Text: a byte order mark (UTF-8, UTF-16) and then the XML declaration's
// encoding (any character set golang.org/x/text knows) decide how bytes
// become text; bytes invalid in that encoding become U+FFFD with a warning.
// A .drawio.png's chunks are checked (a bad CRC is a warning; a second
// diagram chunk is ignored with a warning, as draw.io ignores it), and a
// file named .png that is not a PNG says what it looks like instead.
//
// Memory: pages are inflated, parsed and built one at a time, and
// MaxDecompressedBytes is a budget for the whole file (compressed pages and
// PNG chunks together), so peak memory is bounded by the file, not by its
// page count. Repeated warnings are folded by graph.AggregateWarnings.
//
// Hostile input fails with a *graph.InputError naming the file, page and
// cell: input over MaxInputBytes, compressed pages and PNG chunks that
// together inflate past MaxDecompressedBytes, files with more than
// MaxElements cells (counted before the XML tree is built), XML with a DOCTYPE internal subset or an ENTITY
// declaration (a plain DOCTYPE, as in draw.io's SVG export, is accepted),
// element or cell nesting deeper than MaxDepth, missing parents, parent
// cycles, duplicate ids and more than MaxElements components and flows.
// Pairwise geometric comparisons are capped per page, so overlapping shapes
// cannot take quadratic time; past the cap a warning says inference stopped.
package drawio
