package baseline

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"runtime"
	"strings"
	"testing"
)

// TestRegisterDeclaredSizeBounded: a workbook whose zip entry declares a
// huge uncompressed size is refused before anything is reserved for it
// (excelize's own limit, 16 GB, let the reader reserve what the entry
// declared: the fuzz smoke's worker grew past 2 GB and died).
func TestRegisterDeclaredSizeBounded(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	body := []byte("<workbook/>")
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "xl/other.xml", Method: zip.Store,
		CRC32: crc32.ChecksumIEEE(body), CompressedSize64: uint64(len(body)),
		UncompressedSize64: 8 << 30,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = ReadRegister("bomb.xlsx", bytes.NewReader(buf.Bytes()))
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("reading the file allocated %d MB, want under 64", got>>20)
	}
	if err == nil || !strings.Contains(err.Error(), "bomb.xlsx") {
		t.Fatalf("got %v, want an error naming bomb.xlsx", err)
	}
	t.Log(err)
}
