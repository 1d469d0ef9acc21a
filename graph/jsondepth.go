package graph

import "fmt"

// CheckJSONDepth refuses JSON nested deeper than max (arrays and objects),
// before a decoder recurses into it: the importers of JSON formats (Threat
// Dragon, Open Threat Model) share it.
func CheckJSONDepth(data []byte, max int) error {
	depth := 0
	inStr, esc := false, false
	for _, c := range data {
		switch {
		case inStr:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
			if depth > max {
				return fmt.Errorf("JSON nested deeper than %d levels: %w", max, ErrLimit)
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}
