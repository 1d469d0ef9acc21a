package expertbench

import (
	"fmt"
	"strings"

	"github.com/threatmap/threatmap/stride"
)

// Counts are the agreement counts for one system or the whole benchmark.
// Percentages are derived from them, so systems add up (micro-average).
type Counts struct {
	Experts int // expert threats
	Strict  int // matched on the same element
	Lenient int // matched on the same or an adjacent element

	SevRated int // matched expert threats with an expert severity
	SevEqual int // ... where the tool's band equals the expert's

	HighExpert int // expert Critical/High threats (matched or not)
	HighTool   int // ... that the tool matches and rates High or Critical
	LowExpert  int // expert Low threats
	LowTool    int // ... that the tool matches and rates Medium or Low
	CritExpert int // expert Critical threats
	CritTool   int // ... that the tool matches and rates Critical

	MitExpert int // threats the expert marks mitigated
	MitTool   int // ... that the tool matches as Mitigated with Low residual

	ToolThreats int // threats in the tool's report
	// ToolElementThreats counts each threat once per element it is on (a
	// threat that folds one concern on three flows counts three): the
	// volume a reviewer reads through, which folding hides from ToolThreats.
	ToolElementThreats int
}

// Add adds o's counts to c.
func (c *Counts) Add(o Counts) {
	c.Experts += o.Experts
	c.Strict += o.Strict
	c.Lenient += o.Lenient
	c.SevRated += o.SevRated
	c.SevEqual += o.SevEqual
	c.HighExpert += o.HighExpert
	c.HighTool += o.HighTool
	c.LowExpert += o.LowExpert
	c.LowTool += o.LowTool
	c.CritExpert += o.CritExpert
	c.CritTool += o.CritTool
	c.MitExpert += o.MitExpert
	c.MitTool += o.MitTool
	c.ToolThreats += o.ToolThreats
	c.ToolElementThreats += o.ToolElementThreats
}

// Miss is an expert threat the tool did not match on the same element,
// with what the tool does say there, so a reader can see why.
type Miss struct {
	Expert Expert
	// Lenient is set when an adjacent element carries the category.
	Lenient bool
	// NoElement is set when the tool's model has no such element (an
	// arrow to a box the tool reads as a boundary).
	NoElement bool
	// OnElement and Nearby are the STRIDE letters the tool raised on the
	// element itself and on its adjacent elements.
	OnElement, Nearby string
}

// String is one line for the per-system list of misses.
func (m Miss) String() string {
	kind := "missed"
	if m.Lenient {
		kind = "nearby only"
	}
	on, near := m.OnElement, m.Nearby
	if on == "" {
		on = "-"
	}
	if m.NoElement {
		on = "no such flow in the tool's model"
	}
	if near == "" {
		near = "-"
	}
	return fmt.Sprintf("%-11s %s %s %s on %s: %s (%s) [tool on element: %s; adjacent: %s]",
		kind, m.Expert.ID, m.Expert.Stride, sevOrDash(m.Expert.Severity), m.Expert.ElementName(),
		m.Expert.Title, m.Expert.Where, on, near)
}

func sevOrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Rated is a matched expert threat that the tool rates differently: its
// severity band differs from the expert's, or the expert says the threat is
// mitigated and no matched tool threat is Mitigated with a Low residual.
// Tool is the threat that stands for the match (the most severe one).
type Rated struct {
	Expert Expert
	Tool   *stride.Threat
	// Severity is set when the bands differ; NotCredited when the expert's
	// mitigation is not credited.
	Severity, NotCredited bool
}

// String is one line for the per-system list of rating differences.
func (r Rated) String() string {
	var what []string
	if r.Severity {
		what = append(what, fmt.Sprintf("expert %s, tool %s", r.Expert.Severity, r.Tool.Severity))
	}
	if r.NotCredited {
		what = append(what, fmt.Sprintf("expert mitigated, tool %s with %s residual", r.Tool.Status, sevOrDash(string(r.Tool.ResidualRisk))))
	}
	return fmt.Sprintf("%s %s on %s: %s [tool %s %q]", r.Expert.ID, r.Expert.Stride, r.Expert.ElementName(),
		strings.Join(what, "; "), r.Tool.Rule, r.Tool.Title)
}

// Result is the score of one system.
type Result struct {
	Counts
	Misses []Miss
	// Rated lists the matched expert threats rated differently, in source
	// order.
	Rated []Rated
}

// element names a component or a flow of the report.
type element struct{ typ, id string }

// graphIndex answers the adjacency questions of the matching rules.
type graphIndex struct {
	comps  map[string]bool
	bounds map[string]bool
	flows  map[string]stride.Flow
	// touching lists, per component, the flows with it at either end.
	touching map[string][]string
}

func index(r *stride.Report) *graphIndex {
	g := &graphIndex{comps: map[string]bool{}, bounds: map[string]bool{}, flows: map[string]stride.Flow{}, touching: map[string][]string{}}
	for _, c := range r.Components {
		g.comps[c.ID] = true
	}
	for _, b := range r.Boundaries {
		g.bounds[b.ID] = true
	}
	for _, f := range r.Flows {
		g.flows[f.ID] = f
		g.touching[f.Source] = append(g.touching[f.Source], f.ID)
		if f.Target != f.Source {
			g.touching[f.Target] = append(g.touching[f.Target], f.ID)
		}
	}
	return g
}

// resolve returns the report elements an expert threat names: the
// component, or every flow between the two components (either direction:
// the experts' arrow and the tool's reading of it need not agree).
//
// The authors sometimes draw an arrow to the edge of a box that the tool
// reads as a trust boundary; the tool has no flow there. Such a flow may
// name the boundary as an end: it resolves to no element (the threat can
// only be missed, and the miss says why) and its component end counts as
// adjacent. Any other unknown id is an error, so a typo cannot pass as a
// miss.
func (g *graphIndex) resolve(e Expert) (els, near []element, err error) {
	if e.Component != "" {
		if !g.comps[e.Component] {
			return nil, nil, fmt.Errorf("threat %s: no component %q in the diagram", e.ID, e.Component)
		}
		els = []element{{"component", e.Component}}
		return els, g.adjacent(els), nil
	}
	from, to, _ := e.FlowEnds()
	for _, end := range []string{from, to} {
		if !g.comps[end] && !g.bounds[end] {
			return nil, nil, fmt.Errorf("threat %s: no component or boundary %q in the diagram", e.ID, end)
		}
	}
	// An end that names a box the importer could not attach to: the flow
	// is missing. Importers that keep such an edge end it on a component
	// with the box's id, and then the flow is found below.
	if (g.bounds[from] && !g.comps[from]) || (g.bounds[to] && !g.comps[to]) {
		for _, end := range []string{from, to} {
			if g.comps[end] {
				near = append(near, element{"component", end})
			}
		}
		return nil, near, nil
	}
	for _, id := range g.touching[from] {
		f := g.flows[id]
		if (f.Source == from && f.Target == to) || (f.Source == to && f.Target == from) {
			els = append(els, element{"flow", id})
		}
	}
	if len(els) == 0 {
		return nil, nil, fmt.Errorf("threat %s: no flow between %q and %q in the diagram", e.ID, from, to)
	}
	return els, g.adjacent(els), nil
}

// adjacent returns the elements next to els: for a component, the flows
// touching it and the components one flow away; for a flow, the
// components at its two ends. els themselves are not included.
func (g *graphIndex) adjacent(els []element) []element {
	self := map[element]bool{}
	for _, el := range els {
		self[el] = true
	}
	seen := map[element]bool{}
	var out []element
	add := func(el element) {
		if !self[el] && !seen[el] {
			seen[el] = true
			out = append(out, el)
		}
	}
	for _, el := range els {
		if el.typ == "flow" {
			f := g.flows[el.id]
			add(element{"component", f.Source})
			add(element{"component", f.Target})
			continue
		}
		for _, fid := range g.touching[el.id] {
			add(element{"flow", fid})
			f := g.flows[fid]
			other := f.Source
			if other == el.id {
				other = f.Target
			}
			add(element{"component", other})
		}
	}
	return out
}

// Score compares the expert threats of s with the tool's report r.
//
// An expert threat is matched strictly when the tool has a threat of the
// same STRIDE category on the same element, leniently when it has one on
// the same or an adjacent element. Severity and mitigation figures use the
// matched tool threats (strict ones when there are any, else the lenient
// ones); of several, the most severe stands for the tool's view. Every
// expert element must exist in the diagram: a benchmark that silently
// skipped threats would overstate agreement.
func Score(s *System, r *stride.Report) (*Result, error) {
	g := index(r)
	res := &Result{}
	byElem := map[element][]*stride.Threat{}
	for i := range r.Threats {
		// A folded threat's member rated apart is compared with the
		// expert as rated there, with its own rule's STRIDE letter.
		for _, v := range r.Threats[i].Views() {
			el := element{v.Element.Type, v.Element.ID}
			byElem[el] = append(byElem[el], v.Threat)
			res.ToolElementThreats++
		}
	}
	res.Experts = len(s.Threats)
	res.ToolThreats = len(r.Threats)
	for _, e := range s.Threats {
		els, near, err := g.resolve(e)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
		strict := pick(byElem, els, e.Stride)
		lenient := strict
		if len(lenient) == 0 {
			lenient = pick(byElem, near, e.Stride)
		}
		if len(strict) > 0 {
			res.Strict++
		}
		if len(lenient) > 0 {
			res.Lenient++
		}
		if len(strict) == 0 {
			res.Misses = append(res.Misses, Miss{Expert: e, Lenient: len(lenient) > 0, NoElement: len(els) == 0,
				OnElement: letters(byElem, els), Nearby: letters(byElem, near)})
		}
		tool := mostSevere(lenient)
		rank := 0
		if tool != nil {
			rank = tool.Severity.Rank()
		}
		switch e.Severity {
		case "Critical":
			res.CritExpert++
			if rank == stride.SeverityCritical.Rank() {
				res.CritTool++
			}
			fallthrough
		case "High":
			res.HighExpert++
			if rank >= stride.SeverityHigh.Rank() {
				res.HighTool++
			}
		case "Low":
			res.LowExpert++
			if tool != nil && rank <= stride.SeverityMedium.Rank() {
				res.LowTool++
			}
		}
		diff := Rated{Expert: e, Tool: tool}
		if e.Severity != "" && tool != nil {
			res.SevRated++
			if string(tool.Severity) == e.Severity {
				res.SevEqual++
			} else {
				diff.Severity = true
			}
		}
		if e.Mitigated != nil && *e.Mitigated {
			res.MitExpert++
			credited := false
			for _, t := range lenient {
				if t.Status == "Mitigated" && t.ResidualRisk == stride.SeverityLow {
					credited = true
					break
				}
			}
			if credited {
				res.MitTool++
			} else if tool != nil {
				diff.NotCredited = true
			}
		}
		if diff.Severity || diff.NotCredited {
			res.Rated = append(res.Rated, diff)
		}
	}
	return res, nil
}

// threatElements lists the elements a tool threat is on: every element of
// a threat that folds one concern on several elements, else its one
// element.
func threatElements(t *stride.Threat) []stride.ElementRef {
	if len(t.Elements) > 0 {
		return t.Elements
	}
	return []stride.ElementRef{t.Element}
}

// pick returns the tool threats of category cat on any of els.
func pick(byElem map[element][]*stride.Threat, els []element, cat string) []*stride.Threat {
	var out []*stride.Threat
	for _, el := range els {
		for _, t := range byElem[el] {
			if t.Stride == cat {
				out = append(out, t)
			}
		}
	}
	return out
}

// letters lists, in STRIDE order, the categories the tool raised on els.
func letters(byElem map[element][]*stride.Threat, els []element) string {
	has := map[string]bool{}
	for _, el := range els {
		for _, t := range byElem[el] {
			has[t.Stride] = true
		}
	}
	var b strings.Builder
	for _, c := range "STRIDE" {
		if has[string(c)] {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func mostSevere(ts []*stride.Threat) *stride.Threat {
	var best *stride.Threat
	for _, t := range ts {
		if best == nil || t.Severity.Rank() > best.Severity.Rank() {
			best = t
		}
	}
	return best
}

// Figure is one published ratio with its numerator and denominator; a
// figure with a zero denominator does not apply (no such expert threats).
type Figure struct {
	Name     string
	Num, Den int
}

// Percent is the figure rounded down to a whole percent (0 when it does
// not apply).
func (f Figure) Percent() int {
	if f.Den == 0 {
		return 0
	}
	return f.Num * 100 / f.Den
}

// String is "73% (22/30)".
func (f Figure) String() string {
	if f.Den == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%d%% (%d/%d)", f.Percent(), f.Num, f.Den)
}

// Figure names, as used for floors and in docs/accuracy.md.
const (
	FigStrict    = "strict recall"
	FigLenient   = "lenient recall"
	FigSeverity  = "severity equal"
	FigHigh      = "expert High+ rated High+"
	FigLow       = "expert Low rated Medium-"
	FigCritical  = "expert Critical rated Critical"
	FigMitigated = "expert-mitigated as Mitigated/Low"
)

// Figures returns the ratio figures of c in table order.
func (c Counts) Figures() []Figure {
	return []Figure{
		{FigStrict, c.Strict, c.Experts},
		{FigLenient, c.Lenient, c.Experts},
		{FigSeverity, c.SevEqual, c.SevRated},
		{FigHigh, c.HighTool, c.HighExpert},
		{FigLow, c.LowTool, c.LowExpert},
		{FigCritical, c.CritTool, c.CritExpert},
		{FigMitigated, c.MitTool, c.MitExpert},
	}
}

// PerExpert is the number of tool threats per expert threat.
func (c Counts) PerExpert() float64 {
	if c.Experts == 0 {
		return 0
	}
	return float64(c.ToolThreats) / float64(c.Experts)
}

// ElementThreatsPerExpert is the number of tool threat-element pairs per
// expert threat (see ToolElementThreats).
func (c Counts) ElementThreatsPerExpert() float64 {
	if c.Experts == 0 {
		return 0
	}
	return float64(c.ToolElementThreats) / float64(c.Experts)
}

// Table renders per-system rows and the overall row as a Markdown table.
func Table(names []string, rows []Counts, total Counts) string {
	var b strings.Builder
	b.WriteString("| system | expert | strict | lenient | severity equal | High+ as High+ | Low as Medium- | Critical as Critical | mitigated | tool/expert | element-threats/expert |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	row := func(name string, c Counts) {
		fmt.Fprintf(&b, "| %s | %d |", name, c.Experts)
		for _, f := range c.Figures() {
			fmt.Fprintf(&b, " %s |", f)
		}
		fmt.Fprintf(&b, " %.1f (%d) | %.1f (%d) |\n", c.PerExpert(), c.ToolThreats, c.ElementThreatsPerExpert(), c.ToolElementThreats)
	}
	for i, n := range names {
		row(n, rows[i])
	}
	row("**overall**", total)
	return b.String()
}
