// Package lotest runs LibreOffice (soffice, headless) for tests: convert a
// workbook as LibreOffice saves it, or sort and filter a sheet and
// recalculate the way a person would in Calc. Tests skip when soffice is
// not installed, unless THREATMAP_REQUIRE_SOFFICE is set (CI).
package lotest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Soffice returns the path of soffice, or skips the test (fails it when
// THREATMAP_REQUIRE_SOFFICE is set).
func Soffice(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("THREATMAP_REQUIRE_SOFFICE") != "" {
			t.Fatal("soffice not on PATH (apt-get install libreoffice-calc-nogui)")
		}
		t.Skip("soffice not on PATH; skipping the LibreOffice round trip")
	}
	return path
}

// profile makes a throw-away LibreOffice user profile holding the macro
// library, and returns its URL.
func profile(t testing.TB, bin string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "profile")
	url := "file://" + filepath.ToSlash(dir)
	// A first start creates the profile; the macro module then replaces
	// the empty Standard.Module1.
	run(t, bin, "-env:UserInstallation="+url, "--headless", "--terminate_after_init")
	mod := filepath.Join(dir, "user", "basic", "Standard", "Module1.xba")
	if _, err := os.Stat(mod); err != nil {
		t.Fatalf("LibreOffice profile has no Standard library: %v", err)
	}
	if err := os.WriteFile(mod, []byte(module), 0o644); err != nil {
		t.Fatal(err)
	}
	return url
}

func run(t testing.TB, bin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("soffice %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
}

// Convert opens file in LibreOffice, recalculates every formula and saves
// it as .xlsx (LibreOffice's own writer) into dir, returning the new path.
func Convert(t testing.TB, file, dir string) string {
	t.Helper()
	bin := Soffice(t)
	prof := RecalcProfile(t, filepath.Join(t.TempDir(), "profile"))
	run(t, bin, "-env:UserInstallation="+prof, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", dir, file)
	out := filepath.Join(dir, strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))+".xlsx")
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("LibreOffice wrote no %s: %v", out, err)
	}
	return out
}

// Edit describes what a person does in Calc before saving.
type Edit struct {
	// Sheet is the sheet to sort and filter.
	Sheet string
	// SortColumn (1-based, 0 for none) sorts the data rows (2 to the last
	// used row) by that column, descending when Descending is set.
	SortColumn int
	Descending bool
	// FilterColumn (1-based, 0 for none) applies a standard filter that
	// shows only rows whose cell in that column equals FilterValue.
	FilterColumn int
	FilterValue  string
}

// Apply performs e on file in LibreOffice, recalculates every formula
// (hard recalculation) and saves the result as .xlsx at out.
func Apply(t testing.TB, file, out string, e Edit) {
	t.Helper()
	bin := Soffice(t)
	prof := profile(t, bin)
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		t.Fatal(err)
	}
	desc := 0
	if e.Descending {
		desc = 1
	}
	// Macro URLs pass numbers unreliably: every argument is a string.
	n := func(i int) string { return basicString(strconv.Itoa(i)) }
	call := fmt.Sprintf("macro:///Standard.Module1.EditSheet(%s,%s,%s,%s,%s,%s,%s)",
		basicString(abs), basicString(absOut), basicString(e.Sheet), n(e.SortColumn-1), n(desc), n(e.FilterColumn-1), basicString(e.FilterValue))
	run(t, bin, "-env:UserInstallation="+prof, "--headless", "--invisible", call)
	if msg, err := os.ReadFile(absOut + ".err"); err == nil {
		t.Fatalf("the LibreOffice macro failed: %s", msg)
	}
	if _, err := os.Stat(absOut); err != nil {
		t.Fatalf("the LibreOffice macro wrote no %s: %v", out, err)
	}
}

func basicString(s string) string {
	return strconv.Quote(strings.ReplaceAll(s, `"`, `""`))
}

// module is the Basic macro: load hidden, sort, filter, recalculate, save
// as xlsx, close.
const module = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub EditSheet(inPath, outPath, sheetName, sortArg, descArg, filterArg, filterValue)
	On Error GoTo fail
	sortCol = CInt(sortArg)
	desc = CInt(descArg)
	filterCol = CInt(filterArg)
	Dim load(0) As New com.sun.star.beans.PropertyValue
	load(0).Name = &quot;Hidden&quot;
	load(0).Value = True
	doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), &quot;_blank&quot;, 0, load())
	sh = doc.Sheets.getByName(sheetName)
	cur = sh.createCursor()
	cur.gotoEndOfUsedArea(False)
	lastRow = cur.RangeAddress.EndRow
	lastCol = cur.RangeAddress.EndColumn
	If sortCol &gt;= 0 Then
		rng = sh.getCellRangeByPosition(0, 1, lastCol, lastRow)
		Dim fields(0) As New com.sun.star.table.TableSortField
		fields(0).Field = sortCol
		fields(0).IsAscending = (desc = 0)
		Dim sd(1) As New com.sun.star.beans.PropertyValue
		sd(0).Name = &quot;SortFields&quot;
		sd(0).Value = fields()
		sd(1).Name = &quot;ContainsHeader&quot;
		sd(1).Value = False
		rng.sort(sd())
	End If
	If filterCol &gt;= 0 Then
		all = sh.getCellRangeByPosition(0, 0, lastCol, lastRow)
		fd = all.createFilterDescriptor(True)
		Dim ff(0) As New com.sun.star.sheet.TableFilterField
		ff(0).Field = filterCol
		ff(0).Operator = com.sun.star.sheet.FilterOperator.EQUAL
		ff(0).IsNumeric = False
		ff(0).StringValue = filterValue
		fd.setFilterFields(ff())
		fd.ContainsHeader = True
		all.filter(fd)
	End If
	doc.calculateAll()
	Dim st(0) As New com.sun.star.beans.PropertyValue
	st(0).Name = &quot;FilterName&quot;
	st(0).Value = &quot;Calc MS Excel 2007 XML&quot;
	doc.storeToURL(ConvertToURL(outPath), st())
	doc.close(True)
	Exit Sub
fail:
	Open outPath &amp; &quot;.err&quot; For Output As #1
	Print #1, &quot;error &quot; &amp; Err &amp; &quot;: &quot; &amp; Error$ &amp; &quot; at line &quot; &amp; Erl
	Close #1
End Sub
</script:module>`

// RecalcProfile creates a LibreOffice user profile in dir that
// recalculates every formula when it loads an .xlsx file (by default
// LibreOffice trusts the cached values a file carries), and returns its
// URL for -env:UserInstallation.
func RecalcProfile(t testing.TB, dir string) string {
	t.Helper()
	user := filepath.Join(dir, "user")
	if err := os.MkdirAll(user, 0o755); err != nil {
		t.Fatal(err)
	}
	const xcu = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`
	if err := os.WriteFile(filepath.Join(user, "registrymodifications.xcu"), []byte(xcu), 0o644); err != nil {
		t.Fatal(err)
	}
	return "file://" + filepath.ToSlash(dir)
}
