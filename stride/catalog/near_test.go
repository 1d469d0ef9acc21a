package catalog

import "testing"

// TestNear checks the misspelling reading: one edit (two from ten letters)
// from a named product's one-word alias, unique, never for short words.
func TestNear(t *testing.T) {
	tests := []struct {
		label string
		want  string // technology id, "" for none
	}{
		{"PostgresSQL", "postgresql"},
		{"Postgrse", "postgresql"}, // letters swapped
		{"MongoBD", "mongodb"},
		{"Elasticsearh cluster", "elasticsearch"},
		{"Kuberentes", "kubernetes"},
		{"Orders", ""},                     // no alias near it
		{"Redis", ""},                      // exact words are Match's, not Near's
		{"Mysq", ""},                       // shorter than six letters
		{"Reporting", ""},                  // an ordinary word
		{"Container Liveliness Check", ""}, // "container" is a word aliases use, not a misspelt "containerd"
		{"Linked Accounts", ""},            // an ordinary word one letter from "linkerd"
		{"Datalog engine", ""},             // one letter from "datadog": short words need swapped letters
		{"Postgresq", "postgresql"},        // eight letters or more: any one edit
	}
	m := Default()
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			got, ok := m.Near(tc.label)
			id := ""
			if ok {
				id = got.Tech.ID
			}
			if id != tc.want {
				t.Fatalf("Near(%q) = %q (%s), want %q", tc.label, id, got.Reason, tc.want)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"postgressql", "postgresql", 1},
		{"kuberentes", "kubernetes", 1},
		{"abc", "abc", 0},
		{"abcdef", "azcdxf", 2},
		{"abcdef", "uvwxyz", 3}, // past the limit
	}
	for _, tc := range tests {
		if got := editDistance(tc.a, tc.b, 2); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSwapped(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"mongobd", "mongodb", true},
		{"ab", "ba", true},
		{"linked", "linkerd", false},
		{"datalog", "datadog", false},
		{"abcd", "abcd", false},
		{"abcd", "badc", false},
	}
	for _, tc := range tests {
		if got := swapped(tc.a, tc.b); got != tc.want {
			t.Errorf("swapped(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
