package stride

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// referenceWords is newWords as it was first written (a token slice, a
// join and padding): the one-buffer version must give the same words.
func referenceWords(parts ...string) words {
	var toks []string
	for _, p := range parts {
		start := -1
		lp := strings.ToLower(p)
		for i := 0; i <= len(lp); i++ {
			alnum := i < len(lp) && (lp[i] >= 'a' && lp[i] <= 'z' || lp[i] >= '0' && lp[i] <= '9' || lp[i] >= 0x80)
			if alnum && start < 0 {
				start = i
			} else if !alnum && start >= 0 {
				toks = append(toks, lp[start:i])
				start = -1
			}
		}
	}
	return words{toks: toks, joined: " " + strings.Join(toks, " ") + " "}
}

func TestNewWordsMatchesReference(t *testing.T) {
	cases := [][]string{
		{},
		{""},
		{"", ""},
		{"   "},
		{"API Gateway"},
		{"Orders DB 12 (PostgreSQL)", "cylinder"},
		{"mxgraph.aws4.rds", "shape_name"},
		{"a", "b"},
		{"end-", "-start"},
		{"ÄRZTE Portal", "Größe"},
		{"KELVIN \u212a and İstanbul"},
		{"tab\tand\nnewline, nbsp\u00a0here"},
		{"<b>HTML</b> label&nbsp;text"},
		{"x"},
	}
	rng := rand.New(rand.NewSource(1))
	alphabet := []string{"a", "Z", "0", " ", "-", "_", ".", "é", "Ä", "\u212a", "\u00a0", "\t", "ß", "İ"}
	for i := 0; i < 500; i++ {
		var parts []string
		for p := rng.Intn(3); p >= 0; p-- {
			var b strings.Builder
			for n := rng.Intn(12); n > 0; n-- {
				b.WriteString(alphabet[rng.Intn(len(alphabet))])
			}
			parts = append(parts, b.String())
		}
		cases = append(cases, parts)
	}
	for _, parts := range cases {
		got, want := newWords(parts...), referenceWords(parts...)
		if got.joined != want.joined || len(got.toks) != len(want.toks) || (len(want.toks) > 0 && !reflect.DeepEqual(got.toks, want.toks)) {
			t.Errorf("newWords(%q) = %q %q, want %q %q", parts, got.joined, got.toks, want.joined, want.toks)
		}
	}
}

// TestFirstWithFilter: first gives the same keyword whether or not the
// words carry token hashes (the filter only skips lookups that fail).
func TestFirstWithFilter(t *testing.T) {
	lists := []*kwList{clientWords, serverWords, fieldDeviceWords, outsideSourceWords, softwareImageWords, pictureWords, mediaWords}
	for _, e := range componentTags {
		lists = append(lists, e.kws)
	}
	for _, label := range []string{"Customer Portal (web)", "Orders DB 12 (PostgreSQL)", "Partner feeds", "Mobile apps", "IoT sensors and meters",
		"Docker images", "Photo uploads", "Admin consoles", "", "Événements Queue", "S3 Buckets", "API Gateways / WAF"} {
		w := newWords(label)
		bare := words{toks: w.toks, joined: w.joined}
		for _, l := range lists {
			if got, want := w.first(l), bare.first(l); got != want {
				t.Errorf("%q: first %q with the filter, %q without", label, got, want)
			}
		}
	}
}
