package drawio

import (
	"strings"
)

// style is a parsed draw.io style string: "ellipse;whiteSpace=wrap;html=1;"
// has the bare name "ellipse" and two key=value pairs. Later pairs override
// earlier ones, as in draw.io.
type style struct {
	names []string
	kv    map[string]string
}

func parseStyle(s string) style {
	var st style
	for s != "" {
		var tok string
		tok, s, _ = strings.Cut(s, ";")
		tok = strings.TrimSpace(tok)
		if tok == "" {
			continue
		}
		if k, v, ok := strings.Cut(tok, "="); ok {
			if st.kv == nil {
				st.kv = make(map[string]string, 8)
			}
			st.kv[strings.TrimSpace(k)] = strings.TrimSpace(v)
		} else {
			st.names = append(st.names, tok)
		}
	}
	return st
}

func (s style) get(k string) string { return s.kv[k] }

func (s style) has(name string) bool {
	for _, n := range s.names {
		if n == name {
			return true
		}
	}
	return false
}

// shapeNames are the named styles of draw.io's default stylesheet that pick
// a shape, so that "ellipse;whiteSpace=wrap" means shape ellipse.
var shapeNames = map[string]bool{
	"ellipse": true, "doubleEllipse": true, "rhombus": true, "triangle": true,
	"hexagon": true, "cloud": true, "cylinder": true, "actor": true,
	"line": true, "image": true, "roundImage": true, "rhombusImage": true,
	"arrow": true, "swimlane": true, "group": true, "text": true,
	"edgeLabel": true, "label": true, "icon": true, "umlActor": true,
	"rect": true, "rectangle": true,
}

// shapeHint returns the shape a vertex is drawn with: the resource or
// product icon name for AWS/Azure/GCP icon shapes ("mxgraph.aws4.rds"), the
// shape key, or a shape-naming style name ("ellipse"); "" for a plain
// rectangle.
func (s style) shapeHint() string {
	shape := s.get("shape")
	if shape != "" {
		if strings.HasSuffix(shape, "resourceIcon") {
			if ri := s.get("resIcon"); ri != "" {
				return ri
			}
		}
		if strings.HasSuffix(shape, "productIcon") {
			if pi := s.get("prIcon"); pi != "" {
				return pi
			}
		}
		return shape
	}
	if ri := s.get("resIcon"); ri != "" {
		return ri
	}
	for _, n := range s.names {
		if shapeNames[n] {
			return n
		}
	}
	return ""
}

// isText reports text-only cells: free text, edge labels and sticky notes.
func (s style) isText() bool {
	return s.has("text") || s.has("edgeLabel") || s.get("shape") == "note" || s.get("shape") == "text" || s.textLike()
}

// noFill and noStroke report shapes drawn without a fill or an outline.
func (s style) noFill() bool   { v := s.get("fillColor"); return v == "none" || v == "transparent" }
func (s style) noStroke() bool { v := s.get("strokeColor"); return v == "none" || v == "transparent" }

// plainGroup reports a group drawn as nothing: no fill, no outline.
func (s style) plainGroup() bool {
	f, k := s.get("fillColor"), s.get("strokeColor")
	return (f == "" || s.noFill()) && (k == "" || s.noStroke())
}

// textLike reports shapes that draw only their label: a plain rectangle or
// ellipse with neither fill nor outline, as templates use for free text.
func (s style) textLike() bool {
	switch s.shapeHint() {
	case "", "rect", "rectangle", "label", "ellipse":
		return s.noFill() && s.noStroke() && s.get("container") != "1" && !s.has("swimlane") && !s.has("group")
	}
	return false
}

// isRectLike reports plain (optionally rounded) rectangles.
func (s style) isRectLike() bool {
	switch s.shapeHint() {
	case "", "rect", "rectangle", "label":
		return !s.isText()
	}
	return false
}

// isCloudGroup reports the AWS, Azure and GCP group shapes
// (mxgraph.aws4.group, mxgraph.aws4.groupCenter, ...).
func (s style) isCloudGroup() bool {
	shape := strings.ToLower(s.get("shape"))
	if s.get("grIcon") != "" && strings.HasPrefix(shape, "mxgraph.") {
		return true
	}
	for _, p := range []string{"mxgraph.aws", "mxgraph.azure", "mxgraph.gcp", "mxgraph.mscae", "mxgraph.alibaba", "mxgraph.ibm"} {
		if strings.HasPrefix(shape, p) && (strings.Contains(shape, "group") || strings.HasSuffix(shape, ".box") || strings.Contains(shape, "zone")) {
			return true
		}
	}
	return false
}

// isSwimlane reports swimlane containers, by style name or shape.
func (s style) isSwimlane() bool {
	return s.has("swimlane") || s.get("shape") == "swimlane"
}

// isContainer reports the styles draw.io treats as containers.
func (s style) isContainer() bool {
	return s.get("container") == "1" || s.isSwimlane() || s.has("group") || s.isCloudGroup() ||
		s.get("shape") == "table" || s.get("shape") == "tableRow"
}

// isList reports stack- and table-layout containers (UML classes, tables,
// lists): one unit whose rows are not separate shapes.
func (s style) isList() bool {
	switch s.get("childLayout") {
	case "stackLayout", "tableLayout":
		return true
	}
	return s.get("shape") == "table" || s.get("shape") == "tableRow"
}

func (s style) dashed() bool { return s.get("dashed") == "1" }

// zoneRe matches labels that name a network or trust zone.
var zoneRe = lazyRegexp(`(?i)\b(dmz|vpc|vnet|v-net|subnets?|trust[ -]?boundary|boundary|internet|intranet|extranet|zones?|perimeter|data ?cent(er|re)s?|on[- ]?prem(ise|ises)?|networks?|cloud|enclave|tenant|segments?|azure|aws|gcp|regions?|namespaces?|clusters?|accounts?|projects?|environments?|tiers?|layers?)\b`)

func isZoneLabel(label string) bool { return label != "" && zoneRe().MatchString(label) }

func isLegendLabel(label string) bool {
	l := strings.ToLower(strings.TrimSpace(label))
	l = strings.TrimSuffix(l, ":")
	return l == "legend" || l == "key"
}
