package xlsx

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/third_party/excelize"
)

// hostile are labels that a spreadsheet would run as formulas if they were
// written as such.
var hostile = []string{
	`=HYPERLINK("http://evil","x")`,
	`@SUM(A1)`,
	`+1`,
	`-1`,
	`=1+1`,
	"=cmd|' /C calc'!A0",
	`<script>alert(1)</script> & "quotes"`,
	"_x0041_ escaped?",
}

// TestHostileLabels writes diagram text that looks like formulas and reads
// it back: every such cell is a plain string with the literal text.
func TestHostileLabels(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		r := testsupport.ExampleReport(t, "telehealth.dot")
		for i := range r.Threats {
			h := hostile[i%len(hostile)]
			r.Threats[i].Title = h
			r.Threats[i].Description = h
			r.Threats[i].ElementName = h
			r.Threats[i].Elements = nil // column D shows ElementName
			r.Threats[i].Members = nil  // and no member's own rating
			r.Threats[i].ExistingControls = []string{h}
			r.Threats[i].Controls = nil // column K shows the names alone
			if len(r.Threats[i].Mitigations) > 0 {
				r.Threats[i].Mitigations[0].Control = h + " control"
			}
		}
		for i := range r.Components {
			r.Components[i].Label = hostile[i%len(hostile)]
		}
		r.System = hostile[0]
		f := open(t, r, o)
		rs := rows(t, f, SheetRegister)
		for n, row := range rs[1:] {
			for _, col := range []int{1, 3, 5, 10} { // B, D, F, K
				c := cell(col+1, n+2)
				want := row[1]
				if !isHostile(want) {
					t.Fatalf("%s: %q is not one of the hostile labels", c, want)
				}
				assertLiteral(t, o, f, SheetRegister, c, want)
			}
		}
		found := 0
		for n, row := range rows(t, f, SheetComponents)[1:] {
			assertLiteral(t, o, f, SheetComponents, cell(1, n+2), row[0])
			if isHostile(row[0]) {
				found++
			}
		}
		if found != len(r.Components) {
			t.Errorf("%d hostile component labels read back, want %d", found, len(r.Components))
		}
		assertLiteral(t, o, f, SheetSummary, "B4", hostile[0])
		assertLiteral(t, o, f, SheetSummary, "A1", "Risk register: "+hostile[0])
	})
}

func isHostile(s string) bool {
	for _, h := range hostile {
		if s == h {
			return true
		}
	}
	return false
}

func assertLiteral(t *testing.T, o Options, f *excelize.File, sheet, c, want string) {
	t.Helper()
	if fm := formula(t, f, sheet, c); fm != "" {
		t.Errorf("%s!%s has formula %q", sheet, c, fm)
	}
	if got := get(t, f, sheet, c); got != want {
		t.Errorf("%s!%s = %q, want %q", sheet, c, got, want)
	}
	wantType := excelize.CellTypeSharedString
	if o.StreamAll && sheet != SheetSummary && sheet != SheetAbout {
		wantType = excelize.CellTypeInlineString // a streamed sheet
	}
	typ, err := f.GetCellType(sheet, c)
	if err != nil || typ != wantType {
		t.Errorf("%s!%s type %v (%v), want a string (%v)", sheet, c, typ, err, wantType)
	}
}

func TestLongTextTruncated(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		r := testsupport.ExampleReport(t, "telehealth.dot")
		r.Threats[0].Description = strings.Repeat("ab😀", 20000) // 80,000 UTF-16 units
		r.Threats[1].Description = strings.Repeat("x", MaxCellChars)
		r.Threats[2].Description = "bad\x00control\x1fchars\xff\r\nend"
		f := open(t, r, o)
		desc := map[string]string{}
		for _, row := range rows(t, f, SheetRegister)[1:] {
			desc[row[0]] = row[5]
		}
		long := desc[r.Threats[0].ID]
		if !strings.HasSuffix(long, TruncationMarker) || !strings.HasPrefix(long, "ab😀ab") {
			t.Errorf("long description not truncated with marker: ...%q", long[max(0, len(long)-40):])
		}
		if n := len(utf16.Encode([]rune(long))); n > MaxCellChars {
			t.Errorf("truncated text has %d UTF-16 units", n)
		}
		if got := desc[r.Threats[1].ID]; got != r.Threats[1].Description {
			t.Errorf("text of exactly %d chars changed (len %d)", MaxCellChars, len(got))
		}
		if got, want := desc[r.Threats[2].ID], "badcontrolchars\uFFFD\nend"; got != want {
			t.Errorf("control characters: got %q, want %q", got, want)
		}
	})
}

func TestCellText(t *testing.T) {
	for in, want := range map[string]string{
		"":          "",
		"plain":     "plain",
		"a\r\nb\rc": "a\nb\nc",
		"\x00\x07x": "x",
		"=1+1":      "=1+1",
	} {
		if got := cellText(in); got != want {
			t.Errorf("cellText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDeterministic(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		a := render(t, testsupport.ExampleReport(t, "telehealth.dot"), o)
		b := render(t, testsupport.ExampleReport(t, "telehealth.dot"), o)
		if !bytes.Equal(a, b) {
			t.Fatal("two writes of the same report differ")
		}
		zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
		if err != nil {
			t.Fatal(err)
		}
		for _, zf := range zr.File {
			if !zf.Modified.Equal(testDate) {
				t.Errorf("%s: modified %v, want %v", zf.Name, zf.Modified, testDate)
			}
		}
		f := open(t, testsupport.ExampleReport(t, "telehealth.dot"), o)
		p, err := f.GetDocProps()
		if err != nil {
			t.Fatal(err)
		}
		if p.Created != "2026-03-14T09:30:00Z" || p.Modified != p.Created || p.Creator != "threatmap" {
			t.Errorf("doc props = %+v", p)
		}
	})
}

// TestNoDateNoClock checks that a workbook without Options.Date is stamped
// with the fixed epoch, whatever the clock or the environment says (only
// cmd reads SOURCE_DATE_EPOCH).
func TestNoDateNoClock(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		write := func() []byte {
			var buf bytes.Buffer
			if err := Write(&buf, testsupport.ExampleReport(t, "telehealth.dot"), Options{}); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}
		created := func(data []byte) string {
			f, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			p, _ := f.GetDocProps()
			return p.Created
		}
		t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
		a := write()
		time.Sleep(1100 * time.Millisecond) // a clock leak would show
		if !bytes.Equal(a, write()) {
			t.Fatal("output depends on the clock")
		}
		if got := created(a); got != "1980-01-01T00:00:00Z" {
			t.Errorf("created = %s without a date", got)
		}
	})
}

func TestEmptyReport(t *testing.T) {
	eachMode(t, func(t *testing.T, o Options) {
		r := testsupport.ExampleReport(t, "telehealth.dot")
		r.Threats, r.EntryPoints, r.OpenQuestions = nil, nil, nil
		f := open(t, r, o)
		if n := len(rows(t, f, SheetRegister)); n != 1 {
			t.Errorf("empty register has %d rows", n)
		}
		if err := Write(&bytes.Buffer{}, nil, Options{}); err == nil {
			t.Error("nil report accepted")
		}
	})
}
