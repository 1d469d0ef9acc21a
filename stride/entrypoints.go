package stride

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/threatmap/threatmap/graph"
)

// This file is the third stage: every flow that crosses a trust boundary
// is an entry point, numbered EP-01, EP-02, ... in an order that depends
// on what the diagram says, never on IDs or input order.

// entryPoints numbers the crossing flows and records, per component, the
// entry points its threats come through.
func (a *analysis) entryPoints() {
	type keyed struct {
		fi  *flowInfo
		key []string
	}
	var ks []keyed
	for _, fi := range a.flows {
		if len(fi.crosses) > 0 && fi.respOf == nil {
			ks = append(ks, keyed{fi, a.epKey(fi)})
		}
	}
	sort.Slice(ks, func(i, j int) bool { return lessKeys(ks[i].key, ks[j].key) })
	a.eps = make([]*flowInfo, len(ks))
	for i, k := range ks {
		k.fi.epIndex = i + 1
		k.fi.ep = fmt.Sprintf("EP-%02d", i+1)
		k.fi.epL = []string{k.fi.ep}
		a.eps[i] = k.fi
	}
	for _, ci := range a.comps {
		ci.componentEntryPoints()
	}
}

// epKey orders entry points by what the diagram says, never by IDs or
// input order: inbound before lateral before outbound, then the source's
// trust (least trusted first), source label, target label, flow label,
// the crossed boundary labels and the protocol. The flow ID is the last
// resort for flows that look identical in every other respect.
func (a *analysis) epKey(fi *flowInfo) []string {
	var bl []string
	for _, b := range fi.crosses {
		if bi := a.bounds[b]; bi != nil {
			bl = append(bl, oneLine(bi.b.Label))
		}
	}
	return []string{fi.dir.rank(), strconv.Itoa(fi.src.trust), strconv.Itoa(9 - fi.dst.trust), fi.src.label, fi.dst.label,
		fi.label, strings.Join(bl, "\x00"), fi.facts.Protocol, canonicalAttrs(fi.f.Attributes), fi.f.ID}
}

func canonicalAttrs(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(m[k])
		b.WriteByte(0)
	}
	return b.String()
}

// lessKeys compares sort keys element by element; a prefix sorts first.
func lessKeys(x, y []string) bool {
	for i := range x {
		if i >= len(y) {
			return false
		}
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return len(x) < len(y)
}

// compareKeys is lessKeys as a three-way comparison.
func compareKeys(x, y []string) int {
	switch {
	case lessKeys(x, y):
		return -1
	case lessKeys(y, x):
		return 1
	}
	return 0
}

// componentEntryPoints records, once per component, the entry points its
// threats come through: for an external entity those of the flows it
// starts (or, if it starts none, receives); for others those of the calls
// into it, two-way flows it drew included (callers.go).
func (ci *compInfo) componentEntryPoints() {
	var eps []string // made distinct once, not through a map per component
	ci.epFirst = 1 << 30
	add := func(x *flowInfo) {
		if x.ep != "" {
			eps = append(eps, x.ep)
			if x.epIndex < ci.epFirst {
				ci.epFirst = x.epIndex
			}
		}
	}
	if ci.kind == graph.KindExternal && len(ci.out) > 0 {
		for _, x := range ci.out {
			add(x)
		}
	} else {
		for c := range ci.callsIn() {
			add(c.fi)
		}
	}
	ci.eps = sortedDistinct(eps)
}
