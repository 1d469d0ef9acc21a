package xlsx

import (
	"bytes"
	"encoding/xml"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// regexpFillCache is the first fillCache, three regular expressions over
// the sheet: the reference the scanner must agree with byte for byte.
var (
	formulaCell = regexp.MustCompile(`<c ([^>]*)><f>([^<]*)</f>(?:<v>[^<]*</v>)?</c>`)
	cellRef     = regexp.MustCompile(`\br="([A-Z]+[0-9]+)"`)
	cellType    = regexp.MustCompile(` t="[^"]*"`)
)

func regexpFillCache(sheet []byte, cache map[string]any) []byte {
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

func TestFillCache(t *testing.T) {
	cache := map[string]any{"A1": 3, "B2": 2.5, "C3": "High & <low>", "D4": true}
	tests := []struct{ name, in, want string }{
		{"number", `<row><c r="A1" s="2"><f>SUM(B1:B9)</f></c></row>`, `<row><c r="A1" s="2"><f>SUM(B1:B9)</f><v>3</v></c></row>`},
		{"float, old value replaced", `<c r="B2"><f>X</f><v>9</v></c>`, `<c r="B2"><f>X</f><v>2.5</v></c>`},
		{"text drops the type", `<c r="C3" t="e"><f>IF(1,"a")</f></c>`, `<c r="C3" t="str"><f>IF(1,"a")</f><v>High &amp; &lt;low&gt;</v></c>`},
		{"no cached value", `<c r="Z9"><f>X</f></c>`, `<c r="Z9"><f>X</f></c>`},
		{"value of another type", `<c r="D4"><f>X</f></c>`, `<c r="D4"><f>X</f></c>`},
		{"not a formula cell", `<c r="A1" t="s"><v>4</v></c>`, `<c r="A1" t="s"><v>4</v></c>`},
		{"reference inside another attribute", `<c xr="A1" r="B2"><f>X</f></c>`, `<c xr="A1" r="B2"><f>X</f><v>2.5</v></c>`},
		{"bad reference then good", `<c r="a1" r="A1"><f>X</f></c>`, `<c r="a1" r="A1"><f>X</f><v>3</v></c>`},
		{"value not closed", `<c r="A1"><f>X</f><v>1</c><c r="B2"><f>Y</f></c>`, `<c r="A1"><f>X</f><v>1</c><c r="B2"><f>Y</f><v>2.5</v></c>`},
		{"truncated", `<c r="A1"><f>X`, `<c r="A1"><f>X`},
		{"col is not a cell", `<cols><col min="1"/></cols><c r="A1"><f>X</f></c>`, `<cols><col min="1"/></cols><c r="A1"><f>X</f><v>3</v></c>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := string(fillCache([]byte(tc.in), cache))
			if got != tc.want {
				t.Errorf("fillCache =\n%s\nwant\n%s", got, tc.want)
			}
			if ref := string(regexpFillCache([]byte(tc.in), cache)); got != ref {
				t.Errorf("fillCache and the regular expressions differ:\n%s\n%s", got, ref)
			}
		})
	}
}

// TestFillCacheMatchesRegexp compares the scanner with the regular
// expressions on random sheets built from the pieces cells are made of.
func TestFillCacheMatchesRegexp(t *testing.T) {
	pieces := []string{`<c `, `r="A1"`, `r="B22"`, ` t="n"`, ` s="3"`, `>`, `<f>`, `SUM(A1)`, `</f>`, `<v>`, `7`, `</v>`,
		`</c>`, `<row r="1">`, `</row>`, ` `, `"`, `<`, `xr="A1" `, `<col/>`,
		`<c r="A1" t="e"><f>X</f></c>`, `<c r="B22" s="1"><f>Y</f><v>2</v></c>`, `<c s="1" r="B22" t="str"><f>`, `</f><v>q</v></c>`,
		`<c r="C5"><f>Z</f></c>`}
	cache := map[string]any{"A1": 1, "B22": "x<y"}
	rng := rand.New(rand.NewPCG(7, 19))
	changed := 0
	for i := range 5000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		in := []byte(b.String())
		if got, want := fillCache(in, cache), regexpFillCache(in, cache); !bytes.Equal(got, want) {
			t.Fatalf("case %d %q:\nscanner %q\nregexp  %q", i, in, got, want)
		} else if !bytes.Equal(got, in) {
			changed++
		}
	}
	if changed < 250 {
		t.Errorf("only %d of the random sheets had a cell to fill", changed)
	}
}

// TestCacheFillerChunks: the streaming filler gives the same bytes as
// fillCache whatever the sizes of the writes that cut the sheet.
func TestCacheFillerChunks(t *testing.T) {
	cache := map[string]any{"A1": 1, "B22": "x<y"}
	var sheet strings.Builder
	for i := range 300 {
		sheet.WriteString(`<row r="` + strconv.Itoa(i) + `"><c r="A1" t="e"><f>X</f></c><c r="B22" s="1"><f>Y</f><v>2</v></c><c r="C5"><f>Z</f></c><c r="A1"><v>1</v></c></row><`)
	}
	sheet.WriteString("<c")
	in := []byte(sheet.String())
	want := fillCache(in, cache)
	rng := rand.New(rand.NewPCG(3, 5))
	for range 50 {
		var got bytes.Buffer
		c := &cacheFiller{w: &got, cache: cache}
		for rest := in; len(rest) > 0; {
			n := min(len(rest), 1+rng.IntN(40))
			if _, err := c.Write(rest[:n]); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		if err := c.flush(true); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("streamed %d bytes differ from fillCache's %d", got.Len(), len(want))
		}
	}
	if bytes.Equal(want, in) {
		t.Fatal("nothing was filled in")
	}
}
