package stride

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers/dot"
)

// spec describes a diagram by labels so tests can rebuild the same system
// under different IDs and in different orders.
type compSpec struct {
	key, label, shape, boundary string
	attrs                       map[string]string
}

type flowSpec struct {
	from, to, label string
	attrs           map[string]string
}

type boundSpec struct {
	key, label, parent string
	attrs              map[string]string
}

type diagramSpec struct {
	bounds []boundSpec
	comps  []compSpec
	flows  []flowSpec
}

// telehealthSpec is examples/telehealth.dot as the DOT importer reads it,
// turned into a spec (keys are the diagram's IDs) so that tests can
// rebuild the same system under other IDs and in other orders. The example
// file is the one source of truth; nothing here copies it by hand.
func telehealthSpec() diagramSpec {
	data, err := os.ReadFile(filepath.Join("..", "examples", "telehealth.dot"))
	if err != nil {
		panic(err)
	}
	ds, err := dot.Import("telehealth.dot", data, dot.Options{})
	if err != nil {
		panic(err)
	}
	return specOf(ds[0])
}

// specOf describes d by labels, shapes, nesting and attributes.
func specOf(d *graph.Diagram) diagramSpec {
	var s diagramSpec
	for _, b := range d.Boundaries {
		s.bounds = append(s.bounds, boundSpec{key: b.ID, label: b.Label, parent: b.Parent, attrs: b.Attributes})
	}
	for _, c := range d.Components {
		s.comps = append(s.comps, compSpec{key: c.ID, label: c.Label, shape: c.Shape, boundary: c.Boundary, attrs: c.Attributes})
	}
	for _, f := range d.Flows {
		s.flows = append(s.flows, flowSpec{from: f.Source, to: f.Target, label: f.Label, attrs: f.Attributes})
	}
	return s
}

// build turns a spec into a diagram. idOf maps spec keys to IDs; perm, if
// not nil, shuffles the order of boundaries, components and flows.
func (s diagramSpec) build(t testing.TB, idOf func(kind, key string) string, rng *rand.Rand) *graph.Diagram {
	t.Helper()
	if idOf == nil {
		idOf = func(_, key string) string { return key }
	}
	d := graph.New("test.dot", "dot")
	bounds := append([]boundSpec(nil), s.bounds...)
	comps := append([]compSpec(nil), s.comps...)
	flows := append([]flowSpec(nil), s.flows...)
	if rng != nil {
		rng.Shuffle(len(bounds), func(i, j int) { bounds[i], bounds[j] = bounds[j], bounds[i] })
		rng.Shuffle(len(comps), func(i, j int) { comps[i], comps[j] = comps[j], comps[i] })
		rng.Shuffle(len(flows), func(i, j int) { flows[i], flows[j] = flows[j], flows[i] })
	}
	for _, b := range bounds {
		parent := ""
		if b.parent != "" {
			parent = idOf("b", b.parent)
		}
		if err := d.AddBoundary(&graph.Boundary{ID: idOf("b", b.key), Label: b.label, Parent: parent, Attributes: copyMap(b.attrs)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range comps {
		bid := ""
		if c.boundary != "" {
			bid = idOf("b", c.boundary)
		}
		if err := d.AddComponent(&graph.Component{ID: idOf("c", c.key), Label: c.label, Shape: c.shape, Boundary: bid, Attributes: copyMap(c.attrs)}); err != nil {
			t.Fatal(err)
		}
	}
	for i, f := range flows {
		d.AddFlow(&graph.Flow{ID: idOf("f", fmt.Sprintf("%s->%s#%d", f.from, f.to, i)), Source: idOf("c", f.from), Target: idOf("c", f.to),
			Label: f.label, Attributes: copyMap(f.attrs)})
	}
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	return d
}

func copyMap(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func analyze(t testing.TB, d *graph.Diagram, opts Options) *Report {
	t.Helper()
	r, err := Analyze(d, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// threatsBy returns the threats of rule on the element named name ("" for
// any element).
// threatsBy returns the threats of rule on the element named name (any
// element when name is ""): the element itself or one a folded threat
// lists.
//
// A threat that folds members rated apart (Threat.Members) is returned as
// rated on the named element, with that member's rule; with name "" a
// threat that folds rule with others is returned as rated on the rule's
// first element.
func threatsBy(r *Report, rule, name string) []Threat {
	var out []Threat
	for _, th := range r.Threats {
		if len(th.Members) == 0 {
			if th.Rule == rule && (name == "" || th.ElementName == name || slices.Contains(memberNames(r, th), name)) {
				out = append(out, th)
			}
			continue
		}
		names := memberNames(r, th)
		for _, v := range th.Views() {
			if v.Threat.Rule != rule {
				continue
			}
			if name == "" {
				if th.Rule == rule {
					out = append(out, th)
				} else {
					out = append(out, *v.Threat)
				}
				break
			}
			if viewName(r, th, names, v.Element) == name {
				out = append(out, *v.Threat)
				break
			}
		}
	}
	return out
}

// viewName is the name of element e of th, as memberNames names it.
func viewName(r *Report, th Threat, names []string, e ElementRef) string {
	for i, x := range th.Elements {
		if x == e && i < len(names) {
			return names[i]
		}
	}
	if e == th.Element {
		return th.ElementName
	}
	return ""
}

// memberNames returns the names of the elements a folded threat lists
// (component labels, "Source → Target" for flows); nil for a threat on
// one element.
func memberNames(r *Report, th Threat) []string {
	if len(th.Elements) == 0 {
		return nil
	}
	label := map[string]string{}
	for _, c := range r.Components {
		label[c.ID] = strings.Join(strings.Fields(c.Label), " ")
	}
	flows := map[string]Flow{}
	for _, f := range r.Flows {
		flows[f.ID] = f
	}
	out := make([]string, len(th.Elements))
	for i, e := range th.Elements {
		if e.Type == "flow" {
			f := flows[e.ID]
			out[i] = label[f.Source] + " → " + label[f.Target]
			continue
		}
		out[i] = label[e.ID]
	}
	return out
}

func oneThreat(t *testing.T, r *Report, rule, name string) Threat {
	t.Helper()
	ts := threatsBy(r, rule, name)
	if len(ts) != 1 {
		var all []string
		for _, th := range r.Threats {
			all = append(all, th.Rule+" on "+th.ElementName)
		}
		t.Fatalf("want exactly one %s threat on %q, got %d; threats: %v", rule, name, len(ts), all)
	}
	return ts[0]
}

// mini builds a small diagram: comps are "key:label:shape:boundary",
// boundaries "key:label:parent", flows "from>to:label".
func mini(t testing.TB, bounds []string, comps []string, flows []string) *graph.Diagram {
	t.Helper()
	var s diagramSpec
	for _, b := range bounds {
		p := splitN(b, 3)
		s.bounds = append(s.bounds, boundSpec{key: p[0], label: p[1], parent: p[2]})
	}
	for _, c := range comps {
		p := splitN(c, 4)
		s.comps = append(s.comps, compSpec{key: p[0], label: p[1], shape: p[2], boundary: p[3]})
	}
	for _, f := range flows {
		var from, to, label string
		i := 0
		for i < len(f) && f[i] != '>' {
			i++
		}
		from = f[:i]
		rest := f[i+1:]
		j := 0
		for j < len(rest) && rest[j] != ':' {
			j++
		}
		to = rest[:j]
		if j < len(rest) {
			label = rest[j+1:]
		}
		s.flows = append(s.flows, flowSpec{from: from, to: to, label: label})
	}
	return s.build(t, nil, nil)
}

func splitN(s string, n int) []string {
	out := make([]string, 0, n)
	start := 0
	for i := 0; i < len(s) && len(out) < n-1; i++ {
		if s[i] == ':' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	out = append(out, s[start:])
	for len(out) < n {
		out = append(out, "")
	}
	return out
}

// asInteraction is a copy of a flow's Env as an interaction rule that
// reads Element sees it (analysis.interactionEnvs).
func asInteraction(e *Env) *Env {
	c := *e
	c.Element = AppliesInteraction
	return &c
}

// diagramFile imports a test diagram from path, DOT or Mermaid by its
// suffix, with the real importers.
func diagramFile(t *testing.T, path string) *graph.Diagram {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".dot") {
		ds, err := dot.Import(filepath.Base(path), data, dot.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return ds[0]
	}
	d, err := parseMermaid(filepath.Base(path), data)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
