package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnalyzeConfigDecisionExpires checks that the run's date (--date,
// else SOURCE_DATE_EPOCH) reaches the configuration's decisions: one
// expired before it is a warning, the threat keeps its derived status;
// an undated run applies it.
func TestAnalyzeConfigDecisionExpires(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "")
	read := func(out string) (rep struct {
		Threats []struct {
			ID, Status string
			Tracking   *struct{ Owner, Justification string }
		}
		Warnings []string
	}) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(out, "telehealth.threats.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &rep); err != nil {
			t.Fatal(err)
		}
		return rep
	}
	plain := t.TempDir()
	if code, _, stderr := runCLI(t, "", "analyze", "--emit", "json", "-o", plain, example("telehealth.dot")); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	first := read(plain).Threats[0]
	conf := filepath.Join(t.TempDir(), "threatmap.yaml")
	if err := os.WriteFile(conf, []byte("threats:\n  - rule: D-PRC-01\n    element: system\n    status: Accepted\n    reason: r\n"+
		"  - {id: "+first.ID+", status: Accepted, owner: Ana, reason: low value, expires: 2026-06-30}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		date, status string
		expired      bool
	}{
		{"", "Accepted", false},
		{"2026-06-30", "Accepted", false},
		{"2026-07-01", "", true},
	} {
		out := t.TempDir()
		args := []string{"analyze", "--emit", "json", "--config", conf, "-o", out}
		if tc.date != "" {
			args = append(args, "--date", tc.date)
		}
		if code, _, stderr := runCLI(t, "", append(args, example("telehealth.dot"))...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		rep := read(out)
		th := rep.Threats[0]
		if th.ID != first.ID {
			t.Fatalf("first threat %s, was %s", th.ID, first.ID)
		}
		if tc.expired {
			if th.Status != first.Status || th.Tracking != nil {
				t.Errorf("date %s: expired decision applied: %s %+v", tc.date, th.Status, th.Tracking)
			}
		} else if th.Status != tc.status || th.Tracking == nil || th.Tracking.Owner != "Ana" || th.Tracking.Justification != "low value" {
			t.Errorf("date %q: %s %+v", tc.date, th.Status, th.Tracking)
		}
		var expired, unmatched bool
		for _, w := range rep.Warnings {
			expired = expired || strings.Contains(w, "threatmap.yaml:6: threat decision for "+first.ID+" expired on 2026-06-30")
			unmatched = unmatched || strings.Contains(w, "threatmap.yaml:2: threat decision for D-PRC-01 on system matches no threat")
		}
		if expired != tc.expired || !unmatched {
			t.Errorf("date %q: expired warning %v, unmatched warning %v: %q", tc.date, expired, unmatched, rep.Warnings)
		}
	}
}
