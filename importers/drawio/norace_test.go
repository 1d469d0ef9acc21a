//go:build !race

package drawio

const raceEnabled = false
