// Package json writes a stride.Report as the JSON document described in
// docs/report-json.md: indented, keys in a fixed order (struct field order,
// map keys sorted by encoding/json), HTML characters not escaped, and every
// list present as [] rather than null, so the same input gives the same
// bytes and consumers never have to test for null.
package json

import (
	"bufio"
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/stride"
)

// Write encodes r to w. It does not modify r.
//
// The document is streamed: each top-level field, and each element of a
// top-level list, is encoded on its own and written out before the next,
// so memory holds one element rather than the whole document and its
// indented copy. The bytes are those of encoding/json indenting the whole
// report with two spaces.
func Write(w io.Writer, r *stride.Report) error {
	if r == nil {
		return errors.New("json: nil report")
	}
	s := newStreamer(w)
	s.object(reflect.ValueOf(normalize(r)).Elem())
	if s.err != nil {
		return s.err
	}
	return s.w.Flush()
}

// streamer writes a value as encoding/json's indented encoding would, one
// piece at a time.
type streamer struct {
	w   *bufio.Writer
	buf bytes.Buffer // one encoded piece
	enc *json.Encoder
	err error
}

func newStreamer(w io.Writer) *streamer {
	s := &streamer{w: bufio.NewWriterSize(w, 64<<10)}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	return s
}

func (s *streamer) str(text string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(text)
	}
}

// value writes v whole, indented as if it stood at a line beginning with
// prefix.
func (s *streamer) value(v reflect.Value, prefix string) {
	if s.err != nil {
		return
	}
	s.buf.Reset()
	s.enc.SetIndent(prefix, "  ")
	if s.err = s.enc.Encode(boxed(v)); s.err != nil {
		return
	}
	b := bytes.TrimSuffix(s.buf.Bytes(), []byte("\n")) // Encode ends with a newline
	_, s.err = s.w.Write(b)
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// boxed returns v for the encoder: a pointer to it when it is addressable,
// which encodes the same and spares copying a large struct into an
// interface, unless only the pointer has a marshaling method (that the
// value's encoding would not use).
func boxed(v reflect.Value) any {
	if v.CanAddr() {
		t := v.Type()
		p := reflect.PointerTo(t)
		if (!p.Implements(jsonMarshaler) || t.Implements(jsonMarshaler)) &&
			(!p.Implements(textMarshaler) || t.Implements(textMarshaler)) {
			return v.Addr().Interface()
		}
	}
	return v.Interface()
}

// object writes the top-level struct v field by field, in field order,
// skipping what encoding/json skips (unexported and "-" fields, empty
// omitempty fields). A non-empty slice is written element by element.
func (s *streamer) object(v reflect.Value) {
	const in = "  "
	s.str("{")
	first := true
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, omitEmpty, ok := jsonField(f)
		if !ok {
			continue
		}
		fv := v.Field(i)
		if omitEmpty && isEmpty(fv) {
			continue
		}
		if !first {
			s.str(",")
		}
		first = false
		s.str("\n" + in + strconv.Quote(name) + ": ")
		if fv.Kind() != reflect.Slice || fv.Len() == 0 {
			s.value(fv, in)
			continue
		}
		s.str("[")
		for j := range fv.Len() {
			if j > 0 {
				s.str(",")
			}
			s.str("\n" + in + in)
			s.value(fv.Index(j), in+in)
		}
		s.str("\n" + in + "]")
	}
	if first {
		s.str("}\n")
		return
	}
	s.str("\n}\n")
}

// jsonField returns the key of struct field f as encoding/json names it,
// whether it has omitempty, and false when encoding/json leaves it out.
// The report's fields are plain (no embedding, no string option).
func jsonField(f reflect.StructField) (name string, omitEmpty, ok bool) {
	if !f.IsExported() {
		return "", false, false
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		omitEmpty = omitEmpty || o == "omitempty"
	}
	return name, omitEmpty, true
}

// isEmpty is encoding/json's omitempty test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
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
		if x.Controls == nil {
			x.Controls = []stride.CreditedControl{}
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
