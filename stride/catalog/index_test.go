package catalog

import (
	"fmt"
	"testing"
)

// TestTable: every key is found at its index, as a string and as bytes,
// and absent keys (including ones that collide in the slots) are not.
func TestTable(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4, 5, 100, 1000} {
		keys := make([]string, n)
		for i := range keys {
			keys[i] = fmt.Sprintf("k%d", i)
		}
		tb := buildTable(keys)
		if len(tb.Slots) < 2*n || len(tb.Slots)&(len(tb.Slots)-1) != 0 {
			t.Errorf("%d keys: %d slots, want a power of two at least twice the keys", n, len(tb.Slots))
		}
		for i, k := range keys {
			if got := find(&tb, k); got != i {
				t.Errorf("%d keys: find(%q) = %d, want %d", n, k, got, i)
			}
			if got := find(&tb, []byte(k)); got != i {
				t.Errorf("%d keys: find([]byte %q) = %d, want %d", n, k, got, i)
			}
		}
		for _, k := range []string{"", "k", fmt.Sprintf("k%d", n), "K0", "k0 "} {
			if got := find(&tb, k); got != -1 {
				t.Errorf("%d keys: find(%q) = %d, want -1", n, k, got)
			}
		}
	}
	var empty table
	if got := find(&empty, "x"); got != -1 {
		t.Errorf("zero table: find = %d, want -1", got)
	}
}

// TestDefaultIndexIsStatic: the built-in matcher is the generated data,
// and indexing the entries again gives the same tables (what the
// generator writes; TestGeneratedCatalog compares the source).
func TestDefaultIndexIsStatic(t *testing.T) {
	m := Default()
	if m.idx != &builtinIndex {
		t.Fatal("Default does not use the generated index")
	}
	built, err := buildIndex("technologies.yaml", builtinTechs)
	if err != nil {
		t.Fatal(err)
	}
	if len(built.Words.Keys) != len(builtinIndex.Words.Keys) || len(built.Known.Keys) != len(builtinIndex.Known.Keys) {
		t.Errorf("built index has %d words and %d known, generated %d and %d",
			len(built.Words.Keys), len(built.Known.Keys), len(builtinIndex.Words.Keys), len(builtinIndex.Known.Keys))
	}
	for i, tc := range builtinTechs {
		if got, ok := m.Lookup(tc.ID); !ok || got != builtinTechs[i] {
			t.Errorf("Lookup(%q) = %v, %v", tc.ID, got, ok)
		}
	}
	if testing.AllocsPerRun(10, func() { Default().Lookup("postgresql") }) != 0 {
		t.Error("a lookup allocates")
	}
}
