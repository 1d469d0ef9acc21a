// Command gensys writes one generated system (internal/gensys) in the
// formats named, to files in a directory: system.drawio, system.mmd,
// system.dot, threagile.yaml and pytm_model.py. scripts/bench-peers.sh
// uses it to give threatmap, Threagile and pytm the same system.
//
//	go run ./internal/gensys/cmd/gensys -n 500 -out /tmp/sys500
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/threatmap/threatmap/internal/gensys"
)

func main() {
	n := flag.Int("n", 14, "number of components (at least 10)")
	out := flag.String("out", ".", "directory to write the files to")
	flag.Parse()
	if err := write(*n, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gensys:", err)
		os.Exit(1)
	}
}

func write(n int, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	s := gensys.New(n)
	for name, data := range map[string][]byte{
		"system.drawio": s.DrawIO(), "system.mmd": s.Mermaid(), "system.dot": s.DOT(),
		"threagile.yaml": s.ThreagileYAML(), "pytm_model.py": s.PytmModel(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("%s: %d components, %d flows, %d zones\n", dir, len(s.Components), len(s.Flows), len(s.Zones))
	return nil
}
