// Command threatmap turns an architecture diagram (draw.io, Mermaid or
// Graphviz DOT) into a STRIDE threat model.
//
// Exit codes: 0 success, 1 internal failure, 2 bad usage or bad input,
// 3 a policy gate (--fail-on) failed.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/importers"
)

// Exit codes.
const (
	exitOK       = 0
	exitInternal = 1
	exitInput    = 2
	exitGate     = 3
)

func main() {
	deferFirstGC()
	stop := handleSignals(os.Stderr, os.Exit)
	code := run(os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process exit, for tests.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	if len(args) > 1 && !strings.HasPrefix(args[1], "-") && app.Command(args[1]) == nil {
		fmt.Fprintf(stderr, "threatmap: unknown command %q; see threatmap --help\n", args[1])
		return exitInput
	}
	err := app.Run(interspersed(app, args))
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	// A single failed input was already reported with its own message.
	var ff *failedFilesError
	if !errors.As(err, &ff) || ff.total > 1 {
		fmt.Fprintf(stderr, "threatmap: %v\n", err)
	}
	return code
}

// usageError is bad usage: unknown flag, missing argument.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// gateError is a --fail-on policy failure.
type gateError struct{ msg string }

func (e *gateError) Error() string { return e.msg }

func exitCode(err error) int {
	var ue *usageError
	var ge *gateError
	var fe *importers.UnknownFormatError
	var ff *failedFilesError
	switch {
	case errors.As(err, &ge):
		return exitGate
	case errors.As(err, &ff) && ff.internal:
		return exitInternal
	case errors.As(err, new(*emptyModelError)):
		return exitInput
	case errors.As(err, &ue), errors.As(err, &fe), errors.As(err, &ff), graph.IsInputError(err):
		return exitInput
	}
	return exitInternal
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	onUsage := func(c *cli.Context, err error, isSub bool) error { return &usageError{err} }
	app := &cli.App{
		Name:    "threatmap",
		Usage:   "turn an architecture diagram into a STRIDE threat model",
		Version: version(),
		Description: `threatmap reads a diagram you already have (draw.io, Mermaid, Graphviz DOT),
finds the trust boundaries in its containers, runs a STRIDE pass and writes an
annotated SVG, an Excel risk register, a Markdown threat model and a JSON report.

Examples:
   threatmap analyze examples/telehealth.drawio -o out/
   threatmap analyze --fail-on high -o out/ docs/diagrams/
   threatmap inspect examples/telehealth.dot
   cat arch.mmd | threatmap analyze --emit json -o out/ -
   threatmap rules`,
		Reader:          stdin,
		Writer:          stdout,
		ErrWriter:       stderr,
		OnUsageError:    onUsage,
		HideHelpCommand: true,
		ExitErrHandler:  func(*cli.Context, error) {}, // run maps errors to exit codes
		Commands: []*cli.Command{
			analyzeCommand(),
			inspectCommand(),
			rulesCommand(),
			diffCommand(),
		},
	}
	for _, c := range app.Commands {
		c.OnUsageError = onUsage
	}
	return app
}

// importFlags are shared by every command that reads diagrams.
func importFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "input format, overriding detection: " + joinNames()},
		&cli.StringFlag{Name: "page", Usage: "draw.io page to import, by name or 0-based index (default: every page)"},
		&cli.Int64Flag{Name: "max-input", Value: graph.DefaultMaxInputBytes, Usage: "largest input file accepted, in bytes"},
		&cli.Int64Flag{Name: "max-decompressed", Value: graph.DefaultMaxDecompressedBytes, Usage: "most bytes a draw.io file's compressed pages and PNG chunks may inflate to, in all"},
		&cli.IntFlag{Name: "max-depth", Value: graph.DefaultMaxDepth, Usage: "deepest nesting accepted (XML elements, clusters, subgraphs)"},
		&cli.IntFlag{Name: "max-label", Value: graph.DefaultMaxLabelBytes, Usage: "longer labels are truncated (with a warning), in bytes"},
		&cli.IntFlag{Name: "max-elements", Value: graph.DefaultMaxElements, Usage: "most components plus flows accepted from one file"},
	}
}

func importOptions(c *cli.Context) importers.Options {
	return importers.Options{
		Format: c.String("format"),
		Page:   c.String("page"),
		Limits: graph.Limits{
			MaxInputBytes:        c.Int64("max-input"),
			MaxDecompressedBytes: c.Int64("max-decompressed"),
			MaxDepth:             c.Int("max-depth"),
			MaxLabelBytes:        c.Int("max-label"),
			MaxElements:          c.Int("max-elements"),
		}.WithDefaults(),
	}
}

func joinNames() string {
	s := ""
	for i, n := range importers.Names() {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}

// readInput reads file ("-" for stdin) up to limit bytes.
func readInput(c *cli.Context, file string, limit int64) ([]byte, error) {
	var r io.Reader
	if file == "-" {
		r = c.App.Reader
	} else {
		f, err := os.Open(file)
		if err != nil {
			return nil, &graph.InputError{File: file, Msg: "cannot read input: " + errText(err), Err: err}
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return nil, graph.Errorf(file, graph.Position{}, "is a directory")
		}
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &graph.InputError{File: file, Msg: "cannot read input: " + errText(err), Err: err}
	}
	if int64(len(data)) > limit {
		return nil, graph.Wrap(file, graph.Position{}, fmt.Sprintf("input is over the limit of %d bytes (raise it with --max-input)", limit), graph.ErrLimit)
	}
	return data, nil
}

func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// loadDiagrams reads and imports one input.
func loadDiagrams(c *cli.Context, file string) ([]*graph.Diagram, error) {
	opts := importOptions(c)
	data, err := readInput(c, file, opts.Limits.MaxInputBytes)
	if err != nil {
		return nil, err
	}
	return importers.Import(file, data, opts)
}

// interspersed moves a command's flags in front of its positional
// arguments, so that "threatmap analyze arch.drawio -o out/" works as users
// expect (urfave/cli v2 stops reading flags at the first argument).
// Everything after "--" stays positional.
func interspersed(app *cli.App, args []string) []string {
	if len(args) < 3 {
		return args
	}
	cmd := app.Command(args[1])
	if cmd == nil {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	var flags, pos []string
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			pos = append(pos, rest[i+1:]...)
			i = len(rest)
		case a == "-" || !strings.HasPrefix(a, "-"):
			pos = append(pos, a)
		default:
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(rest) {
				i++
				flags = append(flags, rest[i])
			}
		}
	}
	out := append([]string{}, args[:2]...)
	out = append(out, flags...)
	if len(pos) > 0 {
		out = append(out, "--")
		out = append(out, pos...)
	}
	return out
}
