package xlsx

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/threatmap/threatmap/third_party/excelize"
)

// A streamed sheet's rows are not written through excelize's StreamWriter:
// it keeps each sheet's XML in a buffer of up to 16 MB (32 MB of capacity
// once it has grown past that) until the workbook is saved, and at 20,000
// components the seven streamed sheets held 105 MB that way, the largest
// part of the workbook's peak. The StreamWriter still writes the sheet's
// start and end (everything outside <sheetData>); the rows go to a
// temporary file (rowSpill), in the XML the StreamWriter writes for the
// same cells, and are put in place as the workbook is saved (spliceRows).

// rowSpill holds the rows of one streamed sheet in a temporary file, or
// in memory when no temporary file can be made (as excelize does).
type rowSpill struct {
	f    *os.File // nil: in mem
	mem  bytes.Buffer
	w    *bufio.Writer
	last int // last row written
	ref  []byte
}

func newRowSpill() (*rowSpill, error) {
	s := &rowSpill{}
	f, err := os.CreateTemp("", "threatmap-xlsx-rows-")
	if err != nil {
		s.w = bufio.NewWriterSize(&s.mem, 1<<16)
		return s, nil
	}
	s.f, s.w = f, bufio.NewWriterSize(f, 1<<16)
	return s, nil
}

// close removes the file.
func (s *rowSpill) close() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
	}
}

// reader returns the rows written, from the start.
func (s *rowSpill) reader() (io.Reader, error) {
	if err := s.w.Flush(); err != nil {
		return nil, err
	}
	if s.f == nil {
		return bytes.NewReader(s.mem.Bytes()), nil
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return bufio.NewReaderSize(s.f, 1<<16), nil
}

// row writes row n as excelize's StreamWriter.SetRow does for the same
// cells (with no row style): a <row> with the height when there is one,
// then every cell, empty ones included.
func (s *rowSpill) row(n int, cells []cellv, height float64) error {
	if n <= s.last {
		return fmt.Errorf("row %d written after row %d", n, s.last)
	}
	s.last = n
	w := s.w
	w.WriteString(`<row r="`)
	w.WriteString(strconv.Itoa(n))
	w.WriteByte('"')
	if height > 0 {
		if height > excelize.MaxRowHeight {
			return excelize.ErrMaxRowHeight
		}
		w.WriteString(` ht="`)
		w.WriteString(strconv.FormatFloat(height, 'f', -1, 64))
		w.WriteString(`" customHeight="1"`)
	}
	w.WriteByte('>')
	for j, c := range cells {
		s.ref = strconv.AppendInt(append(s.ref[:0], colName(j+1)...), int64(n), 10)
		w.WriteString(`<c r="`)
		w.Write(s.ref)
		w.WriteByte('"')
		if c.style > 0 {
			w.WriteString(` s="`)
			w.WriteString(strconv.Itoa(c.style))
			w.WriteByte('"')
		}
		switch c.kind {
		case kindText:
			inlineText(w, streamText(c.s))
		case kindNum:
			w.WriteString(`><v>`)
			w.WriteString(strconv.Itoa(c.n))
			w.WriteString(`</v>`)
		case kindFormula:
			w.WriteString(` t="str"><f>`)
			if err := xml.EscapeText(w, []byte(c.s)); err != nil {
				return err
			}
			w.WriteString(`</f>`)
		case kindDate:
			if math.IsNaN(c.f) || math.IsInf(c.f, 0) {
				inlineText(w, fmt.Sprint(c.f))
				break
			}
			w.WriteString(`><v>`)
			w.WriteString(cellFloat(c.f))
			w.WriteString(`</v>`)
		default:
			w.WriteByte('>')
		}
		w.WriteString(`</c>`)
	}
	_, err := w.WriteString(`</row>`)
	return err
}

// inlineText writes the rest of an inline string cell holding v (after
// its reference and style): cut to Excel's 32,767 UTF-16 units, its
// spaces kept when it starts or ends with white space, XML-escaped with
// line feeds kept as they are, and "_xHHHH_" sequences escaped (bstr).
func inlineText(w *bufio.Writer, v string) {
	if len(v) > excelize.TotalCellChars/2 { // else it cannot exceed the limit
		v = cutUnits(v, excelize.TotalCellChars)
	}
	w.WriteString(` t="inlineStr"><is><t`)
	if v != "" {
		switch v[0] {
		case '\t', '\n', '\r', ' ':
			w.WriteString(` xml:space="preserve"`)
		default:
			switch v[len(v)-1] {
			case '\t', '\n', '\r', ' ':
				w.WriteString(` xml:space="preserve"`)
			}
		}
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(v))
		v = strings.ReplaceAll(b.String(), "&#xA;", "\n")
		v = inlineBstr(v)
	}
	w.WriteByte('>')
	w.WriteString(v)
	w.WriteString(`</t></is>`)
}

// cutUnits returns the longest prefix of s of at most max UTF-16 units.
func cutUnits(s string, max int) string {
	n := 0
	for i, r := range s {
		if n += utf16.RuneLen(r); n > max {
			return s[:i]
		}
	}
	return s
}

// bstrTail is the rest of an escape after its underscore.
var bstrTail = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^x[a-fA-F\d]{4}_$`) })

// validEscape reports whether hex (four hex digits) names a character
// that a \u escape can stand for (not a surrogate).
func validEscape(hex string) bool {
	_, err := strconv.Unquote(`"\u` + hex + `"`)
	return err == nil
}

// inlineBstr escapes what a reader of the cell would take for an
// "_xHHHH_" character escape, as excelize does for the text it writes:
// "_x005F_" is written "_x005F_x005F_" (three times over when an escape
// follows it), another such sequence gets "_x005F" in front, and one that
// names no character (a surrogate) is dropped.
func inlineBstr(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	cursor := 0
	for _, m := range bstrEscape().FindAllStringIndex(s, -1) {
		b.WriteString(s[cursor:m[0]])
		seq := s[m[0]:m[1]]
		cursor = m[1]
		if seq == "_x005F_" {
			if m[1]+6 <= len(s) && bstrTail().MatchString(s[m[1]:m[1]+6]) && validEscape(s[m[1]+1:m[1]+5]) {
				b.WriteString(seq + "x005F" + seq)
				continue
			}
			b.WriteString(seq + "x005F_")
			continue
		}
		if validEscape(seq[2:6]) {
			b.WriteString("_x005F" + seq)
		}
	}
	b.WriteString(s[cursor:])
	return b.String()
}

// cellFloat formats a number cell's value as excelize does: the shortest
// decimal form, cut to Excel's 15 significant digits.
func cellFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if math.Abs(v) == math.MaxFloat64 {
		return s
	}
	dot := strings.IndexByte(s, '.')
	sig := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' || sig == 0 && s[i] == '0' {
			continue
		}
		if sig++; sig <= 15 {
			continue
		}
		if dot >= 0 && i > dot {
			return strings.TrimSuffix(s[:i], ".")
		}
		if dot < 0 {
			dot = len(s)
		}
		cut := []byte(s[:dot])
		for ; i < len(cut); i++ {
			cut[i] = '0'
		}
		return string(cut)
	}
	return s
}

// rowSplicer passes a streamed sheet's XML on to w, with the rows of
// spill put inside its empty <sheetData></sheetData>.
type rowSplicer struct {
	w     io.Writer
	spill *rowSpill
	head  []byte // held until the sheet data is found
	done  bool
}

var emptySheetData = []byte("<sheetData></sheetData>")

func (r *rowSplicer) Write(b []byte) (int, error) {
	if r.done {
		return r.w.Write(b)
	}
	r.head = append(r.head, b...)
	i := bytes.Index(r.head, emptySheetData)
	if i < 0 {
		return len(b), nil
	}
	r.done = true
	at := i + len("<sheetData>")
	if _, err := r.w.Write(r.head[:at]); err != nil {
		return 0, err
	}
	rows, err := r.spill.reader()
	if err != nil {
		return 0, err
	}
	if _, err := io.Copy(r.w, rows); err != nil {
		return 0, err
	}
	if _, err := r.w.Write(r.head[at:]); err != nil {
		return 0, err
	}
	r.head = nil
	return len(b), nil
}

// finish reports a sheet whose rows had nowhere to go.
func (r *rowSplicer) finish() error {
	if !r.done {
		return fmt.Errorf("streamed sheet without an empty sheetData for its rows")
	}
	return nil
}
