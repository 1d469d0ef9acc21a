package annotate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/internal/english"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/picture"
	"github.com/threatmap/threatmap/stride"
)

// Options add what the report does not say.
type Options struct {
	// Title overrides the system name in the title block.
	Title string
	// Date is shown in the title block as given; "" shows none. Callers
	// pass a fixed value (SOURCE_DATE_EPOCH) to keep output deterministic.
	Date string
}

// Build decides what the picture of r says, using the geometry of l (laid
// out from r.Diagram). Elements that l did not place are left out with a
// warning in Picture.Warnings (the layout's own warnings stay in
// l.Warnings). A nil report or layout gives an empty picture.
func Build(r *stride.Report, l *layout.Layout, opts Options) *picture.Picture {
	if r == nil {
		r = &stride.Report{}
	}
	if l == nil {
		l = &layout.Layout{}
	}
	b := &builder{r: r, x: r.Index(), l: l, p: &picture.Picture{}}
	b.title(opts)
	b.boundaries()
	b.components()
	layerContainers(b.p.Boundaries, b.p.Components)
	b.rank()
	b.placeTitles()
	b.placeDerivedLabels()
	b.flows()
	b.declutter()
	b.badges()
	b.index()
	b.legend()
	b.bounds()
	return b.p
}

type builder struct {
	r   *stride.Report
	x   *stride.Index // lookups over r
	l   *layout.Layout
	p   *picture.Picture
	ids domIDs
	// refMemo holds each threat's reference once made: a threat grouped
	// over many elements is referenced from every one of them, and counting
	// its elements per reference made drawing quadratic in the group size.
	refMemo map[string]picture.ThreatRef
}

func (b *builder) warn(format string, args ...any) {
	b.p.Warnings = append(b.p.Warnings, fmt.Sprintf(format, args...))
}

func (b *builder) title(opts Options) {
	r := b.r
	t := picture.TitleBlock{System: opts.Title, Date: opts.Date, Generator: r.Generator}
	if t.System == "" {
		t.System = r.System
	}
	if t.System == "" && r.Diagram != nil {
		t.System = r.Diagram.Title
	}
	if t.System == "" {
		t.System = "Threat model"
	}
	t.Source = r.Source.File
	if r.Source.Diagram != "" {
		t.Source += " › " + r.Source.Diagram
	}
	if r.Source.Format != "" {
		t.Source += " (" + r.Source.Format + ")"
	}
	t.Stats = strings.Join([]string{
		english.Plural(len(r.Components), "component"), english.Plural(len(r.Flows), "flow"),
		english.Plural(len(r.Boundaries), "trust boundary", "trust boundaries"),
		english.Plural(len(r.EntryPoints), "entry point"), english.Plural(len(r.Threats), "threat"),
	}, " · ")
	if len(r.Components) == 0 {
		// An empty picture must not pass for a clean model.
		t.Warning = graph.EmptyModelWarning
	}
	b.p.Title = t
}

// refs resolves threat IDs, highest residual severity first.
func (b *builder) refs(ids []string) []picture.ThreatRef {
	out := make([]picture.ThreatRef, 0, len(ids))
	for _, id := range ids {
		if ref, ok := b.refMemo[id]; ok {
			out = append(out, ref)
			continue
		}
		if t := b.x.Threat(id); t != nil {
			ref := picture.ThreatRef{ID: t.ID, Title: t.Title, Severity: residual(t)}
			if len(t.Elements) > 1 {
				for _, e := range t.Elements {
					if e.Type == "flow" {
						ref.Flows++
					} else {
						ref.Components++
					}
				}
			}
			if b.refMemo == nil {
				b.refMemo = map[string]picture.ThreatRef{}
			}
			b.refMemo[id] = ref
			out = append(out, ref)
		} else {
			out = append(out, picture.ThreatRef{ID: id})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return stride.Severity(out[i].Severity).Rank() > stride.Severity(out[j].Severity).Rank()
	})
	return out
}

func maxSeverity(refs []picture.ThreatRef) string {
	s := ""
	for _, t := range refs {
		s = highest(s, t.Severity)
	}
	return s
}
