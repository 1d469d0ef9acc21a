package drawio

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// xmlDecl matches an XML declaration at the start of a document, and
// encodingAttr its encoding pseudo-attribute.
var (
	xmlDecl      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*<\?xml\b[^?]*\?>`) })
	encodingAttr = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\bencoding\s*=\s*["']([^"']*)["']`) })
)

// decodeText turns an XML document into UTF-8 as its author meant it: a
// byte order mark (UTF-8, UTF-16 LE or BE) decides first, then the encoding
// declared in the XML declaration (any encoding golang.org/x/text knows,
// by IANA or WHATWG name), then UTF-8. Bytes that are not valid in that
// encoding become U+FFFD with a warning saying how many. The declaration is
// removed from the result, since the text is UTF-8 now.
func (r *reader) decodeText(data []byte, pageName, in string) ([]byte, error) {
	var enc encoding.Encoding
	name := ""
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xff\xfe")):
		enc, name = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "UTF-16LE"
	case bytes.HasPrefix(data, []byte("\xfe\xff")):
		enc, name = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "UTF-16BE"
	case bytes.HasPrefix(data, []byte("<\x00?\x00")):
		enc, name = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "UTF-16LE"
	case bytes.HasPrefix(data, []byte("\x00<\x00?")):
		enc, name = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "UTF-16BE"
	}
	if enc != nil {
		out, err := enc.NewDecoder().Bytes(data)
		if err != nil {
			return nil, r.errorf(pageName, "", "text%s is not valid %s: %v", in, name, err)
		}
		replaced := bytes.Count(out, []byte("\uFFFD")) - countUTF16Replacement(data, name)
		if replaced > 0 {
			r.warn(pageName, "%d invalid %s sequence(s)%s replaced with U+FFFD", replaced, name, in)
		}
		return stripDecl(out), nil
	}
	declared := ""
	if decl := xmlDecl().Find(data); decl != nil {
		if m := encodingAttr().FindSubmatch(decl); m != nil {
			declared = strings.TrimSpace(string(m[1]))
		}
	}
	switch strings.ToLower(declared) {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return r.validUTF8(stripDecl(data), pageName, in, "UTF-8"), nil
	case "utf-16", "utf-16le", "utf-16be":
		// Declared UTF-16 but the bytes have no BOM and do not start like
		// UTF-16: they are ASCII-compatible, so read them as UTF-8.
		r.warn(pageName, "XML declares encoding %q%s but has no byte order mark and reads as UTF-8; read as UTF-8", declared, in)
		return r.validUTF8(stripDecl(data), pageName, in, "UTF-8"), nil
	}
	enc, err := lookupEncoding(declared)
	if err != nil {
		return nil, r.errorf(pageName, "", "XML declares encoding %q%s, which is not a known character set", declared, in)
	}
	out, err := enc.NewDecoder().Bytes(stripDecl(data))
	if err != nil {
		return nil, r.errorf(pageName, "", "text%s is not valid %s: %v", in, declared, err)
	}
	if n := bytes.Count(out, []byte("\uFFFD")); n > 0 {
		r.warn(pageName, "%d byte(s)%s not valid in the declared encoding %q replaced with U+FFFD", n, in, declared)
	}
	return out, nil
}

// validUTF8 replaces invalid UTF-8 with U+FFFD, warning with the count.
func (r *reader) validUTF8(data []byte, pageName, in, name string) []byte {
	if utf8.Valid(data) {
		return data
	}
	n := 0
	for rest := data; len(rest) > 0; {
		c, size := utf8.DecodeRune(rest)
		if c == utf8.RuneError && size <= 1 {
			n++
		}
		rest = rest[size:]
	}
	r.warn(pageName, "%d byte(s)%s not valid %s replaced with U+FFFD", n, in, name)
	return bytes.ToValidUTF8(data, []byte("\uFFFD"))
}

func lookupEncoding(name string) (encoding.Encoding, error) {
	if e, err := htmlindex.Get(name); err == nil && e != nil {
		return e, nil
	}
	e, err := ianaindex.IANA.Encoding(name)
	if err != nil || e == nil {
		return nil, errUnknownEncoding
	}
	return e, nil
}

var errUnknownEncoding = errors.New("unknown encoding")

// stripDecl removes a leading XML declaration, keeping the rest.
func stripDecl(data []byte) []byte {
	if m := xmlDecl().FindIndex(data); m != nil {
		return data[m[1]:]
	}
	return data
}

// countUTF16Replacement counts U+FFFD code units already present in UTF-16
// input, so that only the ones decoding introduced are reported.
func countUTF16Replacement(data []byte, name string) int {
	n := 0
	for i := 0; i+1 < len(data); i += 2 {
		if (name == "UTF-16LE" && data[i] == 0xfd && data[i+1] == 0xff) ||
			(name == "UTF-16BE" && data[i] == 0xff && data[i+1] == 0xfd) {
			n++
		}
	}
	return n
}
