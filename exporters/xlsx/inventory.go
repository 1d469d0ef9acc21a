package xlsx

import (
	"strings"

	"github.com/threatmap/threatmap/stride"
)

func (b *book) entryPoints() {
	cols := []column{
		{name: "Entry point", width: 10, center: true}, {name: "From", width: 22}, {name: "To", width: 22},
		{name: "Flow", width: 26}, {name: "Direction", width: 10}, {name: "Protocol", width: 10},
		{name: "Authentication", width: 14}, {name: "Encrypted", width: 10}, {name: "Boundaries crossed", width: 30},
		{name: "Data sensitivity", width: 16}, {name: "Threats", width: 20}, {name: "Highest residual risk", width: 12, center: true},
	}
	var rows [][]val
	for _, ep := range b.r.EntryPoints {
		f := b.x.Flow(ep.Flow)
		if f == nil {
			f = &stride.Flow{}
		}
		ids := b.byRegister(ep.Threats)
		rows = append(rows, []val{txt(ep.ID), txt(b.x.ComponentName(ep.From)), txt(b.x.ComponentName(ep.To)),
			txt(orDash(f.Label)), txt(ep.Direction), txt(orDash(f.Protocol)), txt(stride.AuthName(f.Authenticated)),
			txt(stride.EncryptedName(f.Encrypted)), txt(b.boundNames(ep.Boundaries)), txt(joinOrDash(stride.DataNames(f.Sensitivity))),
			refs(ids), txt(orDash(string(b.x.MaxResidual(ids))))})
	}
	b.table(SheetEntryPoints, cols, rows, 1, func(last int) {
		b.setErr(b.f.SetConditionalFormat(SheetEntryPoints, "L2:"+rangeTo("L", last), b.st.severityFormats()))
	})
}

func (b *book) components() {
	cols := []column{
		{name: "Component", width: 28}, {name: "ID", width: 14}, {name: "Kind", width: 11},
		{name: "Zone", width: 22}, {name: "Trust level", width: 11}, {name: "Data handled", width: 20},
		{name: "Authentication", width: 22}, {name: "Threats", width: 20},
		{name: "Highest residual risk", width: 12, center: true},
	}
	var rows [][]val
	for _, c := range b.r.Components {
		zone, trust := "Outside all boundaries", "—"
		if bd := b.x.Boundary(c.Boundary); bd != nil {
			zone, trust = b.x.BoundaryName(bd.ID), bd.TrustName
		} else if c.Boundary != "" {
			zone = c.Boundary
		}
		ids := b.byRegister(c.Threats)
		rows = append(rows, []val{txt(c.Label), txt(c.ID), txt(c.Kind), txt(zone), txt(trust),
			txt(joinOrDash(stride.DataNames(c.Sensitivity))), txt(b.componentAuth(c)), refs(ids), txt(orDash(string(c.MaxSeverity)))})
	}
	b.table(SheetComponents, cols, rows, 1, func(last int) {
		b.setErr(b.f.SetConditionalFormat(SheetComponents, "I2:"+rangeTo("I", last), b.st.severityFormats()))
	})
}

// componentAuth says how callers authenticate to a component: its own
// auth attribute, else the authentication of the flows into it (for an
// external entity with no inbound flow, of the flows out of it).
func (b *book) componentAuth(c stride.Component) string {
	a := b.x.Authentication(c.ID)
	switch {
	case a.Declared != "":
		return a.Declared
	case len(a.Inbound) > 0:
		return "Inbound: " + authWords(a.Inbound)
	case len(a.Outbound) > 0:
		return "Outbound: " + authWords(a.Outbound)
	}
	return "—"
}

func (b *book) trustBoundaries() {
	cols := []column{
		{name: "Boundary", width: 22}, {name: "Trust level", width: 11}, {name: "Source", width: 22},
		{name: "Destination", width: 22}, {name: "Crossing", width: 10}, {name: "Flow", width: 26},
		{name: "Protocol", width: 10}, {name: "Authentication", width: 14}, {name: "Encrypted", width: 10},
		{name: "Data sensitivity", width: 16}, {name: "Entry point", width: 10, center: true},
	}
	// A row per crossing: at 20,000 components about 130,000 rows, made
	// one at a time (tableOf) rather than held (80 MB as [][]val).
	crossed := map[string]bool{}
	n := 0
	for _, f := range b.r.Flows {
		n += len(f.Crosses)
		for _, id := range f.Crosses {
			crossed[id] = true
		}
	}
	for _, bd := range b.r.Boundaries {
		if !crossed[bd.ID] {
			n++
		}
	}
	b.tableOf(SheetBoundaries, cols, n, func(yield func([]val)) {
		row := make([]val, 0, len(cols))
		for _, f := range b.r.Flows {
			for _, id := range f.Crosses {
				dir := "entering"
				if b.inside(f.Source, id) {
					dir = "leaving"
				}
				trust := "—"
				if bd := b.x.Boundary(id); bd != nil {
					trust = bd.TrustName
				}
				yield(append(row[:0], txt(b.x.BoundaryName(id)), txt(trust), txt(b.x.ComponentName(f.Source)),
					txt(b.x.ComponentName(f.Target)), txt(dir), txt(orDash(f.Label)), txt(orDash(f.Protocol)),
					txt(stride.AuthName(f.Authenticated)), txt(stride.EncryptedName(f.Encrypted)), txt(joinOrDash(stride.DataNames(f.Sensitivity))),
					txt(orDash(f.EntryPoint))))
			}
		}
		for _, bd := range b.r.Boundaries {
			if !crossed[bd.ID] {
				yield(append(row[:0], txt(b.x.BoundaryName(bd.ID)), txt(bd.TrustName), txt("—"), txt("—"),
					txt("none"), txt("No flow crosses this boundary"), txt("—"), txt("—"), txt("—"), txt("—"), txt("—")))
			}
		}
	}, 1, nil)
}

// inside reports whether component id lies within boundary bid.
func (b *book) inside(id, bid string) bool {
	c := b.x.Component(id)
	if c == nil {
		return false
	}
	seen := map[string]bool{}
	for cur := c.Boundary; cur != "" && !seen[cur]; {
		if cur == bid {
			return true
		}
		seen[cur] = true
		bd := b.x.Boundary(cur)
		if bd == nil {
			break
		}
		cur = bd.Parent
	}
	return false
}

func (b *book) dataFlows() {
	cols := []column{
		{name: "Flow", width: 8}, {name: "Source", width: 22}, {name: "Destination", width: 22},
		{name: "Label", width: 28}, {name: "Protocol", width: 10}, {name: "Encrypted", width: 10},
		{name: "Authentication", width: 14}, {name: "Data sensitivity", width: 16},
		{name: "Boundaries crossed", width: 30}, {name: "Entry point", width: 10, center: true},
		{name: "Threats", width: 20},
	}
	b.tableOf(SheetFlows, cols, len(b.r.Flows), func(yield func([]val)) {
		row := make([]val, 0, len(cols))
		for _, f := range b.r.Flows {
			dst := b.x.ComponentName(f.Target)
			if f.Bidirectional {
				dst += " (both ways)"
			}
			yield(append(row[:0], txt(f.ID), txt(b.x.ComponentName(f.Source)), txt(dst), txt(orDash(f.Label)),
				txt(orDash(f.Protocol)), txt(stride.EncryptedName(f.Encrypted)), txt(stride.AuthName(f.Authenticated)),
				txt(joinOrDash(stride.DataNames(f.Sensitivity))), txt(orDash(b.boundNames(f.Crosses))), txt(orDash(f.EntryPoint)),
				refs(b.byRegister(f.Threats))))
		}
	}, 1, nil)
}

func (b *book) questions() {
	cols := []column{
		{name: "ID", width: 7}, {name: "Element", width: 26}, {name: "Question", width: 50},
		{name: "What the answer changes", width: 50}, {name: "Threats", width: 18},
		{name: "Answer", width: 36}, {name: "Owner", width: 16},
	}
	var rows [][]val
	for _, q := range b.r.OpenQuestions {
		rows = append(rows, []val{txt(q.ID), txt(b.elementName(q.Element)), txt(q.Question),
			txt(q.Impact), refs(b.byRegister(q.Threats))})
	}
	b.table(SheetQuestions, cols, rows, 1, nil)
}

// elementName names a component or a flow ("A → B: label", "A ↔ B" for
// a bidirectional flow).
func (b *book) elementName(e stride.ElementRef) string {
	if e.Type == "flow" {
		if f := b.x.Flow(e.ID); f != nil {
			s := b.x.FlowName(f)
			if f.Label != "" {
				s += ": " + f.Label
			}
			return s
		}
		return e.ID
	}
	return b.x.ComponentName(e.ID)
}

// authWords lists authentication methods in people's words.
func authWords(as []string) string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = stride.AuthName(a)
	}
	return strings.Join(out, ", ")
}
