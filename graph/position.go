package graph

import (
	"errors"
	"fmt"
	"strconv"
)

// Position locates something in an input file. Text formats fill Line and
// Column (1-based; 0 means unknown); draw.io fills Page and Cell.
type Position struct {
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Page   string `json:"page,omitempty"`
	Cell   string `json:"cell,omitempty"`
}

// String renders the position as "line:col", "line", "page P, cell C" or "".
func (p Position) String() string {
	s := ""
	switch {
	case p.Line > 0 && p.Column > 0:
		s = strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
	case p.Line > 0:
		s = strconv.Itoa(p.Line)
	}
	if p.Page != "" {
		if s != "" {
			s += ", "
		}
		s += "page " + strconv.Quote(p.Page)
	}
	if p.Cell != "" {
		if s != "" {
			s += ", "
		}
		s += "cell " + strconv.Quote(p.Cell)
	}
	return s
}

// InputError is a problem with the user's input: a syntax error, a broken
// file, a limit exceeded. The CLI maps it to exit code 2. Its message names
// the file and the position: "arch.dot:12: syntax error near ';'".
type InputError struct {
	File string
	Pos  Position
	Msg  string
	Err  error // underlying cause, may be nil
}

func (e *InputError) Error() string {
	s := e.File
	if s == "" {
		s = "<input>"
	}
	if p := e.Pos.String(); p != "" {
		if e.Pos.Line > 0 {
			s += ":" + p
		} else {
			s += ": " + p
		}
	}
	s += ": " + e.Msg
	if e.Err != nil && e.Msg == "" {
		s += e.Err.Error()
	}
	return s
}

func (e *InputError) Unwrap() error { return e.Err }

// Errorf returns an *InputError for file at pos.
func Errorf(file string, pos Position, format string, args ...any) error {
	return &InputError{File: file, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// Wrap returns an *InputError for file at pos whose message is msg followed
// by err's text, keeping err for errors.Is/As.
func Wrap(file string, pos Position, msg string, err error) error {
	m := msg
	if err != nil {
		if m != "" {
			m += ": "
		}
		m += err.Error()
	}
	return &InputError{File: file, Pos: pos, Msg: m, Err: err}
}

// IsInputError reports whether err is or wraps an *InputError.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// ErrLimit is wrapped by errors that come from a safety limit (input size,
// decompressed size, nesting depth, label length).
var ErrLimit = errors.New("limit exceeded")

// ErrNotDiagram is wrapped by errors that say the input holds no diagram at
// all (a Markdown file without a flowchart block, an image without an
// embedded diagram), as opposed to a diagram that is broken. A folder scan
// skips such files; an input named on its own still fails.
var ErrNotDiagram = errors.New("not a diagram")
