package graph

import "testing"

func TestCleanText(t *testing.T) {
	d := &Diagram{
		Name: "Page\u202e1",
		Components: []*Component{
			{ID: "a\u200b", Label: "User\u202eevil\u202c", Attributes: map[string]string{"k\u200d": "v\u2066x"}},
			{ID: "a", Label: "Admin"},
		},
		Flows:      []*Flow{{ID: "f", Source: "a\u200b", Target: "a", Label: "HTTPS\u200b\tline\nnext\x07"}},
		Boundaries: []*Boundary{{ID: "b", Label: "Zone\ufeff", Members: []string{"a\u200b"}}},
	}
	if n := CleanText(d); n != 11 {
		t.Errorf("CleanText = %d, want 11", n)
	}
	c := d.Components[0]
	for _, tt := range []struct{ got, want string }{
		{d.Name, "Page1"},
		{c.ID, "a<U+200B>"},
		{c.Label, "Userevil"},
		{c.Attributes["k"], "vx"},
		{d.Flows[0].Source, "a<U+200B>"},
		{d.Flows[0].Label, "HTTPS\tline\nnext"},
		{d.Boundaries[0].Label, "Zone"},
		{d.Boundaries[0].Members[0], "a<U+200B>"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if len(d.Warnings) != 1 {
		t.Fatalf("warnings %v, want one", d.Warnings)
	}
	clean := &Diagram{Components: []*Component{{ID: "x", Label: "X"}}}
	if n := CleanText(clean); n != 0 || len(clean.Warnings) != 0 {
		t.Errorf("clean diagram: %d, %v", n, clean.Warnings)
	}
}
