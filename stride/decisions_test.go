package stride

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

func TestParseThreatDecisions(t *testing.T) {
	cfg, err := ParseConfig("threatmap.yaml", []byte(`system: x
threats:
  - id: T-0042
    status: accepted
    owner: Ana Lima
    reason: Internal tool, two users.
  - {rule: I-FLOW-01, element: f1, status: Transferred, owner: Payments, reason: PSP contract, expires: 2027-06-30}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Decision{
		{ID: "T-0042", Status: StatusAccepted, Owner: "Ana Lima", Reason: "Internal tool, two users.", Line: 3},
		{Rule: "I-FLOW-01", Element: "f1", Status: StatusTransferred, Owner: "Payments", Reason: "PSP contract",
			Expires: "2027-06-30", Line: 7},
	}
	if !reflect.DeepEqual(cfg.Threats, want) {
		t.Errorf("decisions\n got %+v\nwant %+v", cfg.Threats, want)
	}
}

func TestParseThreatDecisionErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		line            int
	}{
		{"bad status", "threats:\n  - id: T-0001\n    status: Mitigated\n    reason: r\n", "must be Accepted or Transferred", 3},
		{"missing reason", "threats:\n  - id: T-0001\n    status: Accepted\n    owner: a\n", "needs reason", 2},
		{"empty reason", "threats:\n  - {id: T-0001, status: Accepted, reason: \"  \"}\n", "needs reason", 2},
		{"missing status", "threats:\n  - {id: T-0001, reason: r}\n", "needs status", 2},
		{"no threat named", "threats:\n  - {rule: S-EXT-01, status: Accepted, reason: r}\n", "needs id, or rule and element", 2},
		{"both names", "threats:\n  - {id: T-0001, rule: S-EXT-01, element: a, status: Accepted, reason: r}\n", "not both", 2},
		{"unknown key", "threats:\n  - id: T-0001\n    status: Accepted\n    reason: r\n    approver: b\n", "field approver not found", 5},
		{"bad date", "threats:\n  - {id: T-0001, status: Accepted, reason: r, expires: 30/06/2027}\n", "expires must be a date", 2},
		{"not a list", "threats:\n  T-0001: Accepted\n", "", 2},
		{"not a mapping", "threats:\n  - T-0001\n", "must be a mapping", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("conf/threatmap.yaml", []byte(tt.src))
			var ie *graph.InputError
			if err == nil || !errors.As(err, &ie) {
				t.Fatalf("error %v, want an InputError", err)
			}
			if !strings.Contains(ie.Msg, tt.want) || ie.Pos.Line != tt.line || ie.File != "conf/threatmap.yaml" {
				t.Errorf("error %q at line %d, want %q at line %d", err, ie.Pos.Line, tt.want, tt.line)
			}
		})
	}
}

// TestThreatDecisionsEndToEnd accepts one threat by id and transfers one
// by rule and element through Analyze, and reads the JSON report.
func TestThreatDecisionsEndToEnd(t *testing.T) {
	d := telehealthSpec().build(t, nil, nil)
	base := analyze(t, d, Options{})
	if len(base.Threats) < 2 {
		t.Fatalf("%d threats", len(base.Threats))
	}
	byID, byRule := base.Threats[0], base.Threats[1]
	if byRule.Element.Type == "system" {
		byRule = base.Threats[2]
	}
	src := fmt.Sprintf(`threats:
  - id: %s
    status: Accepted
    owner: Ana Lima
    reason: Internal tool, retired in Q3.
  - rule: %s
    element: %s
    status: Transferred
    owner: Payments team
    reason: The PSP carries this risk under contract.
  - {id: T-9999, status: Accepted, reason: gone}
  - {id: %s, status: Transferred, reason: twice}
  - {rule: %s, element: %s, status: Accepted, reason: old, expires: 2026-01-31}
`, byID.ID, byRule.Rule, byRule.Element.ID, byID.ID, byRule.Rule, byRule.Element.ID)
	cfg, err := ParseConfig("threatmap.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := analyze(t, d, Options{Config: cfg, Date: "2026-11-30"})
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Threats []struct {
			ID           string
			Status       string
			ResidualRisk string `json:"residual_risk"`
			Tracking     *Tracking
			Analysis     *Assessment
		}
		Warnings []string
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Threats) != len(base.Threats) {
		t.Fatalf("%d threats, want %d", len(got.Threats), len(base.Threats))
	}
	decided := 0
	for i, th := range got.Threats {
		b := base.Threats[i]
		if th.ID != b.ID || th.ResidualRisk != string(b.ResidualRisk) {
			t.Errorf("%s: id or residual risk changed: %s %s, was %s %s", b.ID, th.ID, th.ResidualRisk, b.ID, b.ResidualRisk)
		}
		var want *Tracking
		switch b.ID {
		case byID.ID:
			want = &Tracking{Status: "Accepted", Treatment: "Accept", Owner: "Ana Lima",
				Justification: "Internal tool, retired in Q3.", Source: TrackingSourceConfig,
				Config: &ConfigDecision{Status: "Accepted", Owner: "Ana Lima", Reason: "Internal tool, retired in Q3."}}
		case byRule.ID:
			want = &Tracking{Status: "Transferred", Treatment: "Transfer", Owner: "Payments team",
				Justification: "The PSP carries this risk under contract.", Source: TrackingSourceConfig,
				Config: &ConfigDecision{Status: "Transferred", Owner: "Payments team", Reason: "The PSP carries this risk under contract."}}
		}
		if !reflect.DeepEqual(th.Tracking, want) {
			t.Errorf("%s: tracking %+v, want %+v", b.ID, th.Tracking, want)
		}
		if want == nil {
			if th.Status != b.Status || th.Analysis != nil {
				t.Errorf("%s: status %s analysis %+v, undecided", b.ID, th.Status, th.Analysis)
			}
			continue
		}
		decided++
		if th.Status != want.Status || th.Analysis == nil || th.Analysis.Status != b.Status {
			t.Errorf("%s: status %s, analysis %+v, want %s over %s", b.ID, th.Status, th.Analysis, want.Status, b.Status)
		}
	}
	if decided != 2 {
		t.Errorf("%d threats decided, want 2", decided)
	}
	wantWarn := []string{
		"threatmap.yaml:11: threat decision for T-9999 matches no threat",
		fmt.Sprintf("threatmap.yaml:12: threat decision for %s ignored: %s is already decided on line 2", byID.ID, byID.ID),
		fmt.Sprintf("threatmap.yaml:13: threat decision for %s on %s expired on 2026-01-31 and is ignored: decide again", byRule.Rule, byRule.Element.ID),
	}
	if w := got.Warnings[len(got.Warnings)-len(wantWarn):]; !reflect.DeepEqual(w, wantWarn) {
		t.Errorf("warnings\n got %q\nwant %q", w, wantWarn)
	}
	// Without a date nothing expires: the third decision on byRule is a
	// second decision instead.
	r = analyze(t, d, Options{Config: cfg})
	if w := r.Warnings[len(r.Warnings)-1]; !strings.Contains(w, ":13: ") || !strings.Contains(w, "already decided on line 6") {
		t.Errorf("undated run, last warning %q", w)
	}
}
