// Package drawio imports draw.io (diagrams.net) files into the graph model,
// reading them the way draw.io itself does. It parses XML with
// github.com/antchfx/xmlquery and imports package graph only.
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
//     "threatmap-layer", see exporters/drawio) is skipped silently.
//   - Text cells ("text", "edgeLabel" styles) and sticky notes (shape=note)
//     are notes; a label cell whose parent is an edge is joined to the
//     edge's label.
//   - A group or container holding a text cell that reads "Legend" (or
//     "Key") is one note with all its text, and a warning.
//   - A stack- or table-layout container (a UML class, a table) is one unit:
//     a component when an edge connects to it or its rows (the rows are
//     kept in the "rows" attribute), else a note.
//   - A container (container=1, swimlane, group, AWS/Azure/GCP group shape)
//     with shapes inside is a trust boundary; nesting is kept. A group (or a
//     plain shape used as a card) holding exactly one shape plus text cells
//     is folded into one component labelled with all their text.
//   - A rectangle with a dashed stroke or a zone name as its label ("DMZ",
//     "VPC", "Internet", "subnet", "cloud", ...), a swimlane, or a cloud
//     group shape that fully encloses other shapes by geometry is an
//     inferred trust boundary (Boundary.Inferred, with a warning). Enclosed
//     shapes and boundaries nest inside the smallest boundary around them.
//   - A wide, unconnected rectangle above every other shape is the title: a
//     note, and Diagram.Title.
//   - Every other vertex is a component. An unlabelled shape that no edge
//     touches is decoration: dropped with a warning.
//
// Labels are plain text: %name% placeholders are resolved from the cell's
// properties (then its ancestors', then the page variables) when the
// object has placeholders="1", and HTML labels (html=1) are reduced with
// internal/labeltext. Custom properties of <object>/<UserObject> become
// attributes; a "kind" or "type" property naming a DFD role sets the kind.
//
// Edges resolve their ends by source/target, walking up from text cells to
// the shape they sit in, or else by the shape under their sourcePoint or
// targetPoint. Ends on nothing, on boundaries or on notes drop the edge
// with a warning naming its cell. Arrow heads give the direction: none at
// either end is undirected (and bidirectional), both ends bidirectional,
// only a start arrow reverses the flow.
//
// Geometry is absolute: vertex positions (relative to their parent in the
// file, including relative port geometry), container bounds, edge
// waypoints and end points.
//
// Hostile input fails with a *graph.InputError naming the file, page and
// cell: input over MaxInputBytes, pages or PNG chunks that inflate past
// MaxDecompressedBytes, XML with a DOCTYPE internal subset or an ENTITY
// declaration (a plain DOCTYPE, as in draw.io's SVG export, is accepted),
// element or cell nesting deeper than MaxDepth, missing parents, parent
// cycles, duplicate ids and more than MaxElements components and flows.
// Pairwise geometric comparisons are capped per page, so overlapping shapes
// cannot take quadratic time; past the cap a warning says inference stopped.
package drawio
