// Package xlsx writes a stride.Report as an Excel risk register made to be
// worked in by risk and compliance owners: a Summary with live counts, a
// heat map and a chart; a Risk Register with one row per threat whose score
// and severity are formulas over editable likelihood and impact; and sheets
// for mitigations, entry points, components, trust boundary crossings, data
// flows, open questions and the scoring method.
//
// Every text that comes from the diagram is written as a string cell, never
// as a formula, and is cut to Excel's cell limit with a visible marker. The
// output is deterministic: the same report and options give the same bytes.
//
// Time and memory grow linearly with the report: table sheets of 1,000 rows
// or more are written with excelize's StreamWriter (their text in inline
// strings), with everything that is not a cell (validations, conditional
// formats, autofilter, panes, page setup, links) set before their rows.
package xlsx
