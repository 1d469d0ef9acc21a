package xlsx

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/threatmap/threatmap/internal/testsupport"
	"github.com/threatmap/threatmap/stride"
)

// TestStatusesAndControlSources: each of the five statuses reaches the
// register's Status column (whose validation list offers all five), and
// the Existing controls column names each control's effect and source.
func TestStatusesAndControlSources(t *testing.T) {
	r := testsupport.ExampleReport(t, "telehealth.dot")
	want := testsupport.FiveStatuses(t, r)
	for _, s := range want {
		if !slices.Contains(Statuses, s) {
			t.Errorf("status %q is not in the register's validation list %v", s, Statuses)
		}
	}
	eachMode(t, func(t *testing.T, o Options) {
		f := open(t, r, o)
		at := registerIDs(t, f)
		for id, s := range want {
			if got := get(t, f, SheetRegister, colStatus+strconv.Itoa(at[id])); got != s {
				t.Errorf("%s: Status %q, want %q", id, got, s)
			}
		}
		checked := 0
		for _, th := range r.Threats {
			if len(th.Controls) == 0 {
				continue
			}
			checked++
			cell := get(t, f, SheetRegister, "K"+strconv.Itoa(at[th.ID]))
			c := th.Controls[0]
			if w := stride.ControlName(c.Control) + ": " + c.Effect + " (" + c.Source + ")"; !strings.Contains(cell, w) {
				t.Errorf("%s: Existing controls %q, want it to contain %q", th.ID, cell, w)
			}
		}
		if checked == 0 {
			t.Error("no threat with a credited control in the example")
		}
	})
}
