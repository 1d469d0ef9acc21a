package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/third_party/excelize"
)

// excelizeRows returns the <sheetData> of a sheet whose rows excelize's
// StreamWriter wrote from cells as out.row used to hand them to it.
func excelizeRows(t *testing.T, rows [][]cellv, heights []float64) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, cells := range rows {
		var vals []any
		for _, c := range cells {
			x := excelize.Cell{StyleID: c.style}
			switch c.kind {
			case kindText:
				x.Value = streamText(c.s)
			case kindNum:
				x.Value = c.n
			case kindFormula:
				x.Formula = c.s
			case kindDate:
				x.Value = c.f
			}
			vals = append(vals, x)
		}
		var opts []excelize.RowOpts
		if heights[i] > 0 {
			opts = append(opts, excelize.RowOpts{Height: heights[i]})
		}
		if err := sw.SetRow(cell(1, i+2), vals, opts...); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := z.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	x, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	s := string(x)
	return s[strings.Index(s, "<sheetData>")+len("<sheetData>") : strings.Index(s, "</sheetData>")]
}

// TestRowSpillMatchesStreamWriter writes rows of every kind of cell, with
// the text that needs care (white space at either end, XML specials and
// control characters, "_xHHHH_" escapes, text over Excel's cell limit,
// numbers past 15 digits), through rowSpill and through excelize's
// StreamWriter, and compares the XML byte for byte: the workbook's bytes
// must not depend on which wrote its rows.
func TestRowSpillMatchesStreamWriter(t *testing.T) {
	texts := []string{
		"", "plain", " leading", "trailing ", "\tTab", "line\nfeed", "cr\r\nlf", "a & b < c > d \"q\" 'a'",
		"_x0041_", "_x005F_", "_x005F_x0041_", "_x005F_x12", "x_xD800_y", "a_x00zz_b", "_x0041__x0042_",
		"ctrl\x01\x02char", "bad utf8 \xff", "emoji 😀 and é", strings.Repeat("é", 20000),
		strings.Repeat("😀", 17000), strings.Repeat("a", 40000) + " ", "=SUM(A1)",
	}
	var rows [][]cellv
	var heights []float64
	for i, s := range texts {
		rows = append(rows, []cellv{
			{kind: kindText, s: s, style: i % 4},
			{kind: kindNum, n: i*1000 - 7, style: 2},
			{},
			{kind: kindFormula, s: `HYPERLINK("#'Risk Register'!A` + s + `","T<&>")`, style: 3},
			{kind: kindDate, f: []float64{45000, 45000.5, 1.0 / 3, 123456789.123456789, 1e20 + 1, -0.1, math.MaxFloat64}[i%7]},
		})
		heights = append(heights, []float64{0, 32, 15.75}[i%3])
	}
	want := excelizeRows(t, rows, heights)
	for _, dir := range []string{"", filepath.Join(t.TempDir(), "missing")} {
		t.Run("TMPDIR="+dir, func(t *testing.T) {
			if dir != "" {
				t.Setenv("TMPDIR", dir) // no temporary file: the rows stay in memory
			}
			checkSpill(t, rows, heights, want, dir == "")
		})
	}
}

func checkSpill(t *testing.T, rows [][]cellv, heights []float64, want string, onDisk bool) {
	for _, part := range []string{`xml:space="preserve"`, `_x005F_x0041_`, `ht="32" customHeight="1"`, `t="str"><f>`, "&amp;"} {
		if !strings.Contains(want, part) {
			t.Fatalf("excelize's rows lack %q: the test no longer covers it", part)
		}
	}
	s, err := newRowSpill()
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	if (s.f != nil) != onDisk {
		t.Fatalf("rows on disk: %v, want %v", s.f != nil, onDisk)
	}
	for i, cells := range rows {
		if err := s.row(i+2, cells, heights[i]); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.reader()
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		g, w := string(got), want
		i := 0
		for i < len(g) && i < len(w) && g[i] == w[i] {
			i++
		}
		t.Fatalf("rows differ at byte %d:\n got %q\nwant %q", i, g[max(0, i-80):min(len(g), i+80)], w[max(0, i-80):min(len(w), i+80)])
	}
	if err := s.row(2, rows[0], 0); err == nil {
		t.Error("a row written twice was accepted")
	}
}
