package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/threatmap/threatmap/baseline"
	"github.com/threatmap/threatmap/stride"
)

// loadBaseline reads --baseline and checks the flags that go with it:
// one input, and --new-only only with --fail-on and a baseline.
func loadBaseline(c *cli.Context, inputs int, failOn stride.Severity) (*baseline.Baseline, error) {
	p := c.String("baseline")
	if c.Bool("new-only") && (p == "" || failOn == "") {
		return nil, usagef("--new-only needs --baseline and --fail-on: it gates on threats new or worse since the baseline")
	}
	if p == "" {
		return nil, nil
	}
	if inputs != 1 {
		return nil, usagef("--baseline applies to one diagram; %d inputs given", inputs)
	}
	return baseline.Load(p, displayName(p))
}

// gateThreats lists the threats that trip --fail-on: every threat at or
// above sev, or with newOnly those new, reopened or worse since the
// baseline.
func gateThreats(r *stride.Report, sev stride.Severity, newOnly bool) []string {
	var only map[string]string
	if newOnly && r.Changes != nil {
		only = map[string]string{}
		for _, l := range []struct {
			ids  []string
			what string
		}{{r.Changes.New, "new"}, {r.Changes.Reopened, "reopened"}, {r.Changes.Worse, "worse"}} {
			for _, id := range l.ids {
				only[id] = l.what
			}
		}
	}
	var out []string
	for _, t := range r.Threats {
		if t.ResidualRisk.Rank() < sev.Rank() {
			continue
		}
		line := fmt.Sprintf("%s %s [%s] %s", t.ID, t.ResidualRisk, t.ElementName, t.Title)
		if only != nil {
			what, ok := only[t.ID]
			if !ok {
				continue
			}
			line = fmt.Sprintf("%s %s (%s) [%s] %s", t.ID, t.ResidualRisk, what, t.ElementName, t.Title)
		}
		out = append(out, line)
	}
	return out
}
