//go:build ignore

// gen_titles prints the display titles that draw.io's sidebar scripts give
// their stencils, as rows for titles.tsv ("stencil key<TAB>title"):
//
//	go run gen_titles.go path/to/drawio/src/main/webapp/js/diagramly/sidebar/Sidebar-Azure.js ...
//
// It reads each palette's shape-prefix variables (var s = '...;shape=mxgraph.azure.')
// and each createVertexTemplateEntry(prefix + 'name;...', w, h, 'value', 'Title', ...)
// call, and prints "mxgraph.azure.name<TAB>Title" once per key (the first title
// wins), sorted. Entries whose style does not start with a known prefix
// variable, or whose title is empty, are skipped.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

var (
	prefixVar = regexp.MustCompile(`var\s+(\w+)\s*=\s*.*'[^']*shape=(mxgraph\.[\w.]+\.)'\s*;`)
	entry     = regexp.MustCompile(`createVertexTemplateEntry\(\s*([\w\s+]+?)\s*\+\s*'([\w]+);[^']*'\s*,\s*[^,]+,\s*[^,]+,\s*'[^']*'\s*,\s*'([^']+)'`)
)

func main() {
	titles := map[string]string{}
	for _, file := range os.Args[1:] {
		f, err := os.Open(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		prefixes := map[string]string{}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			line := sc.Text()
			if m := prefixVar.FindStringSubmatch(line); m != nil {
				prefixes[m[1]] = m[2]
			}
			for _, m := range entry.FindAllStringSubmatch(line, -1) {
				vars := strings.Split(m[1], "+")
				last := strings.TrimSpace(vars[len(vars)-1])
				p, ok := prefixes[last]
				if !ok {
					continue
				}
				key := p + m[2]
				if _, dup := titles[key]; !dup {
					titles[key] = strings.TrimSpace(m[3])
				}
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			fmt.Fprintln(os.Stderr, file, err)
			os.Exit(1)
		}
	}
	keys := make([]string, 0, len(titles))
	for k := range titles {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s\t%s\n", k, titles[k])
	}
}
