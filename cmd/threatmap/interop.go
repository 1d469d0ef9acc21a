package main

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
