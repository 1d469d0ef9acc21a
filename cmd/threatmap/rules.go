package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers/mermaid"
	"github.com/threatmap/threatmap/stride"
	"github.com/urfave/cli/v2"
)

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:  "rules",
		Usage: "list the threat rule library",
		Description: `rules lists every rule threatmap applies, family by family: id, STRIDE
category, the elements it applies to, its title and the first sentence of its
description as they read on the element of its first fires: example (names in
<angle brackets> where a rule has no example that fires), its severity factors
(what it adds to the likelihood and impact the element's asset and exposure
give, the attacker skill it assumes, its modifiers) and its references (CWE,
CAPEC, OWASP ASVS, Threagile, pytm, OWASP LLM and ML Top 10, MITRE ATLAS);
then the rule count and each family with
its count. --rules adds or overrides rules from a
YAML file, exactly as for analyze. --fields lists instead the fields a rule's
condition and templates can use (docs/rule-fields.md). --check runs the
examples of every rule (built-in and from --rules files): each must fire on its
fires: diagrams and stay quiet on its quiet: ones.

Examples:
   threatmap rules
   threatmap rules --category Spoofing
   threatmap rules --rules my-rules.yaml
   threatmap rules --fields
   threatmap rules --rules my-rules.yaml --check`,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "rules", Usage: "extra rules file that adds or overrides library rules (repeatable)"},
			&cli.StringFlag{Name: "category", Usage: "only rules of this STRIDE category (name or letter)"},
			&cli.BoolFlag{Name: "fields", Usage: "list the fields rule conditions and templates can use, with their types and meaning"},
			&cli.BoolFlag{Name: "check", Usage: "run every rule's examples and report those that do not fire, or fire, as they say"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return usagef("rules takes no arguments; see threatmap rules --help")
			}
			if c.Bool("fields") {
				return printFields(c.App.Writer)
			}
			rules, err := loadRules(c.StringSlice("rules"))
			if err != nil {
				return err
			}
			if c.Bool("check") {
				return checkRules(c.App.Writer, rules)
			}
			cat := strings.ToLower(c.String("category"))
			var kept []stride.Rule
			for i := range rules {
				r := &rules[i]
				if r.Disabled {
					continue
				}
				if cat != "" && strings.ToLower(string(r.Category)) != cat && strings.ToLower(r.Stride) != cat {
					continue
				}
				kept = append(kept, *r)
			}
			if err := printRules(c.App.Writer, kept, rules); err != nil {
				return err
			}
			return printFamilies(c.App.Writer, len(kept), kept)
		},
	}
}

// printRules writes the rules family by family: each rule's id, STRIDE
// letter and category and the elements it applies to, then its title
// and summary as they read on its first fires example (analysed with
// all, the whole rule set), its severity factors and its references.
func printRules(w io.Writer, rules, all []stride.Rule) error {
	bw := bufio.NewWriter(w)
	for _, f := range stride.Families(rules) {
		n := "rules"
		if len(f.Rules) == 1 {
			n = "rule"
		}
		fmt.Fprintf(bw, "%s (%d %s): %s\n", f.Name, len(f.Rules), n, stride.FamilyTitle(f.Name))
		for _, r := range f.Rules {
			s := r.Sample(parseExample, all)
			fmt.Fprintf(bw, "  %s  %s %s, applies to %s\n", r.ID, r.Stride, r.Category, strings.Join(r.AppliesTo, ", "))
			title := s.Title
			if s.Element != "" {
				title += " (on " + s.Element + ")"
			}
			fmt.Fprintf(bw, "      title:    %s\n", title)
			if s.Summary != "" {
				fmt.Fprintf(bw, "      summary:  %s\n", s.Summary)
			}
			fmt.Fprintf(bw, "      severity: %s\n", r.SeverityFactors())
			if refs := r.Refs.Text(); refs != "" {
				fmt.Fprintf(bw, "      refs:     %s\n", refs)
			}
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

// printFamilies writes the rule count and each family with its count
// ("12 rules in 3 families" then "  secrets  2  Secrets: ...").
func printFamilies(w io.Writer, n int, rules []stride.Rule) error {
	fams := stride.Families(rules)
	fmt.Fprintf(w, "%d rules in %d families\n", n, len(fams))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range fams {
		fmt.Fprintf(tw, "  %s\t%d\t%s\n", f.Name, len(f.Rules), stride.FamilyTitle(f.Name))
	}
	return tw.Flush()
}

// checkRules runs the examples of every enabled rule and prints one line
// per rule; a rule that fails is an input error naming its file and line.
func checkRules(w io.Writer, rules []stride.Rule) error {
	var failed []error
	n := 0
	for i := range rules {
		r := &rules[i]
		if r.Disabled {
			continue
		}
		n++
		if err := r.CheckExamples(parseExample, rules); err != nil {
			fmt.Fprintf(w, "FAIL %s (%s:%d)\n", r.ID, r.Source, r.Line)
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintln(w, "  "+line)
			}
			failed = append(failed, &graph.InputError{File: r.Source, Pos: graph.Position{Line: r.Line},
				Msg: "rule " + r.ID + " fails its examples", Err: err})
			continue
		}
		fmt.Fprintf(w, "ok   %s (%d fires, %d quiet)\n", r.ID, len(r.Examples.Fires), len(r.Examples.Quiet))
	}
	fmt.Fprintf(w, "%d rules, %d failed\n", n, len(failed))
	if len(failed) > 0 {
		return failed[0]
	}
	return nil
}

// parseExample imports a rule example with the Mermaid importer.
func parseExample(name string, src []byte) (*graph.Diagram, error) {
	ds, err := mermaid.Import(name, src, mermaid.Options{})
	if err != nil {
		return nil, err
	}
	if len(ds) != 1 {
		return nil, fmt.Errorf("%s: %d diagrams, want one", name, len(ds))
	}
	return ds[0], nil
}

// printFields writes the rule field reference as a table.
func printFields(w io.Writer) error {
	fields, err := stride.Fields()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tTYPE\tMEANING")
	for _, f := range fields {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, f.Type, f.Doc)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, "Every Source.X field also exists as Target.X. See docs/rule-fields.md.")
	return err
}
