package main

import (
	"os"
	"path/filepath"

	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride"
)

// configFileNames are the configuration files looked for next to a
// diagram, in order.
var configFileNames = []string{"threatmap.yaml", "threatmap.yml"}

// findConfig returns the threatmap.yaml (or threatmap.yml) next to
// diagramPath, if there is one. It never looks further up the tree.
func findConfig(diagramPath string) (string, bool) {
	if diagramPath == "" || diagramPath == "-" {
		return "", false
	}
	for _, name := range configFileNames {
		p := filepath.Join(filepath.Dir(diagramPath), name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, true
		}
	}
	return "", false
}

// loadConfig reads and parses a configuration file; errors name the file
// and line.
func loadConfig(path string) (*stride.Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, graph.Wrap(path, graph.Position{}, "cannot read configuration", err)
	}
	return stride.ParseConfig(path, data)
}

// loadRules reads the rule files at paths and layers them over the
// built-in library.
func loadRules(paths []string) ([]stride.Rule, error) {
	files := make([]stride.RuleFile, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, graph.Wrap(p, graph.Position{}, "cannot read rules file", err)
		}
		files = append(files, stride.RuleFile{Name: p, Data: data})
	}
	return stride.LoadRules(files...)
}
