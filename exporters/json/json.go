// Package json writes a stride.Report as the JSON document described in
// docs/report-json.md: indented, keys in a fixed order (struct field order,
// map keys sorted by encoding/json), HTML characters not escaped, and every
// list present as [] rather than null, so the same input gives the same
// bytes and consumers never have to test for null.
package json

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"

	"github.com/threatmap/threatmap/stride"
)

// Write encodes r to w. It does not modify r.
func Write(w io.Writer, r *stride.Report) error {
	if r == nil {
		return errors.New("json: nil report")
	}
	out := normalize(r)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	return bw.Flush()
}

func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func attrs(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func counts[K ~string](m map[K]int) map[K]int {
	if m == nil {
		return map[K]int{}
	}
	return m
}

// normalize returns a shallow copy of r whose nil slices and maps are empty
// ones, copying only the elements it has to change.
func normalize(r *stride.Report) *stride.Report {
	c := *r
	if c.SchemaVersion == "" {
		c.SchemaVersion = stride.SchemaVersion
	}
	c.Components = make([]stride.Component, len(r.Components))
	for i, x := range r.Components {
		x.Sensitivity, x.Threats, x.Controls = strs(x.Sensitivity), strs(x.Threats), strs(x.Controls)
		x.Attributes = attrs(x.Attributes)
		c.Components[i] = x
	}
	c.Boundaries = make([]stride.Boundary, len(r.Boundaries))
	for i, x := range r.Boundaries {
		x.Members = strs(x.Members)
		c.Boundaries[i] = x
	}
	c.Flows = make([]stride.Flow, len(r.Flows))
	for i, x := range r.Flows {
		x.Sensitivity, x.Crosses, x.Threats, x.Controls = strs(x.Sensitivity), strs(x.Crosses), strs(x.Threats), strs(x.Controls)
		x.Attributes = attrs(x.Attributes)
		c.Flows[i] = x
	}
	c.EntryPoints = make([]stride.EntryPoint, len(r.EntryPoints))
	for i, x := range r.EntryPoints {
		x.Boundaries, x.Threats = strs(x.Boundaries), strs(x.Threats)
		c.EntryPoints[i] = x
	}
	c.Threats = make([]stride.Threat, len(r.Threats))
	for i, x := range r.Threats {
		x.ExistingControls, x.EntryPoints = strs(x.ExistingControls), strs(x.EntryPoints)
		if x.Mitigations == nil {
			x.Mitigations = []stride.Mitigation{}
		}
		c.Threats[i] = x
	}
	c.OpenQuestions = make([]stride.OpenQuestion, len(r.OpenQuestions))
	for i, x := range r.OpenQuestions {
		x.Threats = strs(x.Threats)
		c.OpenQuestions[i] = x
	}
	c.Warnings = strs(r.Warnings)
	c.Summary.BySeverity = counts(r.Summary.BySeverity)
	c.Summary.ByCategory = counts(r.Summary.ByCategory)
	return &c
}
