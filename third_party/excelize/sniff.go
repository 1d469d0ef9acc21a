package excelize

// threatmap: this file replaces the one use of net/http in the package
// (http.DetectContentType, for the content type written into an embedded
// OLE object), so that linking excelize no longer links net/http and the
// sixty packages behind it (crypto/tls, crypto/x509, ...), whose package
// initialisation every threatmap process ran. detectContentType follows
// the WHATWG MIME Sniffing Standard as net/http implements it; its test
// compares the two.

import "encoding/binary"

// sniffRule is one signature: data (after leading whitespace when skipWS)
// starts with pat once each byte is ANDed with mask (nil mask: exact).
type sniffRule struct {
	pat, mask string
	skipWS    bool
	ct        string
}

const (
	ctHTML = "text/html; charset=utf-8"
	ctText = "text/plain; charset=utf-8"
)

// htmlTags start an HTML document when followed by a space or ">"; letters
// compare case-insensitively.
var htmlTags = []string{
	"<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV",
	"<FONT", "<TABLE", "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P",
	"<!--",
}

// sniffRules come after the HTML tags, in the order they are tried; the MP4
// box check runs between the WAVE and WebM rules (mp4After names the rule
// it follows).
var sniffRules = []sniffRule{
	{pat: "<?xml", skipWS: true, ct: "text/xml; charset=utf-8"},
	{pat: "%PDF-", ct: "application/pdf"},
	{pat: "%!PS-Adobe-", ct: "application/postscript"},
	{pat: "\xFE\xFF", ct: "text/plain; charset=utf-16be", mask: "\xFF\xFF\x00\x00"},
	{pat: "\xFF\xFE", ct: "text/plain; charset=utf-16le", mask: "\xFF\xFF\x00\x00"},
	{pat: "\xEF\xBB\xBF", ct: ctText, mask: "\xFF\xFF\xFF\x00"},
	{pat: "\x00\x00\x01\x00", ct: "image/x-icon"},
	{pat: "\x00\x00\x02\x00", ct: "image/x-icon"},
	{pat: "BM", ct: "image/bmp"},
	{pat: "GIF87a", ct: "image/gif"},
	{pat: "GIF89a", ct: "image/gif"},
	{pat: "RIFF\x00\x00\x00\x00WEBPVP", ct: "image/webp", mask: "\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF"},
	{pat: "\x89PNG\x0D\x0A\x1A\x0A", ct: "image/png"},
	{pat: "\xFF\xD8\xFF", ct: "image/jpeg"},
	{pat: "FORM\x00\x00\x00\x00AIFF", ct: "audio/aiff", mask: "\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF"},
	{pat: "ID3", ct: "audio/mpeg"},
	{pat: "OggS\x00", ct: "application/ogg"},
	{pat: "MThd\x00\x00\x00\x06", ct: "audio/midi"},
	{pat: "RIFF\x00\x00\x00\x00AVI ", ct: "video/avi", mask: "\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF"},
	{pat: "RIFF\x00\x00\x00\x00WAVE", ct: "audio/wave", mask: "\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF"},
	// the MP4 check goes here (mp4After)
	{pat: "\x1A\x45\xDF\xA3", ct: "video/webm"},
	{pat: "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00LP", ct: "application/vnd.ms-fontobject",
		mask: "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xFF\xFF"},
	{pat: "\x00\x01\x00\x00", ct: "font/ttf"},
	{pat: "OTTO", ct: "font/otf"},
	{pat: "ttcf", ct: "font/collection"},
	{pat: "wOFF", ct: "font/woff"},
	{pat: "wOF2", ct: "font/woff2"},
	{pat: "\x1F\x8B\x08", ct: "application/x-gzip"},
	{pat: "PK\x03\x04", ct: "application/zip"},
	{pat: "Rar!\x1A\x07\x00", ct: "application/x-rar-compressed"},
	{pat: "Rar!\x1A\x07\x01\x00", ct: "application/x-rar-compressed"},
	{pat: "\x00\x61\x73\x6D", ct: "application/wasm"},
}

// mp4After is the index of the rule after which the MP4 check runs.
const mp4After = 19

// detectContentType returns the MIME type of data from its first 512
// bytes, "application/octet-stream" when nothing matches.
func detectContentType(data []byte) string {
	if len(data) > 512 {
		data = data[:512]
	}
	ws := 0
	for ws < len(data) && sniffWS(data[ws]) {
		ws++
	}
	for _, tag := range htmlTags {
		if sniffHTML(data[ws:], tag) {
			return ctHTML
		}
	}
	for i, r := range sniffRules {
		if r.matches(data, ws) {
			return r.ct
		}
		if i == mp4After && sniffMP4(data) {
			return "video/mp4"
		}
	}
	if sniffPlainText(data[ws:]) {
		return ctText
	}
	return "application/octet-stream"
}

func sniffWS(b byte) bool {
	return b == '\t' || b == '\n' || b == '\x0c' || b == '\r' || b == ' '
}

func (r sniffRule) matches(data []byte, ws int) bool {
	if r.skipWS {
		data = data[ws:]
	}
	n := len(r.pat)
	if r.mask != "" {
		n = len(r.mask)
	}
	if len(data) < n {
		return false
	}
	for i := 0; i < n; i++ {
		want := byte(0)
		if i < len(r.pat) {
			want = r.pat[i]
		}
		b := data[i]
		if r.mask != "" {
			b &= r.mask[i]
		}
		if b != want {
			return false
		}
	}
	return true
}

// sniffHTML reports whether data starts with tag (letters in any case)
// followed by a space or ">".
func sniffHTML(data []byte, tag string) bool {
	if len(data) <= len(tag) {
		return false
	}
	for i := 0; i < len(tag); i++ {
		b := data[i]
		if 'A' <= tag[i] && tag[i] <= 'Z' {
			b &= 0xDF
		}
		if b != tag[i] {
			return false
		}
	}
	return data[len(tag)] == ' ' || data[len(tag)] == '>'
}

// sniffMP4 reports an ISO base media file whose "ftyp" box lists an
// "mp4" brand.
func sniffMP4(data []byte) bool {
	if len(data) < 12 {
		return false
	}
	size := int(binary.BigEndian.Uint32(data))
	if size > len(data) || size%4 != 0 || string(data[4:8]) != "ftyp" {
		return false
	}
	for at := 8; at < size; at += 4 {
		if at != 12 && string(data[at:at+3]) == "mp4" {
			return true
		}
	}
	return false
}

// sniffPlainText reports data without the control bytes that mark binary
// content.
func sniffPlainText(data []byte) bool {
	for _, b := range data {
		if b <= 0x08 || b == 0x0B || 0x0E <= b && b <= 0x1A || 0x1C <= b && b <= 0x1F {
			return false
		}
	}
	return true
}
