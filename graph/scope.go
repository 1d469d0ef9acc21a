package graph

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Out-of-scope markers. Authors take a part of a diagram out of a threat
// model in three ways, all read here so that every importer reads them
// alike: a property (Threat Dragon's outOfScope and reasonOutOfScope,
// pytm's inScope=False, Threagile's out_of_scope and
// justification_out_of_scope), words in the element's own label or
// tooltip ("out of scope", "already threat modelled"), or a
// legend entry that names a style ("grey fill = out of scope", read by the
// importers that have styles). Colour alone never marks anything.

// scopePhrases are the words that take an element out of scope, as they
// read after normalizeScopeText (lower case, hyphens and underscores as
// spaces, runs of spaces as one).
var scopePhrases = []string{
	"out of scope", "not in scope", "outside the scope", "outside of scope", "out of the scope",
	"already threat modelled", "already threat modeled", "previously threat modelled", "previously threat modeled",
	"(already modelled)", "(already modeled)",
}

// ScopePhrase returns the phrase of text that marks an element out of
// scope ("out of scope", "already threat modelled"), or "" when it has none.
// "in scope" alone marks nothing, and neither does "(existing)": a system
// that already exists is usually in scope where it meets the new one.
func ScopePhrase(text string) string {
	t := normalizeScopeText(text)
	if t == "" {
		return ""
	}
	for _, p := range scopePhrases {
		i := strings.Index(t, p)
		if i < 0 {
			continue
		}
		// Whole words only: "without of scope" is not "out of scope".
		if p[0] != '(' && p[0] != '[' && i > 0 && isWordByte(t[i-1]) {
			continue
		}
		if end := i + len(p); p[len(p)-1] != ')' && p[len(p)-1] != ']' && end < len(t) && isWordByte(t[end]) {
			continue
		}
		// "not out of scope" says the opposite.
		if p == "out of scope" && strings.HasSuffix(t[:i], "not ") {
			continue
		}
		return p
	}
	return ""
}

func isWordByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80 }

func normalizeScopeText(s string) string {
	var b strings.Builder
	space := true
	for _, r := range s {
		switch {
		case r == '-' || r == '_' || unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
				space = true
			}
		default:
			b.WriteRune(unicode.ToLower(r))
			space = false
		}
	}
	return strings.TrimSpace(b.String())
}

// scopeKeys are the property names that state the scope, lower case with
// '_' and '-' removed; outKeys say "out of scope" when true, inKeys when
// false.
var (
	outKeys    = []string{"outofscope"}
	inKeys     = []string{"inscope"}
	reasonKeys = []string{"reasonoutofscope", "outofscopereason", "justificationoutofscope", "scopereason", "reasonforoutofscope"}
	// scopeClasses are class names that mark an element out of scope.
	scopeClasses = []string{"outofscope", "notinscope"}
)

func keyName(k string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(k))
}

func truthy(v string) (val, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "1", "y", "on":
		return true, true
	case "false", "no", "0", "n", "off":
		return false, true
	}
	return false, false
}

// ScopeFromAttributes reads an out-of-scope property from attrs: an
// outOfScope (out_of_scope, ...) property that is true, an inScope
// (in_scope, ...) property that is false, or scope=out. reason is the
// author's reason (reasonOutOfScope, justification_out_of_scope, ...)
// when given, else which property said so. A property that says "in
// scope" marks nothing: it is the default of the tools that write it.
func ScopeFromAttributes(attrs map[string]string) (out bool, reason string) {
	if len(attrs) == 0 {
		return false, ""
	}
	// Sorted keys: the reason must not depend on map order.
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	why, because := "", ""
	for _, k := range keys {
		v := attrs[k]
		n := keyName(k)
		switch {
		case slices.Contains(outKeys, n):
			if t, ok := truthy(v); ok && t && why == "" {
				why = "property " + k + "=" + strconv.Quote(v)
			}
		case slices.Contains(inKeys, n):
			if t, ok := truthy(v); ok && !t && why == "" {
				why = "property " + k + "=" + strconv.Quote(v)
			}
		case n == "scope":
			if s := normalizeScopeText(v); (s == "out" || s == "out of scope" || s == "excluded") && why == "" {
				why = "property " + k + "=" + strconv.Quote(v)
			}
		case n == "class" || n == "classes":
			// Mermaid classes, draw.io style classes: a class named for
			// the scope ("outOfScope", "notInScope") marks it.
			for _, cl := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
				if slices.Contains(scopeClasses, keyName(cl)) && why == "" {
					why = "class " + strconv.Quote(cl)
				}
			}
		case slices.Contains(reasonKeys, n):
			if r := strings.Join(strings.Fields(v), " "); r != "" && because == "" {
				because = r
			}
		}
	}
	if why == "" {
		return false, ""
	}
	if because != "" {
		return true, because + " (" + why + ")"
	}
	return true, why
}

// ReadScope marks c out of scope when its properties or its own words say
// so (ScopeFromAttributes, then ScopePhrase on each of texts, named by
// what: "label", "tooltip"). A component already out of scope keeps its
// reason. It reports whether c is out of scope.
func (c *Component) ReadScope(texts ...NamedText) bool {
	if !c.OutOfScope {
		c.OutOfScope, c.OutOfScopeReason = scopeOf(c.Attributes, c.LabelDerived, texts)
	}
	return c.OutOfScope
}

// ReadScope is Component.ReadScope for a boundary.
func (b *Boundary) ReadScope(texts ...NamedText) bool {
	if !b.OutOfScope {
		b.OutOfScope, b.OutOfScopeReason = scopeOf(b.Attributes, b.LabelDerived, texts)
	}
	return b.OutOfScope
}

// ReadScope is Component.ReadScope for a flow (properties only: the words
// on an arrow describe what it carries).
func (f *Flow) ReadScope() bool {
	if !f.OutOfScope {
		f.OutOfScope, f.OutOfScopeReason = ScopeFromAttributes(f.Attributes)
	}
	return f.OutOfScope
}

// NamedText is text of an element with what it is ("label", "tooltip").
type NamedText struct{ Name, Text string }

func scopeOf(attrs map[string]string, derived bool, texts []NamedText) (bool, string) {
	if out, why := ScopeFromAttributes(attrs); out {
		return out, why
	}
	for i, t := range texts {
		if i == 0 && derived && t.Name == "label" {
			continue // the importer's words, not the author's
		}
		if p := ScopePhrase(t.Text); p != "" {
			return true, t.Name + " says " + strconv.Quote(p)
		}
	}
	return false, ""
}

// ScopeLegend is a legend entry that names a style as out of scope: every
// component drawn with Value for style key Key (a fill colour) is out of
// scope, because the legend entry Entry says so.
type ScopeLegend struct {
	Key, Value string
	// Entry is the legend entry's text ("Out of scope").
	Entry string
}

// Apply marks c out of scope when its style value for l.Key is l.Value
// (compared without case and spaces). It reports whether it did.
func (l ScopeLegend) Apply(c *Component, value string) bool {
	if c.OutOfScope || l.Value == "" || !strings.EqualFold(strings.TrimSpace(value), strings.TrimSpace(l.Value)) {
		return false
	}
	c.OutOfScope = true
	c.OutOfScopeReason = "the legend says " + strconv.Quote(strings.Join(strings.Fields(l.Entry), " ")) + " for " + l.Key + " " + l.Value
	return true
}

// ReadScopes reads what every importer reads alike, so that no importer
// has to: the out-of-scope properties and classes of every component,
// boundary and flow, and the words of each component's and boundary's
// label (unless derived), tooltip and description attributes. An element
// an importer has already marked keeps its reason. Finalize calls it;
// importers add what only their format has (a legend that names a style).
func (d *Diagram) ReadScopes() {
	for _, b := range d.Boundaries {
		b.ReadScope(NamedText{"label", b.Label}, NamedText{"tooltip", b.Attributes["tooltip"]}, NamedText{"description", b.Attributes["description"]})
	}
	for _, c := range d.Components {
		c.ReadScope(NamedText{"label", c.Label}, NamedText{"tooltip", c.Attributes["tooltip"]}, NamedText{"description", c.Attributes["description"]})
	}
	for _, f := range d.Flows {
		f.ReadScope()
	}
}

// inheritScope marks every component inside a boundary that is out of
// scope (or inside one nested in such a boundary) out of scope, naming
// the boundary. Called by Finalize.
func (d *Diagram) inheritScope() {
	if !slices.ContainsFunc(d.Boundaries, func(b *Boundary) bool { return b.OutOfScope }) {
		return
	}
	for _, b := range d.Boundaries {
		if b.OutOfScope {
			continue
		}
		for _, id := range d.BoundaryChain(b.Parent) {
			if p := d.bounds[id]; p != nil && p.OutOfScope {
				b.OutOfScope, b.OutOfScopeReason = true, "inside "+strconv.Quote(oneLine(p.Label))+": "+p.OutOfScopeReason
				break
			}
		}
	}
	for _, c := range d.Components {
		if c.OutOfScope || c.Boundary == "" {
			continue
		}
		if b := d.bounds[c.Boundary]; b != nil && b.OutOfScope {
			c.OutOfScope, c.OutOfScopeReason = true, "inside "+strconv.Quote(oneLine(b.Label))+": "+b.OutOfScopeReason
		}
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
