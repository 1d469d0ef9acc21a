package main

import (
	"sync"

	"github.com/threatmap/threatmap/exporters/scene"
	"github.com/threatmap/threatmap/internal/scenebuild"
	"github.com/threatmap/threatmap/layout"
	"github.com/threatmap/threatmap/stride"
)

// sceneOnce returns a function that computes the picture of r (as the
// annotated SVG draws it) on first use and returns the same scene after,
// handing layout and annotation warnings to warn.
func sceneOnce(r *stride.Report, mode string, lo layout.Options, warn func(string)) func() (*scene.Scene, error) {
	var (
		once sync.Once
		s    *scene.Scene
		err  error
	)
	return func() (*scene.Scene, error) {
		once.Do(func() {
			var warns []string
			s, warns, err = scenebuild.Build(r, scenebuild.Options{Layout: mode, LayoutOptions: lo})
			for _, w := range warns {
				warn(w)
			}
		})
		return s, err
	}
}

// otmAsYAML makes --otm-yaml write the Open Threat Model as YAML.
func otmAsYAML(emit []emitter) ([]emitter, error) {
	out := make([]emitter, 0, len(emit))
	found := false
	for _, e := range emit {
		if e.name == "otm" {
			found = true
			continue
		}
		if e.name == "otm.yaml" {
			found = true
		}
		out = append(out, e)
	}
	if !found {
		return nil, usagef("--otm-yaml needs --emit otm")
	}
	for _, e := range emitters {
		if e.name == "otm.yaml" && !hasEmitter(out, "otm.yaml") {
			out = append(out, e)
		}
	}
	return out, nil
}

func hasEmitter(list []emitter, name string) bool {
	for _, e := range list {
		if e.name == name {
			return true
		}
	}
	return false
}
