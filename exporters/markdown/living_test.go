package markdown

import (
	"regexp"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

var (
	linkTarget = regexp.MustCompile(`\]\(#([a-z0-9-]+)\)`)
	anchorID   = regexp.MustCompile(`<a id="([a-z0-9-]+)"></a>`)
)

// checkLinks checks that every internal link has its anchor, once.
func checkLinks(t *testing.T, md string) int {
	t.Helper()
	anchors := map[string]int{}
	for _, m := range anchorID.FindAllStringSubmatch(md, -1) {
		anchors[m[1]]++
	}
	for a, n := range anchors {
		if n != 1 {
			t.Errorf("anchor %s appears %d times", a, n)
		}
	}
	links := linkTarget.FindAllStringSubmatch(md, -1)
	for _, m := range links {
		if anchors[m[1]] == 0 {
			t.Errorf("link to #%s has no anchor", m[1])
		}
	}
	return len(links)
}

// The document a review works from: document facts, overview with data
// classification, assumptions, boundary ids, controls and mitigations in
// the threat table, owners' decisions, links from ids to their sections,
// and the changes since the baseline.
func TestReviewableDocument(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	r.Document = &stride.Document{Version: "1.4", Owner: "Security Architecture", Reviewers: []string{"Ana", "Bo"},
		Classification: "Confidential (contains PHI)", Overview: "Patients book video consultations.",
		Assumptions: []string{"Clinicians use managed devices."}}
	r.Threats[0].Tracking = &stride.Tracking{Owner: "Bea", Treatment: "Mitigate", Ticket: "SEC-42", DueDate: "2026-12-31"}
	closed := r.Threats[len(r.Threats)-1]
	closed.ID = "T-9999"
	closed.Status = "Closed"
	closed.Tracking = &stride.Tracking{Status: "Closed", History: []string{"2026-11-30: closed: no longer in the diagram"}}
	r.Closed = []stride.Threat{closed}
	r.Changes = &stride.Changes{Baseline: "old/telehealth.threats.json", New: []string{r.Threats[1].ID},
		Closed: []string{"T-9999"}, Unchanged: len(r.Threats) - 1, EntryPointsRemoved: []string{"EP-099"}}
	md := render(t, r, fixtureOpts)
	for _, want := range []string{
		`- **Version:** 1\.4`, "- **Owner:** Security Architecture", "- **Reviewers:** Ana, Bo",
		"## System overview", "Patients book video consultations.", "- **Data classification:** Confidential (contains PHI)",
		"## Assumptions", "- Clinicians use managed devices.",
		"## Changes since the baseline", "Compared with `old/telehealth.threats.json`: 1 new",
		"**New threats**", "- [" + r.Threats[1].ID + "](#" + strings.ToLower(r.Threats[1].ID) + ")",
		"**Closed threats**", `<a id="t-9999"></a>T-9999`, "2026-11-30: closed: no longer in the diagram",
		"Removed entry points: EP-099.",
		"| ID | Threat | Element | STRIDE | L×I (inherent) | Existing controls | Mitigation | L×I (residual) | Status |",
		"owner Bea, Mitigate, SEC-42, due 2026-12-31",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q", want)
		}
	}
	for _, b := range r.Boundaries {
		if !strings.Contains(md, "**"+b.Label+"** (`"+b.ID+"`,") {
			t.Errorf("boundary %s shown without its id", b.ID)
		}
	}
	if n := checkLinks(t, md); n < len(r.Threats) {
		t.Errorf("only %d internal links", n)
	}
	// Controls in people's words.
	if strings.Contains(md, "| tls") || strings.Contains(md, ", tls") {
		t.Error("control token tls shown instead of TLS")
	}
}

// Without a baseline there is no changes section, and links still resolve.
func TestNoBaselineNoChanges(t *testing.T) {
	md := render(t, testsupport.ExampleReport(t, "telehealth.dot"), fixtureOpts)
	if strings.Contains(md, "## Changes since the baseline") {
		t.Error("changes section without a baseline")
	}
	if !strings.Contains(md, "- **Data classification:** not stated") {
		t.Error("classification line missing")
	}
	checkLinks(t, md)
}
