// Package english holds the little English grammar the documents need.
package english

import "strconv"

// Plural counts n things: "1 threat", "3 threats". many is the plural
// when adding "s" is wrong ("trust boundaries").
func Plural(n int, one string, many ...string) string {
	if n == 1 {
		return "1 " + one
	}
	if len(many) > 0 {
		return strconv.Itoa(n) + " " + many[0]
	}
	return strconv.Itoa(n) + " " + one + "s"
}
