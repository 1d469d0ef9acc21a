package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/threatmap/threatmap/stride"
	"github.com/threatmap/threatmap/third_party/excelize"
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
	defer func() {
		for _, s := range b.spills {
			s.close()
		}
	}()
	b.build()
	if b.err != nil {
		return fmt.Errorf("xlsx: %w", b.err)
	}
	caches := map[string]map[string]any{}
	spills := map[string]*rowSpill{}
	for id, name := range f.GetSheetMap() {
		part := "xl/worksheets/sheet" + strconv.Itoa(id) + ".xml"
		if c := b.cached[name]; len(c) > 0 {
			caches[part] = c
		}
		if s := b.spills[name]; s != nil {
			spills[part] = s
		}
	}
	z := &sortingZip{mod: zipTime(date), caches: caches, spills: spills}
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return z })
	// excelize saves through z, which keeps each part compressed; the
	// buffer it returns stays empty.
	if _, err := f.WriteToBuffer(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := z.writeTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// sortingZip is the zip writer excelize saves through. It compresses each
// part as excelize writes it and keeps it; writeTo then writes the parts
// in a fixed order (content types first, then by name; excelize writes
// some in map order), every one stamped with the same time, so that the
// archive bytes depend only on the content. Worksheets with cached
// formula values get them on the way in (cacheFiller); the content types,
// whose defaults come in map order, stay plain until writeTo sorts them.
// Each part is compressed once, with one reused compressor, and no
// worksheet is held uncompressed. A streamed sheet's rows are put in
// place on the way in (rowSplicer).
type sortingZip struct {
	mod     time.Time
	caches  map[string]map[string]any // worksheet part -> cell -> value
	spills  map[string]*rowSpill      // streamed worksheet part -> its rows
	parts   []*zipPart
	cur     *zipPart
	filler  *cacheFiller // fills in cur's cached values, if it has any
	splicer *rowSplicer  // puts cur's rows in place, if it is streamed
	flate   *flate.Writer
	err     error
}

// zipPart is one part of the archive: compressed, or plain until writeTo.
type zipPart struct {
	z     *sortingZip
	name  string
	plain *bytes.Buffer // not yet compressed
	comp  bytes.Buffer
	crc   hash.Hash32
	size  uint64
}

const contentTypesPart = "[Content_Types].xml"

func (z *sortingZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	p := &zipPart{z: z, name: name}
	z.parts = append(z.parts, p)
	if name == contentTypesPart {
		p.plain = &bytes.Buffer{}
		return p.plain, nil
	}
	z.start(p)
	var w io.Writer = p
	if c := z.caches[name]; len(c) > 0 {
		z.filler = &cacheFiller{w: p, cache: c}
		w = z.filler
	}
	if s := z.spills[name]; s != nil {
		z.splicer = &rowSplicer{w: w, spill: s}
		w = z.splicer
	}
	return w, nil
}

// start sets the compressor to write p.
func (z *sortingZip) start(p *zipPart) {
	p.crc = crc32.NewIEEE()
	if z.flate == nil {
		// Level 5, as archive/zip compresses.
		z.flate, z.err = flate.NewWriter(&p.comp, 5)
	} else {
		z.flate.Reset(&p.comp)
	}
	z.cur = p
}

func (p *zipPart) Write(b []byte) (int, error) {
	if p.z.err != nil {
		return 0, p.z.err
	}
	p.crc.Write(b)
	p.size += uint64(len(b))
	return p.z.flate.Write(b)
}

// finish ends the part being compressed.
func (z *sortingZip) finish() error {
	if z.splicer != nil && z.err == nil {
		z.err = z.splicer.finish()
	}
	if z.filler != nil && z.err == nil {
		z.err = z.filler.flush(true)
	}
	if z.cur != nil && z.err == nil {
		z.err = z.flate.Close()
	}
	z.cur, z.filler, z.splicer = nil, nil, nil
	return z.err
}

func (z *sortingZip) AddFS(fs.FS) error {
	return fmt.Errorf("xlsx: adding a file system to the workbook is not supported")
}

func (z *sortingZip) Close() error { return z.finish() }

// writeTo writes the archive to w.
func (z *sortingZip) writeTo(w io.Writer) error {
	if err := z.finish(); err != nil {
		return err
	}
	slices.SortFunc(z.parts, func(a, b *zipPart) int {
		if (a.name == contentTypesPart) != (b.name == contentTypesPart) {
			if a.name == contentTypesPart {
				return -1
			}
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	zw := zip.NewWriter(w)
	for _, p := range z.parts {
		if p.plain != nil {
			data := sortDefaults(p.plain.Bytes())
			p.plain = nil
			z.start(p)
			if _, err := p.Write(data); err != nil {
				return err
			}
			if err := z.finish(); err != nil {
				return err
			}
		}
		fh := &zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: p.crc.Sum32(),
			CompressedSize64: uint64(p.comp.Len()), UncompressedSize64: p.size}
		// CreateRaw, unlike CreateHeader, does not turn Modified into the
		// MS-DOS time fields, which SetModTime sets.
		//lint:ignore SA1019 the fields CreateRaw writes
		fh.SetModTime(z.mod)
		pw, err := zw.CreateRaw(fh)
		if err != nil {
			return err
		}
		if _, err := pw.Write(p.comp.Bytes()); err != nil {
			return err
		}
		p.comp = bytes.Buffer{} // written: let it go
	}
	return zw.Close()
}

// fillCache gives each formula cell of a worksheet whose value threatmap
// computed that value as its cached value (<v>): numbers as numbers, text
// as a formula string (t="str"). Spreadsheet programs recalculate anyway
// (fullCalcOnLoad); viewers that do not (previewers, GitHub, Python
// readers) show the values instead of blanks.
//
// It rewrites each cell written as <c ATTRS><f>FORMULA</f></c> (with or
// without a <v>...</v> after the formula) whose r="A1" reference has a
// cached value, dropping any t="..." attribute; everything else is copied
// as it is. It scans the bytes once: a regular expression over the sheet
// took half the time of a small workbook.
func fillCache(sheet []byte, cache map[string]any) []byte {
	out, _ := fillCacheChunk(make([]byte, 0, len(sheet)+len(cache)*16), sheet, cache, true)
	return out
}

var cellStart = []byte("<c ")

// fillCacheChunk appends to dst the part of b that fillCache can decide
// and returns the rest, which needs more of the sheet: a cell that b cuts
// off, or a trailing "<" or "<c". When final, b is the end of the sheet
// and rest is empty.
func fillCacheChunk(dst, b []byte, cache map[string]any, final bool) (out, rest []byte) {
	for {
		i := bytes.Index(b, cellStart)
		if i < 0 {
			keep := 0
			if !final && bytes.HasSuffix(b, []byte("<c")) {
				keep = 2
			} else if !final && bytes.HasSuffix(b, []byte("<")) {
				keep = 1
			}
			return append(dst, b[:len(b)-keep]...), b[len(b)-keep:]
		}
		dst = append(dst, b[:i]...)
		b = b[i:]
		n, cell, more := cachedCell(b, cache)
		if more && !final {
			return dst, b
		}
		if n == 0 {
			dst = append(dst, cellStart...)
			b = b[3:]
			continue
		}
		dst = append(dst, cell...)
		b = b[n:]
	}
}

// cacheFiller is fillCache as a writer: it rewrites what is written to it
// and passes it on to w, holding back only a cell cut between writes.
type cacheFiller struct {
	w       io.Writer
	cache   map[string]any
	pending []byte
	out     []byte
}

func (c *cacheFiller) Write(b []byte) (int, error) {
	c.pending = append(c.pending, b...)
	if err := c.flush(false); err != nil {
		return 0, err
	}
	return len(b), nil
}

// flush writes what can be decided (everything when final).
func (c *cacheFiller) flush(final bool) error {
	var rest []byte
	c.out, rest = fillCacheChunk(c.out[:0], c.pending, c.cache, final)
	c.pending = c.pending[:copy(c.pending, rest)]
	_, err := c.w.Write(c.out)
	return err
}

// lit reports whether b starts with s, and, when it does not, whether b
// is too short to tell (b is a proper prefix of s).
func lit(b []byte, s string) (ok, short bool) {
	if len(b) >= len(s) {
		return string(b[:len(s)]) == s, false
	}
	return false, s[:len(b)] == string(b)
}

// cachedCell reads the formula cell at the start of b (which starts with
// "<c "). It returns the cell's length and its text with the cached value
// of cache, or 0 when b does not start with a formula cell in the form
// fillCache rewrites or cache has no value for it (the cell is then
// copied unchanged: n is its length and cell the same bytes). more
// reports that b ends before this could be decided.
func cachedCell(b []byte, cache map[string]any) (n int, cell []byte, more bool) {
	p := 3
	gt := bytes.IndexByte(b[p:], '>')
	if gt < 0 {
		return 0, nil, true
	}
	attrs := b[p : p+gt]
	p += gt
	if ok, short := lit(b[p:], "><f>"); !ok {
		return 0, nil, short
	}
	p += 4
	lt := bytes.IndexByte(b[p:], '<')
	if lt < 0 {
		return 0, nil, true
	}
	formula := b[p : p+lt]
	p += lt
	if ok, short := lit(b[p:], "</f>"); !ok {
		return 0, nil, short
	}
	p += 4
	hasV, short := lit(b[p:], "<v>")
	if short {
		return 0, nil, true
	}
	if hasV {
		q := p + 3
		lt := bytes.IndexByte(b[q:], '<')
		if lt < 0 {
			return 0, nil, true
		}
		if ok, short := lit(b[q+lt:], "</v></c>"); !ok {
			return 0, nil, short
		}
		p = q + lt + 4
	}
	if ok, short := lit(b[p:], "</c>"); !ok {
		return 0, nil, short
	}
	p += 4
	ref := cellRefIn(attrs)
	if ref == "" {
		return p, b[:p], false
	}
	v, ok := cache[ref]
	if !ok {
		return p, b[:p], false
	}
	var val string
	typ := ""
	switch x := v.(type) {
	case int:
		val = strconv.Itoa(x)
	case float64:
		val = strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		typ = ` t="str"`
		var esc bytes.Buffer
		_ = xml.EscapeText(&esc, []byte(x))
		val = esc.String()
	default:
		return p, b[:p], false
	}
	var out bytes.Buffer
	out.WriteString("<c ")
	out.Write(dropType(attrs))
	out.WriteString(typ)
	out.WriteString("><f>")
	out.Write(formula)
	out.WriteString("</f><v>")
	out.WriteString(val)
	out.WriteString("</v></c>")
	return p, out.Bytes(), false
}

// cellRefIn returns the reference of the first r="A1" attribute in attrs
// (r at a word start, letters then digits), or "".
func cellRefIn(attrs []byte) string {
	for from := 0; ; {
		i := bytes.Index(attrs[from:], []byte(`r="`))
		if i < 0 {
			return ""
		}
		i += from
		from = i + 1
		if i > 0 && wordByte(attrs[i-1]) {
			continue
		}
		v := attrs[i+3:]
		k := 0
		for k < len(v) && v[k] >= 'A' && v[k] <= 'Z' {
			k++
		}
		letters := k
		for k < len(v) && v[k] >= '0' && v[k] <= '9' {
			k++
		}
		if letters > 0 && k > letters && k < len(v) && v[k] == '"' {
			return string(v[:k])
		}
	}
}

func wordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// dropType removes every t="..." attribute (with its leading space).
func dropType(attrs []byte) []byte {
	if !bytes.Contains(attrs, []byte(` t="`)) {
		return attrs
	}
	var out []byte
	rest := attrs
	for {
		i := bytes.Index(rest, []byte(` t="`))
		if i < 0 {
			break
		}
		q := bytes.IndexByte(rest[i+4:], '"')
		if q < 0 {
			break
		}
		out = append(out, rest[:i]...)
		rest = rest[i+4+q+1:]
	}
	return append(out, rest...)
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

var defaultElem = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`<Default [^>]*>(</Default>)?`) })

// sortDefaults puts the <Default> elements of a content types part in
// sorted order, keeping their positions.
func sortDefaults(b []byte) []byte {
	locs := defaultElem().FindAllIndex(b, -1)
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
