package drawio

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// mxfileText returns the draw.io XML held by data: the file itself for
// .drawio/.xml, the content attribute of a .drawio.svg, the mxfile text
// chunk of a .drawio.png.
func mxfileText(data []byte, maxInflate int64) ([]byte, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(data, pngSignature) {
		t, err := pngText(data, maxInflate)
		if err != nil {
			return nil, err
		}
		return fromEmbedded(t, maxInflate)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("source is not a draw.io file: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "mxfile", "mxGraphModel":
			return data, nil
		case "svg":
			for _, a := range se.Attr {
				if a.Name.Local == "content" && a.Name.Space == "" {
					return fromEmbedded(a.Value, maxInflate)
				}
			}
			return nil, errors.New("SVG has no embedded draw.io diagram")
		}
		return nil, fmt.Errorf("source root element is <%s>, not a draw.io file", se.Name.Local)
	}
}

// fromEmbedded decodes an embedded model: XML as it is, URL-encoded XML,
// or the compressed form.
func fromEmbedded(s string, maxInflate int64) ([]byte, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "<") {
		if u, err := url.PathUnescape(s); err == nil && strings.HasPrefix(strings.TrimSpace(u), "<") {
			return []byte(strings.TrimSpace(u)), nil
		}
		t, err := inflate(s, maxInflate)
		if err != nil {
			return nil, err
		}
		return []byte(t), nil
	}
	return []byte(s), nil
}

// inflate decodes draw.io's compressed text: base64 of raw-deflated,
// URL-encoded XML.
func inflate(text string, max int64) (string, error) {
	clean := strings.Map(func(c rune) rune {
		if c == ' ' || c == '\n' || c == '\r' || c == '\t' {
			return -1
		}
		return c
	}, text)
	raw, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "="))
	}
	if err != nil {
		return "", fmt.Errorf("compressed page is not valid base64: %w", err)
	}
	out, err := readLimited(flate.NewReader(bytes.NewReader(raw)), max)
	if err != nil {
		return "", err
	}
	s := string(out)
	if u, err := url.PathUnescape(s); err == nil {
		return u, nil
	}
	if strings.HasPrefix(strings.TrimSpace(s), "<") {
		return s, nil
	}
	return "", errors.New("compressed page is not URL-encoded XML")
}

func readLimited(r io.Reader, max int64) ([]byte, error) {
	out, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("compressed data does not inflate: %w", err)
	}
	if int64(len(out)) > max {
		return nil, fmt.Errorf("compressed data inflates to more than %d bytes", max)
	}
	return out, nil
}

// pngText returns the text of the PNG chunk keyed mxfile (or
// mxGraphModel).
func pngText(data []byte, max int64) (string, error) {
	p := data[len(pngSignature):]
	for len(p) >= 8 {
		n := binary.BigEndian.Uint32(p[:4])
		typ := string(p[4:8])
		p = p[8:]
		if uint64(n)+4 > uint64(len(p)) {
			return "", fmt.Errorf("truncated PNG: chunk %q runs past the end", typ)
		}
		body := p[:n]
		p = p[n+4:]
		if typ == "IEND" {
			break
		}
		if typ != "tEXt" && typ != "zTXt" && typ != "iTXt" {
			continue
		}
		key, rest, ok := bytes.Cut(body, []byte{0})
		if !ok || (string(key) != "mxfile" && string(key) != "mxGraphModel") {
			continue
		}
		switch typ {
		case "tEXt":
			return string(rest), nil
		case "zTXt":
			if len(rest) < 1 {
				return "", errors.New("malformed PNG zTXt chunk")
			}
			return zlibText(rest[1:], max)
		default:
			if len(rest) < 2 {
				return "", errors.New("malformed PNG iTXt chunk")
			}
			compressed := rest[0] == 1
			_, rest, ok := bytes.Cut(rest[2:], []byte{0})
			if ok {
				_, rest, ok = bytes.Cut(rest, []byte{0})
			}
			if !ok {
				return "", errors.New("malformed PNG iTXt chunk")
			}
			if compressed {
				return zlibText(rest, max)
			}
			return string(rest), nil
		}
	}
	return "", errors.New("PNG has no embedded draw.io diagram")
}

func zlibText(b []byte, max int64) (string, error) {
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return "", fmt.Errorf("PNG text chunk does not inflate: %w", err)
	}
	defer zr.Close()
	out, err := readLimited(zr, max)
	return string(out), err
}
