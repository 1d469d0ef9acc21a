package excelize

import (
	"net/http"
	"strings"
	"testing"
)

// sniffCases cover every rule, their order and their edges (too short,
// leading whitespace, case, the 512-byte limit).
var sniffCases = []string{
	"", "   ", "hello", "\x00", "a\x1bb", "a\x0cb",
	"<!DOCTYPE html>", "  <html>", "<HTML ", "<html", "<htmlx", "<a>", "<b ", "<br>", "<p>", "<!-- c -->", "<script>", "<TaBlE>",
	"<?xml version='1.0'?>", "\n\t<?xml", "<?xm",
	"%PDF-1.7", "%!PS-Adobe-3.0", "\xFE\xFF\x00a", "\xFE\xFF", "\xFF\xFE\x41\x00", "\xEF\xBB\xBFhi", "\xEF\xBB\xBF",
	"\x00\x00\x01\x00", "\x00\x00\x02\x00", "BMxx", "GIF87a", "GIF89a..", "RIFF\x01\x02\x03\x04WEBPVP8 ", "\x89PNG\x0D\x0A\x1A\x0A", "\xFF\xD8\xFF\xE0",
	"FORM\x00\x00\x00\x10AIFF", "ID3\x04", "OggS\x00", "MThd\x00\x00\x00\x06", "RIFF\x00\x00\x00\x00AVI LIST", "RIFF\x00\x00\x00\x00WAVEfmt ",
	"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp41isom", "\x00\x00\x00\x18ftypisom\x00\x00\x00\x00mp41mp42", "\x00\x00\x00\x14ftypisom\x00\x00\x00\x00mp4", "\x00\x00\x00\x10ftypmp4 mp4 ", "\x00\x00\x00\x0cftypmp4 ",
	"\x1A\x45\xDF\xA3", strings.Repeat("\x00", 34) + "LP", strings.Repeat("\x01", 34) + "LPxx", "\x00\x01\x00\x00", "OTTO", "ttcf", "wOFF", "wOF2",
	"\x1F\x8B\x08", "PK\x03\x04", "Rar!\x1A\x07\x00", "Rar!\x1A\x07\x01\x00", "\x00asm\x01",
	strings.Repeat("a", 600) + "\x00", strings.Repeat(" ", 511) + "<html>",
}

func TestDetectContentTypeAgreesWithNetHTTP(t *testing.T) {
	for _, c := range sniffCases {
		if got, want := detectContentType([]byte(c)), http.DetectContentType([]byte(c)); got != want {
			t.Errorf("detectContentType(%q) = %q, net/http says %q", c, got, want)
		}
	}
}

func FuzzDetectContentType(f *testing.F) {
	for _, c := range sniffCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := detectContentType(data), http.DetectContentType(data); got != want {
			t.Errorf("detectContentType(%q) = %q, net/http says %q", data, got, want)
		}
	})
}
