package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/threatmap/threatmap/stride"
	"github.com/urfave/cli/v2"
)

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:  "rules",
		Usage: "list the threat rule library",
		Description: `rules lists every rule threatmap applies: id, STRIDE category, the elements
it applies to and its title template. --rules adds or overrides rules from a
YAML file, exactly as for analyze. --fields lists instead the fields a rule's
condition and templates can use (docs/rule-fields.md).

Examples:
   threatmap rules
   threatmap rules --category Spoofing
   threatmap rules --rules my-rules.yaml
   threatmap rules --fields`,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "rules", Usage: "extra rules file that adds or overrides library rules (repeatable)"},
			&cli.StringFlag{Name: "category", Usage: "only rules of this STRIDE category (name or letter)"},
			&cli.BoolFlag{Name: "fields", Usage: "list the fields rule conditions and templates can use, with their types and meaning"},
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
			cat := strings.ToLower(c.String("category"))
			tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSTRIDE\tCATEGORY\tAPPLIES TO\tTITLE")
			n := 0
			for _, r := range rules {
				if r.Disabled {
					continue
				}
				if cat != "" && strings.ToLower(string(r.Category)) != cat && strings.ToLower(r.Stride) != cat {
					continue
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Stride, r.Category, strings.Join(r.AppliesTo, ","), oneLine(r.Title))
				n++
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "%d rules\n", n)
			return nil
		},
	}
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

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
