package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/threatmap/threatmap/baseline"
	"github.com/threatmap/threatmap/diff"
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
	"github.com/threatmap/threatmap/stride"
)

func diffCommand() *cli.Command {
	flags := append(importFlags(),
		&cli.StringFlag{Name: "output", Aliases: []string{"O"}, Value: "text", Usage: "how to print the changes: text, md (Markdown, for a pull-request comment) or json"},
		&cli.StringFlag{Name: "fail-on", Usage: "exit 3 when a threat new or worse in NEW is at or above this residual severity: low, medium, high, critical"},
		&cli.StringFlag{Name: "config", Usage: "overrides file for diagrams (default: threatmap.yaml next to each diagram)"},
		&cli.StringSliceFlag{Name: "rules", Usage: "extra rules file for diagrams (repeatable)"},
	)
	return &cli.Command{
		Name:      "diff",
		Usage:     "show new, removed and changed threats and entry points between two threat models",
		ArgsUsage: "OLD NEW",
		Description: `diff compares two states of a threat model. Each side is a diagram (analysed
on the fly), a *.threats.json report or a *.risk-register.xlsx register, in any
combination. Threats and entry points are matched on their stable identity
(docs/identity.md): a re-drawn diagram or another format still matches.

Examples:
   threatmap diff old/telehealth.threats.json examples/telehealth.drawio
   threatmap diff --output md main.threats.json arch.mmd > comment.md
   threatmap diff --fail-on high risk-register.xlsx arch.dot`,
		Flags: flags,
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return usagef("diff takes two inputs, OLD and NEW; see threatmap diff --help")
			}
			format := strings.ToLower(c.String("output"))
			switch format {
			case "text", "md", "markdown", "json":
			default:
				return usagef("--output %q: want text, md or json", c.String("output"))
			}
			var failOn stride.Severity
			if v := c.String("fail-on"); v != "" {
				var ok bool
				if failOn, ok = stride.ParseSeverity(v); !ok {
					return usagef("--fail-on %q: want low, medium, high or critical", v)
				}
			}
			old, err := loadSide(c, c.Args().Get(0))
			if err != nil {
				return err
			}
			new, err := loadSide(c, c.Args().Get(1))
			if err != nil {
				return err
			}
			res := diff.Compare(old, new)
			w := c.App.Writer
			switch format {
			case "md", "markdown":
				err = res.WriteMarkdown(w)
			case "json":
				err = res.WriteJSON(w)
			default:
				err = res.WriteText(w)
			}
			if err != nil {
				return err
			}
			if failOn != "" {
				if gate := res.Gate(failOn); len(gate) > 0 {
					for _, g := range gate {
						fmt.Fprintln(c.App.ErrWriter, "  "+g)
					}
					return &gateError{msg: fmt.Sprintf("policy gate: %d threat(s) new or worse at or above %s (--fail-on %s)", len(gate), failOn, strings.ToLower(string(failOn)))}
				}
			}
			return nil
		},
	}
}

// displayName names an input in outputs: as given when relative, else
// its base name, so that no local absolute path is printed.
func displayName(file string) string {
	if file == "-" || file == "" {
		return "stdin"
	}
	if filepath.IsAbs(file) {
		return filepath.Base(file)
	}
	return filepath.ToSlash(filepath.Clean(file))
}

// loadSide reads one side of a diff: a register, a JSON report or a
// diagram, which is analysed.
func loadSide(c *cli.Context, file string) (*baseline.Baseline, error) {
	name := displayName(file)
	lower := strings.ToLower(file)
	switch {
	case strings.HasSuffix(lower, ".xlsx"), strings.HasSuffix(lower, ".json"):
		return baseline.Load(file, name)
	}
	opts := importOptions(c)
	data, err := readInput(c, file, opts.Limits.MaxInputBytes)
	if err != nil {
		return nil, err
	}
	ds, err := importers.Import(name, data, opts)
	if err != nil {
		return nil, err
	}
	if len(ds) != 1 {
		return nil, graph.Errorf(name, graph.Position{}, "holds %d diagrams; pick one with --page", len(ds))
	}
	cfg, err := diffConfig(c, file)
	if err != nil {
		return nil, err
	}
	rules, err := loadRules(c.StringSlice("rules"))
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	r, err := stride.Analyze(ds[0], stride.Options{Config: cfg, Rules: rules, Generator: "threatmap " + version(),
		SourceSHA256: hex.EncodeToString(sum[:])})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return baseline.FromReport(name, r), nil
}

func diffConfig(c *cli.Context, file string) (*stride.Config, error) {
	if p := c.String("config"); p != "" {
		return loadConfig(p)
	}
	if p, ok := findConfig(file); ok {
		return loadConfig(p)
	}
	return nil, nil
}
