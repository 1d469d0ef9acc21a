//go:build ignore

// gen_titles writes titles.tsv, the display titles draw.io's own palettes
// give their stencils ("stencil key<TAB>title"), from a copy of draw.io's
// web application sources:
//
//	go run gen_titles.go -src path/to/drawio/src/main/webapp=jgraph/drawio@<commit> [-src older...] -out titles.tsv
//
// (go generate runs it with $DRAWIO_SOURCES; see stencils.go.) Several
// copies may be given, newest first: an older draw.io still titles shapes
// its palettes have since replaced (mxgraph.c4.person, now person2), which
// diagrams drawn back then still use. From each copy it reads two kinds of
// source, in this order, and the first title given to a key wins:
//
//  1. The sidebar scripts of the vendor palettes (sidebarFiles below, in
//     js/diagramly/sidebar): every createVertexTemplateEntry(style, w, h,
//     value, 'Title', ...) call, and every createVertexTemplateFromCells(
//     [cell, ...], w, h, 'Title') whose first cell was made by
//     cell = new mxCell(value, geometry, style) (the C4 palette's shapes). The style argument is evaluated as the
//     concatenation of string literals and of variables assigned earlier
//     in the file (var n = '...shape=mxgraph.gcp2.'; gn = 'mxgraph.aws4'),
//     which is how every palette script builds its styles; the key is the
//     most specific key stencils.StyleKeys finds in the result.
//  2. The stencil sets draw.io loads for its stencil palettes (stencilFiles
//     below, in stencils/): each <shape name="Router"> of a <shapes
//     name="mxgraph.cisco.routers"> set, keyed the way draw.io's stencil
//     registry names it ("mxgraph.cisco.routers.router": the package and
//     the name lowercased, spaces as underscores) and titled by its name.
//
// Shapes whose name says nothing particular (rect, icon, group, ...:
// stencils.IsGeneric) are skipped unless an icon is drawn on them
// (prIcon=pod), so a generic shape never lends its title to an icon the
// palettes do not know.
package main

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/threatmap/threatmap/internal/stencils"
)

// sidebarFiles are the palette scripts read, most authoritative first: the
// AWS 2018 product and resource icons before the older AWS4 palette, so
// that "Amazon RDS" (product icon) wins over "RDS".
var sidebarFiles = []string{
	"Sidebar-AWS4b.js", "Sidebar-AWS4.js", "Sidebar-Azure.js", "Sidebar-Azure2.js", "Sidebar-Kubernetes.js",
	"Sidebar-Network.js", "Sidebar-GCP2.js", "Sidebar-GCPIcons.js", "Sidebar-IBM.js", "Sidebar-Cisco19.js",
	"Sidebar-CiscoSafe.js", "Sidebar-Citrix.js", "Sidebar-MSCAE.js", "Sidebar-Office.js", "Sidebar-DFD.js",
	"Sidebar-ThreatModeling.js", "Sidebar-C4.js", "Sidebar-AlibabaCloud.js", "Sidebar-Veeam2.js", "Sidebar-Veeam.js",
	"Sidebar-AWS3D.js", "Sidebar-EIP.js",
}

// stencilFiles are the stencil sets read (files or folders of *.xml).
var stencilFiles = []string{
	"cisco", "cisco19.xml", "cisco_safe", "citrix.xml", "mscae", "office", "gcp", "gcp2.xml", "ibm.xml",
	"networks.xml", "c4.xml", "dfd.xml", "kubernetes.xml", "azure.xml", "aws4.xml", "alibaba_cloud.xml",
}

// source is one copy of draw.io's web application sources.
type source struct{ webapp, origin string }

// sources reads "webapp=origin" arguments.
type sources []source

func (s *sources) String() string { return fmt.Sprint(*s) }

func (s *sources) Set(v string) error {
	dir, origin, ok := strings.Cut(v, "=")
	if !ok || dir == "" || origin == "" {
		return fmt.Errorf("want WEBAPP=ORIGIN, got %q", v)
	}
	*s = append(*s, source{dir, origin})
	return nil
}

func main() {
	var srcs sources
	flag.Var(&srcs, "src", "WEBAPP=ORIGIN: draw.io's src/main/webapp folder and the repository@commit it comes from (repeatable; earlier wins)")
	outFile := flag.String("out", "", "file to write (replaced only once complete); standard output if empty")
	flag.Parse()
	if len(srcs) == 0 {
		fmt.Fprintln(os.Stderr, "usage: go run gen_titles.go -src DRAWIO/src/main/webapp=owner/repo@commit [-src ...] [-out titles.tsv]")
		os.Exit(2)
	}
	titles := map[string]string{}
	add := func(key, title string) {
		title = strings.Join(strings.Fields(title), " ")
		if key == "" || title == "" {
			return
		}
		if !strings.HasPrefix(key, "mxgraph.") && !strings.HasPrefix(key, "img/") {
			return
		}
		if _, dup := titles[key]; !dup {
			titles[key] = title
		}
	}
	var header []string
	for _, src := range srcs {
		var read []string
		for _, name := range sidebarFiles {
			data, err := os.ReadFile(filepath.Join(src.webapp, "js", "diagramly", "sidebar", name))
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				fail(err)
			}
			read = append(read, name)
			for _, e := range sidebarEntries(string(data)) {
				keys := stencils.StyleKeys(e.style)
				// A generic shape (rect, resourceIcon) names nothing unless an
				// icon drawn on it does (prIcon=pod, resIcon=...rds).
				if len(keys) > 0 && (strings.Contains(e.style, "prIcon=") || strings.Contains(e.style, "resIcon=") || !stencils.IsGeneric(keys[0])) {
					add(keys[0], e.title)
				}
			}
		}
		for _, name := range stencilFiles {
			path := filepath.Join(src.webapp, "stencils", name)
			files := []string{path}
			if fi, err := os.Stat(path); os.IsNotExist(err) {
				continue
			} else if err != nil {
				fail(err)
			} else if fi.IsDir() {
				files, _ = filepath.Glob(filepath.Join(path, "*.xml"))
				sort.Strings(files)
			}
			read = append(read, "stencils/"+name)
			for _, f := range files {
				shapes, err := stencilSet(f)
				if err != nil {
					fail(fmt.Errorf("%s: %w", f, err))
				}
				for _, s := range shapes {
					if !stencils.IsGeneric(s[0]) {
						add(s[0], s[1])
					}
				}
			}
		}
		header = append(header, fmt.Sprintf("# From %s, src/main/webapp:", src.origin))
		for len(read) > 0 {
			n := min(6, len(read))
			header = append(header, "#   "+strings.Join(read[:n], ", "))
			read = read[n:]
		}
	}
	keys := make([]string, 0, len(titles))
	for k := range titles {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out bytes.Buffer
	fmt.Fprintf(&out, "# Display titles of draw.io palette stencils, by stencil key (tab-separated).\n")
	fmt.Fprintf(&out, "# Generated by gen_titles.go (go generate; see stencils.go); the first source to title a key wins.\n")
	for _, h := range header {
		fmt.Fprintln(&out, h)
	}
	fmt.Fprintf(&out, "# Copyright (c) JGraph Ltd, licensed under the Apache License, Version 2.0.\n")
	fmt.Fprintf(&out, "# Stencils not listed here are named from their stencil or image file name (stencils.go).\n")
	for _, k := range keys {
		fmt.Fprintf(&out, "%s\t%s\n", k, titles[k])
	}
	if *outFile == "" {
		if _, err := os.Stdout.Write(out.Bytes()); err != nil {
			fail(err)
		}
		return
	}
	tmp := *outFile + ".new"
	if err := os.WriteFile(tmp, out.Bytes(), 0o644); err != nil {
		fail(err)
	}
	if err := os.Rename(tmp, *outFile); err != nil {
		os.Remove(tmp)
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

type entry struct{ style, title string }

// token is a piece of JavaScript: a string literal (str), a name, or a
// single punctuation or other character.
type token struct {
	kind byte // 's' string, 'n' name, 'p' other
	text string
}

// lex splits JavaScript source into tokens, enough to follow string
// concatenation: comments are dropped, string literals unescaped.
func lex(src string) []token {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return toks
			}
			i += end + 4
		case c == '\'' || c == '"' || c == '`':
			var b strings.Builder
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' && j+1 < len(src) {
					j++
					switch src[j] {
					case 'n', 'r', 't':
						b.WriteByte(' ') // titles are one line
					default:
						b.WriteByte(src[j])
					}
					j++
					continue
				}
				b.WriteByte(src[j])
				j++
			}
			toks = append(toks, token{'s', b.String()})
			i = j + 1
		case c == '_' || c == '$' || c == '.' || isAlnum(c):
			j := i
			for j < len(src) && (src[j] == '_' || src[j] == '$' || src[j] == '.' || isAlnum(src[j])) {
				j++
			}
			toks = append(toks, token{'n', src[i:j]})
			i = j
		default:
			toks = append(toks, token{'p', string(c)})
			i++
		}
	}
	return toks
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// sidebarEntries finds the createVertexTemplateEntry calls of a palette
// script, with their evaluated style and their title.
func sidebarEntries(src string) []entry {
	toks := lex(src)
	vars := map[string]string{}
	var out []entry
	// declared holds each variable's value where a "var" first gave it
	// one: a palette function that takes it as a parameter starts from it
	// (IBM's sub-palettes get the base style and add their folder with +=).
	declared := map[string]string{}
	cells := map[string]string{} // variables holding a new mxCell, by style
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == 'n' && t.text == "function" {
			j := i + 1
			if j < len(toks) && toks[j].kind == 'n' {
				j++
			}
			if j < len(toks) && toks[j].text == "(" {
				for j++; j < len(toks) && toks[j].text != ")"; j++ {
					if v, ok := declared[toks[j].text]; ok && toks[j].kind == 'n' {
						vars[toks[j].text] = v
					}
				}
			}
			continue
		}
		// name = new mxCell(value, geometry, style): a cell a palette
		// entry is then made from (createVertexTemplateFromCells).
		if t.kind == 'n' && i+4 < len(toks) && toks[i+1].text == "=" && toks[i+2].text == "new" && toks[i+3].text == "mxCell" && toks[i+4].text == "(" {
			if args := splitArgs(toks, i+5); len(args) >= 3 {
				if style, end, ok := concat(args[2], 0, vars); ok && end == len(args[2]) {
					cells[t.text] = style
				} else {
					delete(cells, t.text)
				}
			}
			continue
		}
		// createVertexTemplateFromCells([cell, ...], w, h, 'Title'): the
		// first cell's style is the entry's.
		if t.kind == 'n' && strings.HasSuffix(t.text, "createVertexTemplateFromCells") && i+1 < len(toks) && toks[i+1].text == "(" {
			args := splitArgs(toks, i+2)
			if len(args) >= 4 && len(args[0]) >= 2 && args[0][0].text == "[" {
				style, known := cells[args[0][1].text]
				title, end, ok := concat(args[3], 0, vars)
				if known && ok && end == len(args[3]) {
					out = append(out, entry{style, title})
				}
			}
			continue
		}
		// name = 'a' + b + 'c' ;  or  name += ... ;
		if t.kind == 'n' && i+2 < len(toks) {
			at, appendTo := i+1, false
			if toks[at].text == "+" && toks[at+1].text == "=" {
				at, appendTo = at+1, true
			}
			if toks[at].text == "=" && (at+1 >= len(toks) || toks[at+1].text != "=") {
				v, end, ok := concat(toks, at+1, vars)
				prev, had := vars[t.text]
				switch {
				case !ok || end >= len(toks) || (toks[end].text != ";" && toks[end].text != ","):
					delete(vars, t.text)
				case appendTo && had:
					vars[t.text] = prev + v
				case appendTo:
					delete(vars, t.text)
				default:
					vars[t.text] = v
					if i > 0 && toks[i-1].text == "var" {
						if _, seen := declared[t.text]; !seen {
							declared[t.text] = v
						}
					}
				}
				continue
			}
		}
		if t.kind != 'n' || !strings.HasSuffix(t.text, "createVertexTemplateEntry") || i+1 >= len(toks) || toks[i+1].text != "(" {
			continue
		}
		args := splitArgs(toks, i+2)
		if len(args) < 5 {
			continue
		}
		style, end, ok := concat(args[0], 0, vars)
		if !ok || end != len(args[0]) {
			continue
		}
		// The title, else (title null) the value the shape is drawn
		// with, which the palette then shows as its name ("Amazon Athena").
		title, end, ok := concat(args[4], 0, vars)
		if len(args[4]) == 1 && args[4][0].text == "null" {
			title, end, ok = concat(args[3], 0, vars)
			end -= len(args[3]) - len(args[4])
		}
		if !ok || end != len(args[4]) {
			continue
		}
		out = append(out, entry{style, title})
	}
	return out
}

// constants are the mxConstants style names palette scripts build styles
// with; others count as empty.
var constants = map[string]string{
	"mxConstants.STYLE_SHAPE": "shape", "mxConstants.STYLE_IMAGE": "image",
	"mxConstants.STYLE_VERTICAL_LABEL_POSITION": "verticalLabelPosition", "mxConstants.STYLE_VERTICAL_ALIGN": "verticalAlign",
	"mxConstants.STYLE_LABEL_POSITION": "labelPosition", "mxConstants.STYLE_ALIGN": "align",
	"mxConstants.STYLE_STROKECOLOR": "strokeColor", "mxConstants.STYLE_FILLCOLOR": "fillColor",
}

// concat evaluates a + b + ... from toks[i]: string literals and known
// variables; names it does not know (mxConstants.STYLE_...) count as
// empty. It returns the value, the index after the expression, and false
// when the expression is anything else (a call, arithmetic).
func concat(toks []token, i int, vars map[string]string) (string, int, bool) {
	var b strings.Builder
	for {
		if i >= len(toks) {
			return "", i, false
		}
		switch t := toks[i]; t.kind {
		case 's':
			b.WriteString(t.text)
		case 'n':
			if v, ok := vars[t.text]; ok {
				b.WriteString(v)
			} else if v, ok := constants[t.text]; ok {
				b.WriteString(v)
			} else if !strings.HasPrefix(t.text, "mxConstants.") {
				return "", i, false
			}
		default:
			return "", i, false
		}
		i++
		if i >= len(toks) || toks[i].text != "+" {
			return b.String(), i, true
		}
		i++
	}
}

// splitArgs returns the comma-separated arguments of a call whose opening
// parenthesis is just before toks[i].
func splitArgs(toks []token, i int) [][]token {
	var args [][]token
	var cur []token
	depth := 0
	for ; i < len(toks); i++ {
		switch t := toks[i]; {
		case t.kind == 'p' && (t.text == "(" || t.text == "[" || t.text == "{"):
			depth++
		case t.kind == 'p' && (t.text == ")" || t.text == "]" || t.text == "}"):
			if depth == 0 {
				return append(args, cur)
			}
			depth--
		case t.kind == 'p' && t.text == "," && depth == 0:
			args = append(args, cur)
			cur = nil
			continue
		}
		cur = append(cur, toks[i])
	}
	return args
}

// stencilSet reads a draw.io stencil file and returns (key, name) for each
// shape, keyed as draw.io's stencil registry keys it.
func stencilSet(file string) ([][2]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	var out [][2]string
	pkg := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := attr(t, "name")
			switch {
			case t.Name.Local == "shapes":
				pkg = ""
				if name != "" {
					pkg = strings.ToLower(name) + "."
				}
			case t.Name.Local == "shape" && name != "":
				out = append(out, [2]string{pkg + strings.ToLower(strings.ReplaceAll(name, " ", "_")), name})
				if err := dec.Skip(); err != nil {
					return nil, err
				}
			}
		}
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
