package graph

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// sample builds: internet{user}  cloud{ lb, app{ api, data{db} } }  saas
func sample(t *testing.T) *Diagram {
	t.Helper()
	d := New("t.dot", "dot")
	for _, b := range []*Boundary{
		{ID: "internet", Label: "Internet"},
		{ID: "cloud", Label: "Cloud"},
		{ID: "app", Label: "App", Parent: "cloud"},
		{ID: "data", Label: "Data", Parent: "app"},
	} {
		if err := d.AddBoundary(b); err != nil {
			t.Fatal(err)
		}
	}
	for id, b := range map[string]string{"user": "internet", "lb": "cloud", "api": "app", "db": "data", "saas": ""} {
		if err := d.AddComponent(&Component{ID: id, Label: id, Boundary: b}); err != nil {
			t.Fatal(err)
		}
	}
	d.AddFlow(&Flow{ID: "f1", Source: "user", Target: "api"})
	if err := d.Finalize(); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestBoundaryPath(t *testing.T) {
	d := sample(t)
	tests := []struct {
		id   string
		want []string
	}{
		{"user", []string{"internet"}},
		{"lb", []string{"cloud"}},
		{"db", []string{"cloud", "app", "data"}},
		{"saas", nil},
		{"nope", nil},
	}
	for _, tt := range tests {
		if got := d.BoundaryPath(tt.id); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("BoundaryPath(%s) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func TestCrossings(t *testing.T) {
	d := sample(t)
	tests := []struct {
		src, dst string
		want     []string
	}{
		{"user", "db", []string{"internet", "cloud", "app", "data"}},
		{"db", "user", []string{"data", "app", "cloud", "internet"}},
		{"lb", "db", []string{"app", "data"}},
		{"api", "db", []string{"data"}},
		{"db", "api", []string{"data"}},
		{"api", "api", nil},
		{"saas", "lb", []string{"cloud"}},
		{"saas", "saas", nil},
	}
	for _, tt := range tests {
		if got := d.Crossings(tt.src, tt.dst); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Crossings(%s, %s) = %v, want %v", tt.src, tt.dst, got, tt.want)
		}
	}
}

func TestFinalizeMembers(t *testing.T) {
	d := sample(t)
	want := map[string][]string{"internet": {"user"}, "cloud": {"lb"}, "app": {"api"}, "data": {"db"}}
	for _, b := range d.Boundaries {
		if !reflect.DeepEqual(b.Members, want[b.ID]) {
			t.Errorf("%s members = %v, want %v", b.ID, b.Members, want[b.ID])
		}
	}
	if d.Depth("data") != 3 || d.Depth("internet") != 1 {
		t.Errorf("depths = %d, %d", d.Depth("data"), d.Depth("internet"))
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		build func(d *Diagram)
		want  string
	}{
		{"dangling flow", func(d *Diagram) {
			d.AddComponent(&Component{ID: "a"})
			d.AddFlow(&Flow{ID: "f", Source: "a", Target: "b"})
		}, `flow "f": unknown target component "b"`},
		{"unknown boundary", func(d *Diagram) {
			d.AddComponent(&Component{ID: "a", Boundary: "x"})
		}, `component "a": unknown boundary "x"`},
		{"parent cycle", func(d *Diagram) {
			d.AddBoundary(&Boundary{ID: "x", Parent: "y"})
			d.AddBoundary(&Boundary{ID: "y", Parent: "x"})
		}, `boundary "x": parent cycle`},
		{"missing parent", func(d *Diagram) {
			d.AddBoundary(&Boundary{ID: "x", Parent: "y"})
		}, `boundary "x": unknown parent "y"`},
	}
	for _, tt := range tests {
		d := New("t", "dot")
		tt.build(d)
		err := d.Finalize()
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	d := New("t", "dot")
	d.AddBoundary(&Boundary{ID: "x", Parent: "y"})
	d.AddBoundary(&Boundary{ID: "y", Parent: "x"})
	if got := d.BoundaryChain("x"); len(got) != 2 {
		t.Errorf("BoundaryChain on a cycle = %v, want it to stop", got)
	}
}

func TestDuplicates(t *testing.T) {
	d := New("t", "dot")
	if err := d.AddComponent(&Component{ID: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := d.AddComponent(&Component{ID: "a"}); err == nil {
		t.Error("duplicate component accepted")
	}
	if err := d.AddComponent(&Component{}); err == nil {
		t.Error("empty id accepted")
	}
	if d.Component("a").Attributes == nil {
		t.Error("attributes map not initialised")
	}
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]Kind{
		"external": KindExternal, "External Entity": KindExternal, "actor": KindExternal,
		"process": KindProcess, "Service": KindProcess,
		"datastore": KindDataStore, "Data Store": KindDataStore, "data-store": KindDataStore, "DB": KindDataStore,
		"": KindUnknown, "banana": KindUnknown,
	} {
		got, ok := ParseKind(in)
		if got != want || ok != (want != KindUnknown) {
			t.Errorf("ParseKind(%q) = %q, %v", in, got, ok)
		}
	}
}

func TestInputError(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{Errorf("a.dot", Position{Line: 3}, "syntax error near %q", ";"), `a.dot:3: syntax error near ";"`},
		{Errorf("a.mmd", Position{Line: 3, Column: 9}, "unexpected"), `a.mmd:3:9: unexpected`},
		{Errorf("a.drawio", Position{Page: "Page-1", Cell: "7"}, "missing parent"), `a.drawio: page "Page-1", cell "7": missing parent`},
		{Errorf("", Position{}, "empty"), `<input>: empty`},
	}
	for _, tt := range tests {
		if tt.err.Error() != tt.want {
			t.Errorf("got %q, want %q", tt.err, tt.want)
		}
		if !IsInputError(fmt.Errorf("wrapped: %w", tt.err)) {
			t.Errorf("IsInputError(%v) = false", tt.err)
		}
	}
	err := Wrap("big.drawio", Position{}, "inflated page too large", ErrLimit)
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "limit exceeded") {
		t.Errorf("Wrap = %v", err)
	}
}

func TestRect(t *testing.T) {
	r := Rect{X: 0, Y: 0, W: 100, H: 50}
	if !r.Contains(Rect{X: 10, Y: 10, W: 20, H: 20}) || r.Contains(Rect{X: 90, Y: 10, W: 20, H: 20}) {
		t.Error("Contains")
	}
	if !r.ContainsPoint(Point{X: 100, Y: 50}) || r.ContainsPoint(Point{X: 101, Y: 0}) {
		t.Error("ContainsPoint")
	}
}
