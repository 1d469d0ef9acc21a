package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/threatmap/threatmap/stride"
	"github.com/xuri/excelize/v2"
)

// Options control the workbook.
type Options struct {
	// Date is the workbook's creation date, stored in the document
	// properties and shown on the Summary. When zero, 1980-01-01T00:00:00Z
	// is stored and the Summary shows no date. (threatmap analyze passes
	// --date or SOURCE_DATE_EPOCH, which only cmd reads.)
	Date time.Time
	// Version is the threatmap version shown on the Summary; when empty the
	// report's Generator is shown.
	Version string
	// StreamAll writes every table sheet with excelize's StreamWriter.
	// By default only sheets of 1,000 data rows or more are streamed
	// (which keeps time and memory linear in the size of the register)
	// and smaller ones are written in normal mode (which keeps their
	// text in the shared string table). Both give the same cells,
	// formats, filters and links.
	StreamAll bool
}

// fixedEpoch is the date stamped on workbooks when Options.Date gives none:
// the earliest date a zip entry can carry.
var fixedEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Sheet names, in workbook order.
const (
	SheetSummary     = "Summary"
	SheetRegister    = "Risk Register"
	SheetMitigations = "Mitigations"
	SheetEntryPoints = "Entry Points"
	SheetComponents  = "Components"
	SheetBoundaries  = "Trust Boundaries"
	SheetFlows       = "Data Flows"
	SheetQuestions   = "Open Questions"
	SheetAbout       = "About"
)

// SheetNames lists the sheets in workbook order.
var SheetNames = []string{SheetSummary, SheetRegister, SheetMitigations, SheetEntryPoints,
	SheetComponents, SheetBoundaries, SheetFlows, SheetQuestions, SheetAbout}

// Write writes r as an .xlsx risk register to w. The output depends only on
// r and opts.
func Write(w io.Writer, r *stride.Report, opts Options) error {
	if r == nil {
		return fmt.Errorf("xlsx: nil report")
	}
	date, shown := workbookDate(opts.Date)
	f := excelize.NewFile()
	defer f.Close()
	b := newBook(f, r, opts, date, shown)
	b.build()
	if b.err != nil {
		return fmt.Errorf("xlsx: %w", b.err)
	}
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		return &fixedTimeZip{zw: zip.NewWriter(w), mod: zipTime(date)}
	})
	caches := map[string]map[string]any{}
	for id, name := range f.GetSheetMap() {
		if c := b.cached[name]; len(c) > 0 {
			caches["xl/worksheets/sheet"+strconv.Itoa(id)+".xml"] = c
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return sortedZip(w, buf.Bytes(), caches)
}

// sortedZip copies the archive data to w with its entries in a fixed
// order: content types first, then by name. excelize writes streamed
// sheets in map order. Worksheets named in caches get the cached values
// of their formula cells (see fillCache).
func sortedZip(w io.Writer, data []byte, caches map[string]map[string]any) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int {
		if (a.Name == contentTypesPart) != (b.Name == contentTypesPart) {
			if a.Name == contentTypesPart {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	zw := zip.NewWriter(w)
	for _, f := range files {
		cache := caches[f.Name]
		if len(cache) == 0 {
			if err := zw.Copy(f); err != nil {
				return err
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		sheet, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
		if err != nil {
			return err
		}
		if _, err := fw.Write(fillCache(sheet, cache)); err != nil {
			return err
		}
	}
	return zw.Close()
}

var formulaCell = regexp.MustCompile(`<c ([^>]*)><f>([^<]*)</f>(?:<v>[^<]*</v>)?</c>`)
var cellRef = regexp.MustCompile(`\br="([A-Z]+[0-9]+)"`)
var cellType = regexp.MustCompile(` t="[^"]*"`)

// fillCache gives each formula cell of a worksheet whose value threatmap
// computed that value as its cached value (<v>): numbers as numbers, text
// as a formula string (t="str"). Spreadsheet programs recalculate anyway
// (fullCalcOnLoad); viewers that do not (previewers, GitHub, Python
// readers) show the values instead of blanks.
func fillCache(sheet []byte, cache map[string]any) []byte {
	return formulaCell.ReplaceAllFunc(sheet, func(m []byte) []byte {
		sub := formulaCell.FindSubmatch(m)
		attrs := sub[1]
		ref := cellRef.FindSubmatch(attrs)
		if ref == nil {
			return m
		}
		v, ok := cache[string(ref[1])]
		if !ok {
			return m
		}
		attrs = cellType.ReplaceAll(attrs, nil)
		var out bytes.Buffer
		out.WriteString("<c ")
		out.Write(attrs)
		var val string
		switch x := v.(type) {
		case int:
			val = strconv.Itoa(x)
		case float64:
			val = strconv.FormatFloat(x, 'f', -1, 64)
		case string:
			out.WriteString(` t="str"`)
			var esc bytes.Buffer
			_ = xml.EscapeText(&esc, []byte(x))
			val = esc.String()
		default:
			return m
		}
		out.WriteString("><f>")
		out.Write(sub[2])
		out.WriteString("</f><v>")
		out.WriteString(val)
		out.WriteString("</v></c>")
		return out.Bytes()
	})
}

// workbookDate resolves the date stamped on the workbook and whether it is
// a real date worth showing.
func workbookDate(d time.Time) (time.Time, bool) {
	if !d.IsZero() {
		return d.UTC(), true
	}
	return fixedEpoch, false
}

// zipTime clamps t to the range a zip entry's MS-DOS time can hold.
func zipTime(t time.Time) time.Time {
	lo, hi := fixedEpoch, time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)
	switch {
	case t.Before(lo):
		return lo
	case t.After(hi):
		return hi
	}
	return t.Truncate(2 * time.Second)
}

// fixedTimeZip is the zip writer excelize saves through. It stamps every
// entry with the same modification time and puts the content types, which
// excelize writes in map order, in a fixed order, so the archive bytes
// depend only on the content.
type fixedTimeZip struct {
	zw      *zip.Writer
	mod     time.Time
	pending *bytes.Buffer // [Content_Types].xml, written on Close
}

const contentTypesPart = "[Content_Types].xml"

func (z *fixedTimeZip) Create(name string) (io.Writer, error) {
	if name == contentTypesPart {
		z.pending = &bytes.Buffer{}
		return z.pending, nil
	}
	return z.create(name)
}

func (z *fixedTimeZip) create(name string) (io.Writer, error) {
	return z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.mod})
}

func (z *fixedTimeZip) AddFS(fsys fs.FS) error {
	return fmt.Errorf("xlsx: adding a file system to the workbook is not supported")
}

func (z *fixedTimeZip) Close() error {
	if z.pending != nil {
		w, err := z.create(contentTypesPart)
		if err != nil {
			return err
		}
		if _, err := w.Write(sortDefaults(z.pending.Bytes())); err != nil {
			return err
		}
	}
	return z.zw.Close()
}

var defaultElem = regexp.MustCompile(`<Default [^>]*>(</Default>)?`)

// sortDefaults puts the <Default> elements of a content types part in
// sorted order, keeping their positions.
func sortDefaults(b []byte) []byte {
	locs := defaultElem.FindAllIndex(b, -1)
	elems := make([]string, len(locs))
	for i, l := range locs {
		elems[i] = string(b[l[0]:l[1]])
	}
	sort.Strings(elems)
	var out bytes.Buffer
	prev := 0
	for i, l := range locs {
		out.Write(b[prev:l[0]])
		out.WriteString(elems[i])
		prev = l[1]
	}
	out.Write(b[prev:])
	return out.Bytes()
}
