package catalog

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzMatch feeds arbitrary labels, styles and attributes to the matcher.
// It must never panic, must answer the same way twice, and every match
// must carry a technology, a reason and evidence taken from the input.
// Seeds are in testdata/fuzz/FuzzMatch.
func FuzzMatch(f *testing.F) {
	f.Add("Redis cache", "", "", "", "")
	f.Add("Database\n[Container: MySQL]", "cylinder", "", "c4Technology", "MySQL")
	f.Add("", "", "shape=mxgraph.kubernetes.icon;prIcon=etcd;", "", "")
	m := Default()
	f.Fuzz(func(t *testing.T, label, shape, style, key, value string) {
		in := Input{Label: label, Shape: shape, Style: style}
		if key != "" {
			in.Attributes = map[string]string{key: value}
		}
		got, ok := m.Match(in)
		again, ok2 := m.Match(in)
		if ok != ok2 || got.Tech != again.Tech || got.Reason != again.Reason {
			t.Fatalf("not deterministic: %v/%v %q/%q", ok, ok2, got.Reason, again.Reason)
		}
		all := m.MatchAll(in)
		if !ok {
			if len(all) != 0 {
				t.Fatalf("Match found nothing, MatchAll found %d", len(all))
			}
			return
		}
		if got.Tech == nil || got.Reason == "" || got.Evidence == "" {
			t.Fatalf("incomplete match %+v", got)
		}
		if len(all) == 0 || all[0].Tech != got.Tech {
			t.Fatalf("MatchAll disagrees with Match")
		}
		hay := strings.ToLower(label + "\n" + shape + "\n" + style + "\n" + value)
		ev := strings.ToLower(got.Evidence)
		// Evidence found by words (labels, C4 strings, attribute values
		// matched as phrases) joins the words with single spaces.
		if got.Source != FromStyle {
			ev = strings.Join(strings.Fields(ev), " ")
			hay = strings.Join(strings.Fields(hay), " ")
		}
		if got.Source != FromStyle && utf8.ValidString(hay) && !strings.Contains(hay, ev) {
			t.Fatalf("evidence %q is not in the input", got.Evidence)
		}
	})
}
