package main

import (
	"encoding/json"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
)

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "print the imported model of a diagram as JSON",
		ArgsUsage: "FILE (or - for stdin)",
		Description: `inspect imports a diagram and prints the format-neutral model on stdout:
components, flows, trust boundaries, notes and import warnings, in a stable
order. A file with several diagrams (draw.io pages, Mermaid blocks in
Markdown) prints a JSON array with one object per diagram.

Each component also shows how the analysis reads it ("context"): its kind,
role, technology, zone, trust level and data classes, each with its reason,
and each diagram the assumptions the analysis makes and whether it is
skipped as not a data-flow diagram. threatmap.yaml next to the diagram (or
--config) is applied as analyze applies it.

Examples:
   threatmap inspect examples/telehealth.dot
   threatmap inspect --page 0 arch.drawio
   cat arch.mmd | threatmap inspect --format mermaid -`,
		Flags: append(importFlags(), &cli.StringFlag{Name: "config", Usage: "overrides file (default: threatmap.yaml next to the diagram)"}),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("inspect takes exactly one FILE (or - for stdin); see threatmap inspect --help")
			}
			file := c.Args().First()
			ds, err := loadDiagrams(c, file)
			if err != nil {
				return err
			}
			cfg, err := inspectConfig(c.String("config"), file)
			if err != nil {
				return err
			}
			return writeInspect(c.App.Writer, ds, cfg)
		},
	}
}

type inspectDoc struct {
	Name       string             `json:"name,omitempty"`
	Title      string             `json:"title,omitempty"`
	File       string             `json:"file"`
	Format     string             `json:"format"`
	Direction  string             `json:"direction,omitempty"`
	Components []inspectComponent `json:"components"`
	Flows      []inspectFlow      `json:"flows"`
	Boundaries []inspectBoundary  `json:"boundaries"`
	Notes      []inspectNote      `json:"notes"`
	Warnings   []string           `json:"warnings"`
	// Skipped says why the analysis skips the diagram (an attack tree, an
	// org chart...); Assumptions what it assumes that the diagram omits.
	Skipped     string   `json:"skipped,omitempty"`
	Assumptions []string `json:"assumptions,omitempty"`
}

// inspectContext is how the analysis reads a component, each decision
// with its reason.
type inspectContext struct {
	Kind             string            `json:"kind"`
	KindReason       string            `json:"kind_reason"`
	Role             string            `json:"role,omitempty"`
	RoleReason       string            `json:"role_reason,omitempty"`
	Technology       string            `json:"technology,omitempty"`
	TechnologyReason string            `json:"technology_reason,omitempty"`
	Zone             string            `json:"zone"`
	ZoneReason       string            `json:"zone_reason"`
	Trust            int               `json:"trust"`
	TrustName        string            `json:"trust_name"`
	Data             []string          `json:"data"`
	DataReasons      map[string]string `json:"data_reasons,omitempty"`
}

type inspectComponent struct {
	ID         string            `json:"id"`
	Label      string            `json:"label"`
	Kind       string            `json:"kind"`
	Shape      string            `json:"shape"`
	Boundary   string            `json:"boundary"`
	Attributes map[string]string `json:"attributes"`
	Position   graph.Position    `json:"position"`
	Geometry   *graph.Rect       `json:"geometry,omitempty"`
	Context    *inspectContext   `json:"context,omitempty"`
}

type inspectFlow struct {
	ID            string            `json:"id"`
	Source        string            `json:"source"`
	Target        string            `json:"target"`
	Label         string            `json:"label"`
	Bidirectional bool              `json:"bidirectional"`
	Undirected    bool              `json:"undirected,omitempty"`
	Crosses       []string          `json:"crosses"`
	Attributes    map[string]string `json:"attributes"`
	Position      graph.Position    `json:"position"`
}

type inspectBoundary struct {
	ID       string         `json:"id"`
	Label    string         `json:"label"`
	Parent   string         `json:"parent"`
	Members  []string       `json:"members"`
	Inferred bool           `json:"inferred,omitempty"`
	Position graph.Position `json:"position"`
}

type inspectNote struct {
	ID       string         `json:"id"`
	Text     string         `json:"text"`
	Position graph.Position `json:"position"`
}

func inspectOf(d *graph.Diagram, cfg *stride.Config) (inspectDoc, error) {
	doc := inspectDoc{
		Name: d.Name, Title: d.Title, File: d.File, Format: d.Format, Direction: d.Direction,
		Components: []inspectComponent{}, Flows: []inspectFlow{}, Boundaries: []inspectBoundary{},
		Notes: []inspectNote{}, Warnings: []string{},
	}
	kindName := func(k graph.Kind) string {
		if k == graph.KindUnknown {
			return "unclassified"
		}
		return string(k)
	}
	for _, c := range d.Components {
		doc.Components = append(doc.Components, inspectComponent{
			ID: c.ID, Label: c.Label, Kind: kindName(c.Kind), Shape: c.Shape, Boundary: c.Boundary,
			Attributes: nonNil(c.Attributes), Position: c.Pos, Geometry: c.Geometry,
		})
	}
	for _, f := range d.Flows {
		cr := d.FlowCrossings(f)
		if cr == nil {
			cr = []string{}
		}
		doc.Flows = append(doc.Flows, inspectFlow{
			ID: f.ID, Source: f.Source, Target: f.Target, Label: f.Label, Bidirectional: f.Bidirectional,
			Undirected: f.Undirected, Crosses: cr, Attributes: nonNil(f.Attributes), Position: f.Pos,
		})
	}
	for _, b := range d.Boundaries {
		m := b.Members
		if m == nil {
			m = []string{}
		}
		doc.Boundaries = append(doc.Boundaries, inspectBoundary{
			ID: b.ID, Label: b.Label, Parent: b.Parent, Members: m, Inferred: b.Inferred, Position: b.Pos,
		})
	}
	for _, n := range d.Notes {
		doc.Notes = append(doc.Notes, inspectNote{ID: n.ID, Text: n.Text, Position: n.Pos})
	}
	for _, w := range d.Warnings {
		doc.Warnings = append(doc.Warnings, w.String())
	}
	if doc.Skipped = stride.NotDataFlow(d); doc.Skipped != "" || len(d.Components) == 0 {
		return doc, nil
	}
	rep, err := stride.Analyze(d, stride.Options{Config: cfg})
	if err != nil {
		return doc, err
	}
	doc.Assumptions = rep.Assumptions
	ctx := map[string]*inspectContext{}
	for _, c := range rep.Components {
		ctx[c.ID] = &inspectContext{Kind: c.Kind, KindReason: c.KindReason, Role: c.Role, RoleReason: c.RoleReason,
			Technology: c.Technology, TechnologyReason: c.TechnologyReason, Zone: c.Zone, ZoneReason: c.ZoneReason,
			Trust: c.Trust, TrustName: c.TrustName, Data: c.Sensitivity, DataReasons: c.DataReasons}
	}
	for i := range doc.Components {
		doc.Components[i].Context = ctx[doc.Components[i].ID]
	}
	return doc, nil
}

// inspectConfig loads --config, else threatmap.yaml next to the diagram.
func inspectConfig(flag, file string) (*stride.Config, error) {
	if flag != "" {
		return loadConfig(flag)
	}
	if file != "-" {
		if p, ok := findConfig(file); ok {
			return loadConfig(p)
		}
	}
	return nil, nil
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func writeInspect(w io.Writer, ds []*graph.Diagram, cfg *stride.Config) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	docs := make([]inspectDoc, len(ds))
	for i, d := range ds {
		doc, err := inspectOf(d, cfg)
		if err != nil {
			return err
		}
		docs[i] = doc
	}
	if len(docs) == 1 {
		return enc.Encode(docs[0])
	}
	return enc.Encode(docs)
}
