// Package mermaid imports Mermaid flowcharts (.mmd files and ```mermaid
// blocks in Markdown) into threatmap's graph model.
//
// No maintained Go library parses Mermaid, so the package has its own
// lexer and recursive-descent parser for the flowchart grammar of Mermaid's
// flow.jison, in the style of go/scanner and go/parser: a one-pass token
// stream with line:column positions, and syntax errors that name the
// offending token and what was expected ("arch.mmd:3:9: unexpected "]",
// expected node id"). Subgraph nesting uses an explicit stack, so no input
// can exhaust the Go stack; graph.Limits bounds input size, nesting depth,
// label length and element count.
//
// What the model gets:
//   - Nodes become components: ID is the Mermaid id, Label the node text
//     (HTML reduced to text, "#quot;"-style entity codes decoded, fa:fa-*
//     icons and markdown emphasis removed) or the id when there is none,
//     Shape Mermaid's shape name (rect, rounded, stadium, subroutine,
//     cylinder, circle, double-circle, asymmetric, diamond, hexagon,
//     lean-right, lean-left, trapezoid, trapezoid-alt, ellipse) or the
//     value of @{ shape: X } as written, Shape "" for a bare id. Classes from
//     ":::name" and class statements are in Attributes["class"], sorted and
//     space separated; other @{...} keys and click statements are kept as
//     attributes; style statements fill Style.
//   - Links become flows. "-->"-style arrows are directed; arrows with
//     heads at both ends ("<-->", "o--o", "x--x") are Bidirectional; lines
//     without heads ("---", "-.-", "===") are Undirected and Bidirectional;
//     a head only at the start ("<---") flows from the right-hand node to
//     the left-hand one. Attributes["style"] is "solid", "dotted" or
//     "thick". Invisible links ("~~~") only guide Mermaid's layout and are
//     skipped with a warning. Flow.ID is the edge id when one is given
//     ("A e1@--> B"), otherwise "L-<source>-<target>-<n>", n counting from 0
//     over the links between the same two nodes in source order (bumped
//     further if that id is taken, so ids stay unique). Edge data
//     ("e1@{ animate: true }") becomes flow attributes. "A & B --> C & D"
//     is four flows; a chain "A --> B --> C" is two.
//   - Subgraphs become trust boundaries, nested as written. Membership
//     follows Mermaid's flowDb: a subgraph lists every node its statements
//     mention, edge ends included, so a node first used outside and then
//     named inside a subgraph (even only as an edge end: "A --> B" inside
//     a subgraph moves A and B in) belongs to it; a node named by several
//     subgraphs belongs to the first one to close (the innermost, or the
//     earliest of siblings), as in Mermaid's makeUniq. Mentions at top
//     level never take a node out of a subgraph. A bare title with spaces
//     ("subgraph Deploy Pipeline") gets Mermaid's generated id subGraphN, N
//     counting subgraphs in the order their "end" is read. A repeated
//     subgraph id continues the first block.
//   - A link to or from a subgraph id ("A --> subgraphId") is kept: the
//     subgraph as a whole is its end. Since flows join components, the
//     subgraph gets one component standing for it, with the boundary's ID
//     and label, Boundary set to the boundary itself and
//     Attributes["represents"] = "boundary" (the convention every importer
//     follows), and one warning per subgraph says so. A subgraph with
//     nothing in it that is also used as a node is different: Mermaid draws
//     it as a box, and it becomes a plain component (Attributes["subgraph"]
//     = "true").
//   - Positions: a component is at its first definition (the first
//     mention with a shape, text or @{...}), else its first mention; a flow
//     at its arrow; a boundary at its "subgraph" keyword. Columns count
//     bytes, as go/scanner does.
//   - YAML front matter's title is Diagram.Title (accTitle when there is
//     none); accDescr becomes a note; %%{init}%% directives and %% comments
//     are ignored.
//   - A node drawn as text (shape text, comment or a brace) or labelled
//     with punctuation only ("...") that is on no link is a note, with a
//     warning, as DOT text nodes and draw.io text cells are.
//
// In Markdown, every ```mermaid fence that holds a flowchart is one diagram,
// named after the nearest ATX heading above it ("Name (2)" when repeated,
// "diagram N" when there is no heading); other diagram types are skipped
// with a warning on the first diagram. Line numbers are file lines.
package mermaid
