package graph

import (
	"fmt"
	"reflect"
	"testing"
)

func TestAggregateWarnings(t *testing.T) {
	var ws []Warning
	ws = append(ws, Warning{Pos: Position{Page: "P"}, Message: "first"})
	for i := 0; i < 1204; i++ {
		ws = append(ws, Warning{Pos: Position{Page: "P", Cell: fmt.Sprint("c", i)}, Message: "unlabelled shape ignored"})
	}
	// Three repeats stay one by one; the same message on another page is
	// another group.
	for i := 0; i < 3; i++ {
		ws = append(ws, Warning{Pos: Position{Page: "P", Line: i + 1}, Message: "thrice"})
	}
	ws = append(ws, Warning{Pos: Position{Page: "Q", Cell: "z"}, Message: "unlabelled shape ignored"})
	got := AggregateWarnings(ws)
	want := []Warning{
		{Pos: Position{Page: "P"}, Message: "first"},
		{Pos: Position{Page: "P"}, Message: `1,204 times: unlabelled shape ignored; e.g. cell "c0", cell "c1", cell "c2", ...`},
		{Pos: Position{Page: "P", Line: 1}, Message: "thrice"},
		{Pos: Position{Page: "P", Line: 2}, Message: "thrice"},
		{Pos: Position{Page: "P", Line: 3}, Message: "thrice"},
		{Pos: Position{Page: "Q", Cell: "z"}, Message: "unlabelled shape ignored"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
	if len(ws) != 1209 {
		t.Errorf("input modified: %d", len(ws))
	}
}

func TestAggregateWarningsCap(t *testing.T) {
	var ws []Warning
	for i := 0; i < 190000; i++ {
		ws = append(ws, Warning{Pos: Position{Cell: fmt.Sprint(i)}, Message: fmt.Sprint("distinct ", i)})
	}
	got := AggregateWarnings(ws)
	if len(got) != MaxWarnings+1 {
		t.Fatalf("%d warnings, want %d", len(got), MaxWarnings+1)
	}
	if last := got[len(got)-1].Message; last != "189,800 more warnings not listed (at most 200 are kept)" {
		t.Errorf("last warning %q", last)
	}
	if got[0].Message != "distinct 0" || got[MaxWarnings-1].Message != "distinct 199" {
		t.Errorf("order not kept: %v, %v", got[0], got[MaxWarnings-1])
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1204: "1,204", 189800: "189,800", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
