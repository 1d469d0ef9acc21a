//go:build race

package drawio

// raceEnabled: under the race detector memory figures are not the
// program's own, and hostile-size inputs take minutes.
const raceEnabled = true
