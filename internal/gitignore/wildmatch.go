package gitignore

import "strings"

// wildmatch matches one path element against one pattern segment: "*"
// matches any run of bytes, "?" any one byte, "[...]" one byte of a set,
// and a backslash makes the next byte literal. Like git's wildmatch it
// works on bytes, not characters ("?" does not match "é"). A malformed
// pattern (an unclosed "[", a trailing backslash) matches nothing, as in
// git.
func wildmatch(pattern, name string) bool {
	// Iterative matching with one backtracking point: the last "*" seen
	// and the position in name it is currently taken to end at.
	px, nx := 0, 0
	starP, starN := -1, -1
	for nx < len(name) || px < len(pattern) {
		if px < len(pattern) {
			switch c := pattern[px]; c {
			case '*':
				for px < len(pattern) && pattern[px] == '*' {
					px++
				}
				starP, starN = px, nx
				continue
			case '?':
				if nx < len(name) {
					px++
					nx++
					continue
				}
			case '[':
				if nx < len(name) {
					ok, next, valid := matchClass(pattern, px, name[nx])
					if !valid {
						return false
					}
					if ok {
						px = next
						nx++
						continue
					}
				}
			case '\\':
				if px+1 >= len(pattern) {
					return false
				}
				if nx < len(name) && name[nx] == pattern[px+1] {
					px += 2
					nx++
					continue
				}
			default:
				if nx < len(name) && name[nx] == c {
					px++
					nx++
					continue
				}
			}
		}
		// Mismatch: let the last "*" take one more byte.
		if starP >= 0 && starN < len(name) {
			starN++
			px, nx = starP, starN
			continue
		}
		return false
	}
	return true
}

// matchClass matches b against the bracket expression that starts at
// pattern[open] ("["). It returns whether r is in the set, the index just
// after the closing "]", and false for valid when the expression is not
// closed.
func matchClass(pattern string, open int, b byte) (ok bool, next int, valid bool) {
	i := open + 1
	negate := false
	if i < len(pattern) && (pattern[i] == '!' || pattern[i] == '^') {
		negate = true
		i++
	}
	first := true
	for i < len(pattern) {
		c := pattern[i]
		if c == ']' && !first {
			return ok != negate, i + 1, true
		}
		first = false
		if c == '[' && i+1 < len(pattern) && pattern[i+1] == ':' {
			if end := strings.Index(pattern[i+2:], ":]"); end >= 0 {
				end += i + 2
				if inClass(pattern[i+2:end], b) {
					ok = true
				}
				i = end + 2
				continue
			}
		}
		lo, w, good := classByte(pattern, i)
		if !good {
			return false, 0, false
		}
		i += w
		hi := lo
		if i+1 < len(pattern) && pattern[i] == '-' && pattern[i+1] != ']' {
			var w2 int
			hi, w2, good = classByte(pattern, i+1)
			if !good {
				return false, 0, false
			}
			i += 1 + w2
		}
		if lo <= b && b <= hi {
			ok = true
		}
	}
	return false, 0, false
}

// classByte reads the (possibly backslash-escaped) byte at pattern[i]
// inside a bracket expression.
func classByte(pattern string, i int) (b byte, width int, ok bool) {
	if pattern[i] == '\\' {
		if i+1 >= len(pattern) {
			return 0, 0, false
		}
		return pattern[i+1], 2, true
	}
	return pattern[i], 1, true
}

// inClass reports whether b belongs to the POSIX character class name
// ("alpha", "digit", ...) of the C locale, as git's wildmatch reads it; an
// unknown name matches nothing.
func inClass(name string, b byte) bool {
	lower := 'a' <= b && b <= 'z'
	upper := 'A' <= b && b <= 'Z'
	digit := '0' <= b && b <= '9'
	switch name {
	case "alnum":
		return lower || upper || digit
	case "alpha":
		return lower || upper
	case "blank":
		return b == ' ' || b == '\t'
	case "cntrl":
		return b < ' ' || b == 0x7f
	case "digit":
		return digit
	case "graph":
		return b > ' ' && b < 0x7f
	case "lower":
		return lower
	case "print":
		return b >= ' ' && b < 0x7f
	case "punct":
		return b > ' ' && b < 0x7f && !lower && !upper && !digit
	case "space":
		return b == ' ' || '\t' <= b && b <= '\r'
	case "upper":
		return upper
	case "xdigit":
		return digit || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
	}
	return false
}
