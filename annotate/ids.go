package annotate

import (
	"strconv"
	"strings"
)

// domIDs hands out valid, unique XML ids.
type domIDs struct{ used map[string]bool }

// id returns prefix followed by s made safe for an XML id: ASCII letters,
// digits, '-', '_' and '.' are kept, every other byte becomes "_hh". A
// clash (duplicate flow IDs, or an escape that matches a literal ID) gets a
// numeric suffix, in order of appearance.
func (d *domIDs) id(prefix, s string) string {
	if d.used == nil {
		d.used = map[string]bool{}
	}
	var b strings.Builder
	b.WriteString(prefix)
	for i := 0; i < len(s) && b.Len() < 120; i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			b.WriteByte(c)
		default:
			b.WriteByte('_')
			b.WriteString(strconv.FormatUint(uint64(c)|0x100, 16)[1:])
		}
	}
	id := b.String()
	for n := 2; d.used[id]; n++ {
		id = b.String() + "--" + strconv.Itoa(n)
	}
	d.used[id] = true
	return id
}
